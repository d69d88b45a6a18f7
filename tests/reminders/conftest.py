"""Fixtures for the reminder tests.

* ``clock``: a FakeClock on Monday 23 November 2026, 10:00 UTC (11:00 in Copenhagen).
* ``database``: a migrated SQLite database in ``tmp_path`` and, when
  ``MEDBOT_TEST_POSTGRES_URL`` is set, a fresh PostgreSQL database (a second parameter,
  marked ``postgres``); ``second_database`` is another ``Database`` object on the same
  database, as another replica would have.
* ``connector``: the local fake Bot Framework connector (tests/fakes.py).
* ``conversation_id``: a stored Teams conversation whose serviceUrl is the connector.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from tests.fakes import FakeConnector
from tests.reminders.helpers import store_conversation

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path, org="jammerbugt")


@pytest.fixture
async def second_database(database: Database, database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
def conversations(database: Database, clock: FakeClock) -> ConversationStore:
    return ConversationStore(database, clock)


@pytest.fixture
async def conversation_id(conversations: ConversationStore, connector: FakeConnector) -> int:
    return await store_conversation(conversations, connector.url)
