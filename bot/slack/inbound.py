"""Slack payloads → Bot Framework activities for the same bot and dialogs.

Pure functions: no I/O. Each returns ``None`` for what the bot should not answer
(its own messages, edits, joins of other users, …). A correctly signed payload can still
carry a field of the wrong type: an object where a string belongs, a number where a list
belongs. Such a field reads as absent (``_object``, ``_list``, ``_text``), never as an error.

A Slack conversation is ``"{team}:{channel}"`` on channel id ``"slack"``: a user who
also talks to the bot in Teams has a separate conversation (and dialog state) there.
Where a reply should go into a thread, ``channel_data["slack"]["thread_ts"]`` says so.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment, ChannelAccount, ConversationAccount

from bot.json_body import JsonBodyError, parse_json_body

log = logging.getLogger(__name__)

CHANNEL_ID = "slack"
BOT_NAME = "MED-bot"
LOCALE = "da-DK"

_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_LINK = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
# Subtypes that are still a person writing to the bot; every other subtype (edits,
# deletions, joins, the bot's own posts) is ignored.
_ALLOWED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[:,]?\s*")


@dataclass(frozen=True)
class SlackContext:
    """Facts of the Slack installation a payload came from."""

    api_url: str
    bot_user_id: str | None = None
    app_id: str | None = None


def conversation_id(team_id: str, channel: str) -> str:
    return f"{team_id}:{channel}"


def split_conversation_id(value: str) -> tuple[str, str]:
    """``"T1:C2"`` → ``("T1", "C2")``; the channel is what the Web API wants."""
    team, _, channel = value.partition(":")
    return (team, channel) if channel else ("", team)


def conversation_type(channel: str, channel_type: str | None = None) -> str:
    """Teams' words for Slack's channel kinds: personal, groupChat or channel."""
    if channel_type in ("im", "directmessage") or (channel_type is None and channel.startswith("D")):
        return "personal"
    if channel_type in ("mpim",) or (channel_type or "").startswith("mpdm"):
        return "groupChat"
    return "channel"


def clean_text(text: str, bot_user_id: str | None = None) -> str:
    """Slack's message markup as plain text: the bot's mention removed, others kept readable."""

    def mention(match: re.Match[str]) -> str:
        return "" if bot_user_id and match.group(1) == bot_user_id else f"@{match.group(1)}"

    text = _USER_MENTION.sub(mention, text)
    text = _CHANNEL_LINK.sub(lambda m: f"#{m.group(1)}", text)
    text = _SPECIAL.sub(lambda m: f"@{m.group(1)}", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(html.unescape(text).split())


def _object(value: Any) -> dict[str, Any]:
    """A JSON object field, or ``{}`` when it is missing or of another type."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    """A JSON array field, or ``[]`` when it is missing or of another type."""
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    """A string field (ids, names, timestamps): the string, a number as written, else ``""``."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _timestamp(ts: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _base_activity(
    kind: str,
    ctx: SlackContext,
    team_id: str,
    channel: str,
    user_id: str,
    *,
    channel_type: str | None = None,
    user_name: str | None = None,
    ts: Any = None,
    thread_ts: str | None = None,
    source: str,
) -> Activity:
    conv_type = conversation_type(channel, channel_type)
    return Activity(
        type=kind,
        id=str(ts) if ts else None,
        timestamp=_timestamp(ts),
        channel_id=CHANNEL_ID,
        service_url=ctx.api_url,
        from_property=ChannelAccount(id=user_id, name=user_name),
        recipient=ChannelAccount(id=ctx.bot_user_id or f"app:{ctx.app_id or 'medbot'}", name=BOT_NAME),
        conversation=ConversationAccount(
            id=conversation_id(team_id, channel),
            conversation_type=conv_type,
            is_group=conv_type != "personal",
            tenant_id=team_id or None,
        ),
        locale=LOCALE,
        channel_data={"slack": {"team_id": team_id, "channel": channel, "thread_ts": thread_ts, "source": source}},
    )


def _channel_type_from_name(name: Any) -> str | None:
    """Interactions and commands name the channel, not its kind: DMs are "directmessage",
    group DMs "mpdm-…"; anything else is judged by the channel id."""
    if name == "directmessage":
        return "im"
    if isinstance(name, str) and name.startswith("mpdm"):
        return "mpim"
    return None


def bot_user_id_of(envelope: Mapping[str, Any]) -> str | None:
    """The bot's own user id, from an Events API envelope's ``authorizations``."""
    return _bot_user_id(envelope)


def _bot_user_id(envelope: Mapping[str, Any]) -> str | None:
    for authorization in _list(envelope.get("authorizations")):
        if isinstance(authorization, dict) and authorization.get("is_bot") is True and _text(authorization.get("user_id")):
            return _text(authorization["user_id"])
    return None


def event_to_activity(envelope: Mapping[str, Any], ctx: SlackContext) -> Activity | None:
    """An ``event_callback`` envelope → a message or conversationUpdate activity."""
    event = envelope.get("event")
    if not isinstance(event, dict):
        return None
    ctx = SlackContext(
        api_url=ctx.api_url,
        bot_user_id=_bot_user_id(envelope) or ctx.bot_user_id,
        app_id=_text(envelope.get("api_app_id")) or ctx.app_id,
    )
    team_id = _text(envelope.get("team_id")) or _text(event.get("team"))
    kind = event.get("type")
    channel = _text(event.get("channel"))
    user = _text(event.get("user"))

    if kind in ("message", "app_mention"):
        subtype = event.get("subtype")
        if event.get("bot_id") or not (subtype is None or isinstance(subtype, str)) or subtype not in _ALLOWED_SUBTYPES:
            return None
        if not channel or not user or (ctx.bot_user_id and user == ctx.bot_user_id):
            return None
        channel_type = event.get("channel_type") if kind == "message" else None
        if kind == "message" and channel_type not in ("im", None):
            # In channels the bot answers mentions (app_mention), not every message.
            return None
        activity = _base_activity(
            ActivityTypes.message, ctx, team_id, channel, user,
            channel_type=channel_type, ts=_text(event.get("ts")), thread_ts=_text(event.get("thread_ts")) or None,
            source=str(kind),
        )
        text = _text(event.get("text"))
        if kind == "app_mention":
            text = _LEADING_MENTION.sub("", text, count=1)
        activity.text = clean_text(text, ctx.bot_user_id)
        activity.text_format = "plain"
        files = _list(event.get("files"))
        if files:
            activity.attachments = [
                Attachment(content_type=_text(f.get("mimetype")) or "application/octet-stream", name=_text(f.get("name")) or None)
                for f in files
                if isinstance(f, dict)
            ]
        return activity

    if kind == "app_home_opened" and event.get("tab") == "messages" and channel and user:
        activity = _base_activity(
            ActivityTypes.conversation_update, ctx, team_id, channel, user,
            channel_type="im", ts=_text(event.get("event_ts")), source=str(kind),
        )
        activity.members_added = [activity.recipient, activity.from_property]
        return activity

    if kind == "member_joined_channel" and channel and ctx.bot_user_id and user == ctx.bot_user_id:
        inviter = _text(event.get("inviter")) or user
        activity = _base_activity(
            ActivityTypes.conversation_update, ctx, team_id, channel, inviter,
            channel_type="mpim" if event.get("channel_type") == "mpim" else "channel",
            ts=_text(event.get("event_ts")), source=str(kind),
        )
        activity.members_added = [activity.recipient]
        return activity
    return None


def _state_values(payload: Mapping[str, Any]) -> dict[str, str]:
    """The inputs of the clicked message (``state.values``) as ``{field id: value}``."""
    values: dict[str, str] = {}
    for block in _object(_object(payload.get("state")).get("values")).values():
        if not isinstance(block, dict):
            continue
        for action_id, element in block.items():
            if not isinstance(element, dict):
                continue
            kind = element.get("type")
            if kind == "static_select":
                values[action_id] = _text(_object(element.get("selected_option")).get("value"))
            elif kind == "checkboxes":
                values[action_id] = "true" if _list(element.get("selected_options")) else "false"
            elif "value" in element:
                values[action_id] = _text(element.get("value"))
    return values


def _action_data(action: Mapping[str, Any]) -> dict[str, Any]:
    raw = action.get("value")
    if raw is None:
        raw = _object(action.get("selected_option")).get("value")
    if isinstance(raw, str):
        try:
            parsed = parse_json_body(raw)
        except JsonBodyError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed
        return {"text": raw}
    return {}


def interaction_to_activity(payload: Mapping[str, Any], ctx: SlackContext) -> Activity | None:
    """A ``block_actions`` payload (a button click) → a message activity with ``value``,
    as Teams sends for an ``Action.Submit``."""
    if payload.get("type") != "block_actions":
        return None
    actions = _list(payload.get("actions"))
    if not actions or not isinstance(actions[0], dict):
        return None
    action = actions[0]
    user = _object(payload.get("user"))
    team = _object(payload.get("team"))
    channel = _object(payload.get("channel"))
    container = _object(payload.get("container"))
    channel_id = _text(channel.get("id")) or _text(container.get("channel_id"))
    user_id = _text(user.get("id"))
    if not channel_id or not user_id:
        return None
    team_id = _text(team.get("id")) or _text(user.get("team_id"))
    ctx = SlackContext(api_url=ctx.api_url, bot_user_id=ctx.bot_user_id, app_id=_text(payload.get("api_app_id")) or ctx.app_id)
    thread_ts = _text(_object(payload.get("message")).get("thread_ts")) or _text(container.get("thread_ts"))
    activity = _base_activity(
        ActivityTypes.message, ctx, team_id, channel_id, user_id,
        channel_type=_channel_type_from_name(channel.get("name")),
        user_name=_text(user.get("name")) or _text(user.get("username")) or None,
        ts=_text(action.get("action_ts")), thread_ts=thread_ts or None, source="block_actions",
    )
    data = _action_data(action)
    if _text(action.get("action_id")).endswith("submit") or data.get("medbot_form"):
        data = {**_state_values(payload), **data}
    activity.value = data
    activity.text = None
    return activity


def command_to_activity(form: Mapping[str, str], ctx: SlackContext) -> Activity | None:
    """A slash command (``/med hvad er en AMR``) → a message activity."""
    channel = form.get("channel_id") or ""
    user = form.get("user_id") or ""
    if not channel or not user:
        return None
    ctx = SlackContext(api_url=ctx.api_url, bot_user_id=ctx.bot_user_id, app_id=form.get("api_app_id") or ctx.app_id)
    channel_name = form.get("channel_name")
    activity = _base_activity(
        ActivityTypes.message, ctx, form.get("team_id") or "", channel, user,
        channel_type=_channel_type_from_name(channel_name),
        user_name=form.get("user_name"), source="command",
    )
    activity.text = clean_text(form.get("text") or "", ctx.bot_user_id) or "hjælp"
    activity.text_format = "plain"
    return activity
