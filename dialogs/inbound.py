"""What the user sent, read once from an activity: text without the bot mention,
and the data of a card button or form.

Text is cleaned here, where it enters: a lone UTF-16 surrogate (JSON can carry
``"\\ud800"``; no database can store it) becomes U+FFFD in the text and in every
form value (see :mod:`dialogs.safe_text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botbuilder.schema import Activity

from dialogs.messages import DATA_DIALOG, DATA_ENTRY, DATA_FORM, DATA_TEXT
from dialogs.safe_text import scrub, without_surrogates
from knowledge.normalize import clean_spaces

_AT_TAG = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?(p|div|span|br)\b[^>]*>", re.IGNORECASE)
_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}


@dataclass(frozen=True)
class UserInput:
    text: str
    from_card: bool = False
    dialog: str | None = None  # the dialog the clicked card belongs to
    entry: str | None = None  # a knowledge entry chosen by a button
    form: str | None = None  # the id of a submitted form
    values: Mapping[str, Any] = field(default_factory=dict)  # a form's fields


def strip_mentions(text: str, bot_names: tuple[str, ...] = ()) -> str:
    """Remove Teams' ``<at>Bot</at>`` mention (and a Slack-style ``@Bot``) from the text."""
    text = _AT_TAG.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    for name in bot_names:
        if name:
            text = re.sub(rf"^\s*@?{re.escape(name)}\b[:,]?", " ", text, flags=re.IGNORECASE)
    return clean_spaces(text)


def read_input(activity: Activity) -> UserInput:
    bot_names = (activity.recipient.name,) if activity.recipient and activity.recipient.name else ()
    text = strip_mentions(without_surrogates(activity.text or ""), bot_names)
    value = activity.value if isinstance(activity.value, dict) else None
    if not value:
        return UserInput(text=text)
    data = scrub({k: v for k, v in value.items() if k != "msteams"})
    clicked = data.get(DATA_TEXT)
    return UserInput(
        text=clean_spaces(str(clicked)) if isinstance(clicked, str) and clicked.strip() else text,
        from_card=True,
        dialog=str(data[DATA_DIALOG]) if data.get(DATA_DIALOG) else None,
        entry=str(data[DATA_ENTRY]) if data.get(DATA_ENTRY) else None,
        form=str(data[DATA_FORM]) if data.get(DATA_FORM) else None,
        values=data,
    )
