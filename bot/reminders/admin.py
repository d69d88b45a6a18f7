"""Read-only views for the admins (``medbot reminders failed`` / ``medbot reminders list``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.reminders.models import CalendarEventRow, NudgeRow, ReminderRow
from bot.storage.db import Database
from bot.storage.models import ConversationRef
from bot.storage.models_delivery import STATUS_CLAIMED, STATUS_FAILED, STATUS_PENDING

__all__ = ["DeliveryItem", "UnreachableConversation", "failed_deliveries", "pending_deliveries", "unreachable_conversations"]

_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_nudges: sa.Table = NudgeRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_events: sa.Table = CalendarEventRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_conversations: sa.Table = ConversationRef.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


@dataclass(frozen=True)
class DeliveryItem:
    kind: str  # "reminder" | "nudge"
    id: int
    conversation_ref_id: int
    channel_id: str
    conversation_id: str
    text: str
    due_at: datetime
    next_attempt_at: datetime
    status: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class UnreachableConversation:
    id: int
    channel_id: str
    conversation_id: str
    reason: str | None
    updated_at: datetime


def _item(kind: str, row: sa.Row[Any]) -> DeliveryItem:
    return DeliveryItem(
        kind=kind,
        id=row.id,
        conversation_ref_id=row.conversation_ref_id,
        channel_id=row.channel_id,
        conversation_id=row.conversation_id,
        text=row.text,
        due_at=row.due_at,
        next_attempt_at=row.next_attempt_at,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
    )


async def _items(database: Database, statuses: tuple[str, ...], limit: int) -> list[DeliveryItem]:
    c = _conversations
    reminders = (
        sa.select(_reminders, c.c.channel_id, c.c.conversation_id)
        .join(c, c.c.id == _reminders.c.conversation_ref_id)
        .where(_reminders.c.status.in_(statuses))
        .order_by(_reminders.c.next_attempt_at)
        .limit(limit)
    )
    nudges = (
        sa.select(
            _nudges,
            c.c.channel_id,
            c.c.conversation_id,
            (_events.c.title + sa.literal(" [") + _nudges.c.offset_key + sa.literal("]")).label("text"),
        )
        .join(c, c.c.id == _nudges.c.conversation_ref_id)
        .join(_events, _events.c.id == _nudges.c.event_id)
        .where(_nudges.c.status.in_(statuses))
        .order_by(_nudges.c.next_attempt_at)
        .limit(limit)
    )
    async with database.session() as session:
        reminder_rows = (await session.execute(reminders)).all()
        nudge_rows = (await session.execute(nudges)).all()
    items = [_item("reminder", r) for r in reminder_rows] + [_item("nudge", r) for r in nudge_rows]
    return sorted(items, key=lambda i: (i.next_attempt_at, i.kind, i.id))


async def failed_deliveries(database: Database, limit: int = 500) -> list[DeliveryItem]:
    return await _items(database, (STATUS_FAILED,), limit)


async def pending_deliveries(database: Database, limit: int = 500) -> list[DeliveryItem]:
    return await _items(database, (STATUS_PENDING, STATUS_CLAIMED), limit)


async def unreachable_conversations(database: Database) -> list[UnreachableConversation]:
    c = _conversations
    async with database.session() as session:
        rows = (
            await session.execute(sa.select(c).where(c.c.unreachable.is_(True)).order_by(c.c.updated_at.desc()))
        ).all()
    return [
        UnreachableConversation(
            id=r.id, channel_id=r.channel_id, conversation_id=r.conversation_id, reason=r.unreachable_reason, updated_at=r.updated_at
        )
        for r in rows
    ]
