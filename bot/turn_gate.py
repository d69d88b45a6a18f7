"""What every channel's turn passes through before the bot (after authentication).

* **Flood control.** Each message is counted once against its user's budget
  (:class:`~bot.ratelimit.UserRateLimiter`): within it, the bot runs; over it, the user is
  told to slow down once per notice window (the bot sends the notice), and the messages
  after that notice are dropped without an answer.
* **Adaptive Card invokes with a value the SDK cannot read.** botbuilder 4.17.1 answers
  an ``adaptiveCard/action`` invoke whose value is not an object (a string, ``null``) with
  an error response it cannot serialise, and crashes on an ``action`` that is not an
  object: HTTP 500/501. Such invokes get a 400 invoke response here, in the
  Universal Actions error format, with a polite message.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, Protocol

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse

from bot.ratelimit import Admission, UserRateLimiter
from dialogs import texts

log = logging.getLogger(__name__)

CARD_ACTION_INVOKE = "adaptiveCard/action"
ERROR_CONTENT_TYPE = "application/vnd.microsoft.error"


class _Bot(Protocol):
    async def on_turn(self, turn_context: TurnContext) -> None: ...


def user_key(activity: Activity) -> str:
    """The rate limiter's key for the sender of ``activity`` (as bot/handler.py builds it)."""
    return f"{activity.channel_id}:{activity.from_property.id if activity.from_property else '?'}"


def card_action_error(status: HTTPStatus, code: str, message: str) -> AdaptiveCardInvokeResponse:
    """An Adaptive Card Universal Actions error response body (``adaptiveCard/action``)."""
    return AdaptiveCardInvokeResponse(status_code=int(status), type=ERROR_CONTENT_TYPE, value={"code": code, "message": message})


def _readable_card_action(value: Any) -> bool:
    """The shape botbuilder's ``_get_adaptive_card_invoke_value`` reads without crashing
    (it answers the remaining faults, e.g. a missing action, itself)."""
    return isinstance(value, dict) and isinstance(value.get("action", {}), dict)


class TurnGate:
    def __init__(self, bot: _Bot, rate_limiter: UserRateLimiter) -> None:
        self._bot = bot
        self._limiter = rate_limiter

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.type == ActivityTypes.message:
            key = user_key(activity)
            admission = self._limiter.admit(key)
            if admission is Admission.DROP:
                return
            with self._limiter.decided(key, admission is Admission.ADMIT):
                await self._bot.on_turn(turn_context)
            return
        if activity.type == ActivityTypes.invoke and activity.name == CARD_ACTION_INVOKE and not _readable_card_action(activity.value):
            log.info("answered an adaptiveCard/action invoke whose value is a %s", type(activity.value).__name__)
            body = card_action_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.CARD_ACTION_UNREADABLE)
            await turn_context.send_activity(
                Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=int(HTTPStatus.BAD_REQUEST), body=body))
            )
            return
        await self._bot.on_turn(turn_context)
