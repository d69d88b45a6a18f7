"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.storage.db import Database, alembic_config
from bot.storage.models import load_all_models
from tests.databases import WITH_PSYCOPG

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORE_TABLES = {"bot_state", "conversation_refs", "unanswered_questions"}


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, load_all_models())


def _tables(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)
async def test_models_and_migrations_agree(database: Database) -> None:
    async with database.engine.connect() as connection:
        diff = await connection.run_sync(_diff)
        tables = await connection.run_sync(_tables)
    assert diff == []
    metadata_tables = set(load_all_models().tables)
    assert CORE_TABLES <= metadata_tables
    assert tables == metadata_tables | {"alembic_version"}


async def test_upgrade_reaches_every_head_and_is_idempotent(database: Database) -> None:
    heads = Database.head_revisions()
    assert heads
    assert set(await database.current_revisions()) == set(heads)
    assert await database.is_up_to_date()
    await database.upgrade()
    assert set(await database.current_revisions()) == set(heads)


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)
async def test_downgrade_to_base_and_up_again(database: Database) -> None:
    def downgrade(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "base")

    async with database.engine.begin() as connection:
        await connection.run_sync(downgrade)
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_tables) == {"alembic_version"}
    await database.upgrade()
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_fresh_database_has_no_revision(database_factory: Callable[[], Database]) -> None:
    db = database_factory()
    if db.sqlite_path is not None:
        db.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    assert await db.current_revisions() == ()
    assert not await db.is_up_to_date()
    await db.upgrade()
    assert await db.is_up_to_date()


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)
def test_alembic_command_line_uses_medbot_database_url(database_url: str, tmp_path: Path) -> None:
    env = dict(os.environ, MEDBOT_DATABASE_URL=database_url)
    ini = str(PROJECT_ROOT / "alembic.ini")
    for args in (["upgrade", "heads"], ["current"]):
        completed = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", ini, *args],
            cwd=tmp_path,  # works from any folder
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
    for head in Database.head_revisions():
        assert f"{head} (head)" in completed.stdout
    password = Database(database_url).url.password
    if password:
        assert password not in completed.stdout + completed.stderr
