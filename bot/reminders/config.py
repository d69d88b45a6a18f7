"""Settings of reminders and calendar nudges (environment variables ``MEDBOT_NUDGE_*``).

The scheduler that sends them has its own: :mod:`bot.delivery.config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.env import EnvReader, parse_flag
from knowledge.calendar import CalendarDataError, NudgePolicy, WorkingDays, parse_offset

__all__ = ["ReminderConfig", "ReminderConfigError"]


class ReminderConfigError(ValueError):
    """A reminder setting has a value that cannot be used."""


@dataclass(frozen=True)
class ReminderConfig:
    #: How long before an event nudges go out (``MEDBOT_NUDGE_OFFSETS``, default "7d,1d").
    nudge_offsets: tuple[timedelta, ...] = (timedelta(days=7), timedelta(days=1))
    #: The "send agenda items and material in time" nudge before meetings (``MEDBOT_NUDGE_MATERIAL``,
    #: default "10d"; "off" for none). A configuration default: seed 000 says only "i så god tid".
    material_offset: timedelta | None = timedelta(days=10)
    #: Holiday categories of the ``holidays`` package that are not working days
    #: (``MEDBOT_NUDGE_CLOSED_DAYS``, default "public"; "public,optional" adds 24/12, 31/12, 5/6, 1/5).
    closed_categories: tuple[str, ...] = ("public",)
    planning_horizon: timedelta = timedelta(days=21)  # nudge rows are created this far ahead
    seed_sync_interval: timedelta = timedelta(hours=24)

    def policy(self) -> NudgePolicy:
        return NudgePolicy.with_offsets(self.nudge_offsets, self.material_offset)

    def working_days(self) -> WorkingDays:
        return WorkingDays(self.closed_categories)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ReminderConfig:
        """From the variables in ``env`` (:meth:`bot.settings.Settings.from_env` passes the ones it read)."""
        read = EnvReader(env, ReminderConfigError)
        defaults = cls()
        try:
            offsets_raw = read.text("MEDBOT_NUDGE_OFFSETS")
            offsets = tuple(parse_offset(p) for p in offsets_raw.split(",") if p.strip()) if offsets_raw else defaults.nudge_offsets
            material_raw = read.text("MEDBOT_NUDGE_MATERIAL").lower()
            if parse_flag(material_raw) is False:
                material: timedelta | None = None
            elif material_raw:
                material = parse_offset(material_raw)
            else:
                material = defaults.material_offset
        except CalendarDataError as exc:
            raise ReminderConfigError(str(exc)) from exc
        closed_raw = read.text("MEDBOT_NUDGE_CLOSED_DAYS")
        closed = tuple(p.strip() for p in closed_raw.split(",") if p.strip()) if closed_raw else defaults.closed_categories
        return cls(
            nudge_offsets=offsets,
            material_offset=material,
            closed_categories=closed,
        )
