"""A bot message as channel-neutral data.

A message is built once by a dialog and rendered per channel afterwards
(:mod:`dialogs.render`): an Adaptive Card for Teams, Block Kit for Slack, plain text
for the console and for clients that show no cards.

Buttons are shortcuts for typing: every :class:`Action` carries the ``text`` a user
could have typed instead, so a click and a typed answer take the same path through
the dialogs. ``dialog`` names the dialog the button belongs to, so a click on a card
whose dialog has ended can be recognised and answered politely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Keys of the data an Action.Submit posts back.
DATA_TEXT = "text"
DATA_DIALOG = "medbot_dialog"
DATA_FORM = "medbot_form"
DATA_ENTRY = "medbot_entry"


@dataclass(frozen=True)
class Action:
    """A button. ``text`` is what the click sends, as if the user had typed it."""

    title: str
    text: str
    dialog: str | None = None
    entry: str | None = None  # a knowledge entry id: the click asks exactly that entry

    def data(self) -> dict[str, str]:
        payload = {DATA_TEXT: self.text}
        if self.dialog:
            payload[DATA_DIALOG] = self.dialog
        if self.entry:
            payload[DATA_ENTRY] = self.entry
        return payload


@dataclass(frozen=True)
class FormField:
    """One input of a form (rendered as an Adaptive Card input in Teams)."""

    id: str
    label: str
    kind: str = "text"  # text | multiline | choice | toggle
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (title, value)
    value: str = ""


@dataclass(frozen=True)
class Form:
    """A form submitted in one go; text-only channels ask the fields one by one."""

    id: str
    dialog: str
    fields: tuple[FormField, ...]
    submit_title: str


@dataclass(frozen=True)
class Message:
    """What the bot says in one reply."""

    text: str
    title: str | None = None
    source: str | None = None
    note: str | None = None
    actions_heading: str | None = None
    actions: tuple[Action, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    form: Form | None = None
    meta: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: The buttons are also answers by number ("svar 2"): channels that show buttons list
    #: them numbered under the text as well (plain text always numbers them).
    numbered: bool = False

    @property
    def is_rich(self) -> bool:
        """True when a card shows more than the plain text would."""
        return bool(self.actions or self.source or self.facts or self.form or self.title)
