"""A failing statement never puts its parameters – user ids, names, message text – into a log.

Issue 13, point 7: SQLAlchemy logged statement parameters (user ids, names, AAD ids) when
a statement failed; PostgreSQL's errors add a ``DETAIL`` line with the key values.
Runs on SQLite, and on PostgreSQL through asyncpg and psycopg when
``MEDBOT_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.ideas.models import IdeaAdminRow
from bot.storage.db import Database
from tests.databases import WITH_PSYCOPG

SECRET_ID = "29:1secret-user-id-4711"
SECRET_NAME = "Hemmelig Hansen"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

_admins: sa.Table = IdeaAdminRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


def _insert() -> sa.Insert:
    return sa.insert(_admins).values(user_id=SECRET_ID, committee="bff", added_by=SECRET_NAME, added_at=NOW)


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)
async def test_a_failed_statement_shows_neither_parameters_nor_key_values(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with database.session() as session:
        await session.execute(_insert())
    with pytest.raises(IntegrityError) as failed:
        async with database.session() as session:
            await session.execute(_insert())  # the unique (user_id, committee) is taken
    logging.getLogger("bot.some_service").exception("could not store it", exc_info=failed.value)
    shown = "\n".join([str(failed.value), "".join(traceback.format_exception(failed.value)), caplog.text])
    assert "unique" in shown.lower() or "UNIQUE" in shown  # the error itself is still said
    assert SECRET_ID not in shown
    assert SECRET_NAME not in shown


async def test_statement_logging_hides_the_parameters(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    database = Database(database_url)
    try:
        await database.upgrade()
        async with database.session() as session:
            await session.execute(_insert())
    finally:
        await database.dispose()
    assert "INSERT INTO idea_admins" in caplog.text
    assert SECRET_ID not in caplog.text and SECRET_NAME not in caplog.text


async def test_every_engine_hides_parameters(database: Database) -> None:
    assert database.sync_engines and all(engine.hide_parameters for engine in database.sync_engines)
