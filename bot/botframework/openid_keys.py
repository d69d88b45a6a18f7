"""The keys that sign inbound channel tokens: fetched on the event loop, cached, and screened.

botframework-connector 4.17.1 checks a token against the keys published at an OpenID
metadata URL (``JwtTokenExtractor`` with its process-wide ``_OpenIdMetadata`` per URL).
It fetches them with a blocking ``requests.get`` without a timeout, on the event loop,
and after a failed fetch tries again on the next request: a slow or dead key endpoint, or
anyone posting tokens that claim a key from it, froze every user of the bot. And it
answers some malformed tokens (``alg: none``, HS256, a missing or unknown ``kid``, a
channel the key is not endorsed for) with IndexError or a bare Exception, which became
HTTP 500.

Here:

* :class:`SigningKeys` fetches one URL's keys with aiohttp (on the shared session, under
  one overall timeout), keeps them for a day, looks again at most once an hour for a key
  id it does not know, and after a failed fetch waits (30 s, doubling up to 15 min) before
  trying again; concurrent requests share one fetch. Time comes from the injected clock.
* :class:`TokenScreen` runs before the SDK's validation: it refuses (PermissionError) a
  header that is not ``Bearer <JWT>``, an algorithm other than RS256/384/512, a token
  without a ``kid``, a ``kid`` the published keys do not have, and a key not endorsed for
  the activity's channel. Then it hands its keys to the SDK's cache for that URL and pins
  the SDK's caches of every URL it could read, so that the SDK never fetches anything
  itself; the SDK's own checks (signature, issuer, audience, expiry, serviceUrl) run
  unchanged on the tokens that pass.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import jwt
from botframework.connector.auth import AuthenticationConstants, EmulatorValidation, SkillValidation
from botframework.connector.auth.channel_validation import ChannelValidation
from botframework.connector.auth.government_constants import GovernmentConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm
from yarl import URL

from bot.clock import Clock
from bot.json_body import JsonBodyError, parse_json_body

__all__ = ["KeyFetchError", "KeyPolicy", "SigningKeys", "TokenScreen"]

log = logging.getLogger(__name__)

ALLOWED_ALGORITHMS = frozenset(AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS)


class KeyFetchError(Exception):
    """The metadata or the key set could not be fetched or read."""


@dataclass(frozen=True)
class KeyPolicy:
    #: One whole fetch (metadata document, then key set) may take this long.
    timeout_s: float = 10.0
    connect_timeout_s: float = 5.0
    #: Keys are fetched again after this long (the SDK's figure).
    max_age: timedelta = timedelta(days=1)
    #: A key id not among the keys makes a fetch at most this often (the SDK's figure).
    unknown_key_every: timedelta = timedelta(hours=1)
    #: After a failed fetch, wait this long before the next one, doubling up to ``max_retry``.
    first_retry: timedelta = timedelta(seconds=30)
    max_retry: timedelta = timedelta(minutes=15)
    #: Metadata and key documents larger than this are refused.
    max_bytes: int = 1024 * 1024


def _usable_key(key: Any) -> bool:
    """A JWK the SDK can use: an object with a string ``kid``, a list of string
    ``endorsements`` if any, and RSA numbers PyJWT accepts."""
    if not isinstance(key, dict) or not isinstance(key.get("kid"), str) or not key["kid"]:
        return False
    endorsements = key.get("endorsements", [])
    if not isinstance(endorsements, list) or not all(isinstance(e, str) for e in endorsements):
        return False
    try:
        RSAAlgorithm.from_jwk(json.dumps(key))
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return False
    return True


class SigningKeys:
    """The signing keys published at one OpenID metadata URL."""

    def __init__(
        self,
        metadata_url: str,
        clock: Clock,
        session: Callable[[], aiohttp.ClientSession],
        policy: KeyPolicy | None = None,
    ) -> None:
        self.url = metadata_url
        self._clock = clock
        self._session = session
        self._policy = policy or KeyPolicy()
        #: The keys as the SDK reads them (a new list on every refresh, never changed in place).
        self.jwks: list[dict[str, Any]] = []
        self._by_kid: dict[str, dict[str, Any]] = {}
        self._fetched_at: datetime | None = None
        self._attempted_at: datetime | None = None
        self._retry_at: datetime | None = None
        self._failures = 0
        self._lock = asyncio.Lock()

    def _due(self, kid: str) -> bool:
        now = self._clock.now()
        if self._retry_at is not None and now < self._retry_at:
            return False
        if self._fetched_at is None or now - self._fetched_at >= self._policy.max_age:
            return True
        if kid in self._by_kid:
            return False
        return self._attempted_at is None or now - self._attempted_at >= self._policy.unknown_key_every

    async def find(self, kid: str) -> dict[str, Any] | None:
        """The published key ``kid`` (fetching first when due), or None."""
        if self._due(kid):
            async with self._lock:
                if self._due(kid):  # not done meanwhile by a request that held the lock
                    await self._refresh()
        return self._by_kid.get(kid)

    async def _refresh(self) -> None:
        started = self._clock.now()
        self._attempted_at = started
        try:
            async with asyncio.timeout(self._policy.timeout_s):
                keys = await self._fetch()
        except (KeyFetchError, aiohttp.ClientError, TimeoutError, JsonBodyError) as exc:
            self._failures += 1
            delay = min(self._policy.first_retry * (2 ** (self._failures - 1)), self._policy.max_retry)
            self._retry_at = started + delay
            log.warning(
                "could not fetch the token signing keys from %s (%s); %s; next attempt in %d s",
                self.url, type(exc).__name__,
                "keeping the keys fetched before" if self._by_kid else "tokens are refused until then",
                delay.total_seconds(),
            )
            return
        self._failures = 0
        self._retry_at = None
        self._fetched_at = started
        self.jwks = keys
        self._by_kid = {key["kid"]: key for key in keys}
        log.info("fetched %d token signing keys from %s", len(keys), self.url)

    async def _get_json(self, url: str) -> Any:
        parsed = URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise KeyFetchError("not an http(s) URL")
        timeout = aiohttp.ClientTimeout(total=self._policy.timeout_s, sock_connect=self._policy.connect_timeout_s)
        async with self._session().get(parsed, timeout=timeout, headers={"Accept": "application/json"}) as response:
            if response.status != 200:
                raise KeyFetchError(f"HTTP {response.status}")
            size = 0
            chunks: list[bytes] = []
            async for chunk in response.content.iter_chunked(64 * 1024):
                size += len(chunk)
                if size > self._policy.max_bytes:
                    raise KeyFetchError("document too large")
                chunks.append(chunk)
        return parse_json_body(b"".join(chunks))

    async def _fetch(self) -> list[dict[str, Any]]:
        metadata = await self._get_json(self.url)
        jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise KeyFetchError("the metadata names no jwks_uri")
        document = await self._get_json(jwks_uri)
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            raise KeyFetchError("the key set has no list of keys")
        usable = [key for key in keys if _usable_key(key)]
        if not usable:
            raise KeyFetchError("the key set has no usable keys")
        return usable

    def hand_to_sdk(self) -> None:
        """Give the SDK's cache for this URL these keys (it reads them, and never fetches)."""
        metadata = JwtTokenExtractor.get_open_id_metadata(self.url)
        if self.jwks and metadata.keys is not self.jwks:
            metadata.keys = self.jwks
        _pin(metadata)


def _pin(metadata: Any) -> None:
    # The SDK refreshes when ``last_updated`` is older than a day (or an hour, for an
    # unknown key id), comparing with its own clock reading, which has no time zone: the
    # greatest datetime is never older, so it never fetches. (No time zone here either,
    # because the SDK compares with one that has none.)
    metadata.last_updated = datetime.max  # noqa: DTZ901 - naive like the SDK's own clock (see above)


class TokenScreen:
    """Refuses malformed tokens before the SDK sees them; keeps the SDK from fetching keys."""

    def __init__(self, channel: SigningKeys, emulator: SigningKeys, other_sdk_urls: Iterable[str] = ()) -> None:
        self._channel = channel
        self._emulator = emulator
        self._pinned = tuple(dict.fromkeys([channel.url, emulator.url, *other_sdk_urls]))

    @classmethod
    def for_configuration(
        cls,
        configuration: object,
        clock: Clock,
        session: Callable[[], aiohttp.ClientSession],
        policy: KeyPolicy | None = None,
    ) -> TokenScreen:
        """The URLs botbuilder's ConfigurationBotFrameworkAuthentication reads for ``configuration``."""
        channel_url = (
            getattr(configuration, "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", None)
            or ChannelValidation.open_id_metadata_endpoint
            or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        )
        emulator_url = (
            getattr(configuration, "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL", None)
            or AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
        )
        others = (
            AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
            AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
            GovernmentConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
            GovernmentConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
        )
        return cls(
            SigningKeys(channel_url, clock, session, policy),
            SigningKeys(emulator_url, clock, session, policy),
            others,
        )

    def pin_sdk_caches(self) -> None:
        for url in self._pinned:
            _pin(JwtTokenExtractor.get_open_id_metadata(url))

    def _keys_for(self, auth_header: str, claims: Mapping[str, Any]) -> SigningKeys:
        """The URL the SDK checks this token against: the emulator's for skill and
        emulator tokens, the channel's for the rest (as JwtTokenValidation decides)."""
        try:
            if SkillValidation.is_skill_claim(dict(claims)) or EmulatorValidation.is_token_from_emulator(auth_header):
                return self._emulator
        except (KeyError, TypeError, AttributeError, ValueError, jwt.PyJWTError) as exc:
            raise PermissionError("malformed token claims") from exc
        return self._channel

    async def screen(self, auth_header: str, channel_id: str | None) -> None:
        """Raise PermissionError unless ``auth_header`` is a well-formed bearer token signed
        (by its header) with a published RSA key that is endorsed for ``channel_id``."""
        self.pin_sdk_caches()
        scheme, _, token = auth_header.partition(" ")
        if scheme != "Bearer" or not token or " " in token:
            raise PermissionError("not a bearer token")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise PermissionError("malformed token") from exc
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise PermissionError("token signing algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise PermissionError("token without a key id")
        keys = self._keys_for(auth_header, claims)
        key = await keys.find(kid)
        if key is None:
            raise PermissionError("token signed with an unknown key")
        endorsements = key.get("endorsements") or []
        if endorsements and channel_id and channel_id not in endorsements:
            raise PermissionError("the signing key is not endorsed for this channel")
        keys.hand_to_sdk()
