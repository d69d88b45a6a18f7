"""Reading settings from environment variables: one reader, one way to say on and off.

:meth:`bot.settings.Settings.from_env` takes the variables once (:func:`environment`)
and hands the same mapping to the feature configurations it holds (reminders, ideas,
Slack). Each reads its variables through an :class:`EnvReader`, so a value is stripped,
a number checked and a switch understood the same way everywhere: ``on``/``off``,
``yes``/``no``, ``ja``/``nej``, ``true``/``false`` and ``1``/``0``, in any case.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["OFF_WORDS", "ON_WORDS", "EnvReader", "environment", "parse_flag"]

ON_WORDS = frozenset({"1", "true", "yes", "ja", "on"})
OFF_WORDS = frozenset({"0", "false", "no", "nej", "off"})


def environment() -> dict[str, str]:
    """The process's environment variables as they are now (a copy: later changes do not show)."""
    return dict(os.environ)


def parse_flag(raw: str) -> bool | None:
    """True or False for an on or off word (any case, surrounding space ignored); None otherwise."""
    word = raw.strip().lower()
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    return None


class EnvReader:
    """The variables of ``env`` (``os.environ`` when None); a bad value raises ``error``."""

    def __init__(self, env: Mapping[str, str] | None = None, error: type[ValueError] = ValueError) -> None:
        self._env: Mapping[str, str] = os.environ if env is None else env
        self._error = error

    def raw(self, name: str) -> str:
        """The value as given (unset: empty), for secrets whose spaces may matter."""
        return self._env.get(name, "")

    def text(self, name: str, default: str = "") -> str:
        """The value without surrounding space; ``default`` when unset or blank."""
        return self._env.get(name, "").strip() or default

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name)
        if not raw:
            return default
        value = parse_flag(raw)
        if value is None:
            raise self._error(f"{name} must be on or off, not {raw.lower()!r}")
        return value

    def integer(self, name: str, default: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError as exc:
            raise self._error(f"{name} must be a whole number, not {raw!r}") from exc

    def positive(self, name: str, default: int) -> int:
        value = self.integer(name, default)
        if value < 1:
            raise self._error(f"{name} must be at least 1, not {value}")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(name).lower() or default
        if value not in allowed:
            raise self._error(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        return value
