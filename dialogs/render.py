"""Render a :class:`~dialogs.messages.Message` per channel.

Adaptive Cards read TextBlock text and FactSet titles and values as markdown. MED-bot's
own sentences use none, and text users wrote (an idea's title and description, a name,
a reason) must show as typed – ``[link](https://…)`` in a description must not become a
live link in the committee's card – so every such string is passed through
:func:`~dialogs.safe_text.markdown_literal`. Input fields and button titles are not
markdown and are left as they are.
"""

from __future__ import annotations

from typing import Any

from dialogs import texts
from dialogs.messages import DATA_DIALOG, DATA_FORM, Message
from dialogs.safe_text import markdown_literal

ADAPTIVE_CARD_VERSION = "1.5"
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def numbered_lines(message: Message) -> str:
    """"1. Ja\n2. Nej": the buttons as the numbered choices they also are."""
    return "\n".join(f"{i}. {a.title}" for i, a in enumerate(message.actions, start=1))


def to_plain_text(message: Message) -> str:
    """Plain text for the console and channels without cards."""
    parts: list[str] = []
    if message.title:
        parts.append(message.title)
    parts.append(message.text)
    if message.facts:
        parts.append("\n".join(f"{name}: {value}" for name, value in message.facts))
    if message.note:
        parts.append(message.note)
    if message.source:
        parts.append(f"{texts.SOURCE_PREFIX}: {message.source}")
    if message.actions:
        heading = message.actions_heading or ""
        lines = [f"{i}. {a.title}" for i, a in enumerate(message.actions, start=1)]
        parts.append("\n".join(([heading] if heading else []) + lines))
    return "\n\n".join(p for p in parts if p)


def _text_blocks(text: str) -> list[dict[str, Any]]:
    """One TextBlock per line: Teams' markdown folds a single line break into a space,
    which runs bullet lists together. Lines of one paragraph sit close together."""
    blocks: list[dict[str, Any]] = []
    for paragraph in text.split("\n\n"):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        for i, line in enumerate(lines):
            block: dict[str, Any] = {"type": "TextBlock", "text": markdown_literal(line), "wrap": True}
            if i:
                block["spacing"] = "None"
            blocks.append(block)
    return blocks


def to_adaptive_card(message: Message) -> dict[str, Any]:
    """An Adaptive Card (version 1.5, the highest Teams renders)."""
    body: list[dict[str, Any]] = []
    if message.title:
        body.append(
            {"type": "TextBlock", "text": markdown_literal(message.title), "weight": "Bolder", "size": "Medium", "wrap": True}
        )
    body.extend(_text_blocks(message.text))
    if message.numbered and message.actions:
        body.extend(_text_blocks(numbered_lines(message)))
    if message.facts:
        body.append(
            {
                "type": "FactSet",
                "facts": [{"title": markdown_literal(n), "value": markdown_literal(v)} for n, v in message.facts],
            }
        )
    if message.note:
        body.append({"type": "TextBlock", "text": markdown_literal(message.note), "wrap": True, "isSubtle": True})
    if message.source:
        body.append(
            {
                "type": "TextBlock",
                "text": markdown_literal(f"{texts.SOURCE_PREFIX}: {message.source}"),
                "wrap": True,
                "isSubtle": True,
                "size": "Small",
                "spacing": "Medium",
            }
        )
    actions: list[dict[str, Any]] = []
    if message.form:
        body.extend(_form_inputs(message))
        actions.append(
            {
                "type": "Action.Submit",
                "title": message.form.submit_title,
                "data": {DATA_FORM: message.form.id, DATA_DIALOG: message.form.dialog},
            }
        )
    if message.actions:
        if message.actions_heading:
            body.append(
                {
                    "type": "TextBlock",
                    "text": markdown_literal(message.actions_heading),
                    "weight": "Bolder",
                    "wrap": True,
                    "spacing": "Medium",
                }
            )
        actions.extend(
            {"type": "Action.Submit", "title": a.title, "data": a.data()} for a in message.actions
        )
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": ADAPTIVE_CARD_SCHEMA,
        "version": ADAPTIVE_CARD_VERSION,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return card


def _form_inputs(message: Message) -> list[dict[str, Any]]:
    assert message.form is not None
    inputs: list[dict[str, Any]] = []
    for f in message.form.fields:
        element: dict[str, Any]
        if f.kind == "choice":
            element = {
                "type": "Input.ChoiceSet",
                "choices": [{"title": t, "value": v} for t, v in f.choices],
                "style": "compact",
            }
        elif f.kind == "toggle":
            element = {"type": "Input.Toggle", "title": f.label, "valueOn": "true", "valueOff": "false"}
        else:
            element = {"type": "Input.Text", "isMultiline": f.kind == "multiline"}
            if f.max_length:
                element["maxLength"] = f.max_length
        element.update({"id": f.id, "label": f.label, "isRequired": f.required})
        if f.value:
            element["value"] = f.value
        if f.required:
            element["errorMessage"] = texts.FIELD_REQUIRED
        inputs.append(element)
    return inputs


__all__ = ["to_plain_text", "to_adaptive_card", "ADAPTIVE_CARD_CONTENT_TYPE", "DATA_DIALOG"]
