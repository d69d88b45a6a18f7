"""Database: URLs, SQLite settings, units of work, the UTC type."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.exc import StatementError

from bot.clock import NaiveDatetimeError
from bot.storage.db import Database, DatabaseConfigError, alembic_config, default_database_url, normalize_database_url
from bot.storage.models import BotStateRow, UnansweredQuestionRow, load_all_models
from tests.bot.conftest import PSYCOPG

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_default_database_url(tmp_path: Path) -> None:
    assert default_database_url(tmp_path / "data") == f"sqlite+aiosqlite:///{tmp_path}/data/medbot.sqlite3"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/medbot", "postgresql+asyncpg://u:p@db:5432/medbot"),
        ("postgresql://u:p@db/medbot", "postgresql+asyncpg://u:p@db/medbot"),
        ("postgresql+asyncpg://u:p@db/medbot", "postgresql+asyncpg://u:p@db/medbot"),
        ("postgresql+psycopg2://u:p@db/medbot", "postgresql+asyncpg://u:p@db/medbot"),
        ("postgres://u:p@db/medbot?sslmode=require", "postgresql+asyncpg://u:p@db/medbot?ssl=require"),
        ("postgresql+asyncpg://u:p@db/medbot?sslmode=verify-full", "postgresql+asyncpg://u:p@db/medbot?ssl=verify-full"),
        ("postgresql+asyncpg://u:p@db/medbot?ssl=require", "postgresql+asyncpg://u:p@db/medbot?ssl=require"),
        # psycopg 3 (async) is kept; libpq takes sslmode as is, asyncpg's ssl is translated
        ("postgresql+psycopg://u:p@db:5432/medbot", "postgresql+psycopg://u:p@db:5432/medbot"),
        ("postgresql+psycopg_async://u:p@db/medbot", "postgresql+psycopg_async://u:p@db/medbot"),
        ("postgresql+psycopg://u:p@db/medbot?sslmode=require", "postgresql+psycopg://u:p@db/medbot?sslmode=require"),
        ("postgresql+psycopg://u:p@db/medbot?ssl=verify-ca", "postgresql+psycopg://u:p@db/medbot?sslmode=verify-ca"),
        ("postgresql+psycopg://u:p@db/medbot?ssl=true", "postgresql+psycopg://u:p@db/medbot?sslmode=require"),
        ("sqlite:////tmp/x.sqlite3", "sqlite+aiosqlite:////tmp/x.sqlite3"),
        ("sqlite+aiosqlite:///rel.sqlite3", "sqlite+aiosqlite:///rel.sqlite3"),
    ],
)
def test_normalize_database_url(given: str, expected: str) -> None:
    assert normalize_database_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "url", ["mysql://u:p@h/db", "postgresql+pg8000://u:p@h/db", "postgresql+psycopg2cffi://u:p@h/db", "not a url"]
)
def test_unsupported_urls(url: str) -> None:
    with pytest.raises(DatabaseConfigError):
        Database(url)


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgres://u:p@db/medbot", "asyncpg"),
        ("postgresql+psycopg://u:p@db/medbot", "psycopg"),
        ("postgresql+psycopg_async://u:p@db/medbot", "psycopg"),
    ],
)
async def test_postgresql_driver_of_the_engine(url: str, driver: str) -> None:
    db = Database(url)  # no connection is opened
    try:
        assert db.dialect_name == "postgresql"
        assert db.driver_name == driver
        assert db.engine.dialect.is_async
    finally:
        await db.dispose()


def test_password_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db = Database("postgres://medbot:s3cret-pw@db.example:5432/medbot")
    assert "s3cret-pw" not in repr(db)
    assert "s3cret-pw" not in db.safe_url
    assert "s3cret-pw" not in str(db.url)
    assert "s3cret-pw" not in caplog.text
    assert db.url.password == "s3cret-pw"


async def test_upgrade_creates_the_sqlite_folder_and_sets_pragmas(tmp_path: Path) -> None:
    db = Database(default_database_url(tmp_path / "deep" / "er"))
    try:
        await db.upgrade()
        assert (tmp_path / "deep" / "er" / "medbot.sqlite3").is_file()
        async with db.engine.connect() as connection:
            pragmas = {
                name: (await connection.execute(sa.text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000, "synchronous": 1}
    finally:
        await db.dispose()


async def test_session_commits_on_success_and_rolls_back_on_error(database: Database) -> None:
    now = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
    async with database.session() as session:
        session.add(BotStateRow(key="kept", data={}, etag="1", updated_at=now))
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            session.add(BotStateRow(key="dropped", data={}, etag="1", updated_at=now))
            await session.flush()
            raise RuntimeError("boom")
    async with database.session() as session:
        keys = (await session.execute(sa.select(BotStateRow.key))).scalars().all()
    assert keys == ["kept"]


async def test_utc_datetime_type_round_trips_aware_utc(database: Database) -> None:
    local = datetime(2025, 3, 30, 3, 15, tzinfo=timezone(timedelta(hours=2)))
    async with database.session() as session:
        session.add(
            UnansweredQuestionRow(text="q", score=0.0, suggestions=[], channel_id="c", asked_at=local, handled=False)
        )
    async with database.session() as session:
        asked_at = (await session.execute(sa.select(UnansweredQuestionRow.asked_at))).scalar_one()
        later = (
            await session.execute(
                sa.select(sa.func.count()).where(
                    UnansweredQuestionRow.asked_at > datetime(2025, 3, 30, 1, 14, tzinfo=UTC)
                )
            )
        ).scalar_one()
    assert asked_at == datetime(2025, 3, 30, 1, 15, tzinfo=UTC)
    assert asked_at.tzinfo is UTC or asked_at.utcoffset() == timedelta(0)
    assert later == 1


async def test_naive_datetime_is_refused_on_write(database: Database) -> None:
    with pytest.raises(StatementError) as error:
        async with database.session() as session:
            session.add(BotStateRow(key="k", data={}, etag="1", updated_at=datetime(2025, 1, 1)))  # noqa: DTZ001
            await session.flush()
    assert isinstance(error.value.orig, NaiveDatetimeError)


def _schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, load_all_models())


def _table_names(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


@pytest.mark.parametrize("database_url", [PSYCOPG], indirect=True)
async def test_psycopg_migrations_up_and_down(database: Database, database_url: str, tmp_path: Path) -> None:
    """psycopg 3: Database.upgrade (the ``database`` fixture, with its advisory lock),
    downgrade to base, and the ``alembic`` command line (env.py's own engine) up again.
    The asyncpg and SQLite runs of the same are in test_migrations.py."""
    assert database.driver_name == "psycopg"
    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert type(raw.driver_connection).__module__.startswith("psycopg")
        assert await connection.run_sync(_schema_diff) == []
    assert await database.is_up_to_date()

    def downgrade(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "base")

    async with database.engine.begin() as connection:
        await connection.run_sync(downgrade)
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_table_names) == {"alembic_version"}
    assert await database.current_revisions() == ()

    completed = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(PROJECT_ROOT / "alembic.ini"), "upgrade", "heads"],
        cwd=tmp_path,
        env=dict(os.environ, MEDBOT_DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "postgresql+psycopg://" in completed.stdout + completed.stderr  # env.py logs the (safe) URL
    assert await database.is_up_to_date()
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_schema_diff) == []
    await database.upgrade()  # idempotent
    assert set(await database.current_revisions()) == set(Database.head_revisions())
