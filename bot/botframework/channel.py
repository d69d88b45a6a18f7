"""The Bot Framework (Teams, the Agents Playground, a local connector) behind one interface.

:class:`BotFramework` is what the rest of the bot uses of botbuilder's adapter, its
authentication, the connector clients that send replies and the conversation state:

* :meth:`~BotFramework.parse_activity` turns a request body into an ``Activity`` or
  raises :class:`InvalidActivity`;
* :meth:`~BotFramework.process` authenticates the request and runs a turn, returning
  the invoke reply (status and JSON body) if the turn produced one; a refused token is
  a ``PermissionError``;
* :attr:`~BotFramework.adapter` is the ``BotAdapter`` for proactive sends
  (``continue_conversation``) and opening a personal chat (``create_conversation``),
  :meth:`~BotFramework.use` adds middleware to every Bot Framework turn;
* :meth:`~BotFramework.conversation_state` builds the turn state over the bot's storage;
* :meth:`~BotFramework.close` closes the connector's HTTP session.

:func:`build_botframework` chooses the implementation from ``Settings.botframework``
(``MEDBOT_BOTFRAMEWORK``): ``fast`` keeps connector clients across turns and sends on one
aiohttp session (bot/botframework/auth.py, transport.py); ``stock`` is the SDK as
shipped. Both screen inbound tokens the same way (bot/botframework/openid_keys.py).
:data:`SEND_ERRORS` and :func:`prepare_proactive_send` are what a proactive sender needs
to know of the connector.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from botbuilder.core import BotAdapter, ConversationState, Middleware, Storage, TurnContext
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse
from msrest.exceptions import ClientException, DeserializationError
from msrest.serialization import Model

from bot.botframework.auth import CachingBotFrameworkAuthentication, ScreenedBotFrameworkAuthentication
from bot.botframework.config import BotFrameworkConfig
from bot.botframework.openid_keys import KeyPolicy, TokenScreen
from bot.botframework.transport import ConnectorHttp
from bot.botframework.turn_state import WriteThroughConversationState
from bot.clock import Clock
from bot.settings import BOTFRAMEWORK_FAST, BOTFRAMEWORK_MODES, BOTFRAMEWORK_STOCK, Settings, SettingsError

__all__ = [
    "SEND_ERRORS",
    "BotFramework",
    "InvalidActivity",
    "InvokeReply",
    "TurnErrorHandler",
    "build_botframework",
    "prepare_proactive_send",
]

log = logging.getLogger(__name__)

#: What sending through the connector raises when the message did not get through: the
#: connector's HTTP errors (with ``response.status_code`` and ``response.headers``) and
#: network errors, on either implementation.
SEND_ERRORS: tuple[type[BaseException], ...] = (ClientException, aiohttp.ClientError, asyncio.TimeoutError, OSError)

# Activities that the bot answers need a serviceUrl to answer on.
_NEEDS_SERVICE_URL = frozenset(
    {ActivityTypes.message, ActivityTypes.conversation_update, ActivityTypes.invoke, ActivityTypes.installation_update}
)

TurnLogic = Callable[[TurnContext], Awaitable[Any]]
TurnErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


class InvalidActivity(ValueError):
    """The request body is not an activity the bot can answer (the reason says why)."""


@dataclass(frozen=True, slots=True)
class InvokeReply:
    """The HTTP answer to an invoke activity: a status and a JSON-ready body (or None)."""

    status: int
    body: Any


def _invoke_body(body: Any) -> Any:
    """An invoke response body as JSON. botbuilder 4.17.1 puts an ``Exception(code,
    message)`` in the value of its own Adaptive Card error responses, which msrest cannot
    serialise; the Universal Actions error format wants ``{"code", "message"}`` there."""
    if isinstance(body, AdaptiveCardInvokeResponse) and isinstance(body.value, Exception):
        args = [str(arg) for arg in body.value.args] + ["", ""]
        body = AdaptiveCardInvokeResponse(
            status_code=body.status_code, type=body.type, value={"code": args[0], "message": args[1]}
        )
    if isinstance(body, Model):
        return serializer_helper(body)
    return body  # already JSON (or None)


class BotFramework:
    """One per process, built by :func:`build_botframework` in the composition root."""

    def __init__(
        self,
        adapter: CloudAdapter,
        authentication: ScreenedBotFrameworkAuthentication,
        http: ConnectorHttp,
        *,
        fast: bool,
    ) -> None:
        self._adapter = adapter
        self._authentication = authentication
        self._http = http
        self._fast = fast

    @property
    def adapter(self) -> BotAdapter:
        """botbuilder's adapter (CloudAdapter): middleware, proactive sends, new conversations."""
        return self._adapter

    @property
    def mode(self) -> str:
        return BOTFRAMEWORK_FAST if self._fast else BOTFRAMEWORK_STOCK

    def use(self, middleware: Middleware) -> None:
        """Run ``middleware`` around every Bot Framework turn."""
        self._adapter.use(middleware)

    def parse_activity(self, body: dict[str, Any]) -> Activity:
        """The activity in a request body; :class:`InvalidActivity` when the bot cannot answer it."""
        try:
            activity = Activity().deserialize(body)
        except (DeserializationError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidActivity("not a valid activity") from exc
        if not activity.type:
            raise InvalidActivity("the activity has no type")
        if activity.type in _NEEDS_SERVICE_URL and not activity.service_url:
            raise InvalidActivity("the activity has no serviceUrl")
        if not activity.conversation or not activity.conversation.id:
            raise InvalidActivity("the activity has no conversation")
        return activity

    async def process(self, auth_header: str, activity: Activity, logic: TurnLogic) -> InvokeReply | None:
        """Authenticate the request (``PermissionError`` if refused) and run ``logic`` for its turn."""
        response = await self._adapter.process_activity(auth_header, activity, logic)
        if not response:
            return None
        return InvokeReply(status=response.status, body=_invoke_body(response.body))

    def conversation_state(self, storage: Storage) -> ConversationState:
        """The conversation state of a turn, kept in ``storage``."""
        return WriteThroughConversationState(storage) if self._fast else ConversationState(storage)

    def connector_clients(self) -> list[Any]:
        """The connector clients kept across turns (none on the stock path)."""
        if isinstance(self._authentication, CachingBotFrameworkAuthentication):
            return self._authentication.connector_clients()
        return []

    @property
    def http_session(self) -> aiohttp.ClientSession | None:
        """The shared HTTP session (signing keys; replies on the fast path), if open."""
        return self._http.open_session

    async def close(self) -> None:
        """Close the shared HTTP session (on application cleanup)."""
        await self._http.close()


def build_botframework(
    settings: Settings,
    clock: Clock,
    *,
    on_error: TurnErrorHandler | None = None,
    key_policy: KeyPolicy | None = None,
) -> BotFramework:
    """The Bot Framework side of the bot, as ``settings.botframework`` says."""
    if settings.botframework not in BOTFRAMEWORK_MODES:
        raise SettingsError(f"botframework must be one of {', '.join(BOTFRAMEWORK_MODES)}, not {settings.botframework!r}")
    fast = settings.botframework == BOTFRAMEWORK_FAST
    configuration = BotFrameworkConfig(settings)
    http = ConnectorHttp()
    screen = TokenScreen.for_configuration(configuration, clock, http.session, key_policy)
    inner = ConfigurationBotFrameworkAuthentication(configuration)
    authentication = (
        CachingBotFrameworkAuthentication(inner, screen, http) if fast else ScreenedBotFrameworkAuthentication(inner, screen)
    )
    adapter = CloudAdapter(authentication)
    if on_error is not None:
        adapter.on_turn_error = on_error
    return BotFramework(adapter, authentication, http, fast=fast)


def prepare_proactive_send(turn_context: TurnContext, timeout_seconds: int) -> None:
    """No hidden retries for a proactive send: msrest's client retries connection errors
    and 5xx itself, with blocking back-off sleeps (seconds). The caller is the one place
    that retries (with its lease, back-off and jitter), so the turn's connector client
    gets 0 retries and ``timeout_seconds``."""
    client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    config = getattr(client, "config", None)
    retry_policy = getattr(config, "retry_policy", None)
    if retry_policy is not None:
        retry_policy.retries = 0
    connection = getattr(config, "connection", None)
    if connection is not None:
        connection.timeout = timeout_seconds
