"""The delivery log: one row per log key, so that a row reclaimed after a crash is not sent twice.

``sending`` is written (and committed) before the connector is called, ``sent`` right
after it answered with success. A scheduler that reclaims a row first looks here:
``sent`` means the earlier attempt succeeded, so the row is only marked, never sent
again. Each outbox names the log key of its rows (:attr:`bot.delivery.outbox.Outbox.log_key`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.storage.db import Database, affected_rows
from bot.storage.models_delivery import DeliveryLogRow

__all__ = ["LOG_FINISH", "LOG_SENDING", "LOG_SENT", "DeliveryLog", "LogEntry"]

LOG_SENDING = "sending"
LOG_SENT = "sent"

_log_table: sa.Table = DeliveryLogRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
#: Mark one log key ``sent`` (parameters ``key``, ``activity_id``, ``now``).
LOG_FINISH = (
    sa.update(_log_table)
    .where(_log_table.c.dedupe_key == sa.bindparam("key"))
    .values(
        status=LOG_SENT,
        activity_id=sa.bindparam("activity_id", type_=_log_table.c.activity_id.type),
        finished_at=sa.bindparam("now", type_=_log_table.c.finished_at.type),
    )
)
_LOG_ABORT = sa.delete(_log_table).where(_log_table.c.dedupe_key == sa.bindparam("key"), _log_table.c.status == LOG_SENDING)


@dataclass(frozen=True)
class LogEntry:
    dedupe_key: str
    status: str
    owner: str
    attempt: int
    started_at: datetime
    finished_at: datetime | None
    activity_id: str | None


class DeliveryLog:
    """The ``delivery_log`` table (see the module docstring)."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._begin: sa.Executable | None = None

    async def get(self, dedupe_key: str) -> LogEntry | None:
        entries = await self._db.run(lambda connection: self.entries(connection, [dedupe_key]))
        return entries.get(dedupe_key)

    async def get_many(self, dedupe_keys: list[str]) -> dict[str, LogEntry]:
        """The entries of ``dedupe_keys`` that exist (one query for a claimed batch)."""
        return await self._db.run(lambda connection: self.entries(connection, dedupe_keys))

    @staticmethod
    def entries(connection: sa.Connection, dedupe_keys: list[str]) -> dict[str, LogEntry]:
        """:meth:`get_many` inside a unit of work of :meth:`Database.run`."""
        if not dedupe_keys:
            return {}
        rows = connection.execute(sa.select(_log_table).where(_log_table.c.dedupe_key.in_(dedupe_keys))).all()
        return {row.dedupe_key: _entry(row) for row in rows}

    async def begin(self, dedupe_key: str, owner: str, now: datetime) -> None:
        """Record (and commit) that a send is about to start. Never overwrites ``sent``."""
        await self._db.run(lambda connection: self.begin_in(connection, [dedupe_key], owner, now))

    def begin_in(self, connection: sa.Connection, dedupe_keys: Sequence[str], owner: str, now: datetime) -> None:
        """:meth:`begin` for the rows of a batch at once, inside a unit of work of
        :meth:`Database.run` (committed with it, before any of them is sent)."""
        if dedupe_keys:
            connection.execute(self._begin_statement(), [{"key": key, "owner": owner, "now": now} for key in dedupe_keys])

    def _begin_statement(self) -> sa.Executable:
        if self._begin is None:
            t = _log_table
            insert = self._db.insert(t).values(
                dedupe_key=sa.bindparam("key"),
                status=LOG_SENDING,
                owner=sa.bindparam("owner"),
                attempt=1,
                started_at=sa.bindparam("now", type_=t.c.started_at.type),
            )
            self._begin = insert.on_conflict_do_update(
                index_elements=[t.c.dedupe_key],
                set_={
                    "status": LOG_SENDING,
                    "owner": insert.excluded.owner,
                    "attempt": t.c.attempt + 1,
                    "started_at": insert.excluded.started_at,
                    "finished_at": None,
                },
                where=t.c.status != LOG_SENT,
            )
        return self._begin

    async def finish(self, dedupe_key: str, activity_id: str | None, now: datetime) -> None:
        """The connector accepted the message: from now on it is never sent again."""
        parameters = {"key": dedupe_key, "activity_id": activity_id, "now": now}
        await self._db.run(lambda connection: affected_rows(connection.execute(LOG_FINISH, parameters)))

    async def abort(self, dedupe_key: str) -> None:
        """The attempt is known not to have delivered (an error answer): forget it."""
        await self._db.run(lambda connection: self.abort_in(connection, [dedupe_key]))

    @staticmethod
    def abort_in(connection: sa.Connection, dedupe_keys: Sequence[str]) -> None:
        """:meth:`abort` for several keys, inside a unit of work of :meth:`Database.run`."""
        if dedupe_keys:
            connection.execute(_LOG_ABORT, [{"key": key} for key in dedupe_keys])

    async def purge(self, before: datetime) -> int:
        """Drop entries of sends finished before ``before`` (their items are final by then)."""
        t = _log_table
        async with self._db.session() as session:
            result = await session.execute(
                sa.delete(t).where(t.c.status == LOG_SENT, t.c.finished_at < before)
            )
        return affected_rows(result)



def _entry(row: sa.Row[Any]) -> LogEntry:
    return LogEntry(
        dedupe_key=row.dedupe_key,
        status=row.status,
        owner=row.owner,
        attempt=row.attempt,
        started_at=row.started_at,
        finished_at=row.finished_at,
        activity_id=row.activity_id,
    )
