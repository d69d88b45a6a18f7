"""The welcome and the help: what the bot can do, with a button per job.

In group chats and channels (Teams ``groupChat``/``channel``, Slack channels) the
bot only sees messages that @mention it, so the welcome and the help say so.
"""

from __future__ import annotations

from dialogs import texts
from dialogs.messages import Action, Message

#: Conversation types shared with others, where the bot must be @mentioned.
GROUP_CONVERSATION_TYPES = frozenset({"groupChat", "channel", "group", "groupchat"})


def is_group(conversation_type: str | None) -> bool:
    return (conversation_type or "") in GROUP_CONVERSATION_TYPES


def _start_actions() -> tuple[Action, ...]:
    return tuple(Action(title=title, text=text) for title, text in texts.START_BUTTONS)


def welcome_message(group: bool = False) -> Message:
    return Message(text=texts.WELCOME_GROUP if group else texts.WELCOME, actions=_start_actions())


def help_message(group: bool = False) -> Message:
    text = f"{texts.HELP}\n\n{texts.GROUP_MENTION_NOTE}" if group else texts.HELP
    return Message(text=text, actions=_start_actions())


def greeting_message() -> Message:
    return Message(text=texts.GREETING, actions=_start_actions())
