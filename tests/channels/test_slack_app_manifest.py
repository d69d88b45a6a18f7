"""manifest/slack-app.yaml asks for exactly what the Slack channel uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.slack.routes import COMMANDS_PATH, EVENTS_PATH, INTERACTIVE_PATH

MANIFEST = Path(__file__).resolve().parents[2] / "manifest" / "slack-app.yaml"
SCOPES = {"app_mentions:read", "chat:write", "chat:write.public", "commands", "im:history", "im:write", "channels:read", "groups:read"}
EVENTS = {"app_home_opened", "app_mention", "member_joined_channel", "message.im"}


def _list_after(text: str, key: str) -> set[str]:
    """The ``- item`` lines of the YAML list under ``key:`` (comments skipped)."""
    match = re.search(rf"^(\s*){re.escape(key)}:\s*\n((?:\1\s+(?:-.*|#.*)\n)+)", text, re.MULTILINE)
    assert match, f"no list under {key}"
    return {line.strip()[2:].strip() for line in match.group(2).splitlines() if line.strip().startswith("- ")}


def test_scopes_events_command_and_urls() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert _list_after(text, "bot") == SCOPES
    assert _list_after(text, "bot_events") == EVENTS
    assert re.search(r"- command: /med\n\s+url: https://[^/\s]+" + re.escape(COMMANDS_PATH) + r"\n", text)
    assert re.search(r"event_subscriptions:\n\s+request_url: https://[^/\s]+" + re.escape(EVENTS_PATH) + r"\n", text)
    assert re.search(r"interactivity:\n\s+is_enabled: true\n\s+request_url: https://[^/\s]+" + re.escape(INTERACTIVE_PATH) + r"\n", text)
    assert "socket_mode_enabled: false" in text


def test_parses_as_yaml_when_a_parser_is_available() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed; the structure is checked line by line above")
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert set(data["oauth_config"]["scopes"]["bot"]) == SCOPES
    assert set(data["settings"]["event_subscriptions"]["bot_events"]) == EVENTS
    assert data["features"]["slash_commands"][0]["command"] == "/med"
    assert len(data["display_information"]["description"]) <= 140
    assert 175 <= len(data["display_information"]["long_description"]) <= 4000
