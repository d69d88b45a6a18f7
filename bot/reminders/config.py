"""Settings of reminders, nudges and the scheduler (environment variables ``MEDBOT_*``)."""

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
    tick_interval: timedelta = timedelta(seconds=30)  # MEDBOT_SCHEDULER_INTERVAL (seconds)
    lease: timedelta = timedelta(minutes=2)  # MEDBOT_REMINDER_LEASE (seconds); far longer than one send
    batch_size: int = 50
    max_attempts: int = 10  # failed attempts (not counting throttling) before an item is "failed"
    planning_horizon: timedelta = timedelta(days=21)  # nudge rows are created this far ahead
    planning_interval: timedelta = timedelta(minutes=5)
    seed_sync_interval: timedelta = timedelta(hours=24)
    log_retention: timedelta = timedelta(days=30)
    #: Run the scheduler loop in this process (``MEDBOT_SCHEDULER=off`` to leave it to other replicas).
    run_loop: bool = True

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

        def seconds(name: str, default: timedelta) -> timedelta:
            raw = read.text(name)
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError as exc:
                raise ReminderConfigError(f"{name} must be a number of seconds, not {raw!r}") from exc
            if value <= 0:
                raise ReminderConfigError(f"{name} must be positive")
            return timedelta(seconds=value)

        return cls(
            run_loop=read.flag("MEDBOT_SCHEDULER", True),
            nudge_offsets=offsets,
            material_offset=material,
            closed_categories=closed,
            tick_interval=seconds("MEDBOT_SCHEDULER_INTERVAL", defaults.tick_interval),
            lease=seconds("MEDBOT_REMINDER_LEASE", defaults.lease),
        )
