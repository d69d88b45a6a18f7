"""One confirmation, one idea: the key that makes storing a confirmed idea idempotent.

A crash between storing an idea and saving the dialog state leaves the dialog at the
summary; the same activity sent again, or the user's next »bekræft«, confirms the same
draft once more. :func:`submission_key` is a hash of who confirmed what in which budget
year; ``idea_submitters.submission_key`` is unique, so the second confirmation finds
the first idea (and answers with its receipt) instead of storing another one, also when
two confirmations race. That holds for :data:`REPEAT_WINDOW`: the same content confirmed
again later is a new idea (the old one gives up its key). The key is erased with the
person (``medbot privacy erase``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ideas.outbox import KIND_NEW, RECIPIENT_CONTACT, STATUS_NO_ADDRESS, notifications
from bot.ideas.views import ideas, submitters
from dialogs.idea_port import Person
from knowledge.ideas_rules import IdeaDraft

__all__ = ["REPEAT_WINDOW", "find_submission", "submission_key"]

#: How long a confirmation repeated (after a crash, or by a user who saw no receipt)
#: gives the first idea's receipt instead of a new idea.
REPEAT_WINDOW = timedelta(days=7)


def submission_key(budget_year: int, person: Person, draft: IdeaDraft) -> str:
    """The same person confirming the same content in the same budget year gives the same key."""
    content = {
        "year": budget_year,
        "channel": person.channel_id,
        "user": person.user_id,
        "title": draft.title.strip(),
        "description": draft.description.strip(),
        "potential": draft.potential.strip(),
        "area": draft.area_id,
        "cross": bool(draft.cross_cutting),
        "consequences": {k: v.strip() for k, v in sorted(draft.consequences.items()) if v.strip()},
        "anonymous": bool(draft.anonymous),
    }
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


async def find_submission(session: AsyncSession, key: str) -> sa.Row[*tuple[Any, ...]] | None:
    """The idea stored for ``key``, or None: a row with ``id``, ``budget_year``, ``seq``,
    ``committee`` (where it was first routed), ``conversation_ref_id``, ``created_at`` and
    ``notified`` (how many of the committee's contacts were told)."""
    told = (
        sa.select(sa.func.count())
        .where(
            notifications.c.idea_id == ideas.c.id,
            notifications.c.kind == KIND_NEW,
            notifications.c.recipient_kind == RECIPIENT_CONTACT,
            notifications.c.status != STATUS_NO_ADDRESS,
        )
        .scalar_subquery()
    )
    statement = (
        sa.select(
            ideas.c.id,
            ideas.c.budget_year,
            ideas.c.seq,
            ideas.c.origin_committee.label("committee"),
            submitters.c.conversation_ref_id,
            ideas.c.created_at,
            told.label("notified"),
        )
        .select_from(ideas.join(submitters, submitters.c.idea_id == ideas.c.id))
        .where(submitters.c.submission_key == key)
    )
    return (await session.execute(statement)).one_or_none()
