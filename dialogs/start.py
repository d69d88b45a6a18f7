"""The welcome and the help: what the bot can do, with a button per job."""

from __future__ import annotations

from dialogs import texts
from dialogs.messages import Action, Message


def _start_actions() -> tuple[Action, ...]:
    return tuple(Action(title=title, text=text) for title, text in texts.START_BUTTONS)


def welcome_message() -> Message:
    return Message(text=texts.WELCOME, actions=_start_actions())


def help_message() -> Message:
    return Message(text=texts.HELP, actions=_start_actions())


def greeting_message() -> Message:
    return Message(text=texts.GREETING, actions=_start_actions())
