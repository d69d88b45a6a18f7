"""One outbox table: claiming its due rows with a lease, and every change of their state.

Every outbox (``reminders``, ``nudges``, ``idea_notifications``) has the delivery
columns of :class:`~bot.storage.models_delivery.LeasedDelivery`, and this is the one
implementation of what happens to them. :meth:`Outbox.claim` is one conditional
``UPDATE … WHERE id IN (SELECT … LIMIT n) AND <still claimable> RETURNING …``: a row is
claimable when it is ``pending`` and due, or ``claimed`` by a scheduler whose lease has
expired (it crashed or stalled). The condition is evaluated again on the row itself
when the UPDATE takes its lock (PostgreSQL re-checks it after waiting for a concurrent
claimer; SQLite runs writers one at a time), so two schedulers never both get the same
row, and no SELECT-then-UPDATE window exists. A row then leaves ``claimed`` only
through a recorded outcome: ``sent``, back to ``pending`` (requeued, with the back-off
of :mod:`bot.delivery.backoff`), or one of the outbox's end states (``failed``, and its
own, such as ``cancelled`` or ``no_address``).

An outbox may hold rows back from the claim (``hold_back``: an SQL condition on the
table, e.g. a later status change to a person waits for the earlier one) and names the
key its rows are recorded under in the delivery log (``log_key``; :mod:`bot.delivery.log`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.delivery.leases import busy_elsewhere
from bot.delivery.log import LOG_FINISH
from bot.storage.db import Database, affected_rows
from bot.storage.models_delivery import (
    STATUS_CANCELLED,
    STATUS_CLAIMED,
    STATUS_FAILED,
    STATUS_PENDING,
    STATUS_SENT,
)

__all__ = ["Final", "Outbox", "Requeue", "by_dedupe_key"]

log = logging.getLogger(__name__)

#: A condition on an outbox table under which a due row is not claimed yet.
HoldBack = Callable[[sa.Table], sa.ColumnElement[bool]]


def by_dedupe_key(row: sa.Row[Any]) -> str:
    """The delivery log key of a row whose ``dedupe_key`` is short and names nobody."""
    return str(row.dedupe_key)


@dataclass(frozen=True, slots=True)
class Requeue:
    """A claimed row back to ``pending`` until ``at`` (``error``: the reason to keep, if any)."""

    item_id: int
    at: datetime
    error: str | None = None
    count_attempt: bool = False


@dataclass(frozen=True, slots=True)
class Final:
    """A claimed row ended in one of its outbox's end states, with a reason."""

    item_id: int
    status: str
    error: str
    count_attempt: bool = True

class Outbox:
    """Lease-based claiming and the state changes of one outbox table (see the module docstring).

    ``ends``: the statuses a claimed row may end in without being sent. ``log_key``: the
    key of a row in the delivery log (unique across outboxes, at most 64 characters).
    """

    def __init__(
        self,
        database: Database,
        table: sa.Table,
        *,
        ends: Collection[str] = (STATUS_FAILED, STATUS_CANCELLED),
        log_key: Callable[[sa.Row[Any]], str] = by_dedupe_key,
        hold_back: HoldBack | None = None,
    ) -> None:
        self._db = database
        self._t = table
        self._ends = frozenset(ends)
        self.log_key = log_key
        self._hold_back = hold_back
        self._mark_sent: sa.Executable | None = None
        self._claim: sa.Executable | None = None
        self._requeue: sa.Executable | None = None
        self._final: sa.Executable | None = None

    @property
    def name(self) -> str:
        return self._t.name

    def _claimable(self, now: datetime | sa.BindParameter[datetime], *, recheck: bool = False) -> sa.ColumnElement[bool]:
        """``recheck``: the same condition on rows already found by id; the status is
        wrapped so that the planner looks them up by id rather than walking the status
        index over every due row (SQLite would)."""
        t = self._t
        status: sa.ColumnElement[str] = sa.func.coalesce(t.c.status, "") if recheck else t.c.status
        return sa.or_(
            sa.and_(
                status == STATUS_PENDING,
                t.c.next_attempt_at <= now,
                sa.or_(t.c.lease_until.is_(None), t.c.lease_until < now),
            ),
            sa.and_(status == STATUS_CLAIMED, t.c.lease_until < now),
        )

    async def claim(self, owner: str, now: datetime, lease: timedelta, limit: int) -> list[sa.Row[Any]]:
        """Take up to ``limit`` due rows for ``owner`` until ``now + lease``."""
        return await self._db.run(lambda connection: self.claim_in(connection, owner, now, lease, limit))

    def claim_in(self, connection: sa.Connection, owner: str, now: datetime, lease: timedelta, limit: int) -> list[sa.Row[Any]]:
        """:meth:`claim` inside a unit of work of :meth:`Database.run` (oldest due first)."""
        parameters = {"owner": owner, "now": now, "until": now + lease, "limit": limit}
        rows = list(connection.execute(self._claim_statement(), parameters).all())
        rows.sort(key=lambda r: (r.next_attempt_at, r.id))
        return rows

    def _claim_statement(self) -> sa.Executable:
        # Built once, with parameters: the scheduler claims several times a second during a
        # fan-out, and building the statement (and its cache key) anew costs more than running it.
        if self._claim is not None:
            return self._claim
        t = self._t
        owner = sa.bindparam("owner", type_=t.c.lease_owner.type)
        now = sa.bindparam("now", type_=t.c.next_attempt_at.type)
        limit = sa.bindparam("limit", type_=sa.Integer())
        # Rows of a tenant another replica is sending into wait for it (bot/delivery/leases.py).
        free = sa.not_(busy_elsewhere(t.c.conversation_ref_id, owner, now))
        if self._hold_back is not None:
            free = sa.and_(free, sa.not_(self._hold_back(t)))
        # Two index walks on (status, next_attempt_at), each stopping after ``limit`` rows,
        # rather than one OR over both that sorts every due row: with thousands due at
        # once the claim stays a few index steps.
        due = (
            sa.select(t.c.id, t.c.next_attempt_at)
            .where(
                t.c.status == STATUS_PENDING,
                t.c.next_attempt_at <= now,
                sa.or_(t.c.lease_until.is_(None), t.c.lease_until < now),
                free,
            )
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(limit)
        )
        expired = (
            sa.select(t.c.id, t.c.next_attempt_at)
            .where(t.c.status == STATUS_CLAIMED, t.c.lease_until < now, free)
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(limit)
        )
        both = sa.union_all(sa.select(due.subquery()), sa.select(expired.subquery())).subquery()
        candidates = sa.select(both.c.id).order_by(both.c.next_attempt_at, both.c.id).limit(limit)
        self._claim = (
            sa.update(t)
            .where(t.c.id.in_(candidates))
            .where(self._claimable(now, recheck=True))
            .values(
                status=STATUS_CLAIMED,
                lease_owner=owner,
                lease_until=sa.bindparam("until", type_=t.c.lease_until.type),
                updated_at=now,
            )
            .returning(*t.c)
        )
        return self._claim

    async def renew(self, item_id: int, owner: str, now: datetime, lease: timedelta) -> bool:
        """Extend ``owner``'s lease right before working on the row; False if it was lost.

        A batch is claimed at once but sent one by one, so each row's lease is renewed
        when its turn comes: a slow batch never lets a lease run out under a row that is
        about to be sent.
        """
        t = self._t
        statement = (
            sa.update(t)
            .where(t.c.id == item_id, t.c.status == STATUS_CLAIMED, t.c.lease_owner == owner, t.c.lease_until >= now)
            .values(lease_until=now + lease, updated_at=now)
        )
        return await self._db.run(lambda connection: _count(connection, statement)) == 1

    async def mark_sent(
        self,
        item_id: int,
        activity_id: str | None,
        now: datetime,
        *,
        log_key: str | None = None,
        conversation_ref_id: int | None = None,
    ) -> bool:
        """Record a delivery. Also when the lease was lost meanwhile: the send did happen.

        With ``log_key`` the delivery log entry is marked ``sent`` in the same
        transaction (one commit instead of two right after the connector's answer).
        ``conversation_ref_id``: where it went, when the row did not say before.
        """
        return await self._db.run(
            lambda connection: self.mark_sent_in(
                connection, item_id, activity_id, now, log_key=log_key, conversation_ref_id=conversation_ref_id
            )
        )

    def mark_sent_in(
        self,
        connection: sa.Connection,
        item_id: int,
        activity_id: str | None,
        now: datetime,
        *,
        log_key: str | None = None,
        conversation_ref_id: int | None = None,
    ) -> bool:
        """:meth:`mark_sent` inside a unit of work of :meth:`Database.run`."""
        if log_key is not None:
            connection.execute(LOG_FINISH, {"key": log_key, "activity_id": activity_id, "now": now})
        parameters = {"item_id": item_id, "activity_id": activity_id, "now": now, "conversation": conversation_ref_id}
        return _count(connection, self._mark_sent_statement(), parameters) == 1

    def _mark_sent_statement(self) -> sa.Executable:
        # Built once: a delivery is the hot path of a fan-out, and building the statement
        # anew costs more than running it.
        if self._mark_sent is None:
            t = self._t
            self._mark_sent = (
                sa.update(t)
                .where(t.c.id == sa.bindparam("item_id"), t.c.status.in_((STATUS_CLAIMED, STATUS_PENDING)))
                .values(
                    status=STATUS_SENT,
                    sent_activity_id=sa.bindparam("activity_id", type_=t.c.sent_activity_id.type),
                    sent_at=sa.bindparam("now", type_=t.c.sent_at.type),
                    lease_owner=None,
                    lease_until=None,
                    last_error=None,
                    attempts=t.c.attempts + 1,
                    updated_at=sa.bindparam("now", type_=t.c.updated_at.type),
                    conversation_ref_id=sa.func.coalesce(
                        sa.bindparam("conversation", type_=t.c.conversation_ref_id.type), t.c.conversation_ref_id
                    ),
                )
            )
        return self._mark_sent

    async def reschedule(
        self, item_id: int, owner: str, at: datetime, error: str | None, *, count_attempt: bool, now: datetime
    ) -> bool:
        item = Requeue(item_id, at, error, count_attempt)
        return await self._db.run(lambda connection: self.requeue_in(connection, owner, now, [item])) == 1

    async def finish(self, item_id: int, owner: str, status: str, error: str, now: datetime, *, count_attempt: bool = True) -> bool:
        """End an item in one of the outbox's end states with a reason."""
        item = Final(item_id, status, error, count_attempt)
        return await self._db.run(lambda connection: self.finish_in(connection, owner, now, [item])) == 1

    def requeue_in(self, connection: sa.Connection, owner: str, now: datetime, items: Sequence[Requeue]) -> int:
        """Put ``owner``'s claimed rows back to ``pending`` (one statement for all of them,
        inside a unit of work of :meth:`Database.run`); how many were still its own."""
        if not items:
            return 0
        parameters = [
            {
                "item_id": item.item_id,
                "owner": owner,
                "at": item.at,
                "error": None if item.error is None else item.error[:1000],
                "attempt": int(item.count_attempt),
                "now": now,
            }
            for item in items
        ]
        return self._changed(connection, _count(connection, self._requeue_statement(), parameters), len(items), owner)

    def finish_in(self, connection: sa.Connection, owner: str, now: datetime, items: Sequence[Final]) -> int:
        """End ``owner``'s claimed rows in end states (as :meth:`requeue_in`)."""
        if not items:
            return 0
        for item in items:
            if item.status not in self._ends:
                raise ValueError(f"not a final status: {item.status!r}")
        parameters = [
            {
                "item_id": item.item_id,
                "owner": owner,
                "status": item.status,
                "error": item.error[:1000],
                "attempt": int(item.count_attempt),
                "now": now,
            }
            for item in items
        ]
        return self._changed(connection, _count(connection, self._final_statement(), parameters), len(items), owner)

    def _changed(self, connection: sa.Connection, changed: int, expected: int, owner: str) -> int:
        if expected > 1 and not connection.dialect.supports_sane_multi_rowcount:
            return expected  # the driver does not count the rows of an executemany
        if changed < expected:
            log.info("%s: %d of %d rows no longer held by %s; left as they are", self.name, expected - changed, expected, owner)
        return changed

    def _own(self) -> sa.ColumnElement[bool]:
        t = self._t
        return sa.and_(
            t.c.id == sa.bindparam("item_id"),
            t.c.status == STATUS_CLAIMED,
            t.c.lease_owner == sa.bindparam("owner", type_=t.c.lease_owner.type),
        )

    def _let_go(self) -> dict[str, Any]:
        """What a requeued or ended row shares: no lease, the attempt counted (or not), the time."""
        t = self._t
        return {
            "lease_owner": None,
            "lease_until": None,
            "attempts": t.c.attempts + sa.bindparam("attempt", type_=sa.Integer()),
            "updated_at": sa.bindparam("now", type_=t.c.updated_at.type),
        }

    def _requeue_statement(self) -> sa.Executable:
        # Built once, with parameters (run for many rows at once): no reason given keeps the
        # last one, and a throttled row does not count an attempt.
        if self._requeue is None:
            t = self._t
            self._requeue = (
                sa.update(t)
                .where(self._own())
                .values(
                    status=STATUS_PENDING,
                    next_attempt_at=sa.bindparam("at", type_=t.c.next_attempt_at.type),
                    last_error=sa.func.coalesce(sa.bindparam("error", type_=t.c.last_error.type), t.c.last_error),
                    **self._let_go(),
                )
            )
        return self._requeue

    def _final_statement(self) -> sa.Executable:
        if self._final is None:
            t = self._t
            self._final = (
                sa.update(t)
                .where(self._own())
                .values(
                    status=sa.bindparam("status", type_=t.c.status.type),
                    last_error=sa.bindparam("error", type_=t.c.last_error.type),
                    **self._let_go(),
                )
            )
        return self._final

    async def release(self, owner: str, now: datetime) -> int:
        """Give back every lease ``owner`` holds (on shutdown): the rows are pending again."""
        t = self._t
        async with self._db.session() as session:
            result = await session.execute(
                sa.update(t)
                .where(t.c.status == STATUS_CLAIMED, t.c.lease_owner == owner)
                .values(status=STATUS_PENDING, lease_owner=None, lease_until=None, updated_at=now)
            )
        return affected_rows(result)


def _count(
    connection: sa.Connection, statement: sa.Executable, parameters: dict[str, Any] | list[dict[str, Any]] | None = None
) -> int:
    """Run an ``UPDATE``/``DELETE``/upsert; how many rows it touched."""
    return affected_rows(connection.execute(statement, parameters))
