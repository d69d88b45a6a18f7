"""Nudging a committee's contacts about ideas that sit too long in one status.

An idea waiting for the committee (modtaget, drøftes, sendt videre) for longer than
the threshold gets one nudge per contact for that stay in that status: the dedupe
key names the idea, the status and when the idea entered it, so the next tick does
not nudge again, and a later stay in the same status gets its own nudge.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.ideas.directory import CommitteeDirectory
from bot.ideas.outbox import KIND_NUDGE, Enqueuer
from bot.ideas.views import ideas, number_of, status_label
from bot.storage.db import Database
from knowledge.ideas_rules import NUDGE_STATUSES

__all__ = ["StaleNudger"]

log = logging.getLogger(__name__)


class StaleNudger:
    def __init__(self, database: Database, directory: CommitteeDirectory, enqueuer: Enqueuer) -> None:
        self._db = database
        self._directory = directory
        self._enqueuer = enqueuer

    async def nudge_stale(self, now: datetime, threshold: timedelta) -> int:
        """Queue nudges for stale ideas; returns how many new nudges can be sent."""
        if threshold <= timedelta(0):
            raise ValueError("the stale threshold must be positive")
        cutoff = now - threshold
        queued = 0
        async with self._db.session() as session:
            rows = (
                await session.execute(
                    sa.select(ideas)
                    .where(
                        ideas.c.status.in_([s.value for s in NUDGE_STATUSES]),
                        ideas.c.status_changed_at <= cutoff,
                    )
                    .order_by(ideas.c.id)
                )
            ).all()
            for row in rows:
                entered = row.status_changed_at
                queued += await self._enqueuer.to_contacts(
                    session,
                    idea_id=row.id,
                    number=number_of(row),
                    kind=KIND_NUDGE,
                    committee=row.committee,
                    payload={
                        "number": number_of(row),
                        "title": row.title,
                        "label": status_label(self._directory, row.status, row.status_committee),
                        "days": (now - entered).days,
                    },
                    dedupe_base=f"nudge:{row.id}:{row.status}:{entered.isoformat()}",
                    now=now,
                )
        if queued:
            log.info("queued %d nudges about stale ideas", queued)
        return queued
