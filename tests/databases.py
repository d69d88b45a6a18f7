"""The databases the tests run on: SQLite always, PostgreSQL when a server is given.

``BACKENDS`` parametrises ``database_url`` (see tests/conftest.py): a SQLite file, and,
marked ``postgres``, a fresh database on the server in ``MEDBOT_TEST_POSTGRES_URL``
(skipped when that variable is not set; the role needs CREATEDB, see
``.ci/start-postgres.sh``). A few tests also run through psycopg (``WITH_PSYCOPG``).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage.db import Database, normalize_database_url

POSTGRES_URL_ENV = "MEDBOT_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

#: The same PostgreSQL server through psycopg 3 instead of asyncpg. Not in BACKENDS (that
#: would run the whole PostgreSQL suite twice): a focused set of tests (migrations, the
#: state storage, an ideas flow, a reminder claim) takes WITH_PSYCOPG instead, with
#: ``@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)``.
PSYCOPG_BACKEND = "postgresql-psycopg"
PSYCOPG = pytest.param(PSYCOPG_BACKEND, marks=pytest.mark.postgres)
WITH_PSYCOPG = [*BACKENDS, PSYCOPG]
#: The SQLAlchemy driver each backend must end up on (see assert_backend_driver).
BACKEND_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg", PSYCOPG_BACKEND: "psycopg"}


def assert_backend_driver(db: Database, backend: str) -> None:
    """``db`` really runs on the driver of ``backend`` (psycopg tests must not be asyncpg)."""
    assert db.driver_name == BACKEND_DRIVERS[backend], (db.driver_name, backend)


def requested_backend(request: pytest.FixtureRequest) -> str | None:
    """The ``database_url`` parameter (a backend name) of the running test, if any."""
    callspec = getattr(request.node, "callspec", None)
    return callspec.params.get("database_url") if callspec is not None else None


@asynccontextmanager
async def fresh_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create a uniquely named database on the server, yield its URL, drop it afterwards."""
    server = normalize_database_url(server_url)
    name = f"medbot_t_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            try:
                async with admin.connect() as connection:
                    await connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except DBAPIError:
                # FORCE must end other sessions; autovacuum's sometimes cannot be ended by
                # a non-superuser ("must be member of pg_signal_backend"). The database
                # lives on a throw-away test server, so leaving it is harmless; failing
                # the test for it is not.
                logging.getLogger(__name__).warning("could not drop test database %s", name)
    finally:
        await admin.dispose()


@asynccontextmanager
async def backend_database_url(backend: str, sqlite_url: str) -> AsyncIterator[str]:
    """The database for one ``BACKENDS``/``WITH_PSYCOPG`` parameter: ``sqlite_url`` for
    SQLite, a fresh database on MEDBOT_TEST_POSTGRES_URL's server for PostgreSQL (skipped
    when unset), as a ``postgresql+psycopg://`` URL for ``PSYCOPG_BACKEND``.
    Shared by the ``database_url`` fixtures of every test package."""
    if backend == "sqlite":
        yield sqlite_url
        return
    server_url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not server_url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    async with fresh_postgres_database(server_url) as url:
        if backend == PSYCOPG_BACKEND:
            url = (
                normalize_database_url(make_url(url).set(drivername="postgresql+psycopg"))
                .render_as_string(hide_password=False)
            )
        yield url
