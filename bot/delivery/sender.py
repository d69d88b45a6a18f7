"""Proactive sends through the Bot Framework (Teams, the Agents Playground, a local connector).

:class:`BotFrameworkSender` implements :class:`~bot.delivery.protocol.ProactiveSender`:
it loads the stored ConversationReference, renders the message for the reference's
channel, checks the rate limits, and sends through the CloudAdapter's
``continue_conversation``. It never sleeps and never raises for a delivery failure:

* 429 -> ``RETRY_LATER`` after Retry-After (seconds or an HTTP date; the conversation is
  held until then for every later send too);
* 412, 500, 502, 503, 504, other HTTP errors and network errors -> ``RETRY_LATER`` with
  exponential back-off and jitter (per conversation, reset by a success);
* 403 / 404 -> ``UNREACHABLE``: the conversation is marked unreachable and nothing more
  is sent to it until the user writes to the bot again;
* over a Teams window -> ``RETRY_LATER`` with the wait, without calling the connector;
* with ``leases`` (the running service): another replica holds the send lease of the
  conversation's tenant -> ``RETRY_LATER`` (throttled; bot/delivery/leases.py).

``detail`` of a throttled outcome (local window or 429) starts with :data:`THROTTLED`,
so a caller can tell "not sent yet, nothing wrong" from a failed attempt.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference

from bot.botframework import SEND_ERRORS, prepare_proactive_send
from bot.clock import Clock
from bot.delivery.leases import SendLeases, scope_of
from bot.delivery.protocol import SendOutcome, SendStatus
from bot.delivery.ratelimit import Backoff, DeliveryRateLimiter
from bot.storage.conversations import ConversationStore, StoredConversation
from dialogs.activities import to_activity
from dialogs.messages import Message

__all__ = ["THROTTLED", "BotFrameworkSender", "parse_retry_after"]

log = logging.getLogger(__name__)

THROTTLED = "throttled"
UNREACHABLE_STATUSES = frozenset({403, 404})
MIN_RETRY_AFTER = timedelta(seconds=1)
MAX_RETRY_AFTER = timedelta(hours=1)

_NETWORK_ERRORS: tuple[type[BaseException], ...] = SEND_ERRORS


class ContinuingAdapter(Protocol):
    """The part of CloudAdapter the sender uses."""

    async def continue_conversation(self, reference: ConversationReference, callback: Any, bot_app_id: str) -> Any: ...


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as seconds (``"7"``) or an HTTP date; clamped to 1 s .. 1 h. None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    delay: timedelta | None
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        delay = when - now
    return min(max(delay, MIN_RETRY_AFTER), MAX_RETRY_AFTER)


@dataclass
class _Attempt:
    delivered: bool = False
    activity_id: str | None = None
    error: BaseException | None = None


def _status_code(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return int(status) if isinstance(status, int) else None


def _header(error: BaseException, name: str) -> str | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        value = headers.get(name)
    except AttributeError:
        return None
    return str(value) if value is not None else None


class BotFrameworkSender:
    """Sends a :class:`Message` into a stored conversation. One per process, built in ``bot/``."""

    def __init__(
        self,
        adapter: ContinuingAdapter,
        conversations: ConversationStore,
        clock: Clock,
        *,
        app_id: str = "",
        limiter: DeliveryRateLimiter | None = None,
        backoff: Backoff | None = None,
        max_tracked: int = 10_000,
        timeout: timedelta = timedelta(seconds=30),
        leases: SendLeases | None = None,
    ) -> None:
        self._adapter = adapter
        self._conversations = conversations
        self._clock = clock
        self._app_id = app_id
        self._limiter = limiter or DeliveryRateLimiter(clock)
        self._backoff = backoff or Backoff()
        self._failures: OrderedDict[int, int] = OrderedDict()
        self._max_tracked = max_tracked
        self._timeout_seconds = max(int(timeout.total_seconds()), 1)
        self._leases = leases

    def conversation_wait(self, conversation_id: int, planned: int = 0) -> timedelta:
        """How long until the conversation's Teams windows have room (zero: now) once
        ``planned`` sends about to go out there have; no I/O.

        The scheduler asks before it logs and sends a batch, so that a burst of rows into
        one conversation waits without a round of database writes per refused row."""
        return self._limiter.conversation_wait(str(conversation_id), planned)

    async def send(self, conversation_id: int, message: Message) -> SendOutcome:
        stored = await self._conversations.get_by_id(conversation_id)
        if stored is None:
            return SendOutcome(SendStatus.NO_CONVERSATION, detail=f"no stored conversation {conversation_id}")
        return await self.send_stored(stored, message)

    async def send_stored(self, stored: StoredConversation, message: Message) -> SendOutcome:
        """:meth:`send` with the conversation its caller has just read (its reference is
        this send's own: nobody else holds it)."""
        conversation_id = stored.id
        if stored.unreachable:
            return SendOutcome(SendStatus.UNREACHABLE, detail=f"unreachable: {stored.unreachable_reason or 'marked'}")
        if self._leases is not None:
            # Across replicas: only the holder of the tenant's send lease sends into it.
            held_elsewhere = await self._leases.acquire(scope_of(stored.tenant_id, stored.service_url))
            if held_elsewhere is not None:
                return SendOutcome(
                    SendStatus.RETRY_LATER, retry_after=held_elsewhere, detail=f"{THROTTLED}: another replica is sending there"
                )
        conversation_key = str(conversation_id)
        tenant_key = stored.tenant_id or f"service:{stored.service_url}"
        wait = self._limiter.reserve(conversation_key, tenant_key)
        if wait is not None:
            return SendOutcome(SendStatus.RETRY_LATER, retry_after=wait, detail=f"{THROTTLED}: Teams rate limit")

        activity = to_activity(message, stored.channel_id)
        reference = stored.reference
        attempt = _Attempt()

        async def callback(turn_context: TurnContext) -> None:
            prepare_proactive_send(turn_context, self._timeout_seconds)
            try:
                response = await turn_context.send_activity(activity)
            except _NETWORK_ERRORS as exc:
                attempt.error = exc
                return
            attempt.delivered = True
            attempt.activity_id = getattr(response, "id", None) if response is not None else None

        try:
            await self._adapter.continue_conversation(reference, callback, self._app_id)
        except _NETWORK_ERRORS as exc:  # e.g. fetching a token for the connector failed
            attempt.error = exc

        if attempt.delivered:
            self._failures.pop(conversation_id, None)
            return SendOutcome(SendStatus.DELIVERED, activity_id=attempt.activity_id)
        return await self._failed(conversation_id, attempt.error)

    async def _failed(self, conversation_id: int, error: BaseException | None) -> SendOutcome:
        now = self._clock.now()
        status = _status_code(error) if error is not None else None
        if status in UNREACHABLE_STATUSES:
            reason = f"HTTP {status} from the channel (bot blocked or removed)"
            await self._conversations.mark_unreachable(conversation_id, reason)
            self._failures.pop(conversation_id, None)
            log.warning("conversation %s is unreachable: %s", conversation_id, reason)
            return SendOutcome(SendStatus.UNREACHABLE, detail=f"unreachable: {reason}")
        if status == 429:
            retry_after = parse_retry_after(_header(error, "Retry-After"), now) if error is not None else None
            if retry_after is not None:
                self._limiter.penalize(str(conversation_id), now + retry_after)
                log.info("429 for conversation %s: retry after %s", conversation_id, retry_after)
                return SendOutcome(SendStatus.RETRY_LATER, retry_after=retry_after, detail=f"{THROTTLED}: HTTP 429")
        failures = self._failures.pop(conversation_id, 0) + 1
        self._failures[conversation_id] = failures
        while len(self._failures) > self._max_tracked:
            self._failures.popitem(last=False)
        delay = self._backoff.delay(failures)
        if status == 429:
            detail = f"{THROTTLED}: HTTP 429 without Retry-After"
            self._limiter.penalize(str(conversation_id), now + delay)
        elif status is not None:
            detail = f"HTTP {status}"
        elif error is not None:
            detail = f"{type(error).__name__}: {str(error)[:200]}"
        else:
            detail = "the send did not complete (see the turn error log)"
        log.info("send to conversation %s failed (%s); retry in %s", conversation_id, detail, delay)
        return SendOutcome(SendStatus.RETRY_LATER, retry_after=delay, detail=detail)
