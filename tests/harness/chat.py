"""The one chat test harness: a user talking to the whole bot, turn by turn.

:class:`ChatHarness` drives the real handler (``bot.handler.MedBot`` as the composition
root, :func:`bot.runtime.build_runtime`, builds it), the router, the dialogs and
SqlStorage on botbuilder's TestAdapter. The database is a SQLite file in the test's
folder (or the ``database_url`` a test passes, e.g. its ``database`` fixture's), so every
turn round-trips the dialog stack through the database, and :meth:`ChatHarness.restart`
is a new runtime on the same file. The clock is a :class:`~bot.clock.FakeClock`.

The chat is a personal Teams chat by default; ``conversation_type="groupChat"`` (or
``"channel"``) makes it a group chat where every message carries the
``<at>MED-bot</at>`` mention, as Teams sends it. ``channel_id="console"`` is a channel
without cards (text and numbered choices).

The reply readers (:func:`reply_text`, :func:`reply_buttons`, :func:`card_lines`) and the
constants (START, IDEAS_START, SERVICE_URL, USER, BOT, TENANT) are shared by the transport harnesses
(tests/harness/teams_http.py, tests/harness/slack_http.py), the fake connector and the
blind-conversation runner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.clock import FakeClock
from bot.ideas.models import IdeaDraftRow
from bot.ideas.views import ideas
from bot.runtime import Knowledge, Runtime, build_runtime, load_knowledge
from bot.settings import Settings
from dialogs.messages import DATA_DIALOG, DATA_FORM, DATA_TEXT
from dialogs.reminder_port import Owner, ReminderView
from dialogs.render import ADAPTIVE_CARD_CONTENT_TYPE

#: When the harnesses' fake clocks start unless a test says otherwise (a Tuesday, 10:00 in Copenhagen).
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
#: Monday 2 March 2026, 10:00 in Copenhagen: new ideas are for budget 2027.
IDEAS_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SERVICE_URL = "https://smba.example.test/emea/"
TENANT = "tenant-1"
USER = ChannelAccount(id="29:user-1", name="Mette Jensen")
BOT = ChannelAccount(id="28:medbot", name="MED-bot")
PERSONAL_CONVERSATION = "a:personal-1"
GROUP_CONVERSATION = "19:group-1@thread.v2"


# -- reading what the bot said ------------------------------------------------------------


def card_lines(elements: Iterable[dict[str, Any]] | None) -> list[str]:
    """The lines a person reads in a card body: text blocks, facts, inputs (``[id]`` and
    their labels and choices), nested containers and columns, and actions inside the body."""
    out: list[str] = []
    for element in elements or []:
        if not isinstance(element, dict):
            continue
        kind = str(element.get("type", ""))
        if kind == "TextBlock":
            out.append(str(element.get("text", "")))
        elif kind == "FactSet":
            out.extend(f"{f.get('title', '')}: {f.get('value', '')}" for f in element.get("facts", []))
        elif kind.startswith("Input."):
            out.append(f"[{element.get('id')}]")
            out.extend(str(element[key]) for key in ("label", "placeholder", "title") if element.get(key))
            out.extend(str(choice.get("title", "")) for choice in element.get("choices", []) or [])
        elif kind == "RichTextBlock":
            out.append("".join(str(i.get("text", "")) for i in element.get("inlines", []) if isinstance(i, dict)))
        out.extend(card_lines(element.get("items", [])))
        for column in element.get("columns", []) or []:
            out.extend(card_lines(column.get("items", [])))
        if element.get("actions"):
            out.extend(card_action_titles(element["actions"]))
    return out


def card_action_titles(actions: Iterable[dict[str, Any]] | None) -> list[str]:
    """The buttons' titles (and what a ShowCard button opens)."""
    titles: list[str] = []
    for action in actions or []:
        if isinstance(action, dict):
            titles.append(str(action.get("title", "")))
            card = action.get("card")
            if isinstance(card, dict):
                titles.extend(card_lines(card.get("body", [])))
                titles.extend(card_action_titles(card.get("actions", [])))
    return titles


def card_text(card: dict[str, Any]) -> list[str]:
    """An Adaptive Card as the lines a person reads: its body, then its buttons."""
    return card_lines(card.get("body", [])) + card_action_titles(card.get("actions", []))


def reply_text(activity: Activity) -> str:
    """Everything a person sees of a reply: text, card text blocks, facts, inputs and buttons."""
    parts = [activity.text or ""]
    for attachment in activity.attachments or []:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        if attachment.content_type == ADAPTIVE_CARD_CONTENT_TYPE or "body" in content:
            parts.extend(card_text(content))
        else:
            parts.extend(str(content[key]) for key in ("title", "subtitle", "text") if content.get(key))
            parts.extend(str(b.get("title", "")) for b in content.get("buttons", []) or [] if isinstance(b, dict))
    if activity.suggested_actions and activity.suggested_actions.actions:
        parts.extend(a.title or "" for a in activity.suggested_actions.actions)
    return "\n".join(p for p in parts if p)


def reply_buttons(activity: Activity) -> list[str]:
    """The titles of a reply's card buttons and quick replies, in order."""
    titles: list[str] = []
    for attachment in activity.attachments or []:
        titles.extend(a.get("title", "") for a in (attachment.content or {}).get("actions", []))
    if activity.suggested_actions:
        titles.extend(a.title for a in activity.suggested_actions.actions)
    return titles


def dialog_stack_ids(item: Any) -> list[str]:
    """The ids on the outer dialog stack of a stored conversation state (top first)."""
    if item is None:
        return []
    state = item.get("DialogState") if isinstance(item, dict) else getattr(item, "DialogState", None)
    if state is None:
        return []
    stack = getattr(state, "dialog_stack", None)
    if stack is None and isinstance(state, dict):
        stack = state.get("dialog_stack", state.get("dialogStack"))
    ids: list[str] = []
    for instance in stack or []:
        dialog_id = getattr(instance, "id", None)
        if dialog_id is None and isinstance(instance, dict):
            dialog_id = instance.get("id")
        if dialog_id:
            ids.append(str(dialog_id))
    return ids


# -- the harness -------------------------------------------------------------------------

# The knowledge base, search and profile are read-only once loaded: one load per
# municipality serves every harness of a test run (and every restart).
_KNOWLEDGE: dict[tuple[str, Path | None], Knowledge] = {}


def shared_knowledge(settings: Settings) -> Knowledge:
    key = (settings.org, settings.profiles_dir)
    if key not in _KNOWLEDGE:
        _KNOWLEDGE[key] = load_knowledge(settings)
    return _KNOWLEDGE[key]


async def _no_1on1_chats(*_args: Any, **_kwargs: Any) -> None:
    raise ConnectionRefusedError("the test harness opens no 1:1 chats")


class ChatHarness:
    """One user in one conversation with the whole bot (see the module docstring).

    ``settings`` overrides fields of the bot's :class:`~bot.settings.Settings`
    (``ideas=…``, ``max_message_chars=…``); the scheduler loop is always off (tests call
    ``runtime.delivery.scheduler.tick()`` on the fake clock).
    """

    def __init__(
        self,
        tmp_path: Path,
        clock: FakeClock | None = None,
        org: str = "albertslund",
        conversation_type: str = "personal",
        conversation_id: str | None = None,
        *,
        database_url: str | None = None,
        user: ChannelAccount = USER,
        channel_id: str = "msteams",
        service_url: str | None = SERVICE_URL,
        **settings: Any,
    ) -> None:
        self.settings = replace(
            Settings(),
            database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}",
            data_dir=tmp_path,
            org=org,
            **settings,
        )
        self.settings = replace(self.settings, delivery=replace(self.settings.delivery, run_loop=False))
        self.clock = clock or FakeClock(START)
        self.conversation_type = conversation_type
        self.conversation_id = conversation_id or (PERSONAL_CONVERSATION if conversation_type == "personal" else GROUP_CONVERSATION)
        self.user = user
        self.channel_id = channel_id
        self.service_url = service_url
        self.runtime: Runtime | None = None
        self.adapter: TestAdapter | None = None
        self.last: list[Activity] = []

    @property
    def group(self) -> bool:
        return self.conversation_type != "personal"

    async def start(self) -> ChatHarness:
        self.runtime = build_runtime(self.settings, clock=self.clock, knowledge=shared_knowledge(self.settings))
        await self.runtime.start()
        # Nothing goes on the network: from a group chat here, the user's 1:1 chat cannot be
        # opened (as in the Agents Playground). tests/conversations/runner.py follows the bot into one.
        self.runtime.adapter.create_conversation = _no_1on1_chats  # type: ignore[method-assign]  # the harness replaces the method
        # (TestAdapter takes only the channel from a ConversationReference; an Activity
        # template sets the user, the bot and the conversation of every activity.)
        template = Activity(
            channel_id=self.channel_id,
            service_url=self.service_url,
            from_property=self.user,
            recipient=BOT,
            conversation=ConversationAccount(
                id=self.conversation_id, conversation_type=self.conversation_type, tenant_id=TENANT, is_group=self.group
            ),
        )
        self.adapter = TestAdapter(self.runtime.bot.on_turn, template)
        return self

    async def restart(self) -> None:
        """Throw the process state away; keep the database."""
        await self.stop()
        await self.start()

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.close()
            self.runtime = None

    async def __aenter__(self) -> ChatHarness:
        return await self.start()

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.stop()

    # -- talking -------------------------------------------------------------------------

    async def say(self, text: str = "", value: dict[str, Any] | None = None) -> str:
        """Send a message (in a group chat with the bot's mention, as Teams sends it); return the replies."""
        if self.group and text:
            text = f"<at>{BOT.name}</at> {text}"
        return await self._receive(Activity(type="message", text=text, value=value, locale="en-US"))

    async def add_bot(self) -> str:
        """The bot is added to the conversation (Teams' conversationUpdate); return the replies."""
        activity = Activity(type="conversationUpdate", members_added=[BOT], locale="en-US", channel_data={"tenant": {"id": TENANT}})
        return await self._receive(activity)

    async def click(self, title: str) -> str:
        """Click the card button ``title`` of the last replies."""
        return await self.say(value=self.button_data(title))

    async def press(self, text: str, dialog: str) -> str:
        """What a card button of ``dialog`` standing for ``text`` sends — also the button of
        an older card, or one a text channel shows as a quick reply."""
        return await self.say(value={DATA_TEXT: text, DATA_DIALOG: dialog})

    async def submit_form(self, values: dict[str, str], form: str, dialog: str) -> str:
        """Submit the card form ``form`` of ``dialog`` with ``values``."""
        return await self.say(value={DATA_FORM: form, DATA_DIALOG: dialog, **values})

    async def _receive(self, activity: Activity) -> str:
        assert self.adapter is not None
        self.adapter.activity_buffer.clear()
        await self.adapter.receive_activity(activity)
        self.last = list(self.adapter.activity_buffer)
        return "\n".join(reply_text(a) for a in self.last)

    # -- reading the replies -------------------------------------------------------------

    def texts(self) -> list[str]:
        """The last turn's replies, one text per reply."""
        return [reply_text(a) for a in self.last]

    def buttons(self) -> list[str]:
        """The buttons of the last turn's replies."""
        return [title for a in self.last for title in reply_buttons(a)]

    def button_data(self, title: str) -> dict[str, Any]:
        for activity in self.last:
            for attachment in activity.attachments or []:
                for action in (attachment.content or {}).get("actions", []):
                    if action.get("title") == title:
                        return dict(action["data"])
        raise AssertionError(f"no button {title!r} in {self.buttons()}")

    # -- what the bot stored -------------------------------------------------------------

    @property
    def state_key(self) -> str:
        """The storage key of this conversation's state."""
        return f"{self.channel_id}/conversations/{self.conversation_id}"

    async def dialog_stack(self) -> list[str]:
        """The ids of the running dialogs, top first (empty: idle)."""
        assert self.runtime is not None
        return dialog_stack_ids((await self.runtime.storage.read([self.state_key])).get(self.state_key))

    async def active_dialog(self) -> str | None:
        """The dialog running in the harness's conversation (None: idle)."""
        ids = await self.dialog_stack()
        return ids[0] if ids else None

    def owner(self) -> Owner:
        """The harness's user in its conversation, as the reminder service knows them."""
        return Owner(
            channel_id=self.channel_id,
            conversation_id=self.conversation_id,
            user_id=str(self.user.id),
            reference={"channelId": self.channel_id, "serviceUrl": self.service_url, "conversation": {"id": self.conversation_id}},
            conversation_type=self.conversation_type,
        )

    async def reminders(self) -> list[ReminderView]:
        """The user's pending reminders in this conversation."""
        assert self.runtime is not None
        return await self.runtime.reminders.service.list_reminders(self.owner())

    async def unanswered(self) -> list[str]:
        """What was logged as unanswered questions for the MED secretary."""
        assert self.runtime is not None
        return [q.text for q in await self.runtime.unanswered.list(include_handled=True)]

    async def idea_count(self) -> int:
        """How many ideas were submitted (by anyone)."""
        assert self.runtime is not None
        async with self.runtime.database.session() as session:
            return int((await session.execute(sa.select(sa.func.count()).select_from(ideas))).scalar_one())

    async def idea_titles(self) -> list[str]:
        """The titles of the submitted ideas, oldest first."""
        assert self.runtime is not None
        async with self.runtime.database.session() as session:
            return [r.title for r in (await session.execute(sa.select(ideas.c.title).order_by(ideas.c.id))).all()]

    async def draft(self) -> dict[str, object] | None:
        """The user's stored idea draft (None when there is none)."""
        assert self.runtime is not None
        table: sa.Table = IdeaDraftRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
        async with self.runtime.database.session() as session:
            row = (await session.execute(sa.select(table.c.data).where(table.c.user_id == self.user.id))).one_or_none()
        return dict(row.data) if row is not None else None
