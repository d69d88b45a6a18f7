"""The status lifecycle: changing a status (audited, with its feedback queued) and comments.

One status change is ONE transaction: the idea's new status (a compare-and-set on the
old one), the audit event, and the outbox rows for the submitter, the supporters and,
when the idea moves to another committee, that committee's contacts. Only admins of
the idea's committee or of the committee it was first routed to may change or
comment an idea; the command line is trusted and audited as ``cli``.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.ideas.actors import Actor, as_number, by_number
from bot.ideas.directory import TOP, CommitteeDirectory
from bot.ideas.outbox import KIND_FORWARDED, KIND_STATUS, RECIPIENT_SUBMITTER, RECIPIENT_SUPPORTER, Enqueuer
from bot.ideas.views import events, ideas, status_label, submitters, supports
from bot.storage.db import Database, affected_rows
from dialogs import texts
from dialogs.idea_port import (
    AccessDeniedError,
    ConcurrentChangeError,
    IdeaNotFoundError,
    InvalidIdeaError,
    NeedCommitteeError,
    StatusChange,
)
from knowledge.ideas_rules import REASON_MAX, WITH_COMMITTEE, IdeaStatus, check_transition

__all__ = ["Lifecycle"]

log = logging.getLogger(__name__)


class Lifecycle:
    def __init__(self, database: Database, clock: Clock, directory: CommitteeDirectory, enqueuer: Enqueuer) -> None:
        self._db = database
        self._clock = clock
        self.directory = directory
        self._enqueue = enqueuer

    async def preview(self, number: str, status: IdeaStatus, actor: Actor) -> None:
        """Raise what :meth:`change_status` would raise, except for a missing reason."""
        wanted = as_number(number)
        async with self._db.session() as session:
            row = (
                await session.execute(
                    sa.select(ideas.c.status, ideas.c.committee, ideas.c.origin_committee).where(by_number(wanted))
                )
            ).one_or_none()
        if row is None:
            raise IdeaNotFoundError(str(wanted))
        if not await self.can_manage(actor, row.committee, row.origin_committee):
            raise AccessDeniedError("not an admin of the idea's committee")
        check_transition(IdeaStatus(row.status), status, texts.IDEA_REASON_FOLLOWS)

    async def can_manage(self, actor: Actor, committee: str, origin: str) -> bool:
        if actor.trusted:
            return True
        return await self.directory.is_admin_of(actor.id, {committee, origin})

    async def change_status(
        self,
        number: str,
        status: IdeaStatus,
        actor: Actor,
        *,
        reason: str | None = None,
        committee: str | None = None,
    ) -> StatusChange:
        """Change the status, audit it and queue the feedback, in one transaction."""
        wanted = as_number(number)
        reason = (reason or "").strip() or None
        if reason is not None and len(reason) > REASON_MAX:
            raise InvalidIdeaError(f"the reason is longer than {REASON_MAX} characters")
        now = self._clock.now()
        async with self._db.session() as session:
            row = (await session.execute(sa.select(ideas).where(by_number(wanted)))).one_or_none()
            if row is None:
                raise IdeaNotFoundError(str(wanted))
            if not await self.can_manage(actor, row.committee, row.origin_committee):
                log.warning("refused a status change of idea #%s by a non-admin", wanted)
                raise AccessDeniedError("not an admin of the idea's committee")
            old = IdeaStatus(row.status)
            check_transition(old, status, reason)
            target = self._target_committee(status, row.committee, committee)
            new_committee = target or row.committee
            result = await session.execute(
                sa.update(ideas)
                .where(ideas.c.id == row.id, ideas.c.status == old.value)
                .values(
                    status=status.value,
                    status_committee=target,
                    committee=new_committee,
                    updated_at=now,
                    status_changed_at=now,
                )
            )
            if affected_rows(result) != 1:
                raise ConcurrentChangeError(f"idea #{wanted} changed meanwhile")
            event_id = (
                await session.execute(
                    sa.insert(events)
                    .values(
                        idea_id=row.id,
                        at=now,
                        actor_id=actor.id,
                        actor_name=actor.name,
                        kind="status",
                        from_status=old.value,
                        to_status=status.value,
                        committee=target,
                        reason=reason,
                    )
                    .returning(events.c.id)
                )
            ).scalar_one()
            label = status_label(self.directory, status.value, target)
            payload = {"number": str(wanted), "title": row.title, "status": status.value, "label": label, "reason": reason}
            notified = await self._queue_feedback(session, row.id, event_id, payload, now)
            unreachable: str | None = None
            if new_committee != row.committee:
                reached = await self._enqueue.to_contacts(
                    session,
                    idea_id=row.id,
                    number=str(wanted),
                    kind=KIND_FORWARDED,
                    committee=new_committee,
                    payload={"number": str(wanted)},
                    dedupe_base=f"forwarded:{event_id}",
                    now=now,
                )
                if not reached:
                    unreachable = self.directory.name(new_committee)
        log.info("idea #%s: %s -> %s by %s", wanted, old.value, status.value, "cli" if actor.trusted else "admin")
        return StatusChange(
            number=str(wanted),
            title=row.title,
            old=old,
            new=status,
            status_label=label,
            reason=reason,
            notified=notified,
            unreachable_committee=unreachable,
        )

    def _target_committee(self, status: IdeaStatus, current: str, named: str | None) -> str | None:
        if status not in WITH_COMMITTEE:
            return None
        if named:
            return self.directory.resolve(named).key
        if status is IdeaStatus.DROEFTES:
            return current
        if current != TOP and self.directory.get(TOP) is not None:
            return TOP
        raise NeedCommitteeError("say which committee the idea is sent on to")

    async def _queue_feedback(
        self, session: AsyncSession, idea_id: int, event_id: int, payload: dict[str, object], now: datetime
    ) -> int:
        queued = 0
        submitter = (
            await session.execute(sa.select(submitters).where(submitters.c.idea_id == idea_id))
        ).one_or_none()
        if submitter is not None and submitter.erased_at is None and submitter.user_id:
            if await self._enqueue.add(
                session,
                idea_id=idea_id,
                kind=KIND_STATUS,
                recipient_kind=RECIPIENT_SUBMITTER,
                recipient=RECIPIENT_SUBMITTER,
                conversation_ref_id=submitter.conversation_ref_id,
                payload=payload,
                dedupe_key=f"status:{event_id}:submitter",
                now=now,
            ):
                queued += 1
        backers = (
            await session.execute(
                sa.select(supports.c.id, supports.c.conversation_ref_id).where(
                    supports.c.idea_id == idea_id, supports.c.user_id.is_not(None)
                )
            )
        ).all()
        for backer in backers:
            if await self._enqueue.add(
                session,
                idea_id=idea_id,
                kind=KIND_STATUS,
                recipient_kind=RECIPIENT_SUPPORTER,
                recipient=f"support:{backer.id}",
                conversation_ref_id=backer.conversation_ref_id,
                payload=payload,
                dedupe_key=f"status:{event_id}:support:{backer.id}",
                now=now,
            ):
                queued += 1
        return queued

    async def add_comment(self, number: str, actor: Actor, text: str) -> None:
        text = text.strip()
        if not text:
            raise InvalidIdeaError("an empty comment")
        if len(text) > REASON_MAX:
            raise InvalidIdeaError(f"the comment is longer than {REASON_MAX} characters")
        wanted = as_number(number)
        async with self._db.session() as session:
            row = (
                await session.execute(
                    sa.select(ideas.c.id, ideas.c.committee, ideas.c.origin_committee).where(by_number(wanted))
                )
            ).one_or_none()
            if row is None:
                raise IdeaNotFoundError(str(wanted))
            if not await self.can_manage(actor, row.committee, row.origin_committee):
                raise AccessDeniedError("not an admin of the idea's committee")
            await session.execute(
                sa.insert(events).values(
                    idea_id=row.id, at=self._clock.now(), actor_id=actor.id, actor_name=actor.name, kind="comment", reason=text
                )
            )
