"""A per-user message budget, so one user's flood cannot starve everyone else."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from bot.clock import Clock


class UserRateLimiter:
    """Token bucket per user key: ``per_minute`` messages, refilled continuously."""

    def __init__(self, clock: Clock, per_minute: int, max_users: int = 50_000) -> None:
        self._clock = clock
        self._capacity = float(max(per_minute, 1))
        self._rate = self._capacity / 60.0
        self._max_users = max_users
        self._buckets: OrderedDict[str, tuple[float, datetime]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = self._clock.now()
        tokens, last = self._buckets.pop(key, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - last).total_seconds() * self._rate)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > self._max_users:
            self._buckets.popitem(last=False)
        return allowed
