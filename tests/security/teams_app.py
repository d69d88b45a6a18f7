"""The real aiohttp app with a fake Teams connector on 127.0.0.1, for hostile-input tests.

``TeamsApp.post`` sends activity JSON to ``/api/messages`` as Teams would (no app id:
the unauthenticated local mode); everything the bot answers lands on ``connector``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.clock import FakeClock
from bot.reminders.config import ReminderConfig
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from tests.activities import teams_message
from tests.fakes import FakeConnector

#: Monday 2 March 2026, 10:00 in Copenhagen: ideas are for budget 2027.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class TeamsApp:
    runtime: Runtime
    client: TestClient
    connector: FakeConnector
    clock: FakeClock

    async def post(self, activity: dict[str, Any]) -> int:
        response = await self.client.post("/api/messages", json=activity)
        await response.read()
        return response.status

    def message(self, text: str = "", **kwargs: Any) -> dict[str, Any]:
        return teams_message(self.connector.url, text, **kwargs)

    async def say(self, text: str = "", **kwargs: Any) -> str:
        """Send a message; return everything the bot answered to it."""
        self.connector.clear()
        status = await self.post(self.message(text, **kwargs))
        assert status in (200, 201, 202), status
        return self.connector.all_text()


def app_settings(tmp_path: Path, database_url: str | None = None) -> Settings:
    return replace(
        Settings(),
        database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}",
        data_dir=tmp_path,
        org="jammerbugt",
        reminders=ReminderConfig(run_loop=False),
    )


@asynccontextmanager
async def teams_app(settings: Settings, clock: FakeClock | None = None) -> AsyncIterator[TeamsApp]:
    clock = clock or FakeClock(START)
    settings = replace(settings, reminders=replace(settings.reminders, run_loop=False))
    runtime = build_runtime(settings, clock=clock)
    app = create_app(settings, clock=clock, runtime=runtime)
    async with FakeConnector() as connector:
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            yield TeamsApp(runtime=runtime, client=client, connector=connector, clock=clock)
        finally:
            await client.close()
