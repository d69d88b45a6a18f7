"""Test helpers for Den gode idé: fake proactive senders, one delivery tick, complete drafts.

Chat tests talk to the whole bot through tests/harness/chat.py (the ``chat_factory``
fixture of tests/ideas/conftest.py)."""

from __future__ import annotations

from collections import deque
from typing import Any

from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.clock import Clock
from bot.delivery.config import DeliveryConfig
from bot.delivery.protocol import ProactiveSender, SendOutcome, SendStatus
from bot.delivery.scheduler import Scheduler, TickReport
from bot.ideas.wiring import IdeaComponents
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs.idea_port import Person
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


async def remember(database: Database, clock: Clock, person: Person, service_url: str = "https://connector.local.test/") -> int:
    """What the activity handler does when the person writes to the bot: their conversation is stored."""
    reference = ConversationReference(
        channel_id=person.channel_id,
        service_url=service_url,
        conversation=ConversationAccount(id=person.conversation_id, conversation_type=person.conversation_type, tenant_id="tenant"),
        user=ChannelAccount(id=person.user_id, name=person.user_name),
        bot=ChannelAccount(id="28:bot", name="MED-bot"),
    )
    return await ConversationStore(database, clock).upsert_from_activity(reference, person.conversation_type, "tenant")


async def deliver(
    components: IdeaComponents,
    database: Database,
    clock: Clock,
    sender: ProactiveSender,
    *,
    owner: str = "replica-a",
    config: DeliveryConfig | None = None,
) -> TickReport:
    """One tick of the delivery scheduler over the idea notifications, sending through ``sender``."""
    return await Scheduler(database, clock, sender, owner, [components.kind], config=config).tick()


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
