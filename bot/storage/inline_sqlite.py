"""An aiosqlite-compatible SQLite connection that runs on the calling (event-loop) thread.

Why
---
aiosqlite gives every connection a worker thread: each ``execute``/``fetch``/``commit``
is put on a queue, the worker picks it up (GIL hand-over), runs it, and hands the result
back with ``call_soon_threadsafe`` (a self-pipe write that wakes the event loop). A bot
turn makes ~3 small transactions, i.e. ~8-10 of those round trips, and profiling
``medbot serve`` under load put ~25 % of a turn's CPU in that hand-off. The statements
themselves take microseconds on the small local file, and the database's units of work
on a SQLite file are serialised by a process-wide asyncio lock anyway
(:meth:`bot.storage.db.Database.session`), so the worker thread buys no concurrency.

:class:`InlineConnection` has the interface SQLAlchemy's ``sqlite+aiosqlite`` dialect
uses (and most of aiosqlite's), but its ``async`` methods call :mod:`sqlite3` directly
and return: awaiting them never suspends. ``Database`` plugs it in through
``create_async_engine(url, async_creator=async_creator(url))``; the dialect, the URL
(``sqlite+aiosqlite:///...``), SQLAlchemy's adaptation layer, the pool and the
connection events stay exactly as with aiosqlite. Exceptions are :mod:`sqlite3`'s own
classes (aiosqlite re-exports the same ones), so SQLAlchemy maps them as before.
``MEDBOT_SQLITE_DRIVER=thread`` goes back to aiosqlite's worker thread.

The trade-off
-------------
Whatever a statement waits for, the event loop now waits for too:

* **SQLite's busy handler.** ``PRAGMA busy_timeout=5000`` is kept. When another
  *process* holds the write lock on the file (a ``medbot`` CLI command, a second bot
  process by mistake), a write waits in SQLite's busy handler up to 5 s, and with this
  driver the whole process stalls for that time, not only the unit of work (HTTP
  requests, the scheduler and replies to other conversations wait too; the thread
  driver only stalls the database work, which, behind the process-wide lock, means all
  database work anyway). Within the process there is no such wait: units of work take
  turns on one connection. A unit of work opened *inside* another one gets its own
  connection; if it writes while the outer one holds the write lock, it would deadlock
  on either driver (the outer cannot commit before the inner ends), but here the loop
  is frozen for the 5 s before the inner fails with "database is locked"; a nested
  writer started as a *concurrent task* inside a unit of work would wait (thread) and
  succeed, where here it fails after freezing the loop. No code does that today.
* **WAL checkpoints.** The commit that pushes the WAL past ``wal_autocheckpoint``
  pages (SQLite's default of 1000 pages, ~4 MB, is kept on purpose) runs a PASSIVE
  checkpoint inside that commit: it copies those pages into the database file and, with
  ``synchronous=NORMAL``, syncs it: 4-6 ms on the loop on the development VM (a commit
  without a checkpoint: ~5 us), more on slow disks, once per ~1000 written pages
  (hundreds of turns). PASSIVE checkpoints never wait for readers or writers and never
  call the busy handler, and the bounded WAL keeps each one small; raising the threshold
  would make them rarer but longer, so it stays.
  Closing the last connection (``Database.dispose()`` at shutdown) also checkpoints.

Why that is acceptable: the SQLite file is the *single-process* default (one bot on one
machine, a CLI command now and then); multi-replica deployments use PostgreSQL, which
this module does not touch. CLI commands write short transactions, so the stall is
normally milliseconds, and "database is locked" after 5 s stays the same error as
before. For ``:memory:`` and ``file:`` URI databases, ``Database`` keeps aiosqlite.

Not supported (compared with aiosqlite): nothing SQLAlchemy uses is missing. Blocking
work cannot be cancelled or timed out from asyncio (``asyncio.wait_for`` around a long
statement fires only after it returns; :meth:`InlineConnection.interrupt` can only be
called from another thread, or from a progress handler); ``iterdump`` and ``backup``
run to completion in one go.
"""

from __future__ import annotations

import asyncio
import sqlite3
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

__all__ = [
    "DEFAULT_SQLITE_DRIVER",
    "SQLITE_DRIVERS",
    "InlineConnection",
    "InlineCursor",
    "async_creator",
    "connect",
    "connect_args",
]

#: ``MEDBOT_SQLITE_DRIVER`` values: this module, or aiosqlite's worker thread.
SQLITE_DRIVERS: tuple[str, ...] = ("inline", "thread")
DEFAULT_SQLITE_DRIVER = "inline"

_T = TypeVar("_T")


def _closed() -> ValueError:
    # aiosqlite's wording: SQLAlchemy's aiosqlite dialect turns a ValueError saying
    # "connection closed" / "no active connection" into a disconnect OperationalError.
    return ValueError("Connection closed")


class InlineCursor:
    """An aiosqlite-style cursor over a :class:`sqlite3.Cursor`; no method suspends."""

    __slots__ = ("_conn", "_cursor", "iter_chunk_size")

    def __init__(self, conn: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._conn = conn
        self._cursor = cursor
        self.iter_chunk_size = conn._iter_chunk_size

    # ``await connection.cursor()`` and ``async with connection.cursor()`` both work.
    def __await__(self) -> Generator[Any, None, InlineCursor]:
        return self
        yield  # pragma: no cover - makes this a generator

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._fetch_chunked()

    async def _fetch_chunked(self) -> AsyncIterator[Any]:
        while True:
            self._conn._check()
            rows = self._cursor.fetchmany(self.iter_chunk_size)
            if not rows:
                return
            for row in rows:
                yield row

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        if self._conn._connection is None:
            raise _closed()
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        if self._conn._connection is None:
            raise _closed()
        self._cursor.executemany(sql, parameters)
        return self

    async def executescript(self, sql_script: str) -> InlineCursor:
        if self._conn._connection is None:
            raise _closed()
        self._cursor.executescript(sql_script)
        return self

    async def fetchone(self) -> Any:
        if self._conn._connection is None:
            raise _closed()
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        if self._conn._connection is None:
            raise _closed()
        if size is None:
            return self._cursor.fetchmany()
        return self._cursor.fetchmany(size)

    async def fetchall(self) -> list[Any]:
        if self._conn._connection is None:
            raise _closed()
        return self._cursor.fetchall()

    async def close(self) -> None:
        if self._conn._connection is None:
            raise _closed()
        self._cursor.close()

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def row_factory(self) -> Any:
        return self._cursor.row_factory

    @row_factory.setter
    def row_factory(self, factory: Any) -> None:
        self._cursor.row_factory = factory

    @property
    def connection(self) -> sqlite3.Connection:
        return self._cursor.connection


class _Result(Generic[_T]):
    """aiosqlite's helper shape: awaitable, or ``async with`` (closing a cursor after)."""

    __slots__ = ("_coro", "_obj")

    def __init__(self, coro: Coroutine[Any, Any, _T]) -> None:
        self._coro = coro

    def __await__(self) -> Generator[Any, None, _T]:
        return self._coro.__await__()

    async def __aenter__(self) -> _T:
        self._obj = await self._coro
        return self._obj

    async def __aexit__(self, *_exc: object) -> None:
        if isinstance(self._obj, InlineCursor):
            await self._obj.close()


class _InlineQueue:
    """Stands in for aiosqlite's worker queue (``connection._tx``).

    SQLAlchemy's aiosqlite dialect sets the isolation level by putting
    ``(future, function)`` on that queue and awaiting the future. Here the function runs
    at once, on the caller's thread, and settles the future before ``put_nowait`` returns.
    """

    __slots__ = ()

    @staticmethod
    def put_nowait(item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting caller
            if future is None:
                raise
            if not future.done():
                future.set_exception(error)
        else:
            if future is not None and not future.done():
                future.set_result(result)


class InlineConnection:
    """aiosqlite's ``Connection`` interface, executed synchronously on the calling thread.

    Await it (or use ``async with``) to open the :mod:`sqlite3` connection, as with
    ``aiosqlite.connect``. Attributes SQLAlchemy's dialect reaches into: ``_connection``
    (the sqlite3 connection, ``None`` once closed), ``_conn`` (the same, or ``ValueError``)
    and ``_tx`` (see :class:`_InlineQueue`).
    """

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int = 64) -> None:
        self._connector = connector
        self._connection: sqlite3.Connection | None = None
        self._running = True
        self._iter_chunk_size = iter_chunk_size
        self._tx = _InlineQueue()

    def __repr__(self) -> str:
        state = "open" if self._connection is not None else "closed"
        return f"<{type(self).__name__} {state} at {id(self):#x}>"

    def __del__(self) -> None:
        if getattr(self, "_connection", None) is None:
            return
        warnings.warn(
            f"{self!r} was deleted before being closed; use 'async with' or '.close()'",
            ResourceWarning,
            stacklevel=1,
        )
        self.stop()

    # -- opening and closing ---------------------------------------------------

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            if not self._running:
                raise _closed()
            self._connection = self._connector()
        return self

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        return self._connect().__await__()

    async def __aenter__(self) -> InlineConnection:
        return await self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the sqlite3 connection (a second call does nothing)."""
        connection, self._connection = self._connection, None
        self._running = False
        if connection is not None:
            connection.close()

    def stop(self) -> None:
        """Close at once without awaiting (SQLAlchemy's ``terminate``; safe from any thread)."""
        self._running = False
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    def _check(self) -> sqlite3.Connection:
        connection = self._connection
        if connection is None or not self._running:
            raise _closed()
        return connection

    async def _execute(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """aiosqlite's hook: run ``fn`` (here at once, on this thread)."""
        self._check()
        return fn(*args, **kwargs)

    # -- the DB-API calls ----------------------------------------------------------

    def cursor(self) -> InlineCursor:
        """A new cursor (awaitable and an async context manager, as in aiosqlite)."""
        return InlineCursor(self, self._check().cursor())

    async def commit(self) -> None:
        self._check().commit()

    async def rollback(self) -> None:
        self._check().rollback()

    async def create_function(self, name: str, num_params: int, func: Callable[..., Any], deterministic: bool = False) -> None:
        self._check().create_function(name, num_params, func, deterministic=deterministic)

    async def interrupt(self) -> None:
        self._conn.interrupt()

    # -- aiosqlite's helpers ------------------------------------------------------

    def execute(self, sql: str, parameters: Any = None) -> _Result[InlineCursor]:
        return _Result(self._execute_cursor("execute", sql, parameters))

    def executemany(self, sql: str, parameters: Iterable[Any]) -> _Result[InlineCursor]:
        return _Result(self._execute_cursor("executemany", sql, parameters))

    def executescript(self, sql_script: str) -> _Result[InlineCursor]:
        return _Result(self._execute_cursor("executescript", sql_script))

    def execute_fetchall(self, sql: str, parameters: Any = None) -> _Result[list[Any]]:
        return _Result(self._fetchall(sql, parameters))

    def execute_insert(self, sql: str, parameters: Any = None) -> _Result[Any]:
        return _Result(self._insert(sql, parameters))

    async def _execute_cursor(self, method: str, *args: Any) -> InlineCursor:
        cursor = InlineCursor(self, self._check().cursor())
        if len(args) == 2 and args[1] is None:
            args = args[:1]
        getattr(cursor._cursor, method)(*args)
        return cursor

    async def _fetchall(self, sql: str, parameters: Any) -> list[Any]:
        return self._check().execute(sql, () if parameters is None else parameters).fetchall()

    async def _insert(self, sql: str, parameters: Any) -> Any:
        cursor = self._check().execute(sql, () if parameters is None else parameters)
        cursor.execute("SELECT last_insert_rowid()")
        return cursor.fetchone()

    async def enable_load_extension(self, value: bool) -> None:
        self._check().enable_load_extension(value)

    async def load_extension(self, path: str) -> None:
        self._check().load_extension(path)

    async def set_progress_handler(self, handler: Callable[[], int | None] | None, n: int) -> None:
        self._check().set_progress_handler(handler, n)

    async def set_trace_callback(self, handler: Callable[[str], object] | None) -> None:
        self._check().set_trace_callback(handler)

    async def set_authorizer(self, authorizer_callback: Callable[..., int] | None) -> None:
        self._check().set_authorizer(authorizer_callback)

    async def iterdump(self) -> AsyncIterator[str]:
        for line in self._check().iterdump():
            yield line

    async def backup(self, target: InlineConnection | sqlite3.Connection, **kwargs: Any) -> None:
        if isinstance(target, InlineConnection):
            target = target._conn
        kwargs.pop("sleep", None)  # no pauses to hand out: the copy runs in one go
        self._check().backup(target, **kwargs)

    # -- attributes ------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._conn.isolation_level = value  # type: ignore[assignment]  # as sqlite3 would: it checks the value itself

    @property
    def row_factory(self) -> Any:
        return self._conn.row_factory

    @row_factory.setter
    def row_factory(self, factory: Any) -> None:
        self._conn.row_factory = factory

    @property
    def text_factory(self) -> Any:
        return self._conn.text_factory

    @text_factory.setter
    def text_factory(self, factory: Any) -> None:
        self._conn.text_factory = factory

    @property
    def total_changes(self) -> int:
        return self._conn.total_changes


def connect(database: str | bytes | Path, *, iter_chunk_size: int = 64, **kwargs: Any) -> InlineConnection:
    """Like ``aiosqlite.connect``: ``await`` the result to open ``sqlite3.connect(database, **kwargs)``."""
    location = database.decode("utf-8") if isinstance(database, bytes) else str(database)

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(location, **kwargs)

    return InlineConnection(connector, iter_chunk_size)


def connect_args(url: str | URL) -> tuple[list[Any], dict[str, Any]]:
    """The ``sqlite3.connect`` arguments SQLAlchemy's (py/aio)sqlite dialect derives from ``url``.

    An ``async_creator`` bypasses the dialect's own ``create_connect_args``, so it is
    asked here instead: an absolute file name, ``check_same_thread=False`` for files,
    the URL's ``timeout``/``isolation_level``/``detect_types``/``cached_statements``
    and, with ``uri=true``, a ``file:`` URI with the remaining query options.
    """
    parsed = make_url(url)
    with warnings.catch_warnings():
        # Ignored query options are already reported once, by the engine's own dialect.
        warnings.simplefilter("ignore", sa_exc.SAWarning)
        args, kwargs = parsed.get_dialect()().create_connect_args(parsed)
    return list(args), dict(kwargs)


def async_creator(url: str | URL) -> Callable[[], Awaitable[InlineConnection]]:
    """An ``async_creator`` for ``create_async_engine`` opening inline connections for ``url``."""
    args, kwargs = connect_args(url)

    async def create() -> InlineConnection:
        return await connect(*args, **kwargs)

    return create
