"""The contract between what wants to send proactively and what sends.

Ideas (status feedback, contact notifications) and reminders (personal reminders,
meeting and deadline nudges) both hand a :class:`~dialogs.messages.Message` and the
id of a stored conversation (``conversation_refs.id``) to a :class:`ProactiveSender`.
The sender renders it for the conversation's channel, respects the platform's rate
limits, and reports one :class:`SendOutcome`; callers keep their own outbox rows and
decide on retries from it. A sender never raises for a delivery failure.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from dialogs.messages import Message

if TYPE_CHECKING:
    from bot.storage.conversations import StoredConversation


class SendStatus(enum.Enum):
    DELIVERED = "delivered"
    RETRY_LATER = "retry_later"  # 429 / 412 / 5xx / network: try again after ``retry_after``
    UNREACHABLE = "unreachable"  # 403 / 404: bot blocked or removed; the conversation is marked
    NO_CONVERSATION = "no_conversation"  # no stored conversation with that id


@dataclass(frozen=True)
class SendOutcome:
    status: SendStatus
    retry_after: timedelta | None = None
    detail: str = ""
    activity_id: str | None = None


class ProactiveSender(Protocol):
    async def send(self, conversation_id: int, message: Message) -> SendOutcome: ...


@runtime_checkable
class PacedSender(Protocol):
    """A sender that can tell, without I/O, that a conversation is throttled for now
    (``planned``: after that many more sends there, about to go out)."""

    def conversation_wait(self, conversation_id: int, planned: int = 0) -> timedelta: ...


@runtime_checkable
class StoredSender(Protocol):
    """A sender that also takes the stored conversation its caller has just read (with the
    rows it is about to send), instead of reading it again for every send."""

    async def send_stored(self, stored: StoredConversation, message: Message) -> SendOutcome: ...
