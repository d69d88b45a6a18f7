"""One send budget per tenant, shared by the replies of turns and every proactive send.

Teams limits a bot per app and tenant to about 50 requests per second, whatever the
request carries: a reply to a person, a reminder, a meeting nudge, an idea
notification. :class:`TenantSendBudget` keeps one sliding one-second log per tenant
(the *scope* of bot/delivery/leases.py: the tenant id, else ``service:<serviceUrl>``)
into which both kinds of send are counted:

* **Replies first.** A reply is never refused: :meth:`TenantSendBudget.take_reply`
  counts it when the window has room, and otherwise answers the (short) time until it
  has, which the turn waits (:class:`ReplyBudget`). A proactive send may only use what
  the replies leave: :meth:`TenantSendBudget.take_proactive` keeps a *reserve* free for
  the replies expected in the next second (the replies of the last two seconds, per
  second, plus a quarter and ``min_reserve``), so a person's answer does not queue
  behind a fan-out of reminders. A reply that does wait is counted as sent already
  while it waits (:meth:`TenantSendBudget.reply_waits`): the slots that free go to the
  waiting replies before any proactive send, even when the reserve, learnt from the
  replies of a quiet moment before, is smaller than the replies now coming.
* **Claim by budget.** The scheduler asks :meth:`TenantSendBudget.claim_limit` how many
  rows it may take, so it claims only what it can send now, and
  :meth:`TenantSendBudget.next_room_in` how long to wait before the next claim. The
  service's scheduler paces instead: it claims what one window lets through
  (:meth:`TenantSendBudget.claim_ahead`) and sends each row once
  :meth:`TenantSendBudget.paced_wait` says its tenant has room, in groups spread over
  the window, so a slot is used soon after it frees and one claim serves a whole window. (With several tenants due at
  once, a claimed row of a tenant without room is still refused by the sender and
  rescheduled when the scheduler does not pace.)
* **Several replicas.** Each replica keeps to ``per_second // replicas``
  (``MEDBOT_REPLICAS``): replies arrive at whichever replica the channel picks, and
  counting them in a shared table would add a database round trip to every reply
  while a person waits. With the send leases (one replica at a time sends a tenant's
  proactive messages) the tenant then never receives more than ``per_second`` in any
  second; the price is that a replica cannot borrow another's unused share.

The window is lengthened by ``margin``: a send is counted when it is reserved, Teams
counts it when it arrives. Everything is on the injected clock; nothing here sleeps.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.clock import Clock
from bot.delivery.leases import scope_of
from bot.delivery.tenant import settle_tenant

__all__ = [
    "DEFAULT_MARGIN",
    "TEAMS_TENANT_PER_SECOND",
    "ReplyBudget",
    "TenantSendBudget",
]

log = logging.getLogger(__name__)

#: Teams, per app and tenant (Microsoft's published bot limits).
TEAMS_TENANT_PER_SECOND = 50
#: How much longer than one second a send is counted (arrival jitter at the channel).
DEFAULT_MARGIN = timedelta(milliseconds=100)
#: Paced proactive sends go in groups about this far apart (see TenantSendBudget.paced_wait).
PACE_GROUP = timedelta(milliseconds=400)
#: The longest a reply waits for room before it goes anyway.
MAX_REPLY_WAIT = timedelta(seconds=2)
_ZERO = timedelta(0)
_SECOND = timedelta(seconds=1)


@dataclass
class _Log:
    sends: deque[datetime] = field(default_factory=deque)  # every send in the window
    proactive: deque[datetime] = field(default_factory=deque)  # the proactive ones of them
    replies: deque[datetime] = field(default_factory=deque)  # replies of the last two seconds
    waiting: int = 0  # replies waiting for room now (counted as if sent, for proactive sends)
    paced_until: datetime | None = None  # when the paced sends' even spread has room for a whole group


class TenantSendBudget:
    """Per-scope sliding one-second budget; one per process, built in the composition root."""

    def __init__(
        self,
        clock: Clock,
        per_second: int = TEAMS_TENANT_PER_SECOND,
        *,
        replicas: int = 1,
        margin: timedelta = DEFAULT_MARGIN,
        min_reserve: int = 3,
        max_scopes: int = 10_000,
        pace_group: timedelta = PACE_GROUP,
    ) -> None:
        if per_second < 1 or replicas < 1:
            raise ValueError("a send budget needs at least one send per second and one replica")
        self._clock = clock
        self.limit = max(per_second // replicas, 1)
        self._window = _SECOND + margin
        self._min_reserve = min(min_reserve, self.limit - 1)
        self._max_scopes = max_scopes
        self._pace_group = pace_group
        self._logs: dict[str, _Log] = {}

    # -- bookkeeping -------------------------------------------------------------

    def _log(self, scope: str, now: datetime) -> _Log:
        entry = self._logs.get(scope)
        if entry is None:
            if len(self._logs) >= self._max_scopes:
                self._forget_idle(now)
            entry = self._logs[scope] = _Log()
            return entry
        horizon = now - self._window
        for times in (entry.sends, entry.proactive):
            while times and times[0] <= horizon:
                times.popleft()
        replies_horizon = now - 2 * _SECOND
        while entry.replies and entry.replies[0] <= replies_horizon:
            entry.replies.popleft()
        return entry

    def _forget_idle(self, now: datetime) -> None:
        horizon = now - 2 * _SECOND
        for scope in [s for s, e in self._logs.items() if not e.waiting and (not e.sends or e.sends[-1] <= horizon)]:
            del self._logs[scope]
        while len(self._logs) >= self._max_scopes:
            del self._logs[next(iter(self._logs))]

    def _reserve(self, entry: _Log) -> int:
        """Sends to keep free for replies in the next second."""
        expected = (len(entry.replies) * 5 + 7) // 8  # per second over two seconds, plus a quarter
        return min(max(expected, self._min_reserve), self.limit - 1)

    def _wait_for(self, times: deque[datetime], allowed: int, now: datetime) -> timedelta:
        """How long until fewer than ``allowed`` of ``times`` are in the window."""
        if len(times) < allowed:
            return _ZERO
        if allowed <= 0:
            return self._window
        oldest_needed = times[len(times) - allowed]
        return max(oldest_needed + self._window - now, timedelta(milliseconds=1))

    # -- replies -------------------------------------------------------------------

    def take_reply(self, scope: str) -> timedelta | None:
        """Count one reply now (``None``), or the time until the window has room for it."""
        now = self._clock.now()
        entry = self._log(scope, now)
        wait = self._wait_for(entry.sends, self.limit, now)
        if wait > _ZERO:
            return wait
        entry.sends.append(now)
        entry.replies.append(now)
        return None

    def reply_waits(self, scope: str) -> None:
        """A reply into ``scope`` waits for room: until :meth:`reply_waited`, proactive
        sends leave a slot for it."""
        self._log(scope, self._clock.now()).waiting += 1

    def reply_waited(self, scope: str) -> None:
        """The reply of :meth:`reply_waits` has its slot (or went without)."""
        entry = self._logs.get(scope)
        if entry is not None and entry.waiting > 0:
            entry.waiting -= 1

    def force_reply(self, scope: str) -> None:
        """Count a reply that goes out without room (it waited long enough)."""
        now = self._clock.now()
        entry = self._log(scope, now)
        entry.sends.append(now)
        entry.replies.append(now)

    # -- proactive sends -----------------------------------------------------------

    def proactive_wait(self, scope: str) -> timedelta:
        """Zero when a proactive send into ``scope`` fits now (leaving the replies' reserve)."""
        now = self._clock.now()
        entry = self._log(scope, now)
        return self._proactive_wait(entry, now)

    def _proactive_allowed(self, entry: _Log) -> tuple[int, int]:
        """(proactive sends, all sends) a window may hold before one more proactive send.

        The replies in the window are counted in all sends, and the replies waiting for
        room as if they were; the reserve is for the replies still to come while this send
        stays in the window."""
        return self.limit - self._reserve(entry), self.limit - self._min_reserve - entry.waiting

    def _proactive_wait(self, entry: _Log, now: datetime) -> timedelta:
        proactive, total = self._proactive_allowed(entry)
        return max(self._wait_for(entry.proactive, proactive, now), self._wait_for(entry.sends, total, now))

    def _room(self, entry: _Log) -> int:
        proactive, total = self._proactive_allowed(entry)
        return max(min(proactive - len(entry.proactive), total - len(entry.sends)), 0)

    def take_proactive(self, scope: str) -> timedelta | None:
        """Count one proactive send now (``None``), or the time until one fits."""
        now = self._clock.now()
        entry = self._log(scope, now)
        wait = self._proactive_wait(entry, now)
        if wait > _ZERO:
            return wait
        entry.sends.append(now)
        entry.proactive.append(now)
        spacing = self._spacing(entry)
        entry.paced_until = max(entry.paced_until or now, now) + spacing
        return None

    def _spacing(self, entry: _Log) -> timedelta:
        """The even spread of proactive sends: one per window / the proactive sends it may hold."""
        return self._window / max(self._proactive_allowed(entry)[0], 1)

    def paced_wait(self, scope: str) -> timedelta:
        """Zero when a paced proactive send into ``scope`` may go now: it fits
        (:meth:`proactive_wait`) and keeps the proactive sends spread over the window in
        groups about ``pace_group`` apart. Room that frees all at once (after a quiet
        moment, when the reserve for replies is small) is then not taken back all at once,
        and the replies that arrive meanwhile find slots freeing every group; a group
        rather than single sends, so that the scheduler wakes once for several."""
        now = self._clock.now()
        entry = self._log(scope, now)
        wait = self._proactive_wait(entry, now)
        if entry.paced_until is not None and entry.paced_until > now:
            spacing = self._spacing(entry)
            group = max(int(self._pace_group / spacing), 1)
            if now < entry.paced_until - spacing * (group - 1):
                wait = max(wait, entry.paced_until - now)  # until a whole group may go
        return wait

    def room(self, scope: str) -> int:
        """How many proactive sends into ``scope`` fit now."""
        now = self._clock.now()
        return self._room(self._log(scope, now))

    # -- the scheduler ---------------------------------------------------------------

    def claim_limit(self, batch_size: int) -> int:
        """How many rows to claim now: the most room of a scope sending in the window, or
        (when none is) the whole budget. Zero while every such scope is full: a row of
        another tenant then waits until one has room (at most a second)."""
        now = self._clock.now()
        rooms = [
            self._room(entry)
            for entry in (self._log(scope, now) for scope in list(self._logs))
            if entry.sends
        ]
        if not rooms:
            return max(min(batch_size, self.limit - self._min_reserve), 0)
        # Every scope seen in the window is full: claim again when one has room.
        return max(min(batch_size, max(rooms)), 0)

    def claim_ahead(self, batch_size: int) -> int:
        """How many rows to claim when they are sent as the budget frees room for them
        (paced, :meth:`proactive_wait` before each send) rather than all at once: what
        one window lets a scope that is sending take in proactive sends, or (when none
        is) the whole budget. Never zero, so a claim made while the window is full is
        ready before its first slot frees."""
        now = self._clock.now()
        allowed = [
            self._proactive_allowed(entry)[0]
            for entry in (self._log(scope, now) for scope in list(self._logs))
            if entry.sends
        ]
        return max(min(batch_size, max(allowed, default=self.limit - self._min_reserve)), 1)

    def next_room_in(self, chunk: int = 1) -> timedelta:
        """The time until some scope that is sending has room for ``chunk`` proactive sends
        (zero when one has it now). Waiting for a chunk rather than for every single slot
        lets the scheduler claim several rows with one query."""
        now = self._clock.now()
        waits: list[timedelta] = []
        for scope in list(self._logs):
            entry = self._log(scope, now)
            if not entry.sends:
                continue
            proactive, total = self._proactive_allowed(entry)
            need = max(min(chunk, proactive, total), 1)
            waits.append(
                max(self._wait_for(entry.proactive, proactive - need + 1, now), self._wait_for(entry.sends, total - need + 1, now))
            )
        return min(waits, default=_ZERO)


class ReplyBudget(Middleware):
    """Adapter middleware: settles the tenant of every incoming activity and counts the
    replies of a turn against its tenant's budget.

    The proactive sends of :class:`~bot.delivery.sender.BotFrameworkSender` also run
    through the adapter (a ``continue_conversation`` turn); they took their slot before
    and are not counted twice.
    """

    def __init__(
        self,
        budget: TenantSendBudget,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        max_wait: timedelta = MAX_REPLY_WAIT,
    ) -> None:
        self._budget = budget
        self._sleep = sleep
        self._max_wait = max_wait

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        activity = context.activity
        tenant = settle_tenant(activity)
        if not _is_continuation(activity):
            scope = scope_of(tenant, activity.service_url or "")
            context.on_send_activities(self._counted(scope))
        await logic()

    def _counted(self, scope: str) -> Callable[..., Awaitable[object]]:
        async def handler(context: TurnContext, activities: list[Activity], next_send: Callable[[], Awaitable[object]]) -> object:
            for activity in activities:
                if activity.type in (ActivityTypes.trace, "delay", ActivityTypes.invoke_response):
                    continue  # not sent to the channel
                await self.take(scope)
            return await next_send()

        return handler

    async def take(self, scope: str) -> None:
        """Wait (briefly) for room for one reply in ``scope`` and count it."""
        wait = self._budget.take_reply(scope)
        if wait is None:
            return
        waited = _ZERO
        self._budget.reply_waits(scope)  # the next slot that frees is this reply's
        try:
            while wait is not None:
                if waited + wait > self._max_wait:
                    log.warning("reply budget of a tenant exhausted for %s; the reply goes anyway", self._max_wait)
                    self._budget.force_reply(scope)
                    return
                waited += wait
                await self._sleep(wait.total_seconds())
                wait = self._budget.take_reply(scope)
        finally:
            self._budget.reply_waited(scope)


def _is_continuation(activity: Activity) -> bool:
    return activity.type == ActivityTypes.event and activity.name == "ContinueConversation"
