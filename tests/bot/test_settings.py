"""One reading of the environment: Settings holds the reminders', ideas' and Slack's settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig, DeliveryConfigError
from bot.ideas.config import IdeaConfig, IdeaConfigError
from bot.reminders.config import ReminderConfig, ReminderConfigError
from bot.runtime import build_runtime
from bot.settings import Settings
from bot.slack.settings import SlackSettings
from tests.harness.chat import START
from tests.harness.teams_http import make_settings

ENV = {
    "MEDBOT_ORG": "Jammerbugt",
    "MEDBOT_SCHEDULER": "off",
    "MEDBOT_NUDGE_OFFSETS": "14d,2d",
    "MEDBOT_SCHEDULER_INTERVAL": "10",
    "MEDBOT_IDEA_STALE_DAYS": "7",
    "SLACK_SIGNING_SECRET": "secret",
    "SLACK_BOT_TOKEN": "xoxb-token",
    "MEDBOT_SLACK_API_URL": "http://127.0.0.1:9/api",
}


def test_the_features_settings_come_from_the_same_variables() -> None:
    settings = Settings.from_env(ENV)
    assert settings.org == "jammerbugt"
    assert settings.delivery == DeliveryConfig.from_env(ENV)
    assert settings.delivery.run_loop is False
    assert settings.delivery.tick_interval == timedelta(seconds=10)
    assert settings.reminders == ReminderConfig.from_env(ENV)
    assert settings.reminders.nudge_offsets == (timedelta(days=14), timedelta(days=2))
    assert settings.ideas == IdeaConfig.from_env(ENV)
    assert settings.ideas.stale_after == timedelta(days=7)
    assert settings.slack == SlackSettings(signing_secret="secret", bot_token="xoxb-token", api_url="http://127.0.0.1:9/api/")
    assert settings.slack.configured


def test_nothing_set_gives_each_feature_its_defaults() -> None:
    settings = Settings.from_env({})
    assert (settings.delivery, settings.reminders, settings.ideas, settings.slack) == (
        DeliveryConfig(), ReminderConfig(), IdeaConfig(), SlackSettings()
    )
    assert Settings() == settings


def test_without_a_mapping_the_process_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDBOT_IDEA_STALE_DAYS", "0")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-shell")
    settings = Settings.from_env()
    assert settings.ideas.stale_after is None
    assert settings.slack.bot_token == "xoxb-from-the-shell"


def test_the_slack_secrets_stay_out_of_the_settings_repr() -> None:
    assert "secret" not in repr(Settings.from_env(ENV))
    assert "xoxb-token" not in repr(Settings.from_env(ENV))


@pytest.mark.parametrize(
    ("env", "error", "message"),
    [
        ({"MEDBOT_NUDGE_OFFSETS": "en uge"}, ReminderConfigError, "en uge"),
        ({"MEDBOT_SCHEDULER_INTERVAL": "-1"}, DeliveryConfigError, "MEDBOT_SCHEDULER_INTERVAL must be positive"),
        ({"MEDBOT_IDEA_STALE_DAYS": "to uger"}, IdeaConfigError, "MEDBOT_IDEA_STALE_DAYS must be a number of days"),
    ],
)
def test_a_features_bad_value_is_refused_with_its_own_error(env: dict[str, str], error: type[ValueError], message: str) -> None:
    with pytest.raises(error, match=message):
        Settings.from_env(env)


def test_the_runtime_hands_each_part_its_settings(tmp_path: Path) -> None:
    ideas = IdeaConfig(stale_after=timedelta(days=3))
    reminders = ReminderConfig(nudge_offsets=(timedelta(days=3),))
    delivery = DeliveryConfig(run_loop=False, tick_interval=timedelta(seconds=5))
    slack = SlackSettings(signing_secret="s", bot_token="xoxb-t", api_url="http://127.0.0.1:9/api/")
    settings = replace(make_settings(tmp_path), ideas=ideas, reminders=reminders, delivery=delivery, slack=slack)
    runtime = build_runtime(settings, clock=FakeClock(START))
    assert runtime.ideas.config is ideas
    assert runtime.reminders.config is reminders
    assert runtime.delivery.config is delivery
    assert runtime.slack_api is not None
