"""Test helpers for Den gode idé: fake proactive senders and complete drafts.

Chat tests talk to the whole bot through tests/harness/chat.py (the ``chat_factory``
fixture of tests/ideas/conftest.py)."""

from __future__ import annotations

from collections import deque
from typing import Any

from bot.delivery.protocol import SendOutcome, SendStatus
from dialogs.messages import Message
from knowledge.ideas_rules import IdeaDraft


class FakeSender:
    """A ProactiveSender that records messages; ``script`` holds outcomes to give first."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Message]] = []
        self.script: deque[SendOutcome] = deque()
        self.calls = 0

    async def send(self, conversation_id: int, message: Message) -> SendOutcome:
        self.calls += 1
        if self.script:
            outcome = self.script.popleft()
            if outcome.status is not SendStatus.DELIVERED:
                return outcome
        self.sent.append((conversation_id, message))
        return SendOutcome(SendStatus.DELIVERED, activity_id=f"a{len(self.sent)}")

    def titles(self) -> list[str]:
        return [m.title or "" for _c, m in self.sent]


class FailingSender:
    async def send(self, conversation_id: int, message: Message) -> SendOutcome:
        return SendOutcome(SendStatus.RETRY_LATER, detail="connector down (502)")


def complete_draft(**overrides: Any) -> IdeaDraft:
    values: dict[str, Any] = {
        "title": "Fælles indkøb af kontorartikler",
        "description": "Vi køber kontorartikler ind hver for sig i hver afdeling. En fælles aftale giver mængderabat.",
        "potential": "Cirka 200.000 kr. om året i lavere priser og mindre tid brugt på indkøb.",
        "area_id": "bff",
        "cross_cutting": False,
        "consequences": {},
        "consequences_asked": True,
        "anonymous": False,
    }
    values.update(overrides)
    return IdeaDraft(**values)
