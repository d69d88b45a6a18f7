"""Bot Framework activities → what ``chat.postMessage`` takes (text + Block Kit).

A dialog's :class:`~dialogs.messages.Message` reaches the Slack channel as an
activity. When the activity carries a Block Kit rendering
(:data:`dialogs.render_slack.BLOCK_KIT_CONTENT_TYPE` attachment) it is used as is;
otherwise the plain text and its suggested actions are rendered with the same Block
Kit renderer, so buttons work either way.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from dialogs.messages import Action, Message
from dialogs.render_slack import BLOCK_KIT_CONTENT_TYPE, escape, to_blocks

MAX_TEXT = 3900


def _strip_numbered_choices(text: str, titles: list[str]) -> str:
    """Drop the "1. Ja / 2. Nej" lines text channels get: Slack shows buttons instead."""
    listing = "\n".join(f"{i}. {t}" for i, t in enumerate(titles, start=1))
    if listing and text.rstrip().endswith(listing):
        return text.rstrip()[: -len(listing)].rstrip()
    return text


def activity_to_slack(activity: Activity) -> tuple[str, list[dict[str, Any]]]:
    """``(text, blocks)`` for one outgoing message activity."""
    for attachment in activity.attachments or []:
        if attachment.content_type == BLOCK_KIT_CONTENT_TYPE and isinstance(attachment.content, dict):
            blocks = attachment.content.get("blocks") or []
            text = attachment.content.get("text") or escape(activity.text or activity.summary or "")
            return str(text)[:MAX_TEXT], list(blocks)
    suggested = activity.suggested_actions.actions if activity.suggested_actions else []
    actions = tuple(
        Action(title=str(a.title or a.value), text=str(a.value if a.value is not None else a.title))
        for a in suggested
        if a.title or a.value
    )
    text = activity.text or activity.summary or ""
    body = _strip_numbered_choices(text, [a.title for a in actions]) if actions else text
    blocks = to_blocks(Message(text=body, actions=actions)) if (body.strip() or actions) else []
    return escape(text)[:MAX_TEXT] or " ", blocks
