"""Creating calendar nudges for subscriptions: the rows of the ``nudges`` outbox.

For every subscription whose conversation is reachable and every event it covers
(:func:`knowledge.calendar.event_matches_target`), the nudges due within the planning
horizon are inserted with ``ON CONFLICT DO NOTHING``: the unique (event, conversation,
rule) key makes planning idempotent, so it can run on every replica, as often as
wanted. The rule key includes the event's start, so a moved meeting gets new nudges.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.clock import Clock
from bot.reminders.calendar_store import CalendarStore
from bot.reminders.models import NudgeRow
from bot.reminders.store import SubscriptionStore
from bot.storage.db import Database, affected_rows
from bot.storage.models_delivery import STATUS_PENDING
from knowledge.calendar import (
    CalendarEvent,
    NudgeKind,
    NudgePolicy,
    WorkingDays,
    event_matches_target,
    plan_nudges,
)
from knowledge.clock import COPENHAGEN

__all__ = ["NudgePlanner", "nudge_dedupe_key", "nudge_offset_key", "parse_offset_key"]

log = logging.getLogger(__name__)

_nudges: sa.Table = NudgeRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


def nudge_offset_key(rule_key: str, event: CalendarEvent) -> str:
    return f"{rule_key}@{event.starts_at.astimezone(COPENHAGEN):%Y%m%dT%H%M}"


def parse_offset_key(offset_key: str) -> NudgeKind:
    kind = offset_key.split(":", 1)[0]
    return NudgeKind(kind)


def nudge_dedupe_key(event_id: int, conversation_ref_id: int, offset_key: str) -> str:
    return f"nudge:{event_id}:{conversation_ref_id}:{offset_key}"


class NudgePlanner:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        calendar: CalendarStore,
        subscriptions: SubscriptionStore,
        orgs: Sequence[str],
        policy: NudgePolicy,
        working_days: WorkingDays,
        horizon: timedelta,
    ) -> None:
        self._db = database
        self._clock = clock
        self._calendar = calendar
        self._subscriptions = subscriptions
        self._orgs = tuple(orgs)
        self._policy = policy
        self._working_days = working_days
        self._horizon = horizon

    async def plan(self, now: datetime | None = None) -> int:
        """Insert the nudges now due within the horizon; return how many rows are new."""
        now = now or self._clock.now()
        subscriptions = await self._subscriptions.reachable()
        if not subscriptions:
            return 0
        longest = max((rule.offset for rule in self._policy.rules), default=timedelta(0))
        events = await self._calendar.list(
            self._orgs, starts_after=now - timedelta(days=1), starts_before=now + self._horizon + longest + timedelta(days=14)
        )
        rows: dict[tuple[int, int, str], dict[str, Any]] = {}
        for stored in events:
            covered = [s for s in subscriptions if event_matches_target(stored.event, s.target)]
            if not covered:
                continue
            for planned in plan_nudges(stored.event, now, self._policy, self._working_days, self._horizon):
                offset_key = nudge_offset_key(planned.rule.key, stored.event)
                for subscription in covered:
                    key = (stored.id, subscription.conversation_ref_id, offset_key)
                    rows[key] = {
                        "event_id": stored.id,
                        "conversation_ref_id": subscription.conversation_ref_id,
                        "offset_key": offset_key,
                        "due_at": planned.due_at,
                        "status": STATUS_PENDING,
                        "attempts": 0,
                        "next_attempt_at": planned.due_at,
                        "dedupe_key": nudge_dedupe_key(*key),
                        "created_at": now,
                        "updated_at": now,
                    }
        if not rows:
            return 0
        statement = self._db.insert(_nudges).values(list(rows.values())).on_conflict_do_nothing()
        async with self._db.session() as session:
            result = await session.execute(statement)
        created = max(affected_rows(result), 0)
        if created:
            log.info("planned %d new nudges", created)
        return created
