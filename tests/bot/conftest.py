"""Shared fixtures for the tests of ``bot/``.

* ``clock``: a :class:`~bot.clock.FakeClock` at Monday 2025-01-06 08:00 UTC.
* ``database_url``: the URL of a fresh, empty database: a SQLite file in ``tmp_path``,
  and, as a second parameter marked ``postgres``, a new database on the PostgreSQL
  server in ``MEDBOT_TEST_POSTGRES_URL`` (skipped when that variable is not set; the
  role needs CREATEDB, see ``.ci/start-postgres.sh``).
* ``database``: a :class:`~bot.storage.db.Database` on ``database_url``, migrated to head.
* ``database_factory``: opens more ``Database`` objects on the same database (as other
  processes, or a restarted bot, would); all are disposed after the test.

Any test that asks for ``database`` (or ``database_url``) runs once per backend.
A few also run on PostgreSQL through psycopg (``WITH_PSYCOPG``, see below); ``database``
checks that each parameter really got its driver.
"""

from __future__ import annotations

import logging

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from bot.clock import FakeClock
from bot.storage.db import Database, default_database_url, normalize_database_url

POSTGRES_URL_ENV = "MEDBOT_TEST_POSTGRES_URL"
CLOCK_START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)

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


def url_backend(url: str) -> str:
    """The ``BACKENDS``/``WITH_PSYCOPG`` parameter a database URL belongs to."""
    parsed = normalize_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        return "sqlite"
    return PSYCOPG_BACKEND if parsed.get_driver_name().startswith("psycopg") else "postgresql"


def assert_backend_driver(db: Database, backend: str) -> None:
    """``db`` really runs on the driver of ``backend`` (psycopg tests must not be asyncpg)."""
    assert db.driver_name == BACKEND_DRIVERS[backend], (db.driver_name, backend)


def requested_backend(request: pytest.FixtureRequest) -> str | None:
    """The ``database_url`` parameter (a backend name) of the running test, if any."""
    callspec = getattr(request.node, "callspec", None)
    return callspec.params.get("database_url") if callspec is not None else None


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(CLOCK_START)


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


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with backend_database_url(request.param, default_database_url(tmp_path / "data")) as url:
        yield url


@pytest.fixture
async def database_factory(database_url: str) -> AsyncIterator[Callable[[], Database]]:
    opened: list[Database] = []

    def open_database() -> Database:
        db = Database(database_url)
        opened.append(db)
        return db

    yield open_database
    for db in opened:
        await db.dispose()


@pytest.fixture
async def database(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    db = Database(database_url)
    backend = requested_backend(request)
    if backend is not None:
        assert_backend_driver(db, backend)
    await db.upgrade()
    try:
        yield db
    finally:
        await db.dispose()
