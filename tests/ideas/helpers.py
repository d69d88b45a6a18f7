"""Test helpers for Den gode idé: a chat harness, a fake proactive sender, drafts."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogSet
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.clock import Clock
from bot.delivery.protocol import SendOutcome, SendStatus
from bot.ideas.wiring import IdeaComponents
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from bot.storage.state import SqlStorage
from dialogs.deps import DialogDeps
from dialogs.inbound import read_input
from dialogs.messages import DATA_DIALOG, DATA_FORM, Message
from dialogs.render import ADAPTIVE_CARD_CONTENT_TYPE
from dialogs.router import DIALOG_STATE_PROPERTY, Router
from knowledge.ideas_rules import IdeaDraft
from knowledge.kb import KnowledgeBase
from knowledge.profiles import Profile
from knowledge.search import Searcher


def load_knowledge() -> tuple[KnowledgeBase, Searcher]:
    """The real knowledge base and search (the router answers questions typed mid-dialog)."""
    kb = KnowledgeBase.load()
    return kb, Searcher(kb)


class RecordingUnanswered:
    """An UnansweredSink that keeps what would be logged for the MED secretary."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def add(self, text: str, score: float, suggestions: list[str], channel_id: str) -> None:
        self.texts.append(text)


def card_texts(card: dict[str, Any]) -> list[str]:
    out: list[str] = []

    def walk(elements: Iterable[dict[str, Any]]) -> None:
        for element in elements:
            if element.get("type") == "TextBlock":
                out.append(element.get("text", ""))
            elif element.get("type") == "FactSet":
                out.extend(f"{f['title']}: {f['value']}" for f in element.get("facts", []))
            elif str(element.get("type", "")).startswith("Input."):
                out.append(f"[{element.get('id')}]")
            walk(element.get("items", []))

    walk(card.get("body", []))
    out.extend(a.get("title", "") for a in card.get("actions", []))
    return out


def activity_text(activity: Activity) -> str:
    parts = [activity.text or ""]
    for attachment in activity.attachments or []:
        if attachment.content_type == ADAPTIVE_CARD_CONTENT_TYPE:
            parts.extend(card_texts(attachment.content))
    return "\n".join(p for p in parts if p)


class Chat:
    """One user talking to the idea dialogs through the real Router and SqlStorage.

    Each turn does what ``bot.handler.MedBot`` does: store the conversation reference,
    read the input (card clicks become text), route, save the dialog state.
    """

    def __init__(
        self,
        database: Database,
        clock: Clock,
        profile: Profile,
        components: IdeaComponents,
        *,
        channel: str = "console",
        user_id: str = "29:mette",
        user_name: str = "Mette Jensen",
        conversation_id: str | None = None,
        conversation_type: str = "personal",
        knowledge: tuple[KnowledgeBase, Searcher] | None = None,
    ) -> None:
        self.components = components
        self.state = ConversationState(SqlStorage(database, clock))
        kb, searcher = knowledge or load_knowledge()
        self.unanswered = RecordingUnanswered()
        deps = DialogDeps(kb=kb, searcher=searcher, profile=profile, unanswered=self.unanswered, clock=clock)
        self.router = Router(deps, self.state, components.dialogs())
        self._direct = DialogSet(self.state.create_property(DIALOG_STATE_PROPERTY))
        self._direct.add(components.dialog)
        self._direct.add(components.admin_dialog)
        self._start: str | None = None
        self.conversations = ConversationStore(database, clock)
        self.user_id = user_id
        self.channel = channel
        template = Activity(
            channel_id=channel,
            service_url="https://connector.local.test/",
            from_property=ChannelAccount(id=user_id, name=user_name),
            recipient=ChannelAccount(id="bot", name="MED-bot"),
            conversation=ConversationAccount(id=conversation_id or f"conv-{user_id}", conversation_type=conversation_type),
        )
        self.adapter = TestAdapter(self._logic, template)

    async def _logic(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        reference = TurnContext.get_conversation_reference(activity)
        await self.conversations.upsert_from_activity(reference, activity.conversation.conversation_type, None)
        user_input = read_input(activity)
        activity.text = user_input.text
        if self._start is not None:
            dc = await self._direct.create_context(turn_context)
            await dc.begin_dialog(self._start, user_input.text)
        else:
            await self.router.on_message(turn_context, user_input)
        await self.state.save_changes(turn_context)

    def _replies(self) -> list[str]:
        out = []
        while (activity := self.adapter.get_next_activity()) is not None:
            if activity.type == ActivityTypes.message:
                out.append(activity_text(activity))
        return out

    async def say(self, text: str) -> str:
        """Send ``text``; return everything the bot answered, joined."""
        await self.adapter.receive_activity(Activity(type=ActivityTypes.message, text=text))
        return "\n".join(self._replies())

    async def click(self, text: str, dialog: str = "idea") -> str:
        """Click a card button whose text is ``text``."""
        activity = Activity(type=ActivityTypes.message, text=None, value={"text": text, DATA_DIALOG: dialog})
        await self.adapter.receive_activity(activity)
        return "\n".join(self._replies())

    async def submit_form(self, values: dict[str, str], form: str = "idea_form", dialog: str = "idea") -> str:
        activity = Activity(type=ActivityTypes.message, text=None, value={DATA_FORM: form, DATA_DIALOG: dialog, **values})
        await self.adapter.receive_activity(activity)
        return "\n".join(self._replies())

    async def command(self, text: str) -> str:
        """Start the admin dialog with ``text`` (as the router will once intents route idea commands)."""
        self._start = "idea_admin"
        try:
            await self.adapter.receive_activity(Activity(type=ActivityTypes.message, text=text))
        finally:
            self._start = None
        return "\n".join(self._replies())


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
