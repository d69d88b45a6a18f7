"""Injected time: the clocks behind :class:`knowledge.clock.Clock`.

Nothing in the bot reads the wall clock directly: the composition root builds
one :class:`SystemClock` and hands it to whatever needs the time, and tests use a
:class:`FakeClock` they advance by hand.  Every datetime a clock returns is
timezone-aware and in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from knowledge.clock import Clock

__all__ = ["Clock", "FakeClock", "NaiveDatetimeError", "SystemClock", "ensure_aware_utc"]


class NaiveDatetimeError(ValueError):
    """A datetime without tzinfo was given where an aware one is required."""


def ensure_aware_utc(value: datetime) -> datetime:
    """Return ``value`` converted to UTC; refuse naive datetimes."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(f"naive datetime not allowed: {value!r}")
    return value.astimezone(UTC)


class SystemClock:
    """The real wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock that only moves when told to (for tests)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = ensure_aware_utc(start) if start is not None else datetime(2025, 1, 6, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by ``delta`` (which must not be negative)."""
        if delta < timedelta(0):
            raise ValueError(f"a clock cannot go backwards: {delta!r}")
        self._now = self._now + delta
        return self._now

    def set(self, value: datetime) -> datetime:
        """Jump to ``value`` (aware; may go backwards, for tests that need it)."""
        self._now = ensure_aware_utc(value)
        return self._now

    def __repr__(self) -> str:
        return f"FakeClock({self._now.isoformat()})"
