"""An in-process bot server plus a fake connector, for HTTP-level tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME_KEY, create_app
from bot.clock import FakeClock
from bot.reminders.config import ReminderConfig
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from tests.fakes import FakeConnector

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@dataclass
class Harness:
    client: TestClient
    connector: FakeConnector
    clock: FakeClock
    runtime: Runtime

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        response = await self.client.post("/api/messages", json=activity, headers=headers or {})
        return response.status


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings on a SQLite file in ``tmp_path``, with the scheduler loop off (it waits
    real time; tests call its tick themselves)."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}",
        data_dir=tmp_path,
        reminders=ReminderConfig(run_loop=False),
    )
    return replace(settings, **overrides)


@asynccontextmanager
async def running_bot(settings: Settings, clock: FakeClock | None = None) -> AsyncIterator[Harness]:
    clock = clock or FakeClock(START)
    # The scheduler loop waits real time; tests call its tick themselves.
    settings = replace(settings, reminders=replace(settings.reminders, run_loop=False))
    runtime = build_runtime(settings, clock=clock)
    app = create_app(settings, clock=clock, runtime=runtime)
    async with FakeConnector() as connector:
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            yield Harness(client=client, connector=connector, clock=clock, runtime=app[RUNTIME_KEY])
        finally:
            await client.close()
