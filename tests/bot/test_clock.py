from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.clock import Clock, FakeClock, NaiveDatetimeError, SystemClock


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
    assert isinstance(SystemClock(), Clock)


def test_fake_clock_advances_and_sets() -> None:
    clock = FakeClock(datetime(2025, 1, 6, 9, 0, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    clock.advance(timedelta(days=1, minutes=30))
    assert clock.now() == datetime(2025, 1, 7, 8, 30, tzinfo=UTC)
    clock.set(datetime(2024, 12, 24, 18, 0, tzinfo=UTC))
    assert clock.now() == datetime(2024, 12, 24, 18, 0, tzinfo=UTC)
    assert isinstance(clock, Clock)


def test_fake_clock_refuses_naive_and_backwards() -> None:
    with pytest.raises(NaiveDatetimeError):
        FakeClock(datetime(2025, 1, 1))  # noqa: DTZ001 (deliberately naive)
    clock = FakeClock(datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(NaiveDatetimeError):
        clock.set(datetime(2025, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_fixture_clock(clock: FakeClock) -> None:
    assert clock.now() == datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
