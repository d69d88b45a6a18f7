"""Render a :class:`~dialogs.messages.Message` as Slack Block Kit.

The same message a Teams user sees as an Adaptive Card:

* the title as a ``header`` block, the text as ``section`` blocks (mrkdwn, escaped),
  facts as section ``fields``, the note and the source as ``context`` blocks;
* the buttons as an ``actions`` block whose button ``value`` is the action's data as
  JSON (``{"text": …, "medbot_dialog": …, "medbot_entry": …}``), so a click posts back
  exactly what an ``Action.Submit`` posts in Teams;
* a form as ``input`` blocks (``block_id`` = ``action_id`` = the field id) plus a
  submit button; Slack sends the inputs' ``state.values`` with the click.

Slack's limits are respected (50 blocks, 3000 characters per section, 10 fields per
section, 25 elements per actions block, 75 characters per button text, 2000 per
value). Pure data: no slack-sdk or botbuilder import here.
"""

from __future__ import annotations

import json
from typing import Any

from dialogs import texts
from dialogs.messages import DATA_DIALOG, DATA_FORM, DATA_TEXT, Action, Form, Message
from dialogs.render import numbered_lines, to_plain_text

# The content type of the attachment that carries a Block Kit rendering inside a
# Bot Framework activity (MED-bot's own; the Slack channel reads it back).
BLOCK_KIT_CONTENT_TYPE = "application/vnd.medbot.slack-blocks+json"

ACTION_ID_PREFIX = "medbot:"
SUBMIT_ACTION_ID = "medbot:submit"

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_TEXT = 2000
MAX_ACTION_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_LABEL = 2000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTIONS = 100
MAX_FALLBACK_TEXT = 3900


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit) or " ", "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _chunks(text: str, limit: int) -> list[str]:
    """Split escaped text into pieces of at most ``limit`` characters, on paragraph
    and line boundaries where possible."""
    pieces: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        paragraph = paragraph.strip("\n")
        if not paragraph.strip():
            continue
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(paragraph) > limit:
            cut = paragraph.rfind("\n", 0, limit)
            if cut <= 0:
                cut = paragraph.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
            pieces.append(paragraph[:cut].rstrip())
            paragraph = paragraph[cut:].lstrip()
        current = paragraph
    if current:
        pieces.append(current)
    return pieces


def button_value(action: Action) -> str:
    """The action's data as JSON (what an Action.Submit posts), within Slack's limit."""
    value = json.dumps(action.data(), ensure_ascii=False, separators=(",", ":"))
    if len(value) <= MAX_BUTTON_VALUE:
        return value
    return json.dumps({DATA_TEXT: action.text[: MAX_BUTTON_VALUE // 2]}, ensure_ascii=False, separators=(",", ":"))


def _buttons(actions: tuple[Action, ...]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    elements = [
        {
            "type": "button",
            "text": _plain(action.title, MAX_BUTTON_TEXT),
            "value": button_value(action),
            "action_id": f"{ACTION_ID_PREFIX}{index}",
        }
        for index, action in enumerate(actions)
    ]
    for start in range(0, len(elements), MAX_ACTION_ELEMENTS):
        blocks.append({"type": "actions", "elements": elements[start : start + MAX_ACTION_ELEMENTS]})
    return blocks


def _form_blocks(form: Form) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for f in form.fields:
        element: dict[str, Any]
        if f.kind == "choice" and f.choices:
            options = [
                {"text": _plain(title, MAX_OPTION_TEXT), "value": value[:MAX_OPTION_VALUE]}
                for title, value in f.choices[:MAX_OPTIONS]
            ]
            element = {"type": "static_select", "action_id": f.id, "options": options}
            chosen = [o for o in options if o["value"] == f.value]
            if chosen:
                element["initial_option"] = chosen[0]
        elif f.kind == "toggle":
            option = {"text": _plain(f.label, MAX_OPTION_TEXT), "value": "true"}
            element = {"type": "checkboxes", "action_id": f.id, "options": [option]}
            if f.value == "true":
                element["initial_options"] = [option]
        else:
            element = {"type": "plain_text_input", "action_id": f.id, "multiline": f.kind == "multiline"}
            if f.max_length:
                element["max_length"] = min(f.max_length, 3000)
            if f.value:
                element["initial_value"] = f.value
        blocks.append(
            {
                "type": "input",
                "block_id": f.id,
                "label": _plain(f.label, MAX_LABEL),
                "element": element,
                "optional": not f.required,
            }
        )
    submit = {
        "type": "button",
        "text": _plain(form.submit_title, MAX_BUTTON_TEXT),
        "style": "primary",
        "value": json.dumps({DATA_FORM: form.id, DATA_DIALOG: form.dialog}, ensure_ascii=False, separators=(",", ":")),
        "action_id": SUBMIT_ACTION_ID,
    }
    blocks.append({"type": "actions", "block_id": f"medbot_form:{form.id}"[:255], "elements": [submit]})
    return blocks


def to_blocks(message: Message) -> list[dict[str, Any]]:
    """The Block Kit blocks for ``message`` (at most 50)."""
    blocks: list[dict[str, Any]] = []
    if message.title:
        blocks.append({"type": "header", "text": _plain(message.title, MAX_HEADER_TEXT)})
    for piece in _chunks(escape(message.text), MAX_SECTION_TEXT):
        blocks.append({"type": "section", "text": _mrkdwn(piece)})
    if message.numbered and message.actions:
        blocks.append({"type": "section", "text": _mrkdwn(escape(numbered_lines(message)))})
    if message.facts:
        fields = [
            _mrkdwn(_cut(f"*{escape(name)}*\n{escape(value)}", MAX_FIELD_TEXT)) for name, value in message.facts
        ]
        for start in range(0, len(fields), MAX_FIELDS):
            blocks.append({"type": "section", "fields": fields[start : start + MAX_FIELDS]})
    if message.note:
        blocks.append({"type": "context", "elements": [_mrkdwn(_cut(escape(message.note), MAX_CONTEXT_TEXT))]})
    if message.source:
        source = f"{texts.SOURCE_PREFIX}: {message.source}"
        blocks.append({"type": "context", "elements": [_mrkdwn(_cut(escape(source), MAX_CONTEXT_TEXT))]})
    if message.form:
        blocks.extend(_form_blocks(message.form))
    if message.actions:
        if message.actions_heading:
            blocks.append({"type": "section", "text": _mrkdwn(f"*{escape(message.actions_heading)}*")})
        blocks.extend(_buttons(message.actions))
    if not blocks:
        blocks.append({"type": "section", "text": _mrkdwn(" ")})
    if len(blocks) > MAX_BLOCKS:
        # Keep the end (buttons) and as much of the beginning as fits.
        tail = [b for b in blocks if b["type"] in ("actions", "input")][-(MAX_BLOCKS // 2) :]
        kept = {id(b) for b in tail}
        head = [b for b in blocks if id(b) not in kept][: MAX_BLOCKS - len(tail)]
        blocks = head + tail
    return blocks


def fallback_text(message: Message) -> str:
    """The ``text`` that goes with the blocks: shown in notifications and screen readers."""
    return _cut(escape(to_plain_text(message)), MAX_FALLBACK_TEXT)


def to_slack_message(message: Message) -> dict[str, Any]:
    """``{"text": …, "blocks": […]}``: the arguments of ``chat.postMessage``."""
    return {"text": fallback_text(message), "blocks": to_blocks(message)}


__all__ = [
    "BLOCK_KIT_CONTENT_TYPE",
    "SUBMIT_ACTION_ID",
    "button_value",
    "escape",
    "fallback_text",
    "to_blocks",
    "to_slack_message",
]
