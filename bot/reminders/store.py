"""Personal reminders and subscriptions in the database (one session per unit of work)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.clock import Clock, ensure_aware_utc
from bot.reminders.models import NudgeRow, ReminderRow, SubscriptionRow
from bot.storage.db import Database, affected_rows
from bot.storage.models import ConversationRef
from bot.storage.models_delivery import STATUS_CANCELLED, STATUS_CLAIMED, STATUS_FAILED, STATUS_PENDING, STATUS_SENT
from knowledge.normalize import fold

__all__ = ["Reminder", "ReminderStore", "Subscription", "SubscriptionStore", "new_reminder_key"]

log = logging.getLogger(__name__)

_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_subscriptions: sa.Table = SubscriptionRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_nudges: sa.Table = NudgeRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_conversations: sa.Table = ConversationRef.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

REMINDER_TEXT_MAX = 500


def new_reminder_key() -> str:
    return f"reminder:{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Reminder:
    id: int
    conversation_ref_id: int
    user_id: str
    text: str
    due_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    dedupe_key: str
    sent_activity_id: str | None
    sent_at: datetime | None
    created_at: datetime


def _reminder(row: sa.Row[Any]) -> Reminder:
    return Reminder(
        id=row.id,
        conversation_ref_id=row.conversation_ref_id,
        user_id=row.user_id,
        text=row.text,
        due_at=row.due_at,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        dedupe_key=row.dedupe_key,
        sent_activity_id=row.sent_activity_id,
        sent_at=row.sent_at,
        created_at=row.created_at,
    )


class ReminderStore:
    """The ``reminders`` table, as the users' own view of it."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def create(self, conversation_ref_id: int, user_id: str, text: str, due_at: datetime) -> Reminder:
        due = ensure_aware_utc(due_at)
        now = self._clock.now()
        values = {
            "conversation_ref_id": conversation_ref_id,
            "user_id": user_id,
            "text": text[:REMINDER_TEXT_MAX],
            "due_at": due,
            "status": STATUS_PENDING,
            "attempts": 0,
            "next_attempt_at": due,
            "dedupe_key": new_reminder_key(),
            "created_at": now,
            "updated_at": now,
        }
        async with self._db.session() as session:
            row = (await session.execute(sa.insert(_reminders).values(**values).returning(*_reminders.c))).one()
        log.info("reminder %s created for %s", row.id, due.isoformat())
        return _reminder(row)

    async def get(self, reminder_id: int) -> Reminder | None:
        async with self._db.session() as session:
            row = (await session.execute(sa.select(_reminders).where(_reminders.c.id == reminder_id))).one_or_none()
        return _reminder(row) if row is not None else None

    async def upcoming(self, user_id: str) -> list[Reminder]:
        """Pending (or being sent) reminders of a user, soonest first."""
        statement = (
            sa.select(_reminders)
            .where(_reminders.c.user_id == user_id, _reminders.c.status.in_((STATUS_PENDING, STATUS_CLAIMED)))
            .order_by(_reminders.c.due_at, _reminders.c.id)
        )
        async with self._db.session() as session:
            rows = (await session.execute(statement)).all()
        return [_reminder(r) for r in rows]

    async def newest(self, user_id: str) -> Reminder | None:
        """The reminder ``user_id`` created last, whatever has happened to it since."""
        statement = (
            sa.select(_reminders)
            .where(_reminders.c.user_id == user_id)
            .order_by(_reminders.c.created_at.desc(), _reminders.c.id.desc())
            .limit(1)
        )
        async with self._db.session() as session:
            row = (await session.execute(statement)).one_or_none()
        return _reminder(row) if row is not None else None

    async def last_sent(self, user_id: str, since: datetime) -> Reminder | None:
        statement = (
            sa.select(_reminders)
            .where(_reminders.c.user_id == user_id, _reminders.c.status == STATUS_SENT, _reminders.c.sent_at >= since)
            .order_by(_reminders.c.sent_at.desc(), _reminders.c.id.desc())
            .limit(1)
        )
        async with self._db.session() as session:
            row = (await session.execute(statement)).one_or_none()
        return _reminder(row) if row is not None else None

    async def reschedule(self, reminder_id: int, user_id: str, due_at: datetime) -> Reminder | None:
        """New time for a pending, delivered or failed reminder of ``user_id``.

        A delivered one is armed again with a new dedupe key (the old key is "sent" for good).
        """
        due = ensure_aware_utc(due_at)
        now = self._clock.now()
        t = _reminders
        async with self._db.session() as session:
            row = (
                await session.execute(sa.select(t).where(t.c.id == reminder_id, t.c.user_id == user_id))
            ).one_or_none()
            if row is None or row.status not in (STATUS_PENDING, STATUS_SENT, STATUS_FAILED):
                return None
            values: dict[str, Any] = {
                "due_at": due,
                "next_attempt_at": due,
                "status": STATUS_PENDING,
                "updated_at": now,
                "lease_owner": None,
                "lease_until": None,
            }
            if row.status != STATUS_PENDING:
                values.update(dedupe_key=new_reminder_key(), attempts=0, last_error=None, sent_activity_id=None, sent_at=None)
            result = await session.execute(
                sa.update(t)
                .where(t.c.id == reminder_id, t.c.status == row.status)
                .values(**values)
                .returning(*t.c)
            )
            updated = result.one_or_none()
        return _reminder(updated) if updated is not None else None

    async def cancel(self, reminder_id: int, user_id: str) -> bool:
        now = self._clock.now()
        t = _reminders
        async with self._db.session() as session:
            result = await session.execute(
                sa.update(t)
                .where(
                    t.c.id == reminder_id,
                    t.c.user_id == user_id,
                    t.c.status.in_((STATUS_PENDING, STATUS_CLAIMED, STATUS_FAILED)),
                )
                .values(status=STATUS_CANCELLED, lease_owner=None, lease_until=None, updated_at=now)
            )
        return affected_rows(result) == 1

    async def all(self, statuses: tuple[str, ...] | None = None, limit: int = 500) -> list[Reminder]:
        statement = sa.select(_reminders).order_by(_reminders.c.due_at.desc(), _reminders.c.id.desc()).limit(limit)
        if statuses:
            statement = statement.where(_reminders.c.status.in_(statuses))
        async with self._db.session() as session:
            rows = (await session.execute(statement)).all()
        return [_reminder(r) for r in rows]


@dataclass(frozen=True)
class Subscription:
    id: int
    conversation_ref_id: int
    user_id: str | None
    target: str
    created_at: datetime


def _subscription(row: sa.Row[Any]) -> Subscription:
    return Subscription(
        id=row.id,
        conversation_ref_id=row.conversation_ref_id,
        user_id=row.user_id,
        target=row.target,
        created_at=row.created_at,
    )


def target_key(target: str) -> str:
    return fold(target)


class SubscriptionStore:
    """The ``subscriptions`` table: one row per conversation and target."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def add(self, conversation_ref_id: int, user_id: str | None, target: str) -> bool:
        """True when new; False when the conversation already follows ``target``."""
        t = _subscriptions
        statement = (
            self._db.insert(t)
            .values(
                conversation_ref_id=conversation_ref_id,
                user_id=user_id,
                target=target,
                target_key=target_key(target),
                created_at=self._clock.now(),
            )
            .on_conflict_do_nothing(index_elements=[t.c.conversation_ref_id, t.c.target_key])
        )
        async with self._db.session() as session:
            result = await session.execute(statement)
        return affected_rows(result) == 1

    async def remove(self, conversation_ref_id: int, target: str | None) -> list[str]:
        """Remove one target (or all when None); pending nudges for them are cancelled."""
        t = _subscriptions
        async with self._db.session() as session:
            query = sa.select(t).where(t.c.conversation_ref_id == conversation_ref_id).order_by(t.c.created_at, t.c.id)
            if target is not None:
                query = query.where(t.c.target_key == target_key(target))
            rows = (await session.execute(query)).all()
            if not rows:
                return []
            await session.execute(sa.delete(t).where(t.c.id.in_([r.id for r in rows])))
        await self._cancel_orphan_nudges(conversation_ref_id)
        return [r.target for r in rows]

    async def _cancel_orphan_nudges(self, conversation_ref_id: int) -> None:
        """Delete the conversation's pending (never sent) nudges; the next planning run
        creates again what its remaining subscriptions still cover (the rows are unique
        per event, conversation and rule, so cancelled rows would block that)."""
        async with self._db.session() as session:
            await session.execute(
                sa.delete(_nudges).where(
                    _nudges.c.conversation_ref_id == conversation_ref_id, _nudges.c.status == STATUS_PENDING
                )
            )

    async def for_conversation(self, conversation_ref_id: int) -> list[Subscription]:
        t = _subscriptions
        async with self._db.session() as session:
            rows = (
                await session.execute(
                    sa.select(t).where(t.c.conversation_ref_id == conversation_ref_id).order_by(t.c.created_at, t.c.id)
                )
            ).all()
        return [_subscription(r) for r in rows]

    async def reachable(self) -> list[Subscription]:
        """Every subscription whose conversation is not marked unreachable."""
        t = _subscriptions
        c = _conversations
        statement = (
            sa.select(t)
            .join(c, c.c.id == t.c.conversation_ref_id)
            .where(c.c.unreachable.is_(False))
            .order_by(t.c.id)
        )
        async with self._db.session() as session:
            rows = (await session.execute(statement)).all()
        return [_subscription(r) for r in rows]
