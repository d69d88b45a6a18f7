"""Rate limits and back-off for proactive sends, on the injected clock (never sleeps).

Teams limits per bot and conversation: 7 messages / 1 s, 8 / 2 s, 60 / 30 s and
1800 / hour; per app and tenant about 50 requests / s (Microsoft's published Teams bot
limits). A limiter keeps
the send times of each key (a sliding log) and answers "how long until one more send
fits every window"; the sender turns a non-zero wait into ``RETRY_LATER`` and the
scheduler re-queues the item for then.

The limiter lives in one process. So that two replicas do not together exceed what each
keeps to, a replica sends into a tenant only while it holds that tenant's send lease
(bot/delivery/leases.py): the limiter of the holder then sees every send of the windows
up to 30 s. The hourly window per conversation stays per replica; the connector's 429 +
Retry-After is honoured on top.
"""

from __future__ import annotations

import random as _random
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.delivery.budget import TenantSendBudget

__all__ = [
    "TEAMS_CONVERSATION_WINDOWS",
    "TEAMS_TENANT_WINDOWS",
    "Backoff",
    "DeliveryRateLimiter",
    "SlidingWindowLimiter",
    "Window",
]


@dataclass(frozen=True)
class Window:
    limit: int
    period: timedelta


TEAMS_CONVERSATION_WINDOWS: tuple[Window, ...] = (
    Window(7, timedelta(seconds=1)),
    Window(8, timedelta(seconds=2)),
    Window(60, timedelta(seconds=30)),
    Window(1800, timedelta(hours=1)),
)
TEAMS_TENANT_WINDOWS: tuple[Window, ...] = (Window(50, timedelta(seconds=1)),)

_ZERO = timedelta(0)


class SlidingWindowLimiter:
    """Per-key sliding logs checked against several windows at once."""

    def __init__(self, clock: Clock, windows: Sequence[Window], max_keys: int = 50_000) -> None:
        if not windows:
            raise ValueError("a limiter needs at least one window")
        self._clock = clock
        self._windows = tuple(sorted(windows, key=lambda w: w.period))
        self._longest = self._windows[-1].period
        self._max_keys = max_keys
        self._logs: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._blocked: dict[str, datetime] = {}

    def _log(self, key: str, now: datetime) -> deque[datetime]:
        log = self._logs.pop(key, None) or deque()
        horizon = now - self._longest
        while log and log[0] <= horizon:
            log.popleft()
        self._logs[key] = log
        while len(self._logs) > self._max_keys:
            evicted, _ = self._logs.popitem(last=False)
            self._blocked.pop(evicted, None)
        return log

    def wait_time(self, key: str, planned: int = 0) -> timedelta:
        """Zero when one more send to ``key`` fits every window now, else how long until it does.

        ``planned``: that many sends to ``key`` are about to go out now (counted as if sent)."""
        now = self._clock.now()
        wait = _ZERO
        blocked = self._blocked.get(key)
        if blocked is not None:
            if blocked > now:
                wait = blocked - now
            else:
                del self._blocked[key]
        log = self._log(key, now)
        for window in self._windows:
            since = now - window.period
            recent = [t for t in log if t > since]
            if planned:
                recent.extend([now] * planned)
            if len(recent) >= window.limit:
                # The send that must leave the window before one more fits.
                oldest_needed = recent[len(recent) - window.limit]
                wait = max(wait, oldest_needed + window.period - now)
        return wait

    def record(self, key: str) -> None:
        now = self._clock.now()
        self._log(key, now).append(now)

    def block_until(self, key: str, until: datetime) -> None:
        """Hold every send to ``key`` until ``until`` (after a 429 with Retry-After)."""
        current = self._blocked.get(key)
        if current is None or until > current:
            self._blocked[key] = until


class DeliveryRateLimiter:
    """The Teams windows per conversation plus the per-tenant budget.

    With ``budget`` (the running service) the tenant part is the
    :class:`~bot.delivery.budget.TenantSendBudget` the replies of turns count into too;
    without one, ``tenant_windows`` are kept here for proactive sends alone.
    """

    def __init__(
        self,
        clock: Clock,
        conversation_windows: Sequence[Window] = TEAMS_CONVERSATION_WINDOWS,
        tenant_windows: Sequence[Window] = TEAMS_TENANT_WINDOWS,
        *,
        margin: timedelta = _ZERO,
        budget: TenantSendBudget | None = None,
    ) -> None:
        """``margin`` lengthens every window: a send is counted when it is reserved, Teams
        counts it when it arrives, and the time in between varies from send to send."""
        self._clock = clock
        self._conversations = SlidingWindowLimiter(clock, [Window(w.limit, w.period + margin) for w in conversation_windows])
        self._tenants = SlidingWindowLimiter(clock, [Window(w.limit, w.period + margin) for w in tenant_windows])
        self._budget = budget

    def reserve(self, conversation_key: str, tenant_key: str) -> timedelta | None:
        """Take a slot for one send now; or return how long to wait (nothing is taken then)."""
        tenant_wait = (
            self._budget.proactive_wait(tenant_key) if self._budget is not None else self._tenants.wait_time(tenant_key)
        )
        wait = max(self._conversations.wait_time(conversation_key), tenant_wait)
        if wait > _ZERO:
            return wait
        if self._budget is not None:
            refused = self._budget.take_proactive(tenant_key)
            if refused is not None:
                return refused
        else:
            self._tenants.record(tenant_key)
        self._conversations.record(conversation_key)
        return None

    def conversation_wait(self, conversation_key: str, planned: int = 0) -> timedelta:
        """Zero when one more send into the conversation fits its windows now, after
        ``planned`` sends about to go out there (nothing is taken)."""
        return self._conversations.wait_time(conversation_key, planned)

    def penalize(self, conversation_key: str, until: datetime) -> None:
        self._conversations.block_until(conversation_key, until)


class Backoff:
    """Exponential back-off with "equal jitter": half the delay fixed, half random.

    ``delay(1)`` is between ``base/2`` and ``base``; each further failure doubles it, up
    to ``cap``. ``rng`` is injectable so tests are deterministic.
    """

    def __init__(
        self,
        rng: _random.Random | None = None,
        base: timedelta = timedelta(seconds=2),
        cap: timedelta = timedelta(minutes=10),
    ) -> None:
        self._rng = rng or _random.Random()
        self._base = base
        self._cap = cap

    def delay(self, failures: int) -> timedelta:
        exponent = min(max(failures, 1) - 1, 30)
        ceiling = min(self._cap, self._base * (2**exponent))
        half = ceiling / 2
        return half + half * self._rng.random()
