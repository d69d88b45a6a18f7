"""The serving switches: event loop and access log, read from the environment."""

from __future__ import annotations

import asyncio

import pytest

from bot.cli.serve import _use_event_loop
from bot.settings import Settings, SettingsError


def test_defaults_are_uvloop_and_no_access_log() -> None:
    settings = Settings.from_env({})
    assert settings.event_loop == "uvloop"
    assert settings.access_log is False


@pytest.mark.parametrize(("raw", "expected"), [("on", True), ("TRUE", True), ("1", True), ("off", False), ("no", False)])
def test_access_log_flag(raw: str, expected: bool) -> None:
    assert Settings.from_env({"MEDBOT_ACCESS_LOG": raw}).access_log is expected


@pytest.mark.parametrize("env", [{"MEDBOT_ACCESS_LOG": "maybe"}, {"MEDBOT_EVENT_LOOP": "trio"}])
def test_unusable_values_are_refused_clearly(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match=next(iter(env))):
        Settings.from_env(env)


def test_the_event_loop_policy_follows_the_setting() -> None:
    uvloop = pytest.importorskip("uvloop")
    before = asyncio.get_event_loop_policy()
    try:
        assert _use_event_loop("uvloop") == "uvloop"
        assert isinstance(asyncio.get_event_loop_policy(), uvloop.EventLoopPolicy)
        asyncio.set_event_loop_policy(before)
        assert _use_event_loop("asyncio") == "asyncio"
        assert asyncio.get_event_loop_policy() is before
    finally:
        asyncio.set_event_loop_policy(before)
