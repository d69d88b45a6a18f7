"""Time, as every layer sees it: the clock it is handed and the Danish time zone.

Nothing reads the wall clock directly. The composition root builds one clock
(:class:`bot.clock.SystemClock`) and hands it to whatever needs the time; tests hand
a :class:`bot.clock.FakeClock` instead. A clock's datetimes are aware and in UTC;
what a user reads or writes is in :data:`COPENHAGEN`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

__all__ = ["COPENHAGEN", "Clock"]

#: Danish wall-clock time: the time zone of every date and time a user reads or writes.
COPENHAGEN: Final = ZoneInfo("Europe/Copenhagen")


@runtime_checkable
class Clock(Protocol):
    """Source of the current time (aware, UTC)."""

    def now(self) -> datetime: ...
