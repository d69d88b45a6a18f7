"""Two MED-bot replicas in one test: two ``create_app`` on one database, as two processes would run.

Each replica has its own runtime (engine, caches, turn locks, scheduler with its own
owner id); they share only the database and the fake connector, like two ``medbot
serve`` processes behind one load balancer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from tests.activities import teams_message
from tests.fakes import FakeConnector


@dataclass
class Replica:
    name: str
    client: TestClient
    runtime: Runtime

    async def post(self, activity: dict[str, Any]) -> int:
        response = await self.client.post("/api/messages", json=activity)
        return response.status


@asynccontextmanager
async def replicas(
    database_url: str,
    tmp_path: Path,
    clock: FakeClock,
    *,
    names: Sequence[str] = ("A", "B"),
    delivery_config: DeliveryConfig | None = None,
) -> AsyncIterator[list[Replica]]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, org="albertslund", delivery=delivery_config or DeliveryConfig(run_loop=False)
    )
    async with AsyncExitStack() as stack:
        started: list[Replica] = []
        for name in names:
            runtime = build_runtime(settings, clock=clock)
            client = TestClient(TestServer(create_app(settings, clock=clock, runtime=runtime)))
            await client.start_server()  # startup: migrations (idempotent), seed calendars
            stack.push_async_callback(client.close)  # cleanup: the runtime's resources close
            started.append(Replica(name=name, client=client, runtime=runtime))
        yield started


def message(connector: FakeConnector, text: str, *, conversation: str = "a:replica-chat", user: str = "29:replica-user", value: dict[str, Any] | None = None) -> dict[str, Any]:
    return teams_message(connector.url, text, conversation_id=conversation, user_id=user, value=value)
