"""The inline SQLite driver (bot/storage/inline_sqlite.py): sqlite3 on the event-loop thread."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.settings import Settings, SettingsError
from bot.storage.db import Database, DatabaseConfigError, default_database_url
from bot.storage.inline_sqlite import InlineConnection, InlineCursor, async_creator, connect, connect_args
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


# -- the adapter on its own ----------------------------------------------------------


async def test_adapter_execute_and_fetch(tmp_path: Path) -> None:
    connection = await connect(tmp_path / "a.sqlite3")
    try:
        assert isinstance(connection, InlineConnection)
        async with connection.cursor() as cursor:
            assert isinstance(cursor, InlineCursor)
            await cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
            await cursor.executemany("INSERT INTO t (name) VALUES (?)", [("a",), ("b",), ("c",), ("d",)])
            assert cursor.rowcount == 4
            await cursor.execute("INSERT INTO t (name) VALUES (?)", ("e",))
            assert cursor.lastrowid == 5
            await connection.commit()
            await cursor.execute("SELECT id, name FROM t ORDER BY id")
            assert [column[0] for column in cursor.description] == ["id", "name"]
            assert await cursor.fetchone() == (1, "a")
            assert await cursor.fetchmany(size=2) == [(2, "b"), (3, "c")]
            cursor.arraysize = 1
            assert cursor.arraysize == 1
            assert await cursor.fetchmany() == [(4, "d")]
            assert await cursor.fetchall() == [(5, "e")]
            assert await cursor.fetchone() is None
        cursor = await connection.cursor()  # awaitable too, like aiosqlite's
        await cursor.execute("SELECT name FROM t WHERE id > ?", (3,))
        assert [row async for row in cursor] == [("d",), ("e",)]
        await cursor.close()
        async with connection.execute("SELECT count(*) FROM t") as counted:
            assert await counted.fetchone() == (5,)
        assert await connection.execute_fetchall("SELECT name FROM t WHERE id = ?", (2,)) == [("b",)]
    finally:
        await connection.close()
    await connection.close()  # a second close does nothing
    with pytest.raises(ValueError, match="Connection closed"):
        connection.cursor()
    with pytest.raises(ValueError, match="Connection closed"):
        await connection.commit()


async def test_adapter_raises_sqlite3_exception_classes(tmp_path: Path) -> None:
    async with connect(tmp_path / "e.sqlite3") as connection:
        cursor = connection.cursor()
        await cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        await cursor.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError):
            await cursor.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.OperationalError):
            await cursor.execute("SELECT nope FROM t")
    assert aiosqlite.IntegrityError is sqlite3.IntegrityError  # what the dialect maps


async def test_isolation_queue_protocol_runs_at_once(tmp_path: Path) -> None:
    async with connect(tmp_path / "q.sqlite3") as connection:
        future = asyncio.get_running_loop().create_future()

        def set_autocommit() -> str:
            connection._conn.isolation_level = None
            return "done"

        connection._tx.put_nowait((future, set_autocommit))
        assert future.done() and await future == "done"
        assert connection.isolation_level is None

        failing = asyncio.get_running_loop().create_future()
        connection._tx.put_nowait((failing, lambda: 1 / 0))
        with pytest.raises(ZeroDivisionError):
            await failing


def test_connect_args_follow_the_pysqlite_dialect(tmp_path: Path) -> None:
    assert connect_args(f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3") == (
        [f"{tmp_path}/x.sqlite3"],
        {"check_same_thread": False},
    )
    assert connect_args(f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3?timeout=2&detect_types=1") == (
        [f"{tmp_path}/x.sqlite3"],
        {"timeout": 2.0, "detect_types": 1, "check_same_thread": False},
    )
    assert connect_args(f"sqlite+aiosqlite:///file:{tmp_path}/x.sqlite3?mode=rwc&uri=true") == (
        [f"file:{tmp_path}/x.sqlite3?mode=rwc"],
        {"uri": True, "check_same_thread": False},
    )


async def test_async_creator_opens_uri_databases(tmp_path: Path) -> None:
    create = async_creator(f"sqlite+aiosqlite:///file:{tmp_path}/u.sqlite3?mode=rwc&uri=true")
    connection = await create()
    try:
        await (await connection.execute("CREATE TABLE t (x)")).close()
        await connection.commit()
    finally:
        await connection.close()
    assert (tmp_path / "u.sqlite3").is_file()
    with pytest.raises(sqlite3.OperationalError):  # mode=ro: the URI options reach SQLite
        await async_creator(f"sqlite+aiosqlite:///file:{tmp_path}/missing.sqlite3?mode=ro&uri=true")()


# -- through Database / SQLAlchemy ------------------------------------------------------


async def test_database_uses_the_inline_driver_on_the_loop_thread(db: Database) -> None:
    await db.dispose()  # the next checkout opens a new connection
    threads = threading.active_count()
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert type(driver) is InlineConnection
        await driver.create_function("thread_id", 0, threading.get_ident)
        executed_on = (await connection.execute(sa.text("SELECT thread_id()"))).scalar_one()
        assert executed_on == threading.get_ident()
        assert threading.active_count() == threads  # no worker thread behind the connection
    async with db.session() as session:
        session.add(BotStateRow(key="k", data={"n": 1}, etag="1", updated_at=NOW))
    assert await state_keys(db) == ["k"]
    assert threading.active_count() == threads


async def test_thread_driver_is_still_available(tmp_path: Path) -> None:
    db = Database(default_database_url(tmp_path), sqlite_driver="thread")
    try:
        await db.upgrade()
        async with db.engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert type(driver) is aiosqlite.Connection
            await driver.create_function("thread_id", 0, threading.get_ident)
            executed_on = (await connection.execute(sa.text("SELECT thread_id()"))).scalar_one()
            assert executed_on != threading.get_ident()
    finally:
        await db.dispose()


async def test_memory_databases_keep_aiosqlite() -> None:
    db = Database("sqlite+aiosqlite:///:memory:")
    try:
        async with db.engine.connect() as connection:
            assert type((await connection.get_raw_connection()).driver_connection) is aiosqlite.Connection
    finally:
        await db.dispose()


def test_unknown_driver_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseConfigError, match="SQLite driver"):
        Database(default_database_url(tmp_path), sqlite_driver="turbo")


def test_settings_read_medbot_sqlite_driver() -> None:
    assert Settings().sqlite_driver == "inline"
    assert Settings.from_env({}).sqlite_driver == "inline"
    assert Settings.from_env({"MEDBOT_SQLITE_DRIVER": " Thread "}).sqlite_driver == "thread"
    with pytest.raises(SettingsError, match="MEDBOT_SQLITE_DRIVER"):
        Settings.from_env({"MEDBOT_SQLITE_DRIVER": "turbo"})


async def test_pragmas_and_migrations_on_the_inline_driver(db: Database) -> None:
    assert await db.is_up_to_date()
    async with db.engine.connect() as connection:
        assert type((await connection.get_raw_connection()).driver_connection) is InlineConnection
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
        assert type(driver) is InlineConnection
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
    async with db.session() as session:
        session.add(BotStateRow(key="k", data={}, etag="1", updated_at=NOW))
        async with db.session() as nested:  # a second pooled connection
            assert (await nested.execute(sa.select(sa.func.count()).select_from(BotStateRow))).scalar_one() == 0
    assert open_files(path)
    await db.dispose()
    assert open_files(path) == []
    assert not Path(f"{path}-wal").exists()  # the last close checkpointed and removed the WAL
