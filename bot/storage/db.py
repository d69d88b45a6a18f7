"""The database handle: one async engine, one session per unit of work, migrations.

``Database`` is built by the composition root (never at import time) from a URL:

* ``sqlite+aiosqlite:///path/to/file.sqlite3`` (the default, see
  :func:`default_database_url`), with WAL, foreign keys and a busy timeout; the units
  of work of every turn (:meth:`Database.run`) go to a worker thread of the
  database's own, one hand-off each, on a synchronous connection to the same file;
* ``postgresql+asyncpg://user:password@host:port/db`` (asyncpg) or
  ``postgresql+psycopg://user:password@host:port/db`` (psycopg 3, async;
  ``postgresql+psycopg_async://`` is the same driver); ``postgresql://``,
  ``postgres://`` and ``postgresql+psycopg2://`` are accepted and mapped to asyncpg.
  libpq's ``sslmode`` query option works with both: psycopg takes it as is, for
  asyncpg it becomes ``ssl``.

Nothing else in the package depends on the PostgreSQL driver: errors are SQLAlchemy's
(``IntegrityError`` ...), upserts are the dialect's ``ON CONFLICT`` and row counts come
from :func:`affected_rows`.

Passwords are never logged: everything that prints the URL uses :attr:`Database.safe_url`.
Statement parameters (user ids, names, message text) are never logged either: every
engine is built with ``hide_parameters=True``, and the ``DETAIL`` line PostgreSQL adds
to an error (``Key (user_id)=(29:…) already exists``) is dropped before anything can log
it (see :func:`_drop_error_detail`).

A string parameter that cannot be stored (a lone UTF-16 surrogate such as ``"\\ud800"``,
which JSON can carry, or a NUL character, which PostgreSQL refuses) has it replaced by
U+FFFD on its way to the driver, so such text is stored instead of failing the whole
unit of work.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, Connection, CursorResult, Engine, ExceptionContext, Result, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

__all__ = [
    "MIGRATIONS_DIR",
    "Database",
    "affected_rows",
    "DatabaseConfigError",
    "alembic_config",
    "default_database_url",
    "normalize_database_url",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The Alembic environment shipped inside the package.
MIGRATIONS_DIR: Path = Path(__file__).resolve().parent / "migrations"

SQLITE_FILE_NAME = "medbot.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_PRAGMAS: tuple[str, ...] = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
)

SQLITE_NESTED_CONNECTIONS = 4
#: PostgreSQL advisory lock taken around migrations ("medbot" in ASCII).
MIGRATION_LOCK_KEY = 0x6D6564626F74

SUPPORTED_DIALECTS = frozenset({"sqlite", "postgresql"})
#: The async PostgreSQL drivers MED-bot runs on (SQLAlchemy driver names).
POSTGRES_DRIVERS = frozenset({"asyncpg", "psycopg", "psycopg_async"})
#: asyncpg's boolean ``ssl`` values as libpq ``sslmode`` values (for psycopg).
_SSL_AS_SSLMODE = {"true": "require", "1": "require", "false": "disable", "0": "disable"}


class DatabaseConfigError(ValueError):
    """The database URL cannot be used (bad syntax, unsupported backend or driver)."""


def default_database_url(data_dir: Path) -> str:
    """The embedded SQLite database in ``data_dir`` (``<data_dir>/medbot.sqlite3``)."""
    path = (Path(data_dir).expanduser().absolute() / SQLITE_FILE_NAME).as_posix()
    return f"sqlite+aiosqlite:///{path}"


def normalize_database_url(url: str | URL) -> URL:
    """Parse ``url`` and pick the async driver MED-bot uses for its backend.

    ``postgres://`` / ``postgresql://`` / ``postgresql+psycopg2://`` become
    ``postgresql+asyncpg://``; ``postgresql+asyncpg://``, ``postgresql+psycopg://`` and
    ``postgresql+psycopg_async://`` are kept. ``sqlite://`` becomes ``sqlite+aiosqlite://``.
    libpq's ``sslmode`` query option is passed on as asyncpg's ``ssl``; psycopg (libpq)
    takes ``sslmode`` as is, and an asyncpg-style ``ssl`` becomes ``sslmode`` for it.
    Raises :class:`DatabaseConfigError` for anything else.
    """
    if isinstance(url, str):
        text = url.strip()
        if text.startswith("postgres://"):
            text = "postgresql://" + text[len("postgres://") :]
        try:
            parsed = make_url(text)
        except ArgumentError as exc:
            raise DatabaseConfigError("could not parse the database URL") from exc
    else:
        parsed = url

    backend = parsed.get_backend_name()
    driver = parsed.get_driver_name()
    if backend not in SUPPORTED_DIALECTS:
        raise DatabaseConfigError(f"unsupported database backend {backend!r} (use sqlite or postgresql)")
    if backend == "postgresql":
        if "+" not in parsed.drivername or driver == "psycopg2":
            parsed = parsed.set(drivername="postgresql+asyncpg")
            driver = "asyncpg"
        elif driver not in POSTGRES_DRIVERS:
            raise DatabaseConfigError(f"unsupported PostgreSQL driver {driver!r} (use asyncpg or psycopg)")
        parsed = _postgres_ssl_query(parsed, driver)
    else:
        if "+" not in parsed.drivername or driver == "pysqlite":
            parsed = parsed.set(drivername="sqlite+aiosqlite")
        elif driver != "aiosqlite":
            raise DatabaseConfigError(f"unsupported SQLite driver {driver!r} (use aiosqlite)")
    return parsed


def _postgres_ssl_query(url: URL, driver: str) -> URL:
    """The TLS query option in the spelling ``driver`` understands.

    asyncpg takes ``ssl`` (libpq's ``sslmode`` values, or true/false), not ``sslmode``;
    psycopg hands the query to libpq, which takes ``sslmode`` and refuses ``ssl``.
    """
    query = dict(url.query)
    if driver == "asyncpg":
        if "sslmode" not in query:
            return url
        sslmode = query.pop("sslmode")
        query.setdefault("ssl", sslmode)
    else:
        if "ssl" not in query:
            return url
        ssl = query.pop("ssl")
        if isinstance(ssl, str):
            ssl = _SSL_AS_SSLMODE.get(ssl.lower(), ssl)
        query.setdefault("sslmode", ssl)
    return url.set(query=query)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic :class:`Config` for the migrations shipped in the package.

    With ``connection`` the migrations run on that (synchronous facade of an async)
    connection; ``env.py`` then makes no engine of its own.
    """
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR.as_posix())
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def affected_rows(result: Result[Any]) -> int:
    """How many rows an ``UPDATE``/``DELETE`` executed through a session touched."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"no row count on a {type(result).__name__}")
    return int(result.rowcount)


def _lock_file(path: Path) -> IO[bytes]:
    """Open ``path`` and wait for an exclusive lock on it (blocking: call it in a thread)."""
    handle = open(path, "ab")  # returned; closed by the caller
    try:
        import fcntl  # POSIX only; elsewhere the migrations simply are not serialised

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    except ImportError:
        pass
    return handle


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """A string parameter with lone surrogates and NUL characters (which PostgreSQL refuses
    in text) replaced by U+FFFD; anything else as is."""
    if type(value) is not str:
        return value
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    if not value.isascii() and _SURROGATE.search(value) is not None:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def _clean_parameters(parameters: Any) -> Any:
    """The parameters of one execute (a tuple/list/dict, or a list of those for executemany)."""
    if isinstance(parameters, dict):
        cleaned = {key: _clean_parameters(value) for key, value in parameters.items()}
        return parameters if all(cleaned[k] is parameters[k] for k in parameters) else cleaned
    if isinstance(parameters, (list, tuple)):
        items = [_clean_parameters(value) for value in parameters]
        if all(new is old for new, old in zip(items, parameters, strict=True)):
            return parameters
        return type(parameters)(items) if isinstance(parameters, tuple) else items
    return _without_surrogates(parameters)


def _encodable_parameters(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _executemany: bool
) -> tuple[str, Any]:
    return statement, _clean_parameters(parameters)


_DETAIL_LINES = re.compile(r"\n(?:DETAIL|HINT|CONTEXT):.*", re.DOTALL)


def _drop_error_detail(context: ExceptionContext) -> None:
    """Remove PostgreSQL's ``DETAIL``/``HINT`` lines from a failed statement's driver errors.

    Both drivers print them (``DETAIL:  Key (user_id)=(29:mette) already exists``) –
    asyncpg from its ``detail`` attribute, psycopg in the message itself – and SQLAlchemy
    chains the driver error to its own, so a logged traceback would carry the key
    values. The SQLSTATE and the first line of the message stay.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [context.sqlalchemy_exception, context.original_exception]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        for attribute in ("detail", "hint"):  # asyncpg's (SQLAlchemy's own ``detail`` is a list of notes)
            if isinstance(getattr(error, attribute, None), str):
                try:
                    setattr(error, attribute, None)
                except (AttributeError, TypeError):
                    pass
        # SQLAlchemy's own error copied the driver's message when it was made.
        if error.args and isinstance(error.args[0], str) and _DETAIL_LINES.search(error.args[0]):
            error.args = (_DETAIL_LINES.sub("", error.args[0]), *error.args[1:])
        pending.extend((error.__cause__, error.__context__))


def _set_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


class Database:
    """An async engine plus the session factory and the migration runner.

    Use one ``Database`` per process (built in the composition root) and one
    :meth:`session` per unit of work; never share an ``AsyncSession``.
    """

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        self._url: URL = normalize_database_url(url)
        # Parameters carry user ids, names and message text: never in a log or an error message.
        engine_args: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.dialect_name == "postgresql":
            engine_args["pool_pre_ping"] = True
        elif self.sqlite_path is not None:
            # See session(): one pooled connection serves the process's sessions in turn;
            # the overflow is for sessions opened inside another session.
            engine_args.update(pool_size=1, max_overflow=SQLITE_NESTED_CONNECTIONS)
        self._engine: AsyncEngine = create_async_engine(self._url, **engine_args)
        if self.dialect_name == "sqlite":
            event.listen(self._engine.sync_engine, "connect", _set_sqlite_pragmas)
        else:
            event.listen(self._engine.sync_engine, "handle_error", _drop_error_detail)
        event.listen(self._engine.sync_engine, "before_cursor_execute", _encodable_parameters, retval=True)
        # SQLite file only: the units of work of run() go to one worker thread, on a
        # synchronous connection of their own (see run()).
        self._sync_engine: Engine | None = None
        self._worker: ThreadPoolExecutor | None = None
        if self.sqlite_path is not None:
            self._sync_engine = create_engine(
                self._url.set(drivername="sqlite+pysqlite"),
                echo=echo,
                hide_parameters=True,
                pool_size=1,
                max_overflow=0,
                # Opened and used on the worker thread; dispose() may close it from another.
                connect_args={"check_same_thread": False},
            )
            event.listen(self._sync_engine, "connect", _set_sqlite_pragmas)
            event.listen(self._sync_engine, "before_cursor_execute", _encodable_parameters, retval=True)
        self._sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(self._engine, expire_on_commit=False)
        # SQLite file only: top-level units of work of this process take turns (see session()).
        self._serialize = self.sqlite_path is not None
        self._turn: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self._inside: ContextVar[bool] = ContextVar(f"medbot_db_session_{id(self)}", default=False)
        logger.debug("database configured: %s", self.safe_url)

    # -- facts ---------------------------------------------------------------

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def sync_engines(self) -> tuple[Engine, ...]:
        """Every engine whose connections run statements, for event listeners: the async
        engine's synchronous core and, on a SQLite file, the engine of :meth:`run`."""
        engines = (self._engine.sync_engine,)
        return engines if self._sync_engine is None else (*engines, self._sync_engine)

    @property
    def url(self) -> URL:
        """The normalised URL (a ``URL`` object: ``str()`` of it hides the password)."""
        return self._url

    @property
    def safe_url(self) -> str:
        """The URL with the password masked, for logs and messages."""
        return self._url.render_as_string(hide_password=True)

    @property
    def dialect_name(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._url.get_backend_name()

    @property
    def driver_name(self) -> str:
        """The DB-API driver in use: ``"aiosqlite"``, ``"asyncpg"`` or ``"psycopg"``."""
        return str(self._engine.dialect.driver)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file for a file-based SQLite URL, else ``None``."""
        if self.dialect_name != "sqlite":
            return None
        database = self._url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database)

    def __repr__(self) -> str:
        return f"Database({self.safe_url!r})"

    # -- units of work -------------------------------------------------------

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits when the block succeeds, rolls back when it raises.

        On a SQLite file the units of work of this process take turns (a FIFO lock) on
        one connection. SQLite has one writer at a time, and writers on several
        connections of one process only queue in SQLite's busy handler, which polls
        with sleeps of up to 100 ms instead of waking when the lock is free: under
        concurrent turns that sleeping was the whole tail latency (p99 ~0.9 s at 20
        concurrent conversations, bench/turns.py). A session opened inside another one
        (same task, or a task started inside it) does not wait for the turn (that would
        deadlock); it gets a connection of its own, as before. Other processes on the
        same file still meet in the busy handler. PostgreSQL is not serialised.
        """
        if not self._serialize or self._inside.get():
            async with self._unit_of_work() as session:
                yield session
            return
        async with self._turn_lock():
            token = self._inside.set(True)
            try:
                async with self._unit_of_work() as session:
                    yield session
            finally:
                self._inside.reset(token)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """Like :meth:`session`, on a Core connection instead of an ORM session.

        For the statements of every turn (state storage, conversation references), which
        need no ORM: a transaction on a connection costs less CPU than a session. The same
        rules apply: committed when the block succeeds, rolled back when it raises, and on
        a SQLite file units of work take turns.
        """
        if not self._serialize or self._inside.get():
            async with self._engine.begin() as connection:
                yield connection
            return
        async with self._turn_lock():
            token = self._inside.set(True)
            try:
                async with self._engine.begin() as connection:
                    yield connection
            finally:
                self._inside.reset(token)

    async def run(self, work: Callable[[Connection], T]) -> T:
        """One unit of work as a plain function of a Core connection; returns what ``work`` returns.

        Committed when ``work`` returns, rolled back when it raises, as :meth:`connection`.
        On a SQLite file the whole unit runs in one hand-off to this database's worker
        thread, on a synchronous connection there, instead of one hand-off to aiosqlite's
        thread for every cursor, execute, fetch, commit and reset; the event loop never
        waits for SQLite either way (a write waiting for another process's lock waits on
        the worker thread). Units of work take turns as in :meth:`session`. Elsewhere
        (PostgreSQL, an in-memory SQLite database, a unit opened inside another one)
        ``work`` runs on the async driver through ``AsyncConnection.run_sync``. ``work``
        sees the caller's context variables; keep it to statements and what they need,
        as the database's turn is held while it runs.
        """
        engine = self._sync_engine
        if engine is None or self._inside.get():
            async with self.connection() as connection:
                return await connection.run_sync(work)
        async with self._turn_lock():
            token = self._inside.set(True)
            try:
                context = contextvars.copy_context()
                done = asyncio.get_running_loop().run_in_executor(self._executor(), context.run, self._run_unit, engine, work)
                try:
                    return await asyncio.shield(done)
                except asyncio.CancelledError:
                    # A unit cannot be stopped half-way on the worker: it ends (committed
                    # or rolled back) before the next unit takes the turn.
                    await asyncio.wait([done])
                    if not done.cancelled():
                        done.exception()
                    raise
            finally:
                self._inside.reset(token)

    @staticmethod
    def _run_unit(engine: Engine, work: Callable[[Connection], T]) -> T:
        """On the worker thread: ``work`` in one transaction of the synchronous engine."""
        with engine.begin() as connection:
            return work(connection)

    def _executor(self) -> ThreadPoolExecutor:
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medbot-sqlite")
        return self._worker

    def _turn_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._turn is None or self._turn[0] is not loop:
            self._turn = (loop, asyncio.Lock())
        return self._turn[1]

    @asynccontextmanager
    async def _unit_of_work(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            else:
                await session.commit()

    def insert(self, table: sa.Table | type[Any]) -> pg_dialect.Insert | sqlite_dialect.Insert:
        """A dialect-specific ``INSERT`` (supports ``on_conflict_do_update/nothing``)."""
        if self.dialect_name == "postgresql":
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)

    # -- schema ----------------------------------------------------------------

    async def upgrade(self, revision: str = "heads") -> None:
        """Run the Alembic migrations up to ``revision``.

        The default ``"heads"`` applies every branch (the history may branch: feature
        migrations can each revise ``0001``); it equals ``"head"`` on a linear history.
        """
        path = self.sqlite_path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        logger.info("migrating database %s to %s", self.safe_url, revision)
        # Replicas starting together migrate one after the other, so the second finds the
        # schema at head instead of failing on CREATE TABLE: on PostgreSQL an advisory lock
        # held until the migration's transaction ends (its DDL is transactional), on a
        # SQLite file an exclusive lock on a file next to it.
        lock = await asyncio.to_thread(_lock_file, path.with_name(path.name + ".migrate-lock")) if path is not None else None
        try:
            async with self._engine.begin() as connection:
                if self.dialect_name == "postgresql":
                    await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                await connection.run_sync(self._run_upgrade, revision)
        finally:
            if lock is not None:
                lock.close()  # closing the file releases its lock

    @staticmethod
    def _run_upgrade(connection: Connection, revision: str) -> None:
        command.upgrade(alembic_config(connection), revision)

    async def current_revisions(self) -> tuple[str, ...]:
        """The Alembic revisions the database is at (empty before the first upgrade)."""

        def _current(connection: Connection) -> tuple[str, ...]:
            return tuple(MigrationContext.configure(connection).get_current_heads())

        async with self._engine.connect() as connection:
            return await connection.run_sync(_current)

    @staticmethod
    def head_revisions() -> tuple[str, ...]:
        """The newest revision of each branch shipped in the package."""
        return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())

    async def is_up_to_date(self) -> bool:
        """Whether every shipped migration has been applied."""
        return set(await self.current_revisions()) == set(self.head_revisions())

    async def dispose(self) -> None:
        """Close every pooled connection (and stop the worker thread of a SQLite file)."""
        await self._engine.dispose()
        worker, self._worker = self._worker, None
        if self._sync_engine is not None:
            if worker is None:
                self._sync_engine.dispose()
            else:
                await asyncio.get_running_loop().run_in_executor(worker, self._sync_engine.dispose)
                worker.shutdown(wait=False)
