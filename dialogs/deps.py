"""What the dialogs need from the outside, as small protocols.

``bot/`` (the composition root) provides the concrete objects; dialogs never build
databases, clients or clocks themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from knowledge.clock import Clock
from knowledge.kb import KnowledgeBase
from knowledge.profiles import Profile
from knowledge.search import Searcher

if TYPE_CHECKING:
    from botbuilder.core import TurnContext


class UnansweredSink(Protocol):
    async def add(self, text: str, score: float, suggestions: list[str], channel_id: str) -> None: ...


#: What runs in the turn of the personal chat (its TurnContext: the user's message, there).
PrivateTurn = Callable[["TurnContext"], Awaitable[None]]


class PrivateChats(Protocol):
    """The user's personal chat with the bot (Teams: the 1:1 chat; Slack: a DM), opened
    from a group chat or channel so that a personal matter does not run there."""

    async def continue_privately(self, turn_context: TurnContext, logic: PrivateTurn) -> bool:
        """Open the personal chat with the sender of ``turn_context`` and run ``logic`` in a
        turn of it, whose activity is the sender's message (text and all) as if written
        there; the dialog state of that chat is loaded in ``logic`` and saved after it.

        False when the chat cannot be opened (no permission, an error, a client that has
        no personal chats) or the turn there failed.
        """
        ...


@dataclass(frozen=True)
class DialogDeps:
    kb: KnowledgeBase
    searcher: Searcher
    profile: Profile
    unanswered: UnansweredSink
    clock: Clock
    #: None where there are no group conversations (the console) or no way out of them:
    #: a personal dialog started in a group then asks the user to write to the bot directly.
    private_chats: PrivateChats | None = None
