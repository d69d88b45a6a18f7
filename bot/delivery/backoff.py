"""When a row that was not delivered is tried again: the one back-off of every outbox.

A sender that says how long to wait is followed: a Retry-After, a Teams window that is
full, another replica holding the tenant, or the sender's own jittered back-off per
conversation (:class:`bot.delivery.ratelimit.Backoff`). A sender that names no wait gets
the row's own: ``base`` doubled for every failed attempt counted so far, at most ``cap``.
"""

from __future__ import annotations

from datetime import timedelta

__all__ = ["retry_delay"]


def retry_delay(attempts: int, retry_after: timedelta | None, *, base: timedelta, cap: timedelta) -> timedelta:
    """The wait before the next attempt; ``attempts`` counts the failed ones, this one included."""
    if retry_after is not None:
        return retry_after
    exponent = min(max(attempts, 1) - 1, 30)
    return min(base * (2**exponent), cap)
