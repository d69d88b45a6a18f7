"""A SQLite file through Database: aiosqlite on its worker thread, units of work of
``Database.run`` on the database's own worker thread, never on the event loop."""

from __future__ import annotations

import asyncio
import contextvars
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.storage.db import Database, default_database_url
from bot.storage.models import BotStateRow

NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(default_database_url(tmp_path / "data"))
    await database.upgrade()
    yield database
    await database.dispose()


async def state_keys(database: Database) -> list[str]:
    async with database.session() as session:
        return list((await session.execute(sa.select(BotStateRow.key).order_by(BotStateRow.key))).scalars())


def open_files(path: Path) -> list[str]:
    """This process's open file descriptors on ``path`` and its -wal/-shm files."""
    names = {str(path), f"{path}-wal", f"{path}-shm"}
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target in names:
            found.append(target)
    return found


# -- through Database / SQLAlchemy ------------------------------------------------------


async def test_statements_run_on_a_worker_thread_not_on_the_event_loop(db: Database) -> None:
    """A statement that waits (for another process's write lock, a checkpoint) must not
    stall the event loop: the SQLite driver runs it on its own thread."""
    async with db.engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        assert type(driver) is aiosqlite.Connection
        await driver.create_function("thread_id", 0, threading.get_ident)
        executed_on = (await connection.execute(sa.text("SELECT thread_id()"))).scalar_one()
        assert executed_on != threading.get_ident()


@asynccontextmanager
async def _locked_by_another_process(db: Database) -> AsyncIterator[Callable[[], int]]:
    """Another process holds the write lock meanwhile; yields how often the loop ticked (every 10 ms)."""
    path = db.sqlite_path
    assert path is not None
    other = sqlite3.connect(path, isolation_level=None)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        other.execute("BEGIN IMMEDIATE")
        yield lambda: ticks
    finally:
        ticker.cancel()
        other.execute("ROLLBACK")
        other.close()


async def test_the_loop_runs_while_a_write_waits_for_another_process(db: Database) -> None:
    async with _locked_by_another_process(db) as ticks:
        with pytest.raises(OperationalError, match="database is locked"):
            async with db.engine.connect() as connection:
                await connection.execute(sa.text("PRAGMA busy_timeout=300"))
                await connection.execute(sa.insert(BotStateRow).values(key="blocked", data={}, etag="1", updated_at=NOW))
        assert ticks() >= 5  # the loop kept running for the 300 ms the write waited
    await db.dispose()


async def test_run_is_one_unit_of_work_on_a_worker_thread(db: Database) -> None:
    def insert(connection: Connection) -> int:
        connection.execute(sa.insert(BotStateRow).values(key="run", data={"a": 1}, etag="1", updated_at=NOW))
        return threading.get_ident()

    assert await db.run(insert) != threading.get_ident()
    assert await state_keys(db) == ["run"]


async def test_run_rolls_back_when_the_work_raises(db: Database) -> None:
    def insert_then_fail(connection: Connection) -> None:
        connection.execute(sa.insert(BotStateRow).values(key="dropped", data={}, etag="1", updated_at=NOW))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await db.run(insert_then_fail)
    assert await state_keys(db) == []


async def test_run_sees_the_callers_context_variables(db: Database) -> None:
    who: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")
    who.set("the turn")
    assert await db.run(lambda _connection: who.get()) == "the turn"


async def test_run_inside_a_session_uses_a_connection_of_its_own(db: Database) -> None:
    async with db.session() as session:
        session.add(BotStateRow(key="outer", data={}, etag="1", updated_at=NOW))
        count = await db.run(lambda c: c.execute(sa.select(sa.func.count()).select_from(BotStateRow)).scalar_one())
        assert count == 0  # the outer unit has not committed yet
    assert await state_keys(db) == ["outer"]


async def test_the_loop_runs_while_a_run_waits_for_another_process(db: Database) -> None:
    def blocked_write(connection: Connection) -> None:
        connection.exec_driver_sql("PRAGMA busy_timeout=300")
        connection.execute(sa.insert(BotStateRow).values(key="blocked", data={}, etag="1", updated_at=NOW))

    async with _locked_by_another_process(db) as ticks:
        with pytest.raises(OperationalError, match="database is locked"):
            await db.run(blocked_write)
        assert ticks() >= 5  # the loop kept running for the 300 ms the write waited
    await db.dispose()  # drop the connection with the short busy timeout
    await db.run(lambda c: c.execute(sa.insert(BotStateRow).values(key="later", data={}, etag="1", updated_at=NOW)))
    assert await state_keys(db) == ["later"]


async def test_memory_databases_use_aiosqlite() -> None:
    db = Database("sqlite+aiosqlite:///:memory:")
    try:
        async with db.engine.connect() as connection:
            assert type((await connection.get_raw_connection()).driver_connection) is aiosqlite.Connection
        assert db.sync_engines == (db.engine.sync_engine,)  # run() goes through aiosqlite too
        assert await db.run(lambda c: c.execute(sa.text("SELECT 1")).scalar_one()) == 1
    finally:
        await db.dispose()


async def test_pragmas_and_migrations(db: Database) -> None:
    assert await db.is_up_to_date()
    async with db.engine.connect() as connection:
        pragmas = {
            name: (await connection.execute(sa.text(f"PRAGMA {name}"))).scalar_one()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous", "wal_autocheckpoint")
        }
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "synchronous": 1,
        "wal_autocheckpoint": 1000,
    }


async def test_rollback_undoes_the_unit_of_work(db: Database) -> None:
    async with db.session() as session:
        session.add(BotStateRow(key="kept", data={}, etag="1", updated_at=NOW))
    with pytest.raises(RuntimeError):
        async with db.session() as session:
            session.add(BotStateRow(key="dropped", data={}, etag="1", updated_at=NOW))
            await session.execute(sa.update(BotStateRow).where(BotStateRow.key == "kept").values(etag="2"))
            await session.flush()
            raise RuntimeError("boom")
    async with db.engine.connect() as connection:
        await connection.execute(sa.delete(BotStateRow))
        await connection.rollback()
    async with db.session() as session:
        rows = (await session.execute(sa.select(BotStateRow.key, BotStateRow.etag))).all()
    assert rows == [("kept", "1")]


async def test_integrity_error_is_mapped(db: Database) -> None:
    async with db.session() as session:
        session.add(BotStateRow(key="k", data={}, etag="1", updated_at=NOW))
    with pytest.raises(IntegrityError) as error:
        async with db.session() as session:
            session.add(BotStateRow(key="k", data={}, etag="2", updated_at=NOW))
    assert isinstance(error.value.orig, sqlite3.IntegrityError)
    assert await state_keys(db) == ["k"]


async def test_autocommit_isolation_level(db: Database) -> None:
    async with db.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        driver = (await autocommit.get_raw_connection()).driver_connection
        assert driver.isolation_level is None
        await autocommit.execute(
            sa.insert(BotStateRow).values(key="auto", data={}, etag="1", updated_at=NOW)
        )
        assert not driver.in_transaction
        await autocommit.rollback()  # nothing to undo: the insert committed itself
    assert await state_keys(db) == ["auto"]
    async with db.engine.connect() as connection:  # the pool restored the default level
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver.isolation_level == ""


async def test_two_databases_on_one_file_see_each_others_commits(tmp_path: Path) -> None:
    url = default_database_url(tmp_path)
    first, second = Database(url), Database(url)
    try:
        await first.upgrade()
        await second.upgrade()  # already at head: nothing to do
        assert await first.current_revisions() == await second.current_revisions()
        async with first.session() as session:
            session.add(BotStateRow(key="from-first", data={}, etag="1", updated_at=NOW))
        assert await state_keys(second) == ["from-first"]
        async with second.session() as session:
            session.add(BotStateRow(key="from-second", data={}, etag="1", updated_at=NOW))
        assert await state_keys(first) == ["from-first", "from-second"]
    finally:
        await first.dispose()
        await second.dispose()


async def test_a_write_lock_held_elsewhere_is_database_is_locked(db: Database) -> None:
    path = db.sqlite_path
    assert path is not None
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="database is locked") as error:
            async with db.engine.connect() as connection:
                await connection.execute(sa.text("PRAGMA busy_timeout=50"))
                await connection.execute(
                    sa.insert(BotStateRow).values(key="blocked", data={}, etag="1", updated_at=NOW)
                )
        assert isinstance(error.value.orig, sqlite3.OperationalError)
        other.execute("ROLLBACK")
    finally:
        other.close()
    await db.dispose()  # drop the connection with the short busy timeout
    async with db.session() as session:
        session.add(BotStateRow(key="later", data={}, etag="1", updated_at=NOW))
    assert await state_keys(db) == ["later"]


async def test_streaming_uses_the_server_side_cursor(db: Database) -> None:
    async with db.session() as session:
        session.add_all(BotStateRow(key=f"k{i:02}", data={}, etag="1", updated_at=NOW) for i in range(25))
    async with db.engine.connect() as connection:
        result = await connection.stream(sa.select(BotStateRow.key).order_by(BotStateRow.key))
        assert [key async for key in result.scalars()] == [f"k{i:02}" for i in range(25)]
        result = await connection.stream(sa.select(BotStateRow.key).order_by(BotStateRow.key))
        assert len(await result.fetchmany(10)) == 10
        await result.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
async def test_dispose_closes_every_file_handle(tmp_path: Path) -> None:
    db = Database(default_database_url(tmp_path))
    path = db.sqlite_path
    assert path is not None
    await db.upgrade()
    await db.run(lambda c: c.execute(sa.select(sa.func.count()).select_from(BotStateRow)).scalar_one())
    async with db.session() as session:
        session.add(BotStateRow(key="k", data={}, etag="1", updated_at=NOW))
        async with db.session() as nested:  # a second pooled connection
            assert (await nested.execute(sa.select(sa.func.count()).select_from(BotStateRow))).scalar_one() == 0
    assert open_files(path)
    await db.dispose()
    assert open_files(path) == []
    assert not Path(f"{path}-wal").exists()  # the last close checkpointed and removed the WAL
