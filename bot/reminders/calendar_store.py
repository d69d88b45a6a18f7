"""Calendar events in the database: idempotent upserts by ``uid``, queries for nudges and export."""

from __future__ import annotations

import builtins
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.clock import Clock
from bot.reminders.models import CalendarEventRow, NudgeRow
from bot.storage.db import Database, affected_rows
from bot.storage.models_delivery import STATUS_PENDING
from knowledge.calendar import CalendarEvent, EventKind
from knowledge.normalize import fold

__all__ = ["CalendarStore", "StoredEvent", "UpsertResult"]

log = logging.getLogger(__name__)

_events: sa.Table = CalendarEventRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_nudges: sa.Table = NudgeRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

_COMPARED = ("org", "committee", "kind", "topic", "title", "location", "description", "starts_at", "ends_at", "all_day", "source")


@dataclass(frozen=True)
class StoredEvent:
    id: int
    event: CalendarEvent


@dataclass(frozen=True)
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(self.inserted + other.inserted, self.updated + other.updated, self.unchanged + other.unchanged)


def _values(event: CalendarEvent) -> dict[str, Any]:
    return {
        "uid": event.uid,
        "org": event.org,
        "committee": event.committee,
        "kind": event.kind.value,
        "topic": event.topic,
        "title": event.title,
        "location": event.location or "",
        "description": event.description or "",
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "all_day": event.all_day,
        "source": event.source,
    }


def _to_event(row: sa.Row[Any]) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        event=CalendarEvent(
            uid=row.uid,
            org=row.org,
            title=row.title,
            kind=EventKind(row.kind),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            all_day=bool(row.all_day),
            committee=row.committee,
            topic=row.topic,
            location=row.location or "",
            description=row.description or "",
            source=row.source,
        ),
    )


def _same(row: sa.Row[Any], values: dict[str, Any]) -> bool:
    for name in _COMPARED:
        stored = getattr(row, name)
        wanted = values[name]
        if isinstance(wanted, datetime) and isinstance(stored, datetime):
            if stored != wanted:
                return False
        elif (stored or None) != (wanted or None):
            return False
    return True


class CalendarStore:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def upsert(self, events: Iterable[CalendarEvent]) -> UpsertResult:
        """Insert new events, update changed ones (same ``uid``), leave the rest: idempotent.

        When an event's start moves, its pending nudges are deleted so that the next
        planning run creates them for the new time.
        """
        now = self._clock.now()
        inserted = updated = unchanged = 0
        async with self._db.session() as session:
            for event in events:
                values = _values(event)
                row = (await session.execute(sa.select(_events).where(_events.c.uid == event.uid))).one_or_none()
                if row is None:
                    # Replicas starting together sync the same seed events at once: the one
                    # that comes second finds the row there and leaves it (it is the same event).
                    insert = self._db.insert(_events).values(**values, created_at=now, updated_at=now)
                    result = await session.execute(insert.on_conflict_do_nothing(index_elements=[_events.c.uid]))
                    if affected_rows(result) == 1:
                        inserted += 1
                    else:
                        unchanged += 1
                elif _same(row, values):
                    unchanged += 1
                else:
                    await session.execute(
                        sa.update(_events).where(_events.c.id == row.id).values(**values, updated_at=now)
                    )
                    if row.starts_at != event.starts_at:
                        await session.execute(
                            sa.delete(_nudges).where(_nudges.c.event_id == row.id, _nudges.c.status == STATUS_PENDING)
                        )
                    updated += 1
        if inserted or updated:
            log.info("calendar: %d new, %d changed, %d unchanged", inserted, updated, unchanged)
        return UpsertResult(inserted, updated, unchanged)

    async def get(self, event_id: int) -> StoredEvent | None:
        async with self._db.session() as session:
            row = (await session.execute(sa.select(_events).where(_events.c.id == event_id))).one_or_none()
        return _to_event(row) if row is not None else None

    async def list(
        self,
        orgs: Sequence[str] | None = None,
        *,
        committee: str | None = None,
        starts_after: datetime | None = None,
        starts_before: datetime | None = None,
        limit: int = 5000,
    ) -> list[StoredEvent]:
        statement = sa.select(_events).order_by(_events.c.starts_at, _events.c.id).limit(limit)
        if orgs is not None:
            statement = statement.where(_events.c.org.in_(list(orgs)))
        if starts_after is not None:
            statement = statement.where(_events.c.starts_at > starts_after)
        if starts_before is not None:
            statement = statement.where(_events.c.starts_at <= starts_before)
        async with self._db.session() as session:
            rows = (await session.execute(statement)).all()
        events = [_to_event(r) for r in rows]
        if committee is not None:
            key = fold(committee)
            events = [e for e in events if e.event.committee and fold(e.event.committee) == key]
        return events

    async def committees(self, orgs: Sequence[str]) -> builtins.list[str]:
        statement = (
            sa.select(_events.c.committee)
            .where(_events.c.org.in_(list(orgs)), _events.c.committee.is_not(None))
            .distinct()
            .order_by(_events.c.committee)
        )
        async with self._db.session() as session:
            return [r[0] for r in (await session.execute(statement)).all() if r[0]]
