"""Writing notifications into the ``idea_notifications`` outbox (inside the caller's transaction).

A status change and its notifications are written in one unit of work, so a crash
between them cannot lose a notification; the delivery scheduler sends what is pending
(:mod:`bot.delivery.scheduler`, with :mod:`bot.ideas.delivery`). ``dedupe_key`` is
unique, so writing the same notification twice is a no-op. The rows have every
outbox's status words (:mod:`bot.storage.models_delivery`) and one of their own,
``no_address``: nobody with a chat address to send it to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ideas.directory import CommitteeDirectory
from bot.ideas.models import IdeaNotificationRow
from bot.storage.db import Database
from bot.storage.models_delivery import STATUS_CLAIMED, STATUS_FAILED, STATUS_PENDING, STATUS_SENT
from dialogs import texts

__all__ = [
    "KIND_FORWARDED",
    "KIND_NEW",
    "KIND_NUDGE",
    "KIND_STATUS",
    "RECIPIENT_CONTACT",
    "RECIPIENT_SUBMITTER",
    "RECIPIENT_SUPPORTER",
    "STATUS_CLAIMED",
    "STATUS_FAILED",
    "STATUS_NO_ADDRESS",
    "STATUS_PENDING",
    "STATUS_SENT",
    "Enqueuer",
    "log_key_of",
]

log = logging.getLogger(__name__)

notifications: sa.Table = IdeaNotificationRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

KIND_NEW = "new_idea"  # to the committee's contacts: a new idea has come in
KIND_FORWARDED = "forwarded"  # to the new committee's contacts: an idea was sent on to them
KIND_STATUS = "status"  # to the submitter (and supporters): the status changed
KIND_NUDGE = "nudge"  # to the committee's contacts: an idea has sat too long in one status

RECIPIENT_SUBMITTER = "submitter"
RECIPIENT_SUPPORTER = "supporter"
RECIPIENT_CONTACT = "contact"

#: The end state of a notification nobody can be reached for (besides every outbox's).
STATUS_NO_ADDRESS = "no_address"

NONE_SUFFIX = ":none"


def log_key_of(notification_id: int) -> str:
    """A notification's delivery log key: its id (its ``dedupe_key`` may name a person)."""
    return f"idea-notification:{notification_id}"


@dataclass(frozen=True)
class Enqueuer:
    """Adds outbox rows in a session the caller owns."""

    database: Database
    directory: CommitteeDirectory

    async def add(
        self,
        session: AsyncSession,
        *,
        idea_id: int,
        kind: str,
        recipient_kind: str,
        recipient: str,
        payload: dict[str, Any],
        dedupe_key: str,
        now: datetime,
        committee: str | None = None,
        conversation_ref_id: int | None = None,
        status: str = STATUS_PENDING,
        error: str | None = None,
    ) -> bool:
        """Insert one row unless ``dedupe_key`` exists; True when it was new."""
        insert = self.database.insert(notifications).values(
            idea_id=idea_id,
            kind=kind,
            recipient_kind=recipient_kind,
            recipient=recipient,
            committee=committee,
            conversation_ref_id=conversation_ref_id,
            payload=payload,
            dedupe_key=dedupe_key,
            status=status,
            attempts=0,
            next_attempt_at=now,
            last_error=error,
            created_at=now,
            updated_at=now,
        )
        result = await session.execute(insert.on_conflict_do_nothing(index_elements=["dedupe_key"]))
        return bool(result.rowcount)  # type: ignore[attr-defined]  # the result of an INSERT, UPDATE or DELETE is a CursorResult

    async def to_contacts(
        self,
        session: AsyncSession,
        *,
        idea_id: int,
        number: str,
        kind: str,
        committee: str,
        payload: dict[str, Any],
        dedupe_base: str,
        now: datetime,
    ) -> int:
        """One row per registered contact of ``committee``; a ``no_address`` row when none is known.

        Returns the number of rows that can be sent (0 when nobody has a chat address).
        """
        contacts = await self.directory.contacts_in(session, committee)
        if not contacts:
            people = self.directory.contact_labels(committee)
            inserted = await self.add(
                session,
                idea_id=idea_id,
                kind=kind,
                recipient_kind=RECIPIENT_CONTACT,
                recipient=people,
                committee=committee,
                payload=payload,
                dedupe_key=dedupe_base + NONE_SUFFIX,
                status=STATUS_NO_ADDRESS,
                error=texts.IDEA_NOTICE_NO_CONTACT_ADDRESS,
                now=now,
            )
            if inserted:
                log.warning(
                    "idea #%s: %s notice for %s not sent: no chat address known for its contacts (%s); "
                    "register one with `medbot ideas contact add --committee %s --user-id ID`",
                    number,
                    kind,
                    committee,
                    people,
                    committee,
                )
            return 0
        queued = 0
        for contact in contacts:
            if await self.add(
                session,
                idea_id=idea_id,
                kind=kind,
                recipient_kind=RECIPIENT_CONTACT,
                recipient=contact.user_id,
                committee=committee,
                conversation_ref_id=contact.conversation_ref_id,
                payload=payload,
                dedupe_key=f"{dedupe_base}:{contact.user_id}",
                now=now,
            ):
                queued += 1
        return queued

    async def readdress(self, session: AsyncSession, committee: str, user_id: str, conversation_ref_id: int | None, now: datetime) -> int:
        """Give the ``no_address`` notices of ``committee`` to a newly registered contact."""
        rows = (
            await session.execute(
                sa.select(notifications.c.id, notifications.c.dedupe_key).where(
                    notifications.c.committee == committee,
                    notifications.c.recipient_kind == RECIPIENT_CONTACT,
                    notifications.c.status == STATUS_NO_ADDRESS,
                )
            )
        ).all()
        moved = 0
        for row in rows:
            base = row.dedupe_key[: -len(NONE_SUFFIX)] if row.dedupe_key.endswith(NONE_SUFFIX) else row.dedupe_key
            new_key = f"{base}:{user_id}"
            taken = (
                await session.execute(sa.select(notifications.c.id).where(notifications.c.dedupe_key == new_key))
            ).first()
            if taken is not None:
                continue
            await session.execute(
                sa.update(notifications)
                .where(notifications.c.id == row.id, notifications.c.status == STATUS_NO_ADDRESS)
                .values(
                    status=STATUS_PENDING,
                    recipient=user_id,
                    conversation_ref_id=conversation_ref_id,
                    dedupe_key=new_key,
                    next_attempt_at=now,
                    last_error=None,
                    updated_at=now,
                )
            )
            moved += 1
        return moved
