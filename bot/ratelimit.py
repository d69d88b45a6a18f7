"""A per-user message budget, so one user's flood cannot starve everyone else.

A flooding user is told to slow down once per notice window, not once per message: the
notices count against the bot's own Teams send limits (7 messages a second, 60 in 30
seconds per conversation). :meth:`UserRateLimiter.admit` says what to do with one
message: process it, tell the user to slow down, or drop it silently.

The message handler (bot/handler.py) asks :meth:`UserRateLimiter.allow` and sends the
notice when the answer is no. The turn gate (bot/turn_gate.py), which sees every
message first, calls :meth:`admit` and, for the turn it lets through, fixes the answer
``allow`` gives with :meth:`decided`, so each message is counted once.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from bot.clock import Clock

NOTICE_EVERY = timedelta(minutes=1)


class Admission(enum.Enum):
    ADMIT = "admit"  # within the budget: process the message
    NOTIFY = "notify"  # over it: tell the user to slow down (once per notice window)
    DROP = "drop"  # over it, and already told: no answer at all


class UserRateLimiter:
    """Token bucket per user key: ``per_minute`` messages, refilled continuously."""

    def __init__(
        self, clock: Clock, per_minute: int, max_users: int = 50_000, notice_every: timedelta = NOTICE_EVERY
    ) -> None:
        self._clock = clock
        self._capacity = float(max(per_minute, 1))
        self._rate = self._capacity / 60.0
        self._max_users = max_users
        self._notice_every = notice_every
        # key -> (tokens, when counted, when last told to slow down)
        self._buckets: OrderedDict[str, tuple[float, datetime, datetime | None]] = OrderedDict()
        # The decision for the turn under way (per asyncio task), set by decided().
        self._decision: ContextVar[tuple[str, bool] | None] = ContextVar(f"rate-decision-{id(self)}", default=None)

    def admit(self, key: str) -> Admission:
        """Count one message from ``key`` and say what to do with it."""
        now = self._clock.now()
        tokens, last, noticed = self._buckets.pop(key, (self._capacity, now, None))
        tokens = min(self._capacity, tokens + (now - last).total_seconds() * self._rate)
        if tokens >= 1.0:
            tokens -= 1.0
            admission = Admission.ADMIT
        elif noticed is None or now - noticed >= self._notice_every:
            noticed = now
            admission = Admission.NOTIFY
        else:
            admission = Admission.DROP
        self._buckets[key] = (tokens, now, noticed)
        while len(self._buckets) > self._max_users:
            self._buckets.popitem(last=False)
        return admission

    @contextmanager
    def decided(self, key: str, admitted: bool) -> Iterator[None]:
        """Within this block (this task), ``allow(key)`` answers ``admitted`` without counting again."""
        token = self._decision.set((key, admitted))
        try:
            yield
        finally:
            self._decision.reset(token)

    def allow(self, key: str) -> bool:
        """True when a message from ``key`` may be processed; False means: tell the user to slow down."""
        decision = self._decision.get()
        if decision is not None and decision[0] == key:
            return decision[1]
        return self.admit(key) is Admission.ADMIT
