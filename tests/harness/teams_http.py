"""The Teams transport: the bot's aiohttp app in-process plus a fake Bot Framework
connector, for HTTP-level tests (status codes, authentication, bodies, what is sent).

A test about what the bot says belongs on the chat harness (tests/harness/chat.py);
the fake connector reads what was sent with that module's reply readers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME_KEY, create_app
from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from tests.activities import teams_message
from tests.fakes import FakeConnector
from tests.harness.chat import START


@dataclass
class HttpHarness:
    client: TestClient
    connector: FakeConnector
    clock: FakeClock
    runtime: Runtime

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        response = await self.client.post("/api/messages", json=activity, headers=headers or {})
        await response.read()
        return response.status

    def message(self, text: str = "", **kwargs: Any) -> dict[str, Any]:
        """A Teams message activity (tests/activities.py) addressed to the fake connector."""
        return teams_message(self.connector.url, text, **kwargs)

    async def say(self, text: str = "", **kwargs: Any) -> str:
        """Send a message over HTTP; return everything the bot answered to it."""
        self.connector.clear()
        status = await self.post(self.message(text, **kwargs))
        assert status in (200, 201, 202), status
        return self.connector.all_text()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings on a SQLite file in ``tmp_path``, with the scheduler loop off (it waits
    real time; tests call its tick themselves)."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}",
        data_dir=tmp_path,
        delivery=DeliveryConfig(run_loop=False),
    )
    return replace(settings, **overrides)


@asynccontextmanager
async def running_bot(settings: Settings, clock: FakeClock | None = None) -> AsyncIterator[HttpHarness]:
    clock = clock or FakeClock(START)
    # The scheduler loop waits real time; tests call its tick themselves.
    settings = replace(settings, delivery=replace(settings.delivery, run_loop=False))
    runtime = build_runtime(settings, clock=clock)
    app = create_app(settings, clock=clock, runtime=runtime)
    async with FakeConnector() as connector:
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            yield HttpHarness(client=client, connector=connector, clock=clock, runtime=app[RUNTIME_KEY])
        finally:
            await client.close()
