"""The whole bot (handler, router, dialogs) on botbuilder's TestAdapter.

State lives in SqlStorage on a SQLite file, so every turn round-trips through the
database, and a "restart" is simply a new runtime on the same file. The chat is a
personal Teams chat by default; ``conversation_type="groupChat"`` (or ``"channel"``)
makes it a group chat where every message carries the ``<at>MED-bot</at>`` mention,
as Teams sends it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.clock import FakeClock
from bot.reminders.config import ReminderConfig
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from dialogs.reminder_port import Owner, ReminderView
from tests.reminders.dialog_harness import reply_buttons, reply_text

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SERVICE_URL = "https://smba.example.test/emea/"
USER = ChannelAccount(id="29:user-1", name="Mette Jensen")
BOT = ChannelAccount(id="28:medbot", name="MED-bot")


async def _no_1on1_chats(*_args: Any, **_kwargs: Any) -> None:
    raise ConnectionRefusedError("the test harness opens no 1:1 chats")


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


class BotHarness:
    def __init__(
        self,
        tmp_path: Path,
        clock: FakeClock | None = None,
        org: str = "albertslund",
        conversation_type: str = "personal",
        conversation_id: str | None = None,
    ) -> None:
        self.settings = replace(
            Settings(),
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}",
            data_dir=tmp_path,
            org=org,
            reminders=ReminderConfig(run_loop=False),
        )
        self.clock = clock or FakeClock(START)
        self.conversation_type = conversation_type
        self.conversation_id = conversation_id or ("a:personal-1" if conversation_type == "personal" else "19:group-1@thread.v2")
        self.runtime: Runtime | None = None
        self.adapter: TestAdapter | None = None
        self.last: list[Activity] = []

    @property
    def group(self) -> bool:
        return self.conversation_type != "personal"

    async def start(self) -> BotHarness:
        self.runtime = build_runtime(self.settings, clock=self.clock)
        await self.runtime.start()
        # Nothing goes on the network: from a group chat here, the user's 1:1 chat cannot be
        # opened (as in the Agents Playground). tests/conversations/runner.py follows the bot into one.
        self.runtime.adapter.create_conversation = _no_1on1_chats  # type: ignore[method-assign]  # the harness replaces the method
        # (TestAdapter takes only the channel from a ConversationReference; an Activity
        # template sets the user, the bot and the conversation of every activity.)
        template = Activity(
            channel_id="msteams",
            service_url=SERVICE_URL,
            from_property=USER,
            recipient=BOT,
            conversation=ConversationAccount(
                id=self.conversation_id, conversation_type=self.conversation_type, tenant_id="tenant-1", is_group=self.group
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

    async def say(self, text: str = "", value: dict[str, Any] | None = None) -> str:
        """Send a message (in a group chat with the bot's mention, as Teams sends it); return the replies."""
        if self.group and text:
            text = f"<at>{BOT.name}</at> {text}"
        return await self._receive(Activity(type="message", text=text, value=value, locale="en-US"))

    async def add_bot(self) -> str:
        """The bot is added to the conversation (Teams' conversationUpdate); return the replies."""
        activity = Activity(type="conversationUpdate", members_added=[BOT], locale="en-US", channel_data={"tenant": {"id": "tenant-1"}})
        return await self._receive(activity)

    async def _receive(self, activity: Activity) -> str:
        assert self.adapter is not None
        self.adapter.activity_buffer.clear()
        await self.adapter.receive_activity(activity)
        self.last = list(self.adapter.activity_buffer)
        return "\n".join(reply_text(a) for a in self.last)

    def buttons(self) -> list[str]:
        return [title for a in self.last for title in reply_buttons(a)]

    def button_data(self, title: str) -> dict[str, Any]:
        for activity in self.last:
            for attachment in activity.attachments or []:
                for action in (attachment.content or {}).get("actions", []):
                    if action.get("title") == title:
                        return dict(action["data"])
        raise AssertionError(f"no button {title!r} in {self.buttons()}")

    async def click(self, title: str) -> str:
        """Click the card button ``title`` of the last replies."""
        return await self.say(value=self.button_data(title))

    # -- what the bot stored -------------------------------------------------------------

    def owner(self) -> Owner:
        return Owner(
            channel_id="msteams",
            conversation_id=self.conversation_id,
            user_id=USER.id,
            reference={"channelId": "msteams", "serviceUrl": SERVICE_URL, "conversation": {"id": self.conversation_id}},
            conversation_type=self.conversation_type,
        )

    async def active_dialog(self) -> str | None:
        """The dialog running in the harness's conversation (None: idle)."""
        assert self.runtime is not None
        key = f"msteams/conversations/{self.conversation_id}"
        ids = dialog_stack_ids((await self.runtime.storage.read([key])).get(key))
        return ids[0] if ids else None

    async def reminders(self) -> list[ReminderView]:
        assert self.runtime is not None
        return await self.runtime.reminders.service.list_reminders(self.owner())

    async def unanswered(self) -> list[str]:
        """What was logged as unanswered questions for the MED secretary."""
        assert self.runtime is not None
        return [q.text for q in await self.runtime.unanswered.list(include_handled=True)]
