"""Erasing a person's identity from Den gode idé while the ideas stay (``medbot ideas erase-person``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ideas.actors import Actor
from bot.ideas.models import IdeaDraftRow
from bot.ideas.outbox import (
    RECIPIENT_SUBMITTER,
    RECIPIENT_SUPPORTER,
    STATUS_CLAIMED,
    STATUS_FAILED,
    STATUS_NO_ADDRESS,
    STATUS_PENDING,
    log_key_of,
    notifications,
)
from bot.ideas.views import events, submitters, supports
from bot.storage.db import Database, affected_rows
from bot.storage.models_delivery import DeliveryLogRow
from dialogs import texts

__all__ = ["ErasureReport", "erase_identity", "erase_person", "forget_deliveries"]

log = logging.getLogger(__name__)

_delivery_log: sa.Table = DeliveryLogRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

drafts: sa.Table = IdeaDraftRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


@dataclass(frozen=True)
class ErasureReport:
    ideas: int
    supports: int
    drafts: int
    notifications: int


async def erase_person(database: Database, now: datetime, user_id: str, actor: Actor) -> ErasureReport:
    """Remove ``user_id``'s identity from their ideas, supports, drafts and notifications.

    The ideas stay (with their numbers, content and history); the link to the
    person is gone, and feedback that was still waiting is not sent.
    """
    async with database.session() as session:
        report = await erase_identity(session, now, user_id, actor)
    log.info("erased a person from %d ideas and %d supports", report.ideas, report.supports)
    return report


async def forget_deliveries(session: AsyncSession, which: sa.ColumnElement[bool]) -> None:
    """Where the notifications ``which`` went: their conversation, the id of the message
    sent there and their delivery log entries."""
    ids = list((await session.execute(sa.select(notifications.c.id).where(which))).scalars())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        keys = [log_key_of(notification_id) for notification_id in chunk]
        await session.execute(sa.delete(_delivery_log).where(_delivery_log.c.dedupe_key.in_(keys)))
        await session.execute(
            sa.update(notifications).where(notifications.c.id.in_(chunk)).values(conversation_ref_id=None, sent_activity_id=None)
        )


async def erase_identity(session: AsyncSession, now: datetime, user_id: str, actor: Actor) -> ErasureReport:
    """:func:`erase_person` inside the caller's unit of work (``medbot privacy erase`` does more in it)."""
    idea_ids = list(
        (
            await session.execute(
                sa.select(submitters.c.idea_id).where(submitters.c.user_id == user_id, submitters.c.erased_at.is_(None))
            )
        ).scalars()
    )
    support_ids = list(
        (await session.execute(sa.select(supports.c.id).where(supports.c.user_id == user_id))).scalars()
    )
    if idea_ids:
        await session.execute(
            sa.update(submitters)
            .where(submitters.c.idea_id.in_(idea_ids))
            .values(
                channel_id=None, user_id=None, user_name=None, conversation_ref_id=None, submission_key=None, erased_at=now
            )
        )
        for idea_id in idea_ids:
            await session.execute(
                sa.insert(events).values(idea_id=idea_id, at=now, actor_id=actor.id, actor_name=actor.name, kind="erased")
            )
    if support_ids:
        await session.execute(
            sa.update(supports)
            .where(supports.c.id.in_(support_ids))
            .values(channel_id=None, user_id=None, user_name=None, conversation_ref_id=None)
        )
    to_person = sa.or_(
        sa.and_(notifications.c.recipient_kind == RECIPIENT_SUBMITTER, notifications.c.idea_id.in_(idea_ids or [-1])),
        sa.and_(
            notifications.c.recipient_kind == RECIPIENT_SUPPORTER,
            notifications.c.recipient.in_([f"support:{i}" for i in support_ids] or ["-"]),
        ),
    )
    cancelled = await session.execute(
        sa.update(notifications)
        .where(to_person, notifications.c.status.in_([STATUS_PENDING, STATUS_CLAIMED, STATUS_NO_ADDRESS]))
        .values(
            status=STATUS_FAILED,
            last_error=texts.IDEA_NOTICE_RECIPIENT_ERASED,
            lease_owner=None,
            lease_until=None,
            updated_at=now,
        )
    )
    await forget_deliveries(session, to_person)
    removed_drafts = await session.execute(sa.delete(drafts).where(drafts.c.user_id == user_id))
    return ErasureReport(
        ideas=len(idea_ids),
        supports=len(support_ids),
        drafts=affected_rows(removed_drafts),
        notifications=affected_rows(cancelled),
    )
