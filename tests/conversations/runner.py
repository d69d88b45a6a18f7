"""Play blind multi-turn conversations through the real bot and check what it did.

The conversations are JSON lines (tests/data/conversations/*.jsonl) in the format of
tests/data/conversations/FORMAT.md::

    {"id": "cv01", "org": "jammerbugt", "chat": "personal",
     "turns": [{"user": "...", "expect": {"says_any": ["..."], "dialog": "idea"}}]}

Every conversation gets a bot of its own: the real composition root
(:func:`bot.runtime.build_runtime`: activity handler, router, dialogs, SqlStorage) on a
fresh SQLite file in a temporary directory, the municipality profile named by ``org``,
and a :class:`~bot.clock.FakeClock` that starts on Monday 2026-12-07 10:00
Europe/Copenhagen and moves 20 seconds per turn. Nothing sleeps and nothing goes on
the network: activities go through botbuilder's ``TestAdapter`` (a recording subclass),
and the runtime's CloudAdapter is pointed at the same recorder for proactive sends
(``continue_conversation``/``create_conversation``).

The user writes in a personal Teams chat (``msteams``, ``personal``), or for
``"chat": "group"`` in a Teams group chat (``groupChat``, the text prefixed with the
``<at>MED-bot</at>`` mention as Teams sends it). In a group chat the user's personal
chat with the bot is known to the bot beforehand (its conversation reference is stored,
as after an org-wide install), so the bot can continue a personal matter there. When
the bot continues in another conversation, the user's next turns go there; replies are
collected from every conversation.

Run::

    .venv/bin/python -m tests.conversations.runner tests/data/conversations/*.jsonl [--verbose]
"""

from __future__ import annotations

import os

# As tests/conftest.py: no scheduler loop (no real waiting), no credentials from the shell.
os.environ["MEDBOT_SCHEDULER"] = "off"
for _name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "MEDBOT_SLACK_API_URL", "MicrosoftAppId", "MicrosoftAppPassword"):
    os.environ.pop(_name, None)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from botbuilder.core import TurnContext  # noqa: E402
from botbuilder.core.adapters import TestAdapter  # noqa: E402
from botbuilder.schema import (  # noqa: E402
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    Mention,
    ResourceResponse,
)

import dialogs.activities as _activities_module  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.delivery.config import DeliveryConfig  # noqa: E402
from bot.runtime import Knowledge, Runtime, build_runtime, load_knowledge  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack.settings import SlackSettings  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from dialogs import texts  # noqa: E402
from dialogs.messages import Message  # noqa: E402
from knowledge.normalize import fold  # noqa: E402
from knowledge.profiles import Profile  # noqa: E402
from tests.harness.chat import BOT, SERVICE_URL, dialog_stack_ids  # noqa: E402
from tests.harness.chat import reply_text as activity_text  # noqa: E402

__all__ = [
    "BotUnderTest",
    "Conversation",
    "ConversationResult",
    "TurnResult",
    "load_conversations",
    "parse_conversation",
    "run_conversation",
    "run_conversations",
    "format_results",
    "summary_line",
    "main",
]

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 12, 7, 10, 0, tzinfo=LOCAL_TZ)  # Monday
TURN_GAP = timedelta(seconds=20)

CHANNEL = "msteams"
TENANT = "tenant-blind"
USER = ChannelAccount(id="29:blind-user", name="Mette Jensen", aad_object_id="00000000-0000-0000-0000-00000000b11d")
PERSONAL_ID = "a:personal-blind-user"
GROUP_ID = "19:blind-group@thread.v2"
MENTION = "<at>MED-bot</at>"

KNOWN_KEYS = (
    "says_any",
    "says_none",
    "answers",
    "doesnt_know",
    "replies",
    "dialog",
    "reminders",
    "reminder",
    "ideas",
    "idea",
    "not_saved",
    "logged_unanswered",
    "level",
    "private",
)
DIALOG_KINDS = (("idea", "idea"), ("reminder", "reminder"), ("case_level", "case"))
ACTIVE_REMINDER_STATUSES = ("pending", "claimed")

log = logging.getLogger(__name__)


# -- the conversations ----------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    user: str
    expect: dict[str, Any]


@dataclass(frozen=True)
class Conversation:
    id: str
    org: str
    chat: str
    turns: tuple[Turn, ...]
    persona: str = ""
    source: str = ""  # file:line

    @property
    def group(self) -> bool:
        return self.chat == "group"

    @property
    def label(self) -> str:
        """The id, with the file it came from (ids may repeat across files)."""
        stem = self.source.rsplit(":", 1)[0].removesuffix(".jsonl")
        return f"{stem}/{self.id}" if stem and stem != self.id else self.id


class ConversationFormatError(ValueError):
    pass


def parse_conversation(data: dict[str, Any], source: str = "") -> Conversation:
    if not isinstance(data, dict):
        raise ConversationFormatError(f"{source}: a conversation must be a JSON object")
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ConversationFormatError(f"{source}: 'turns' must be a non-empty list")
    parsed = []
    for i, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict) or not isinstance(turn.get("user"), str):
            raise ConversationFormatError(f"{source}: turn {i} needs a 'user' text")
        expect = turn.get("expect") or {}
        if not isinstance(expect, dict):
            raise ConversationFormatError(f"{source}: turn {i}: 'expect' must be an object")
        parsed.append(Turn(user=turn["user"], expect=dict(expect)))
    chat = str(data.get("chat") or "personal")
    if chat not in ("personal", "group"):
        raise ConversationFormatError(f"{source}: chat must be 'personal' or 'group', not {chat!r}")
    return Conversation(
        id=str(data.get("id") or source),
        org=str(data.get("org") or "albertslund"),
        chat=chat,
        turns=tuple(parsed),
        persona=str(data.get("persona") or ""),
        source=source,
    )


def load_conversations(paths: Iterable[str | Path]) -> list[Conversation]:
    out: list[Conversation] = []
    for path in paths:
        path = Path(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            source = f"{path.name}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConversationFormatError(f"{source}: not JSON ({exc})") from exc
            out.append(parse_conversation(data, source))
    return out


# -- what the bot said ------------------------------------------------------------------

def _content_key(activity: Activity) -> str:
    attachments = [(a.content_type, a.content) for a in activity.attachments or []]
    actions = [(a.title, a.value) for a in (activity.suggested_actions.actions if activity.suggested_actions else None) or []]
    return json.dumps([activity.text, attachments, actions], sort_keys=True, default=str, ensure_ascii=False)


class MessageLog:
    """The Message each activity built by ``dialogs.activities.to_activity`` was rendered from.

    ``send`` looks ``to_activity`` up in its module at call time, so every reply sent
    through ``dialogs.activities.send`` is seen here with its Message (and ``meta``, e.g.
    ``{"fallback": "1"}`` from qa.fallback_message). Activities are matched by content
    (TurnContext sends a deep copy), so nothing is added to the activity itself.
    """

    def __init__(self) -> None:
        self._by_content: dict[str, Message] = {}

    def record(self, activity: Activity, message: Message) -> None:
        with contextlib.suppress(Exception):
            self._by_content[_content_key(activity)] = message

    def message_of(self, activity: Activity) -> Message | None:
        try:
            return self._by_content.get(_content_key(activity))
        except Exception:  # noqa: BLE001
            return None


@contextlib.contextmanager
def message_hook(messages: MessageLog) -> Iterator[None]:
    original = _activities_module.to_activity

    def recorded(message: Message, channel_id: str | None) -> Activity:
        activity = original(message, channel_id)
        messages.record(activity, message)
        return activity

    _activities_module.to_activity = recorded  # type: ignore[assignment]  # the runner records what the dialogs send
    try:
        yield
    finally:
        _activities_module.to_activity = original  # type: ignore[assignment]  # and puts the original back


@dataclass
class Reply:
    conversation_id: str
    conversation_type: str | None
    activity: Activity
    text: str
    message: Message | None

    @property
    def personal(self) -> bool:
        return self.conversation_type in (None, "", "personal")


# -- the adapter ------------------------------------------------------------------------


class RecordingAdapter(TestAdapter):
    """botbuilder's TestAdapter that records every activity with the conversation it went to.

    ``continue_conversation`` runs the callback on this adapter (as BotAdapter does);
    ``create_conversation`` accepts the CloudAdapter, BotFrameworkAdapter and TestAdapter
    signatures and opens (or, like Teams, returns the existing) 1:1 chat with the user.
    """

    def __init__(self, bot_logic: Callable[[TurnContext], Any]) -> None:
        super().__init__(bot_logic, Activity(channel_id=CHANNEL, service_url=SERVICE_URL, recipient=BOT, from_property=USER))
        self.sent: list[tuple[str, str | None, Activity]] = []
        self.errors: list[BaseException] = []
        self.created: list[str] = []
        self.on_turn_error = self._on_error

    async def _on_error(self, turn_context: TurnContext, error: Exception) -> None:
        self.errors.append(error)
        log.debug("turn failed", exc_info=error)
        # What the runtime's own error handler does: apologise in the chat.
        if turn_context.activity.type == ActivityTypes.message:
            with contextlib.suppress(Exception):
                await turn_context.send_activity(
                    _activities_module.to_activity(Message(text=texts.ERROR_APOLOGY), turn_context.activity.channel_id)
                )

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses = []
        for activity in activities:
            if activity.type == "trace":
                continue
            conversation = activity.conversation or (context.activity.conversation if context.activity else None)
            conversation_id = conversation.id if conversation else ""
            conversation_type = conversation.conversation_type if conversation else None
            self.sent.append((conversation_id or "", conversation_type, activity))
            self._next_id += 1
            responses.append(ResourceResponse(id=f"reply-{self._next_id}"))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        # An updated card counts as said again.
        conversation = activity.conversation or context.activity.conversation
        self.sent.append((conversation.id if conversation else "", conversation.conversation_type if conversation else None, activity))
        return ResourceResponse(id=activity.id or "updated")

    async def deliver(self, activity: Activity, logic: Callable[[TurnContext], Any]) -> None:
        await self.run_pipeline(self.create_turn_context(activity), logic)

    async def continue_conversation(self, reference: ConversationReference, callback: Callable, *args: Any, **kwargs: Any) -> Any:
        if reference.conversation is not None and not reference.conversation.conversation_type:
            # The stored reference of the personal chat may lack the type.
            if reference.conversation.id == PERSONAL_ID:
                reference.conversation.conversation_type = "personal"
        return await super().continue_conversation(reference, callback)

    async def create_conversation(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]  # accepts whatever the SDK passes
        values = [*args, *kwargs.values()]
        callback = kwargs.get("callback") or kwargs.get("logic") or next((v for v in values if callable(v)), None)
        parameters = next((v for v in values if isinstance(v, ConversationParameters)), None)
        members = list(parameters.members or []) if parameters else []
        if parameters and parameters.is_group:
            conversation_id = f"19:created-{uuid.uuid4().hex[:8]}@thread.v2"
            conversation_type = "groupChat"
        elif not members or any(m.id in (USER.id, USER.aad_object_id) for m in members if m):
            conversation_id = PERSONAL_ID  # Teams gives the existing 1:1 chat back
            conversation_type = "personal"
        else:
            conversation_id = f"a:created-{uuid.uuid4().hex[:8]}"
            conversation_type = "personal"
        self.created.append(conversation_id)
        activity = Activity(
            type=ActivityTypes.event,
            name="CreateConversation",
            id=str(uuid.uuid4()),
            channel_id=CHANNEL,
            service_url=SERVICE_URL,
            conversation=ConversationAccount(id=conversation_id, conversation_type=conversation_type, tenant_id=TENANT),
            channel_data=parameters.channel_data if parameters else None,
            recipient=(parameters.bot if parameters and parameters.bot else BOT),
            from_property=members[0] if members else USER,
        )
        if callback is None:
            return None
        return await self.run_pipeline(self.create_turn_context(activity), callback)


# -- one bot ----------------------------------------------------------------------------


class _Shared:
    """What every bot of a run may share: loaded knowledge (read-only) and a migrated empty database."""

    def __init__(self) -> None:
        self.knowledge: dict[str, Knowledge] = {}
        self._template_dir: tempfile.TemporaryDirectory[str] | None = None
        self.template: Path | None = None

    def knowledge_for(self, settings: Settings) -> Knowledge:
        if settings.org not in self.knowledge:
            self.knowledge[settings.org] = load_knowledge(settings)
        return self.knowledge[settings.org]

    async def template_database(self) -> Path:
        if self.template is None:
            self._template_dir = tempfile.TemporaryDirectory(prefix="medbot-blind-template-")
            path = Path(self._template_dir.name) / "template.sqlite3"
            database = Database(f"sqlite+aiosqlite:///{path}")
            try:
                await database.upgrade()
            finally:
                await database.dispose()
            self.template = path
        return self.template


_SHARED = _Shared()


def _walk_drafts(obj: Any, found: list[dict[str, Any]], depth: int = 0) -> None:
    """Dicts stored under a ``draft`` key anywhere in the dialog state (the idea in progress)."""
    if depth > 30:
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "draft" and isinstance(value, dict):
                found.append(value)
            _walk_drafts(value, found, depth + 1)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            _walk_drafts(value, found, depth + 1)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        _walk_drafts(vars(obj), found, depth + 1)


def dialog_kind(dialog_id: str | None) -> str:
    if not dialog_id:
        return "none"
    for prefix, kind in DIALOG_KINDS:
        if dialog_id.startswith(prefix):
            return kind
    return dialog_id


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _json(value: Any) -> Any:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value


@dataclass
class IdeaView:
    title: str
    description: str
    kind: str  # "idea" | "draft"


class BotUnderTest:
    """The real runtime on a fresh database, driven like Teams drives it."""

    def __init__(self, org: str, workdir: Path) -> None:
        self.clock = FakeClock(START)
        self.workdir = workdir
        self.settings = replace(
            Settings(),
            database_url=f"sqlite+aiosqlite:///{workdir / 'medbot.sqlite3'}",
            data_dir=workdir,
            org=org,
            delivery=DeliveryConfig(run_loop=False),
            slack=SlackSettings(),
        )
        self.runtime: Runtime | None = None
        self.adapter: RecordingAdapter | None = None
        self.conversations: dict[str, ConversationAccount] = {}
        self.messages = MessageLog()

    @property
    def profile(self) -> Profile:
        assert self.runtime is not None
        return self.runtime.knowledge.profile

    async def start(self) -> None:
        shutil.copyfile(await _SHARED.template_database(), self.workdir / "medbot.sqlite3")
        knowledge = _SHARED.knowledge_for(self.settings)
        self.runtime = build_runtime(self.settings, clock=self.clock, knowledge=knowledge)
        await self.runtime.start()
        self.adapter = RecordingAdapter(self.runtime.bot.on_turn)
        # Proactive sends through the runtime's CloudAdapter land in the recorder, not on the network.
        cloud = self.runtime.adapter
        cloud.continue_conversation = self.adapter.continue_conversation  # type: ignore[method-assign]  # the runner's adapter stands in for the cloud adapter
        cloud.create_conversation = self.adapter.create_conversation  # type: ignore[method-assign]  # the runner's adapter stands in for the cloud adapter
        self.conversations = {
            PERSONAL_ID: ConversationAccount(id=PERSONAL_ID, conversation_type="personal", tenant_id=TENANT),
            GROUP_ID: ConversationAccount(
                id=GROUP_ID, conversation_type="groupChat", tenant_id=TENANT, is_group=True, name="Team Nord"
            ),
        }

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.close()
            self.runtime = None

    def reference(self, conversation_id: str) -> ConversationReference:
        return ConversationReference(
            channel_id=CHANNEL,
            service_url=SERVICE_URL,
            conversation=self.conversations[conversation_id],
            user=USER,
            bot=BOT,
        )

    async def know_personal_chat(self) -> None:
        """The bot has the user's 1:1 chat on file (as after an org-wide install of the app)."""
        assert self.runtime is not None
        await self.runtime.conversations.upsert_from_activity(self.reference(PERSONAL_ID), "personal", TENANT)

    def activity(self, text: str, conversation_id: str) -> Activity:
        conversation = self.conversations.get(conversation_id) or ConversationAccount(
            id=conversation_id, conversation_type="personal", tenant_id=TENANT
        )
        group = conversation.conversation_type not in (None, "", "personal")
        entities = None
        if group:
            text = f"{MENTION} {text}"
            entities = [Mention(mentioned=BOT, text=MENTION, type="mention")]
        assert self.adapter is not None
        self.adapter._next_id += 1
        return Activity(
            type=ActivityTypes.message,
            id=f"in-{self.adapter._next_id}",
            timestamp=self.clock.now(),
            local_timestamp=self.clock.now().astimezone(LOCAL_TZ),
            local_timezone="Europe/Copenhagen",
            channel_id=CHANNEL,
            service_url=SERVICE_URL,
            from_property=USER,
            recipient=BOT,
            conversation=conversation,
            text=text,
            text_format="plain",
            locale="da-DK",
            entities=entities,
            channel_data={"tenant": {"id": TENANT}},
        )

    async def say(self, text: str, conversation_id: str) -> tuple[list[Reply], list[BaseException]]:
        assert self.adapter is not None and self.runtime is not None
        start_sent = len(self.adapter.sent)
        start_errors = len(self.adapter.errors)
        await self.adapter.deliver(self.activity(text, conversation_id), self.runtime.bot.on_turn)
        replies = []
        for conv_id, conv_type, activity in self.adapter.sent[start_sent:]:
            if activity.type not in (None, ActivityTypes.message):
                continue
            if conv_id not in self.conversations and activity.conversation is not None:
                self.conversations[conv_id] = activity.conversation
            if conv_type is None and conv_id in self.conversations:
                conv_type = self.conversations[conv_id].conversation_type
            replies.append(
                Reply(
                    conversation_id=conv_id,
                    conversation_type=conv_type,
                    activity=activity,
                    text=activity_text(activity),
                    message=self.messages.message_of(activity),
                )
            )
        return replies, list(self.adapter.errors[start_errors:])

    # -- storage -------------------------------------------------------------------

    async def _rows(self, sql: str, **params: Any) -> list[Any]:
        assert self.runtime is not None
        async with self.runtime.database.connection() as connection:
            result = await connection.execute(sa.text(sql), params)
            return list(result.all())

    async def unanswered_count(self) -> int:
        return int((await self._rows("SELECT count(*) FROM unanswered_questions"))[0][0])

    async def active_reminders(self) -> list[tuple[str, datetime | None]]:
        rows = await self._rows(
            "SELECT text, due_at FROM reminders WHERE user_id = :user AND status IN ('pending', 'claimed') ORDER BY id",
            user=USER.id,
        )
        return [(row[0], _utc(row[1])) for row in rows]

    async def submitted_ideas(self) -> list[Any]:
        return await self._rows(
            "SELECT i.id, i.title, i.description, i.created_at FROM ideas i "
            "JOIN idea_submitters s ON s.idea_id = i.id WHERE s.user_id = :user ORDER BY i.created_at, i.id",
            user=USER.id,
        )

    async def drafts(self) -> list[tuple[dict[str, Any], datetime | None]]:
        rows = await self._rows(
            "SELECT data, updated_at FROM idea_drafts WHERE user_id = :user ORDER BY updated_at, id", user=USER.id
        )
        return [(_json(row[0]) or {}, _utc(row[1])) for row in rows]

    async def state_of(self, conversation_id: str) -> Any:
        assert self.runtime is not None
        key = f"{CHANNEL}/conversations/{conversation_id}"
        return (await self.runtime.storage.read([key])).get(key)

    async def active_dialog(self, conversation_id: str) -> str | None:
        ids = dialog_stack_ids(await self.state_of(conversation_id))
        return ids[0] if ids else None

    async def newest_idea(self, conversation_id: str) -> IdeaView | None:
        drafts = await self.drafts()
        if drafts:
            data = drafts[-1][0]
            return IdeaView(str(data.get("title") or ""), str(data.get("description") or ""), "draft")
        state_drafts: list[dict[str, Any]] = []
        if await self.active_dialog(conversation_id):
            _walk_drafts(await self.state_of(conversation_id), state_drafts)
        if state_drafts:
            data = state_drafts[0]
            return IdeaView(str(data.get("title") or ""), str(data.get("description") or ""), "draft")
        ideas = await self.submitted_ideas()
        if ideas:
            return IdeaView(str(ideas[-1][1] or ""), str(ideas[-1][2] or ""), "idea")
        return None

    async def saved_texts(self) -> list[str]:
        """Every stored idea field, draft field and reminder text (of anyone)."""
        texts_: list[str] = []
        for row in await self._rows("SELECT title, description, potential, area_name, consequences FROM ideas"):
            texts_.extend(str(v) for v in row[:4] if v)
            texts_.extend(_strings(_json(row[4])))
        for row in await self._rows("SELECT data FROM idea_drafts"):
            texts_.extend(_strings(_json(row[0])))
        for row in await self._rows("SELECT text FROM reminders"):
            texts_.append(str(row[0] or ""))
        for conversation_id in list(self.conversations):
            found: list[dict[str, Any]] = []
            _walk_drafts(await self.state_of(conversation_id), found)
            for draft in found:
                texts_.extend(_strings(draft))
        return [t for t in texts_ if t]


# -- checking a turn ----------------------------------------------------------------------


@dataclass
class TurnObservation:
    """What one turn did, for the checks."""

    user: str
    replies: list[Reply]
    errors: list[BaseException]
    start_conversation: str
    start_group: bool
    dialog: str | None
    unanswered_added: int
    bot: BotUnderTest

    @property
    def all_text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def folded(self) -> str:
        return fold(self.all_text)


def _contains(haystack_folded: str, needle: str) -> bool:
    wanted = fold(str(needle))
    return bool(wanted) and wanted in haystack_folded


_SOURCE_LINE = re.compile(rf"(^|\n)\s*\**{re.escape(texts.SOURCE_PREFIX)}\**\s*:", re.IGNORECASE)
_DONT_KNOW = re.compile(
    r"\b(det )?ved jeg (desvarre |ikke noget|ikke)|\bjeg ved (desvarre )?ikke\b|\bkan (jeg )?(desvarre )?ikke svare\b"
    r"|\bhar (desvarre )?ikke (noget |et )?svar\b|\bkender (desvarre )?ikke svaret\b|\bdon t know\b"
)
_QUESTION = re.compile(r"[^.!?\n]*\?")
_WHO_DECIDES = re.compile(r"\bhvem\b.*\b(traf|beslut|bestem|afgor|tager beslutning)|\bwho\b.*\bdecide")
_NOT_MED_PHRASE = re.compile(r"\bikke en (sag|opgave) for med\b|\bikke (noget|en sag) (for|i) med\b")
_SENTENCE = re.compile(r"[.!?\n]+")


def _fallback_texts() -> list[str]:
    return [fold(t) for t in (getattr(texts, "FALLBACK_UNKNOWN", ""),) if t]


def is_fallback(reply: Reply) -> bool:
    if reply.message is not None and reply.message.meta.get("fallback"):
        return True
    folded = fold(reply.text)
    if any(t and t in folded for t in _fallback_texts()):
        return True
    return bool(_DONT_KNOW.search(folded))


def is_answer(reply: Reply) -> bool:
    if is_fallback(reply):
        return False
    if reply.message is not None and reply.message.source:
        return True
    return bool(_SOURCE_LINE.search(reply.text))


def _says_not_med(text: str) -> bool:
    if _NOT_MED_PHRASE.search(fold(text)):
        return True
    for sentence in _SENTENCE.split(text):
        if re.search(r"\bikke\b", sentence, re.IGNORECASE) and re.search(r"(?<![\wÆØÅæøå])MED(?![a-zæøå])", sentence):
            return True
    return False


def asks_who_decides(text: str) -> bool:
    """A question (a sentence ending in »?«) about who decides."""
    return any(_WHO_DECIDES.search(fold(question)) for question in _QUESTION.findall(text))


def _named_levels(text: str, profile: Profile) -> list[tuple[int, str]]:
    """(position, level code) of the first naming of each level's committee, earliest first.

    The user's own words, quoted back in »…« (»Sagen: »… i KommuneMED …««), name nothing.
    """
    haystack = " " + fold(re.sub(r"»[^«]*«", lambda m: " " * len(m.group(0)), text))
    found = []
    for code, info in profile.levels.items():
        best = None
        for name in info.all_names:
            needle = fold(name)
            if not needle:
                continue
            match = re.search(rf"(?<=\s){re.escape(needle)}", haystack)
            if match and (best is None or match.start() < best):
                best = match.start()
        if best is not None:
            found.append((best, code))
    return sorted(found)


def level_of(text: str, profile: Profile) -> tuple[str, str]:
    """The level an answer names, and why: ``ask`` / ``not_med`` / a level code / ``none``."""
    if asks_who_decides(text):
        return "ask", "asks who decides"
    if _says_not_med(text):
        return "not_med", "says MED is not the place"
    named = _named_levels(text, profile)
    if named:
        return named[0][1], f"names {profile.level_name(named[0][1])} first"
    return "none", "names no committee"


def _bool(value: Any) -> bool:
    return bool(value) and str(value).lower() not in ("false", "0", "no")


async def check_turn(expect: dict[str, Any], seen: TurnObservation) -> list[str]:
    """The failed expectations of a turn, each as one readable line."""
    failures: list[str] = []
    bot = seen.bot
    folded = seen.folded
    for key, wanted in expect.items():
        try:
            problem = await _check(key, wanted, seen, bot, folded)
        except Exception as exc:  # noqa: BLE001 - a broken check is a failure to report, not a crash
            problem = f"could not check: {type(exc).__name__}: {exc}"
        if problem:
            failures.append(f"{key}: {problem}")
    return failures


async def _check(key: str, wanted: Any, seen: TurnObservation, bot: BotUnderTest, folded: str) -> str | None:
    if key == "says_any":
        needles = wanted if isinstance(wanted, list) else [wanted]
        if not any(_contains(folded, n) for n in needles):
            return f"none of {needles} in the reply"
    elif key == "says_none":
        needles = wanted if isinstance(wanted, list) else [wanted]
        said = [n for n in needles if _contains(folded, n)]
        if said:
            return f"the reply says {said}"
    elif key == "answers":
        answered = any(is_answer(r) for r in seen.replies)
        if answered != _bool(wanted):
            return "no knowledge answer (no source line)" if _bool(wanted) else "gave a knowledge answer"
    elif key == "doesnt_know":
        unknown = any(is_fallback(r) for r in seen.replies)
        if unknown != _bool(wanted):
            return "did not say it doesn't know" if _bool(wanted) else "said it doesn't know"
    elif key == "replies":
        if bool(seen.replies) != _bool(wanted):
            return "no reply" if _bool(wanted) else f"replied ({len(seen.replies)} messages)"
    elif key == "dialog":
        got = dialog_kind(seen.dialog)
        if got != str(wanted):
            return f"expected {wanted}, got {got}" + (f" ({seen.dialog})" if seen.dialog and got != seen.dialog else "")
    elif key == "reminders":
        got = len(await bot.active_reminders())
        if got != int(wanted):
            return f"expected {wanted}, got {got}"
    elif key == "reminder":
        return await _check_reminder(wanted, bot)
    elif key == "ideas":
        got = len(await bot.submitted_ideas())
        if got != int(wanted):
            return f"expected {wanted} submitted, got {got}"
    elif key == "idea":
        return await _check_idea(wanted, seen, bot)
    elif key == "not_saved":
        needle = fold(str(wanted))
        if needle:
            hits = [t for t in await bot.saved_texts() if needle in fold(t)]
            if hits:
                return f"{wanted!r} was saved: {_short(hits[0], 120)!r}"
    elif key == "logged_unanswered":
        if (seen.unanswered_added > 0) != _bool(wanted):
            return "not logged" if _bool(wanted) else f"logged ({seen.unanswered_added} row)"
    elif key == "level":
        got, why = level_of(seen.all_text, bot.profile)
        if got != str(wanted):
            expected = str(wanted)
            if expected in bot.profile.levels:
                expected = f"{wanted} ({bot.profile.level_name(str(wanted))})"
            return f"expected {expected}, got {got} ({why})"
    elif key == "private":
        return _check_private(_bool(wanted), seen)
    else:
        return f"unknown expectation key (known: {', '.join(KNOWN_KEYS)})"
    return None


async def _check_reminder(wanted: Any, bot: BotUnderTest) -> str | None:
    if not isinstance(wanted, dict):
        return f"expected an object, got {wanted!r}"
    reminders = await bot.active_reminders()
    text = str(wanted.get("text_contains") or "")
    at = str(wanted.get("at") or "").strip().replace("T", " ")

    # The writers count from 10:00; the clock moves TURN_GAP per turn, so a relative time
    # (»om en time«) lands up to that drift later than they computed.
    drift = max(bot.clock.now() - START, timedelta(0))

    def due_matches(due: datetime | None) -> bool:
        if not at:
            return True
        if due is None:
            return False
        local = due.astimezone(LOCAL_TZ)
        if len(at) <= 10:
            return local.strftime("%Y-%m-%d") == at[:10]
        try:
            wanted_at = datetime.fromisoformat(at[:16]).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            return local.strftime("%Y-%m-%d %H:%M")[: len(at)] == at
        minute = local.replace(second=0, microsecond=0)
        return wanted_at <= minute <= (wanted_at + drift).replace(second=0, microsecond=0)

    if any((not text or fold(text) in fold(r_text)) and due_matches(due) for r_text, due in reminders):
        return None
    shown = "; ".join(
        f"{_short(t, 60)!r} at {d.astimezone(LOCAL_TZ).strftime('%Y-%m-%d %H:%M') if d else '?'}" for t, d in reminders
    )
    return f"no active reminder with text {text!r}" + (f" at {at}" if at else "") + f" (have: {shown or 'none'})"


async def _check_idea(wanted: Any, seen: TurnObservation, bot: BotUnderTest) -> str | None:
    if not isinstance(wanted, dict):
        return f"expected an object, got {wanted!r}"
    conversation_id = seen.replies[-1].conversation_id if seen.replies else seen.start_conversation
    idea = await bot.newest_idea(conversation_id)
    if idea is None:
        return "no idea or draft stored"
    problems = []
    for key, value in (("title_contains", idea.title), ("description_contains", idea.description)):
        needle = wanted.get(key)
        if needle and fold(str(needle)) not in fold(value):
            problems.append(f"{key.split('_')[0]} {value!r} lacks {needle!r}")
    for key in wanted:
        if key not in ("title_contains", "description_contains"):
            problems.append(f"unknown key {key!r}")
    return f"newest {idea.kind}: " + "; ".join(problems) if problems else None


def _check_private(wanted: bool, seen: TurnObservation) -> str | None:
    elsewhere = [r for r in seen.replies if r.conversation_id != seen.start_conversation and r.personal]
    here = [r for r in seen.replies if r.conversation_id == seen.start_conversation]
    if wanted:
        if not seen.start_group:
            return "the turn was not in a group chat"
        if not elsewhere:
            return "did not continue in a personal chat"
        if not here:
            return "continued privately without saying so in the group"
        return None
    if seen.start_group and elsewhere:
        return "continued in a personal chat"
    return None


# -- running --------------------------------------------------------------------------


@dataclass
class TurnResult:
    number: int
    user: str
    expect: dict[str, Any]
    replies: list[Reply]
    failures: list[str]
    dialog: str | None
    conversation: str  # where the user wrote

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult] = field(default_factory=list)
    error: str | None = None  # the runner could not run it at all
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and all(t.passed for t in self.turns)

    @property
    def turns_passed(self) -> int:
        return sum(1 for t in self.turns if t.passed)


async def run_conversation(
    conversation: Conversation, setup: Callable[[BotUnderTest], Awaitable[None]] | None = None
) -> ConversationResult:
    """Play ``conversation`` on a bot of its own. ``setup`` may adjust the started bot (for tests of the runner)."""
    result = ConversationResult(conversation)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="medbot-blind-") as tmp:
        bot = BotUnderTest(conversation.org, Path(tmp))
        try:
            await bot.start()
        except Exception as exc:  # noqa: BLE001
            result.error = f"could not start the bot: {type(exc).__name__}: {exc}"
            return result
        hook = message_hook(bot.messages)
        hook.__enter__()
        try:
            current = GROUP_ID if conversation.group else PERSONAL_ID
            if conversation.group:
                await bot.know_personal_chat()
            if setup is not None:
                await setup(bot)
            for number, turn in enumerate(conversation.turns, start=1):
                result.turns.append(await _play_turn(bot, number, turn, current))
                replies = result.turns[-1].replies
                moved = [r.conversation_id for r in replies if r.conversation_id and r.conversation_id != current]
                if moved:
                    current = moved[-1]  # the user follows the bot
                bot.clock.advance(TURN_GAP)
        except Exception as exc:  # noqa: BLE001
            result.error = f"runner error: {type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        finally:
            hook.__exit__(None, None, None)
            await bot.stop()
    result.seconds = time.perf_counter() - started
    return result


async def _play_turn(bot: BotUnderTest, number: int, turn: Turn, current: str) -> TurnResult:
    before = await bot.unanswered_count()
    replies, errors = await bot.say(turn.user, current)
    after = await bot.unanswered_count()
    moved = [r.conversation_id for r in replies if r.conversation_id and r.conversation_id != current]
    now_in = moved[-1] if moved else current
    dialog = await bot.active_dialog(now_in)
    seen = TurnObservation(
        user=turn.user,
        replies=replies,
        errors=errors,
        start_conversation=current,
        start_group=bot.conversations[current].conversation_type not in (None, "", "personal")
        if current in bot.conversations
        else False,
        dialog=dialog,
        unanswered_added=after - before,
        bot=bot,
    )
    failures = [f"bot error: {type(e).__name__}: {e}" for e in errors]
    failures += await check_turn(turn.expect, seen)
    return TurnResult(number, turn.user, turn.expect, replies, failures, dialog, current)


async def run_conversations(conversations: Sequence[Conversation]) -> list[ConversationResult]:
    results = []
    for conversation in conversations:
        results.append(await run_conversation(conversation))
    return results


# -- reporting ------------------------------------------------------------------------


def _short(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s*\n\s*", " ⏎ ", text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reply_lines(turn: TurnResult, full: bool) -> list[str]:
    if not turn.replies:
        return ["      bot: (no reply)"]
    lines = []
    for reply in turn.replies:
        where = "" if reply.conversation_id == turn.conversation else f" [in {reply.conversation_type or 'personal'} {reply.conversation_id}]"
        text = reply.text if full else _short(reply.text)
        if full:
            text = text.replace("\n", "\n           ")
        lines.append(f"      bot{where}: {text}")
    return lines


def format_result(result: ConversationResult, verbose: bool = False) -> list[str]:
    conv = result.conversation
    head = f"{conv.id} [{conv.org}/{conv.chat}, {conv.source}]" + (f" {conv.persona}" if conv.persona else "")
    lines: list[str] = []
    if result.error:
        lines.append(f"ERROR {head}: {result.error}")
    if verbose:
        lines.append(f"{'PASS' if result.passed else 'FAIL'} {head} ({result.turns_passed}/{len(conv.turns)} turns, {result.seconds:.2f}s)")
    for turn in result.turns:
        if turn.passed and not verbose:
            continue
        mark = "ok  " if turn.passed else "FAIL"
        lines.append(f"{mark} {conv.label} turn {turn.number}: user: {_short(turn.user, 160)}")
        for failure in turn.failures:
            lines.append(f"      - {failure}")
        if not turn.passed or verbose:
            lines.extend(_reply_lines(turn, full=verbose))
        if verbose:
            lines.append(f"      (dialog after: {dialog_kind(turn.dialog)}; expect: {json.dumps(turn.expect, ensure_ascii=False)})")
    return lines


def summary_line(results: Sequence[ConversationResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    turns_ok = sum(r.turns_passed for r in results)
    turns_all = sum(len(r.conversation.turns) for r in results)
    return f"conversations: {passed} passed, {len(results) - passed} failed (turns: {turns_ok}/{turns_all})"


def format_results(results: Sequence[ConversationResult], verbose: bool = False) -> str:
    lines: list[str] = []
    for result in results:
        lines.extend(format_result(result, verbose))
    lines.append(summary_line(results))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], prog="python -m tests.conversations.runner")
    parser.add_argument("files", nargs="+", type=Path, help="conversation files (JSON lines)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every turn and the bot's full replies")
    parser.add_argument("-k", "--only", action="append", default=[], metavar="ID", help="run only these conversation ids")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.CRITICAL, format="%(levelname)s %(name)s: %(message)s")
    conversations = load_conversations(args.files)
    if args.only:
        conversations = [c for c in conversations if c.id in set(args.only)]
    started = time.perf_counter()
    results = asyncio.run(run_conversations(conversations))
    print(format_results(results, args.verbose))
    if args.verbose:
        print(f"({time.perf_counter() - started:.1f}s)")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
