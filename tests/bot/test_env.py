"""One way to read a switch from the environment, for every setting that is one."""

from __future__ import annotations

import pytest

from bot.delivery.config import DeliveryConfig, DeliveryConfigError
from bot.env import EnvReader, parse_flag
from bot.reminders.config import ReminderConfig
from bot.settings import Settings, SettingsError

OFF = ["nej", "no", "0", "false", "off", "NEJ", " Off "]
ON = ["ja", "yes", "1", "true", "on", "JA", " On "]


@pytest.mark.parametrize("raw", OFF)
def test_off_words_are_off_everywhere(raw: str) -> None:
    assert parse_flag(raw) is False
    assert Settings.from_env({"MEDBOT_ACCESS_LOG": raw}).access_log is False
    assert DeliveryConfig.from_env({"MEDBOT_SCHEDULER": raw}).run_loop is False
    assert ReminderConfig.from_env({"MEDBOT_NUDGE_MATERIAL": raw}).material_offset is None


@pytest.mark.parametrize("raw", ON)
def test_on_words_are_on_everywhere(raw: str) -> None:
    assert parse_flag(raw) is True
    assert Settings.from_env({"MEDBOT_ACCESS_LOG": raw}).access_log is True
    assert DeliveryConfig.from_env({"MEDBOT_SCHEDULER": raw}).run_loop is True


def test_an_unknown_word_is_refused_with_the_variable_named() -> None:
    assert parse_flag("maybe") is None
    with pytest.raises(SettingsError, match="MEDBOT_ACCESS_LOG"):
        Settings.from_env({"MEDBOT_ACCESS_LOG": "maybe"})
    with pytest.raises(DeliveryConfigError, match="MEDBOT_SCHEDULER"):
        DeliveryConfig.from_env({"MEDBOT_SCHEDULER": "maybe"})


def test_unset_and_blank_take_the_default() -> None:
    read = EnvReader({"BLANK": "  "})
    assert read.flag("UNSET", True) is True
    assert read.flag("BLANK", False) is False
    assert read.text("BLANK", "fallback") == "fallback"
    assert read.integer("UNSET", 7) == 7
