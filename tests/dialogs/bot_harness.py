"""The whole bot (handler, router, dialogs) on botbuilder's TestAdapter.

State lives in SqlStorage on a SQLite file, so every turn round-trips through the
database, and a "restart" is simply a new runtime on the same file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from bot.clock import FakeClock
from bot.reminders.config import ReminderConfig
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from tests.reminders.dialog_harness import reply_buttons, reply_text

START = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


class BotHarness:
    def __init__(self, tmp_path: Path, clock: FakeClock | None = None, org: str = "albertslund") -> None:
        self.settings = replace(
            Settings(), database_url=f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}", data_dir=tmp_path, org=org
        )
        self.clock = clock or FakeClock(START)
        self.runtime: Runtime | None = None
        self.adapter: TestAdapter | None = None
        self.last: list[Activity] = []

    async def start(self) -> "BotHarness":
        self.runtime = build_runtime(self.settings, clock=self.clock, reminder_config=ReminderConfig(run_loop=False))
        await self.runtime.start()
        reference = ConversationReference(
            channel_id="msteams",
            service_url="https://smba.example.test/emea/",
            conversation=ConversationAccount(id="a:personal-1", conversation_type="personal", tenant_id="tenant-1"),
            user=ChannelAccount(id="29:user-1", name="Mette Jensen"),
            bot=ChannelAccount(id="28:medbot", name="MED-bot"),
        )
        self.adapter = TestAdapter(self.runtime.bot.on_turn, reference)
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
        assert self.adapter is not None
        self.adapter.activity_buffer.clear()
        await self.adapter.receive_activity(Activity(type="message", text=text, value=value, locale="en-US"))
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
