"""The flood-control decisions behind tests/security/test_flood.py, on a fake clock."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.ratelimit import Admission, UserRateLimiter


def test_over_budget_the_user_is_told_once_per_window() -> None:
    clock = FakeClock()
    limiter = UserRateLimiter(clock, per_minute=2)
    assert [limiter.admit("u") for _ in range(5)] == [Admission.ADMIT, Admission.ADMIT, Admission.NOTIFY, Admission.DROP, Admission.DROP]
    assert limiter.admit("someone else") is Admission.ADMIT
    clock.advance(timedelta(seconds=30))  # one message's worth back
    assert [limiter.admit("u") for _ in range(3)] == [Admission.ADMIT, Admission.DROP, Admission.DROP]
    clock.advance(timedelta(seconds=30))  # a minute after the notice: the next flood is told again
    assert [limiter.admit("u") for _ in range(2)] == [Admission.ADMIT, Admission.NOTIFY]


def test_a_decided_turn_is_counted_once() -> None:
    limiter = UserRateLimiter(FakeClock(), per_minute=1)
    assert limiter.admit("u") is Admission.ADMIT
    with limiter.decided("u", True):
        assert limiter.allow("u") and limiter.allow("u")
    assert not limiter.allow("u")  # outside the turn, the budget is spent
    with limiter.decided("u", False):
        assert not limiter.allow("u")
