"""Real-shaped Slack payloads (Events API, interactivity, slash commands), signed as
Slack signs them (``v0`` HMAC-SHA256 over ``v0:{timestamp}:{body}``)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from typing import Any
from urllib.parse import urlencode

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
TEAM = "T0MEDKOMMUNE"
APP = "A0MEDBOT"
BOT_USER = "U0MEDBOT"
USER = "U0METTE"
DM = "D0METTEDM"
CHANNEL = "C0MEDUDVALG"

_ids = itertools.count(1)


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> dict[str, str]:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def envelope(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    n = next(_ids)
    return {
        "token": "deprecated-verification-token",
        "team_id": TEAM,
        "context_team_id": TEAM,
        "api_app_id": APP,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev0{n:08d}",
        "event_time": 1764000000 + n,
        "authorizations": [
            {"enterprise_id": None, "team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMCJ9-{n}",
    }


def dm_message(text: str, *, user: str = USER, channel: str = DM, event_id: str | None = None) -> dict[str, Any]:
    n = next(_ids)
    return envelope(
        {
            "client_msg_id": f"5a3b8c3e-0000-4000-8000-{n:012d}",
            "type": "message",
            "text": text,
            "user": user,
            "ts": f"1764000100.{n:06d}",
            "blocks": [{"type": "rich_text", "block_id": "x", "elements": []}],
            "team": TEAM,
            "channel": channel,
            "event_ts": f"1764000100.{n:06d}",
            "channel_type": "im",
        },
        event_id=event_id,
    )


def app_mention(text: str, *, channel: str = CHANNEL, thread_ts: str | None = None) -> dict[str, Any]:
    n = next(_ids)
    event: dict[str, Any] = {
        "client_msg_id": f"7c1d2e3f-0000-4000-8000-{n:012d}",
        "type": "app_mention",
        "text": f"<@{BOT_USER}> {text}",
        "user": USER,
        "ts": f"1764000200.{n:06d}",
        "team": TEAM,
        "channel": channel,
        "event_ts": f"1764000200.{n:06d}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return envelope(event)


def bot_echo(text: str) -> dict[str, Any]:
    """The bot's own post, which Slack also delivers as a message.im event."""
    n = next(_ids)
    return envelope(
        {
            "type": "message",
            "subtype": "bot_message",
            "text": text,
            "bot_id": "B0MEDBOT",
            "ts": f"1764000300.{n:06d}",
            "channel": DM,
            "event_ts": f"1764000300.{n:06d}",
            "channel_type": "im",
        }
    )


def app_home_opened(*, channel: str = DM) -> dict[str, Any]:
    return envelope({"type": "app_home_opened", "user": USER, "channel": channel, "tab": "messages", "event_ts": "1764000000.000001"})


def block_action(button: dict[str, Any], *, channel: str = DM, state: dict[str, Any] | None = None) -> dict[str, Any]:
    n = next(_ids)
    return {
        "type": "block_actions",
        "user": {"id": USER, "username": "mette", "name": "mette", "team_id": TEAM},
        "api_app_id": APP,
        "token": "deprecated-verification-token",
        "container": {"type": "message", "message_ts": "1764000400.000100", "channel_id": channel, "is_ephemeral": False},
        "trigger_id": f"{n}.1764000400.abcdef",
        "team": {"id": TEAM, "domain": "medkommune"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "directmessage" if channel.startswith("D") else "med-udvalg"},
        "message": {"type": "message", "ts": "1764000400.000100", "bot_id": "B0MEDBOT", "text": "…", "blocks": []},
        "state": {"values": state or {}},
        "response_url": "http://127.0.0.1:9/not-used",
        "actions": [
            {
                "action_id": button.get("action_id", "medbot:0"),
                "block_id": "blk",
                "text": button.get("text", {"type": "plain_text", "text": "?"}),
                "value": button.get("value", ""),
                "type": "button",
                "action_ts": f"1764000400.{n:06d}",
            }
        ],
    }


def interaction_body(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def slash_command(text: str, *, channel: str = CHANNEL, channel_name: str = "med-udvalg") -> bytes:
    n = next(_ids)
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "team_domain": "medkommune",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": USER,
            "user_name": "mette",
            "command": "/med",
            "text": text,
            "api_app_id": APP,
            "is_enterprise_install": "false",
            "response_url": "http://127.0.0.1:9/not-used",
            "trigger_id": f"{n}.1764000500.abcdef",
        }
    ).encode()
