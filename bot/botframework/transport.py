"""The HTTP transport of the Bot Framework connector clients: aiohttp on one shared session.

Stock ``ConnectorClient`` (msrest) sends every request with ``requests`` in a worker
thread of the default executor: a thread hand-off, a ``requests`` request preparation
and an urllib3 connection pool per client, on every reply. Here the cached
clients (:mod:`bot.botframework.auth`) get an msrest pipeline whose last step is an aiohttp
request on one :class:`aiohttp.ClientSession` for the whole process (keep-alive
connections to each serviceUrl), owned by :class:`ConnectorHttp` and closed with the
application.

Everything in front of the transport is the SDK's own: the user-agent policy, the
credentials (``AppCredentials.signed_session`` puts the bearer token on the request
exactly as the stock pipeline does, fetching it through MSAL and its cache), the
response deserialisation and the HTTP logger. An HTTP error status reaches the SDK's
operations as before (``ErrorResponseException`` with ``response.status_code`` and
``response.headers``); network errors are aiohttp's (``aiohttp.ClientError``,
``asyncio.TimeoutError``). There are no transport retries: the delivery scheduler
(bot/delivery/scheduler.py) is the one place that retries, with its back-off and leases
(see bot/delivery/sender.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import quote, urljoin

import aiohttp
from botframework.connector import models as connector_models
from botframework.connector.aio.operations_async import ConversationsOperations
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.aiohttp import AioHttpClientResponse
from yarl import URL

from bot.botframework.fast_json import FastSerializer

log = logging.getLogger(__name__)

#: One reply or proactive send may take this long (``config.connection.timeout`` wins
#: when it is lower, e.g. as set by the proactive sender).
DEFAULT_TIMEOUT_S = 30.0
#: Keep-alive connections kept per serviceUrl host.
CONNECTIONS_PER_HOST = 100


class _Headers:
    """What ``AppCredentials.signed_session`` needs of a ``requests.Session``: ``headers``."""

    __slots__ = ("headers",)

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class LoadedResponse(AioHttpClientResponse):
    """msrest's aiohttp response, whose ``body()`` also works for an empty body once read
    (msrest's own raises "Body is not available" for ``b""``, e.g. a 202 without content;
    the stock requests transport returns ``b""`` there)."""

    def body(self) -> bytes:
        if self._body is None:
            return super().body()
        return bytes(self._body)


class CredentialsPolicy(AsyncHTTPPolicy):
    """Puts the bot's bearer token on the request, as the stock requests pipeline does."""

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials

    async def send(self, request: Request, **kwargs: Any) -> Response:
        holder = _Headers()
        self._credentials.signed_session(holder)
        authorization = holder.headers.get("Authorization")
        if authorization:
            request.http_request.headers["Authorization"] = authorization
        return await self.next.send(request, **kwargs)  # type: ignore[union-attr]  # the pipeline links every policy to a next step


class SharedSessionSender(AsyncHTTPSender):
    """The pipeline's last step: one aiohttp request on the shared session."""

    def __init__(self, http: ConnectorHttp, config: Any) -> None:
        self._http = http
        self._config = config

    async def __aenter__(self) -> SharedSessionSender:
        return self

    async def __aexit__(self, *exc_details: object) -> None:
        return None  # the session belongs to ConnectorHttp, not to one client

    def build_context(self) -> None:
        return None

    async def send(self, request: Request, **kwargs: Any) -> Response:
        http_request = request.http_request
        data = http_request.data
        if isinstance(data, str):
            data = data.encode("utf-8")
            # msrest set Content-Length from the str; the bytes are what is sent.
            http_request.headers["Content-Length"] = str(len(data))
        connection = getattr(self._config, "connection", None)
        seconds = min(float(getattr(connection, "timeout", DEFAULT_TIMEOUT_S) or DEFAULT_TIMEOUT_S), DEFAULT_TIMEOUT_S)
        session = self._http.session()
        raw = await session.request(
            http_request.method,
            # As built by msrest, percent-escapes included (yarl would otherwise decode ':' '@' ';').
            URL(http_request.url, encoded=True),
            headers=dict(http_request.headers),
            data=data,
            timeout=aiohttp.ClientTimeout(total=seconds),
        )
        response = LoadedResponse(http_request, raw)
        try:
            await response.load_body()
        finally:
            raw.release()
        return Response(request, response)


_SUCCESS = (200, 201, 202)


class FastConversationsOperations(ConversationsOperations):
    """The SDK's conversation operations, with the two that every turn uses sent directly.

    ``reply_to_activity`` and ``send_to_conversation`` build the same URL, headers and
    JSON body as the generated msrest code (``_conversations_operations_async.py`` in
    botframework-connector 4.17.1), send them on the shared session and hand the
    response to the SDK's own deserialiser and ``ErrorResponseException``, without the
    msrest pipeline's per-request objects and URL parsing. A call with ``custom_headers``, ``raw`` or other operation options takes
    the stock code path unchanged. (The HTTP logger policy, which logs only when
    msrest's ``enable_http_logger`` is on, is not applied on the fast path.)
    """

    def __init__(self, client: Any, http: ConnectorHttp) -> None:
        stock = client.conversations
        super().__init__(stock._client, client.config, stock._serialize, stock._deserialize)
        self._config = client.config
        self._http = http
        self._prefix = client.config.base_url.rstrip("/") + "/"

    async def reply_to_activity(
        self, conversation_id: Any, activity_id: Any, activity: Any, *, custom_headers: Any = None, raw: bool = False,
        **operation_config: Any,
    ) -> Any:
        if custom_headers or raw or operation_config or not isinstance(conversation_id, str) or not isinstance(activity_id, str):
            return await super().reply_to_activity(
                conversation_id, activity_id, activity, custom_headers=custom_headers, raw=raw, **operation_config
            )
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        return await self._post(path, activity, {"x-ms-conversation-id": conversation_id})

    async def send_to_conversation(
        self, conversation_id: Any, activity: Any, *, custom_headers: Any = None, raw: bool = False, **operation_config: Any
    ) -> Any:
        if custom_headers or raw or operation_config or not isinstance(conversation_id, str):
            return await super().send_to_conversation(
                conversation_id, activity, custom_headers=custom_headers, raw=raw, **operation_config
            )
        return await self._post(f"v3/conversations/{quote(conversation_id, safe='')}/activities", activity, {})

    async def _post(self, path: str, activity: Any, extra_headers: dict[str, str]) -> Any:
        # msrest: format_url joins a relative operation URL onto the client's base URL.
        url = urljoin(self._prefix, path)
        body = json.dumps(self._serialize.body(activity, "Activity"))
        headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8", **extra_headers}
        response = await self._http.send(self._config, "POST", url, headers, body)
        if response.status_code not in _SUCCESS:
            raise connector_models.ErrorResponseException(self._deserialize, response)
        return self._deserialize("ResourceResponse", response)


class ConnectorHttp:
    """Owns the process's aiohttp session for connector calls (made lazily, on the running loop)."""

    def __init__(self, *, connections_per_host: int = CONNECTIONS_PER_HOST) -> None:
        self._connections_per_host = connections_per_host
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            if self._closed:
                log.info("connector HTTP session used after close; opening a new one")
                self._closed = False
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, limit_per_host=self._connections_per_host),
                auto_decompress=True,
                raise_for_status=False,
                skip_auto_headers=("User-Agent",),
            )
            self._loop = loop
        return self._session

    async def send(self, config: Any, method: str, url: str, headers: dict[str, str], body: str) -> Any:
        """One request as the stock pipeline would send it for a client with ``config``.

        Adds the user agent and the bearer token (the SDK's credentials), sends on the
        shared session and returns msrest's response object with the body read and
        deserialised into its ``context``, as ``ServiceClientAsync.async_send`` does.
        """
        request = ClientRequest(method, url)
        request.headers = dict(headers)  # type: ignore[assignment]  # msrest reads headers as a plain mapping
        user_agent = getattr(config, "user_agent", None)
        if user_agent:
            request.headers["User-Agent"] = user_agent
        credentials = getattr(config, "credentials", None)
        if credentials:
            holder = _Headers()
            credentials.signed_session(holder)
            authorization = holder.headers.get("Authorization")
            if authorization:
                request.headers["Authorization"] = authorization
        data = body.encode("utf-8")
        request.headers["Content-Length"] = str(len(data))
        connection = getattr(config, "connection", None)
        seconds = min(float(getattr(connection, "timeout", DEFAULT_TIMEOUT_S) or DEFAULT_TIMEOUT_S), DEFAULT_TIMEOUT_S)
        raw = await self.session().request(
            method, URL(url, encoded=True), headers=request.headers, data=data, timeout=aiohttp.ClientTimeout(total=seconds)
        )
        response = LoadedResponse(request, raw)
        try:
            await response.load_body()
        finally:
            raw.release()
        response.context = {  # type: ignore[attr-defined]  # set as msrest's pipeline sets it on its responses
            RawDeserializer.CONTEXT_NAME: RawDeserializer.deserialize_from_http_generics(response.text(), response.headers)
        }
        return response

    @property
    def open_session(self) -> aiohttp.ClientSession | None:
        return self._session if self._session is not None and not self._session.closed else None

    def pipeline_for(self, client: Any) -> AsyncPipeline:
        """An msrest pipeline for ``client`` (a ConnectorClient) that sends through this session."""
        config = client.config
        policies: list[Any] = [config.user_agent_policy, RawDeserializer(), config.http_logger_policy]
        if config.credentials:
            policies.insert(1, CredentialsPolicy(config.credentials))
        return AsyncPipeline(policies, SharedSessionSender(self, config))

    def adopt(self, client: Any) -> Any:
        """Make ``client`` (a freshly created ConnectorClient) send through this session.

        Its operations also get :class:`~bot.botframework.fast_json.FastSerializer` for request
        bodies (the same JSON as msrest's, without msrest's generic detours).
        """
        client.config.pipeline = self.pipeline_for(client)
        serializer = FastSerializer(client._serialize.dependencies)
        client._serialize = serializer
        for operations in (getattr(client, "conversations", None), getattr(client, "attachments", None)):
            if operations is not None:
                operations._serialize = serializer
        if getattr(client, "conversations", None) is not None:
            client.conversations = FastConversationsOperations(client, self)
        connection = getattr(client.config, "connection", None)
        if connection is not None:
            connection.timeout = DEFAULT_TIMEOUT_S
        return client

    async def close(self) -> None:
        """Close the session and its keep-alive connections (on application cleanup)."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()
