"""Reuse the Bot Framework connector and token clients across turns.

Stock CloudAdapter asks its BotFrameworkAuthentication, on every turn, for a new
ConnectorFactory, a new ConnectorClient (msrest pipeline, credentials, HTTP
session) and a new UserTokenClient — about 15–20 ms of CPU per turn. Nothing in
those clients is specific to a turn: a connector client is determined by
(bot app id, serviceUrl, audience), a token client by the app id. This wrapper
keeps them in a bounded LRU owned by the adapter (not the module), has them send
through one shared aiohttp session (:mod:`bot.connector_http`) and delegates
everything else — in particular token *validation* of inbound requests — to the
SDK's own implementation. In front of that validation, :class:`~bot.openid_keys.TokenScreen`
refuses malformed tokens and supplies the signing keys, fetched without blocking the
event loop (the SDK would fetch them with a blocking ``requests.get``); whatever the SDK
still raises for a bad token is turned into the refusal it should have been.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Generic, TypeVar

import jwt
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
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

from bot.clock import Clock, SystemClock
from bot.connector_http import ConnectorHttp
from bot.openid_keys import KeyPolicy, TokenScreen

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


class CachingBotFrameworkAuthentication(BotFrameworkAuthentication):
    """Delegates to ``inner``; caches the clients it creates."""

    def __init__(
        self,
        inner: BotFrameworkAuthentication,
        capacity: int = 1024,
        http: ConnectorHttp | None = None,
        *,
        screen: TokenScreen | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._inner = inner
        self.http = http or ConnectorHttp()
        # Without a configuration to read the key URLs from: the public cloud's.
        self.screen = screen or TokenScreen.for_configuration(object(), clock or SystemClock(), self.http.session)
        self.screen.pin_sdk_caches()
        self._connectors: _Lru[tuple[str, str, str], ConnectorClient] = _Lru(capacity)
        self._factories: _Lru[str, ConnectorFactory] = _Lru(64)
        self._token_clients: _Lru[str, UserTokenClient] = _Lru(64)

    @classmethod
    def from_configuration(
        cls, configuration: object, *, clock: Clock | None = None, key_policy: KeyPolicy | None = None
    ) -> CachingBotFrameworkAuthentication:
        http = ConnectorHttp()
        screen = TokenScreen.for_configuration(configuration, clock or SystemClock(), http.session, key_policy)
        return cls(ConfigurationBotFrameworkAuthentication(configuration), http=http, screen=screen)

    @property
    def cached_connectors(self) -> int:
        return len(self._connectors)

    async def close(self) -> None:
        """Close the shared HTTP session of the connector clients (on application cleanup)."""
        await self.http.close()

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        if auth_header:
            await self.screen.screen(auth_header, activity.channel_id)
        result = await _refusing_bad_tokens(self._inner.authenticate_request(activity, auth_header))
        if result.connector_factory is not None and result.claims_identity is not None:
            result.connector_factory = self._wrap(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        if auth_header:
            await self.screen.screen(auth_header, channel_id_header)
        return await _refusing_bad_tokens(self._inner.authenticate_streaming_request(auth_header, channel_id_header))

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

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        if auth_header:
            await self.screen.screen(auth_header, None)
        return await _refusing_bad_tokens(self._inner.authenticate_channel_request(auth_header))


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
