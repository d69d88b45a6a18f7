"""Questions the knowledge base could not answer well, kept for the editors.

Staff may type personal details into a question, so the log has a retention helper
(:meth:`UnansweredLog.erase_older_than`) for the composition root to call on a schedule.

The editors never see who asked. When the composition root tells the log who is
asking (``asker``, see :class:`bot.turn_speaker.TurnSpeaker`), a one-way hash of the
user id is kept with the question (:func:`asker_key`), so that a person's questions
can be exported and erased on request (:meth:`UnansweredLog.by_asker`,
:meth:`UnansweredLog.erase_asker`) without the log naming anyone.
"""

from __future__ import annotations

import builtins
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.clock import Clock, ensure_aware_utc
from bot.storage.db import Database, affected_rows
from bot.storage.models import UNANSWERED_TEXT_MAX_LENGTH, UnansweredQuestionRow

__all__ = ["UnansweredLog", "UnansweredQuestion", "asker_key"]

logger = logging.getLogger(__name__)

_table: sa.Table = UnansweredQuestionRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    id: int
    text: str
    score: float
    suggestions: tuple[str, ...]
    channel_id: str
    asked_at: datetime
    handled: bool


def asker_key(user_id: str) -> str:
    """The hash kept for the asker ``user_id`` (the same id gives the same key)."""
    return hashlib.sha256(b"medbot-unanswered\x00" + user_id.encode("utf-8", "surrogatepass")).hexdigest()


def _to_question(row: sa.Row[Any]) -> UnansweredQuestion:
    return UnansweredQuestion(
        id=row.id,
        text=row.text,
        score=float(row.score),
        suggestions=tuple(str(entry_id) for entry_id in (row.suggestions or ())),
        channel_id=row.channel_id,
        asked_at=row.asked_at,
        handled=bool(row.handled),
    )


class UnansweredLog:
    """The ``unanswered_questions`` table."""

    def __init__(self, db: Database, clock: Clock, asker: Callable[[], str | None] | None = None) -> None:
        self._db = db
        self._clock = clock
        self._asker = asker

    async def add(self, text: str, score: float, suggestions: Sequence[str], channel_id: str) -> int:
        """Log a question (cut to 500 characters) with the best score and suggested entry ids."""
        user_id = self._asker() if self._asker is not None else None
        row = {
            "asker_key": asker_key(user_id) if user_id else None,
            "text": text[:UNANSWERED_TEXT_MAX_LENGTH],
            "score": float(score),
            "suggestions": [str(entry_id) for entry_id in suggestions],
            "channel_id": channel_id,
            "asked_at": self._clock.now(),
            "handled": False,
        }
        async with self._db.session() as session:
            question_id = (await session.execute(sa.insert(_table).values(**row).returning(_table.c.id))).scalar_one()
        logger.debug("unanswered question %s logged (score %.2f)", question_id, score)
        return int(question_id)

    async def list(self, limit: int = 100, include_handled: bool = False) -> list[UnansweredQuestion]:
        """The newest questions first."""
        statement = sa.select(_table).order_by(_table.c.asked_at.desc(), _table.c.id.desc()).limit(max(limit, 0))
        if not include_handled:
            statement = statement.where(_table.c.handled.is_(False))
        async with self._db.session() as session:
            rows = (await session.execute(statement)).all()
        return [_to_question(row) for row in rows]

    async def mark_handled(self, id: int) -> bool:  # `id` is the public name
        """Mark one question as dealt with; ``False`` when there is no such question."""
        async with self._db.session() as session:
            result = await session.execute(sa.update(_table).where(_table.c.id == id).values(handled=True))
        return affected_rows(result) == 1

    async def by_asker(self, user_id: str) -> builtins.list[UnansweredQuestion]:
        """Every question ``user_id`` asked (as far as the asker was known), oldest first."""
        statement = sa.select(_table).where(_table.c.asker_key == asker_key(user_id)).order_by(_table.c.id)
        async with self._db.session() as session:
            rows = (await session.execute(statement)).all()
        return [_to_question(row) for row in rows]

    async def erase_asker(self, user_id: str) -> int:
        """Delete every question ``user_id`` asked; return how many."""
        async with self._db.session() as session:
            result = await session.execute(sa.delete(_table).where(_table.c.asker_key == asker_key(user_id)))
        return affected_rows(result)

    async def erase_older_than(self, dt: datetime) -> int:
        """Delete every question asked before ``dt`` (aware); return how many."""
        cutoff = ensure_aware_utc(dt)
        async with self._db.session() as session:
            result = await session.execute(sa.delete(_table).where(_table.c.asked_at < cutoff))
        erased = affected_rows(result)
        if erased:
            logger.info("erased %d unanswered questions older than %s", erased, cutoff.isoformat())
        return erased
