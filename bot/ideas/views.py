"""Reading ideas back as :class:`~dialogs.idea_port.IdeaView` (what a committee may see).

The submitter's name is read only for ideas that are not anonymous; the user id and
conversation of a submitter are never put in a view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ideas.directory import CommitteeDirectory
from bot.ideas.models import (
    IdeaEventRow,
    IdeaNotificationRow,
    IdeaRow,
    IdeaSubmitterRow,
    IdeaSupportRow,
)
from dialogs import texts
from dialogs.idea_port import IdeaEventView, IdeaView
from knowledge.ideas_rules import IdeaNumber, IdeaStatus

__all__ = ["ERASED_ACTOR", "NO_ADDRESS", "idea_views", "number_of", "status_label"]

ideas: sa.Table = IdeaRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
submitters: sa.Table = IdeaSubmitterRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
events: sa.Table = IdeaEventRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
supports: sa.Table = IdeaSupportRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
notifications: sa.Table = IdeaNotificationRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

NO_ADDRESS = "no_address"
RECIPIENT_CONTACT = "contact"


def number_of(row: Any) -> str:
    return str(IdeaNumber(int(row.budget_year), int(row.seq)))


def status_label(directory: CommitteeDirectory, status: str, status_committee: str | None) -> str:
    return texts.idea_status_label(status, directory.name(status_committee) if status_committee else None)


#: The actor id of an audit event whose actor was erased (``medbot privacy erase``).
ERASED_ACTOR = "erased"


def _actor(row: Any) -> str:
    if row.actor_id == "cli":
        return texts.IDEA_ACTOR_CLI + (f" – {row.actor_name}" if row.actor_name else "")
    if row.actor_id in ("submitter", "supporter"):
        return texts.IDEA_ACTOR_SUBMITTER if row.actor_id == "submitter" else texts.IDEA_ACTOR_SYSTEM
    if row.actor_id == "system":
        return texts.IDEA_ACTOR_SYSTEM
    if row.actor_id == ERASED_ACTOR:
        return texts.IDEA_ACTOR_ERASED
    return row.actor_name or row.actor_id


async def idea_views(
    session: AsyncSession,
    directory: CommitteeDirectory,
    where: Sequence[sa.ColumnElement[bool]],
    *,
    committee_facing: bool,
    with_history: bool = False,
) -> list[IdeaView]:
    """The ideas matching ``where``, oldest number first."""
    support_count = (
        sa.select(sa.func.count()).where(supports.c.idea_id == ideas.c.id).correlate(ideas).scalar_subquery()
    )
    unreachable = sa.exists().where(
        notifications.c.idea_id == ideas.c.id,
        notifications.c.recipient_kind == RECIPIENT_CONTACT,
        notifications.c.status == NO_ADDRESS,
    )
    statement = (
        sa.select(
            ideas,
            submitters.c.user_name.label("submitter_name"),
            submitters.c.erased_at.label("submitter_erased_at"),
            support_count.label("support_count"),
            unreachable.label("contact_unreachable"),
        )
        .select_from(ideas.outerjoin(submitters, submitters.c.idea_id == ideas.c.id))
        .where(*where)
        .order_by(ideas.c.budget_year, ideas.c.seq)
    )
    rows = (await session.execute(statement)).all()
    history: dict[int, list[IdeaEventView]] = {}
    sent: dict[int, list[tuple[str, str, str, str | None]]] = {}
    if with_history and rows:
        ids = [row.id for row in rows]
        for event in (
            await session.execute(sa.select(events).where(events.c.idea_id.in_(ids)).order_by(events.c.at, events.c.id))
        ).all():
            history.setdefault(event.idea_id, []).append(
                IdeaEventView(
                    at=event.at,
                    actor=_actor(event),
                    kind=event.kind,
                    from_status=IdeaStatus(event.from_status) if event.from_status else None,
                    to_status=IdeaStatus(event.to_status) if event.to_status else None,
                    status_label=status_label(directory, event.to_status, event.committee) if event.to_status else None,
                    reason=event.reason,
                )
            )
        for note in (
            await session.execute(
                sa.select(notifications).where(notifications.c.idea_id.in_(ids)).order_by(notifications.c.id)
            )
        ).all():
            recipient = note.recipient if note.recipient_kind == RECIPIENT_CONTACT else note.recipient_kind
            sent.setdefault(note.idea_id, []).append((note.kind, recipient, note.status, note.last_error))
    views: list[IdeaView] = []
    for row in rows:
        show_name = committee_facing and not row.anonymous and row.submitter_erased_at is None
        views.append(
            IdeaView(
                number=number_of(row),
                budget_year=row.budget_year,
                title=row.title,
                description=row.description,
                potential=row.potential,
                area_name=row.area_name,
                cross_cutting=bool(row.cross_cutting),
                consequences=dict(row.consequences or {}),
                anonymous=bool(row.anonymous),
                submitter=row.submitter_name if show_name else None,
                status=IdeaStatus(row.status),
                status_label=status_label(directory, row.status, row.status_committee),
                committee=row.committee,
                committee_name=directory.name(row.committee),
                contact=directory.contact_display(row.committee),
                supports=int(row.support_count or 0),
                created_at=row.created_at,
                status_changed_at=row.status_changed_at,
                contact_unreachable=bool(row.contact_unreachable),
                committee_view=committee_facing,
                events=tuple(history.get(row.id, ())),
                notifications=tuple(sent.get(row.id, ())) if committee_facing else (),
            )
        )
    return views
