"""Settings of the delivery scheduler and its outboxes (environment variables ``MEDBOT_SCHEDULER*``).

One set for every outbox (reminders, nudges, idea notifications): how often the
scheduler ticks, how long a claim is held, how many rows one claim takes, how often a
row is tried and how long it waits in between (:mod:`bot.delivery.backoff`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.env import EnvReader

__all__ = ["DeliveryConfig", "DeliveryConfigError"]


class DeliveryConfigError(ValueError):
    """A delivery setting has a value that cannot be used."""


@dataclass(frozen=True)
class DeliveryConfig:
    tick_interval: timedelta = timedelta(seconds=30)  # MEDBOT_SCHEDULER_INTERVAL (seconds)
    lease: timedelta = timedelta(minutes=2)  # MEDBOT_REMINDER_LEASE (seconds); far longer than one send
    batch_size: int = 50
    #: Failed attempts (throttling not counted) before a row is ``failed``.
    max_attempts: int = 10
    #: A failed attempt whose sender names no wait waits this long, doubled per failed attempt, at most ``max_backoff``.
    base_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=6)
    #: How often the planners (calendar nudges) fill their outboxes.
    planning_interval: timedelta = timedelta(minutes=5)
    #: How long the delivery log keeps the entries of finished sends.
    log_retention: timedelta = timedelta(days=30)
    #: Run the scheduler loop in this process (``MEDBOT_SCHEDULER=off`` to leave it to other replicas).
    run_loop: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DeliveryConfig:
        """From the variables in ``env`` (:meth:`bot.settings.Settings.from_env` passes the ones it read)."""
        read = EnvReader(env, DeliveryConfigError)
        defaults = cls()

        def seconds(name: str, default: timedelta) -> timedelta:
            raw = read.text(name)
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError as exc:
                raise DeliveryConfigError(f"{name} must be a number of seconds, not {raw!r}") from exc
            if value <= 0:
                raise DeliveryConfigError(f"{name} must be positive")
            return timedelta(seconds=value)

        return cls(
            run_loop=read.flag("MEDBOT_SCHEDULER", True),
            tick_interval=seconds("MEDBOT_SCHEDULER_INTERVAL", defaults.tick_interval),
            lease=seconds("MEDBOT_REMINDER_LEASE", defaults.lease),
        )
