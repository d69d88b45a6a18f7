"""Settings of Den gode idé (environment variables ``MEDBOT_IDEA_*``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.env import EnvReader

__all__ = ["IdeaConfig", "IdeaConfigError"]


class IdeaConfigError(ValueError):
    """An idea setting has a value that cannot be used."""


@dataclass(frozen=True)
class IdeaConfig:
    #: An idea that sits this long in one status nudges the committee contact
    #: (``MEDBOT_IDEA_STALE_DAYS``, default 14; ``0`` turns nudges off).
    stale_after: timedelta | None = timedelta(days=14)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> IdeaConfig:
        """From the variables in ``env`` (:meth:`bot.settings.Settings.from_env` passes the ones it read)."""
        read = EnvReader(env, IdeaConfigError)
        defaults = cls()
        raw = read.text("MEDBOT_IDEA_STALE_DAYS")
        stale_after = defaults.stale_after
        if raw:
            try:
                days = float(raw.replace(",", "."))
            except ValueError as exc:
                raise IdeaConfigError(f"MEDBOT_IDEA_STALE_DAYS must be a number of days, not {raw!r}") from exc
            if days < 0:
                raise IdeaConfigError("MEDBOT_IDEA_STALE_DAYS must not be negative")
            stale_after = timedelta(days=days) if days > 0 else None
        return cls(stale_after=stale_after)
