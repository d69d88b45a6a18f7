"""The Teams windows, back-off with jitter and Retry-After parsing (no real time passes)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from bot.delivery.ratelimit import Backoff, DeliveryRateLimiter, SlidingWindowLimiter, Window
from bot.delivery.sender import parse_retry_after

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_seven_per_second_then_wait() -> None:
    clock = FakeClock(T0)
    limiter = DeliveryRateLimiter(clock)
    assert all(limiter.reserve("c1", "t") is None for _ in range(7))
    assert limiter.reserve("c1", "t") == timedelta(seconds=1)
    # Another conversation is not affected.
    assert limiter.reserve("c2", "t") is None
    clock.advance(timedelta(seconds=1))
    assert limiter.reserve("c1", "t") is None  # the 8th in 2 s
    assert limiter.reserve("c1", "t") == timedelta(seconds=1)  # 8 per 2 s reached


def test_sixty_per_thirty_seconds() -> None:
    clock = FakeClock(T0)
    limiter = SlidingWindowLimiter(clock, [Window(60, timedelta(seconds=30))])
    for _ in range(60):
        assert limiter.wait_time("c") == timedelta(0)
        limiter.record("c")
        clock.advance(timedelta(milliseconds=100))
    # The first send was 6 s ago: it leaves the window 24 s from now.
    assert limiter.wait_time("c") == timedelta(seconds=24)


def test_tenant_budget_of_fifty_per_second() -> None:
    clock = FakeClock(T0)
    limiter = DeliveryRateLimiter(clock)
    assert all(limiter.reserve(f"conversation-{i}", "tenant") is None for i in range(50))
    assert limiter.reserve("conversation-51", "tenant") == timedelta(seconds=1)
    assert limiter.reserve("conversation-51", "other-tenant") is None


def test_penalty_after_429() -> None:
    clock = FakeClock(T0)
    limiter = DeliveryRateLimiter(clock)
    limiter.penalize("c", T0 + timedelta(seconds=30))
    assert limiter.reserve("c", "t") == timedelta(seconds=30)
    clock.advance(timedelta(seconds=30))
    assert limiter.reserve("c", "t") is None


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    backoff = Backoff(random.Random(1), base=timedelta(seconds=2), cap=timedelta(minutes=10))
    delays = [backoff.delay(n) for n in range(1, 12)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(timedelta(seconds=2 * 2 ** (n - 1)), timedelta(minutes=10))
        assert ceiling / 2 <= delay <= ceiling
    again = Backoff(random.Random(1), base=timedelta(seconds=2), cap=timedelta(minutes=10))
    assert [again.delay(n) for n in range(1, 12)] == delays  # injectable random: deterministic


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7", T0) == timedelta(seconds=7)
    assert parse_retry_after("0", T0) == timedelta(seconds=1)
    assert parse_retry_after("Mon, 23 Nov 2026 10:01:30 GMT", T0) == timedelta(seconds=90)
    assert parse_retry_after("99999", T0) == timedelta(hours=1)
    assert parse_retry_after("soon", T0) is None
    assert parse_retry_after(None, T0) is None
