"""The bot's Bot Framework authentication: the SDK's own, screened, and (fast) caching its clients.

:class:`ScreenedBotFrameworkAuthentication` delegates everything, in particular token
*validation* of inbound requests, to the SDK's implementation. In front of that
validation, :class:`~bot.botframework.openid_keys.TokenScreen` refuses malformed tokens
and supplies the signing keys, fetched without blocking the event loop (the SDK would
fetch them with a blocking ``requests.get``); whatever the SDK still raises for a bad
token is turned into the refusal it should have been. Both settings of
``MEDBOT_BOTFRAMEWORK`` use it.

:class:`CachingBotFrameworkAuthentication` (``fast``) also keeps the clients: stock
CloudAdapter asks its authentication, on every turn, for a new ConnectorFactory, a new
ConnectorClient (msrest pipeline, credentials, HTTP session) and a new UserTokenClient,
the largest part of a stock turn's CPU. Nothing in those clients is specific to a turn:
a connector client is determined by (bot app id, serviceUrl, audience), a token client
by the app id. They are kept in a bounded LRU owned by the authentication (not the
module) and send through one shared aiohttp session (:mod:`bot.botframework.transport`).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Generic, TypeVar

import jwt
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth.authentication_constants import AuthenticationConstants
from botframework.connector.skills import BotFrameworkClient

from bot.botframework.openid_keys import TokenScreen
from bot.botframework.transport import ConnectorHttp

log = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


class _Lru(Generic[K, V]):
    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def values(self) -> list[V]:
        return list(self._items.values())


def _app_id(claims_identity: ClaimsIdentity) -> str:
    claims = claims_identity.claims or {}
    return (
        claims.get(AuthenticationConstants.AUDIENCE_CLAIM)
        or claims.get(AuthenticationConstants.APP_ID_CLAIM)
        or ""
    )


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(
        self,
        inner: ConnectorFactory,
        app_id: str,
        cache: _Lru[tuple[str, str, str], ConnectorClient],
        http: ConnectorHttp,
    ) -> None:
        self._inner = inner
        self._app_id = app_id
        self._cache = cache
        self._http = http

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience or "")
        client = self._cache.get(key)
        if client is None:
            client = self._http.adopt(await self._inner.create(service_url, audience))
            self._cache.put(key, client)
        return client


class ScreenedBotFrameworkAuthentication(BotFrameworkAuthentication):
    """Delegates everything to ``inner`` (the SDK's own authentication); screens tokens
    first and turns the SDK's crashes on bad tokens into refusals."""

    def __init__(self, inner: BotFrameworkAuthentication, screen: TokenScreen) -> None:
        self._inner = inner
        self.screen = screen
        self.screen.pin_sdk_caches()

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        if auth_header:
            await self.screen.screen(auth_header, activity.channel_id)
        return await _refusing_bad_tokens(self._inner.authenticate_request(activity, auth_header))

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        if auth_header:
            await self.screen.screen(auth_header, channel_id_header)
        return await _refusing_bad_tokens(self._inner.authenticate_streaming_request(auth_header, channel_id_header))

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        if auth_header:
            await self.screen.screen(auth_header, None)
        return await _refusing_bad_tokens(self._inner.authenticate_channel_request(auth_header))

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._inner.create_connector_factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._inner.create_user_token_client(claims_identity)

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()


class CachingBotFrameworkAuthentication(ScreenedBotFrameworkAuthentication):
    """As its base; also caches the clients it creates, which send through ``http``."""

    def __init__(self, inner: BotFrameworkAuthentication, screen: TokenScreen, http: ConnectorHttp, capacity: int = 1024) -> None:
        super().__init__(inner, screen)
        self.http = http
        self._connectors: _Lru[tuple[str, str, str], ConnectorClient] = _Lru(capacity)
        self._factories: _Lru[str, ConnectorFactory] = _Lru(64)
        self._token_clients: _Lru[str, UserTokenClient] = _Lru(64)

    def connector_clients(self) -> list[ConnectorClient]:
        """The cached connector clients, least recently used first."""
        return self._connectors.values()

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None and result.claims_identity is not None:
            result.connector_factory = self._wrap(result.connector_factory, result.claims_identity)
        return result

    def _wrap(self, factory: ConnectorFactory, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        app_id = _app_id(claims_identity)
        cached = self._factories.get(app_id)
        if cached is None:
            cached = _CachingConnectorFactory(factory, app_id, self._connectors, self.http)
            self._factories.put(app_id, cached)
        return cached

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        app_id = _app_id(claims_identity)
        cached = self._factories.get(app_id)
        if cached is None:
            cached = _CachingConnectorFactory(
                self._inner.create_connector_factory(claims_identity), app_id, self._connectors, self.http
            )
            self._factories.put(app_id, cached)
        return cached

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self._token_clients.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients.put(app_id, client)
        return client


async def _refusing_bad_tokens(validation: Awaitable[R]) -> R:
    """Await the SDK's token validation; its crashes on a bad token become PermissionError."""
    try:
        return await validation
    except PermissionError:
        raise
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, jwt.PyJWTError) as exc:
        # botframework-connector 4.17.1 crashes (AttributeError on a None identity,
        # IndexError on an unknown key id) instead of refusing such tokens.
        log.info("refused a request with an invalid token (%s)", type(exc).__name__)
        raise PermissionError("invalid token") from exc
    except Exception as exc:
        # The SDK raises a bare Exception for a key not endorsed for the channel and for
        # an algorithm it does not allow. Only that exact class is a refusal here.
        if type(exc) is not Exception:
            raise
        log.info("refused a request with an invalid token (%s)", type(exc).__name__)
        raise PermissionError("invalid token") from exc
