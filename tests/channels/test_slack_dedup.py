"""Each Slack event id is taken once, in memory and across replicas (the database)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.slack import dedup as dedup_module
from bot.slack.dedup import SlackDeduplicator
from bot.slack.models import SlackEventRow
from bot.storage.db import Database, default_database_url
from tests.harness.chat import START


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(default_database_url(tmp_path / "data"))
    await db.upgrade()
    try:
        yield db
    finally:
        await db.dispose()


async def test_first_time_once_per_key(database: Database) -> None:
    d = SlackDeduplicator(database, FakeClock(START))
    assert await d.first_time("event:Ev1")
    assert not await d.first_time("event:Ev1")
    assert await d.first_time("event:Ev2")


async def test_a_second_replica_sees_what_the_first_took(database: Database) -> None:
    clock = FakeClock(START)
    first, second = SlackDeduplicator(database, clock), SlackDeduplicator(database, clock)
    assert await first.first_time("event:Ev9")
    assert not await second.first_time("event:Ev9")


async def test_memory_is_bounded_and_the_database_still_answers(database: Database) -> None:
    d = SlackDeduplicator(database, FakeClock(START), memory_size=2)
    for key in ("a", "b", "c"):
        assert await d.first_time(key)
    assert not await d.first_time("a")  # forgotten in memory, remembered in the table


async def test_without_a_database_memory_alone_deduplicates() -> None:
    d = SlackDeduplicator(None, FakeClock(START))
    assert await d.first_time("x")
    assert not await d.first_time("x")


async def test_old_rows_are_pruned(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup_module, "PRUNE_EVERY", 2)
    clock = FakeClock(START)
    d = SlackDeduplicator(database, clock)
    await d.first_time("old")
    clock.advance(timedelta(days=2))
    await d.first_time("new")  # the second insert prunes
    async with database.session() as session:
        keys = set((await session.execute(sa.select(SlackEventRow.event_id))).scalars())
    assert keys == {"new"}


async def test_a_database_failure_does_not_lose_the_event(tmp_path: Path) -> None:
    broken = Database(default_database_url(tmp_path / "never-migrated"))  # no slack_events table
    (tmp_path / "never-migrated").mkdir()
    try:
        d = SlackDeduplicator(broken, FakeClock(START))
        assert await d.first_time("event:Ev1")
        assert not await d.first_time("event:Ev1")
    finally:
        await broken.dispose()
