"""Alembic environment for MED-bot (async-capable, works on SQLite and PostgreSQL).

Two ways in:

* programmatically, from :meth:`bot.storage.db.Database.upgrade`, which puts a live
  (sync facade of an async) connection into ``config.attributes["connection"]``;
* from the ``alembic`` command line (``alembic.ini`` in the project root), which builds an async
  engine from ``MEDBOT_DATABASE_URL``, else ``-x url=...``, else ``sqlalchemy.url``,
  else the embedded SQLite database ``$MEDBOT_DATA_DIR/medbot.sqlite3`` (``./data``
  by default), as the bot itself does.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from alembic import context
from sqlalchemy.engine import Connection

from bot.env import EnvReader
from bot.storage.db import Database, default_database_url, normalize_database_url
from bot.storage.models import load_all_models

config = context.config
logger = logging.getLogger("alembic.env.medbot")

if config.config_file_name is not None and not config.attributes.get("connection"):
    # Only the command line configures logging; the bot configures its own.
    from logging.config import fileConfig

    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = load_all_models()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
    )


def _run_migrations(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


def _cli_url() -> str:
    url: str | None = EnvReader().raw("MEDBOT_DATABASE_URL")
    if url:
        return url
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return url
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    return default_database_url(Path(EnvReader().text("MEDBOT_DATA_DIR", "data")))


async def _run_online_cli() -> None:
    database = Database(_cli_url())
    logger.info("migrating %s", database.safe_url)
    path = database.sqlite_path
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_run_migrations)
    finally:
        await database.dispose()


def run_migrations_offline() -> None:
    """``alembic upgrade head --sql``: emit the SQL instead of running it."""
    database_url = normalize_database_url(_cli_url())
    context.configure(
        url=database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=database_url.get_backend_name() == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_migrations(connection)
    else:
        asyncio.run(_run_online_cli())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
