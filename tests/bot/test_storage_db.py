"""Database: URLs, SQLite settings, units of work, the UTC type."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError

from bot.clock import NaiveDatetimeError
from bot.storage.db import Database, DatabaseConfigError, default_database_url, normalize_database_url
from bot.storage.models import BotStateRow, UnansweredQuestionRow
from tests.databases import PSYCOPG


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
        ("sqlite:////var/lib/medbot/medbot.sqlite3", "sqlite+aiosqlite:////var/lib/medbot/medbot.sqlite3"),
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


@pytest.mark.parametrize("database_url", [PSYCOPG], indirect=True)
async def test_psycopg_is_the_driver_in_use(database: Database) -> None:
    """The psycopg runs of the migration tests (test_migrations.py) really run on psycopg."""
    assert database.driver_name == "psycopg"
    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert type(raw.driver_connection).__module__.startswith("psycopg")
