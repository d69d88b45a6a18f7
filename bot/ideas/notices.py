"""Turning an outbox row into the message it stands for, at delivery time.

Rows keep only what a message needs that may change later (the status at the time
of the change, the reason); the idea itself is read when the message is sent, so an
identity erased in the meantime is not sent either.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ideas.directory import CommitteeDirectory
from bot.ideas.outbox import KIND_FORWARDED, KIND_NEW, KIND_NUDGE, KIND_STATUS, RECIPIENT_SUPPORTER
from bot.ideas.views import idea_views, ideas
from dialogs import idea_messages as msgs
from dialogs import texts
from dialogs.messages import Message

__all__ = ["compose"]


def _contact_facts(view: Any) -> list[tuple[str, str]]:
    labels = texts.IDEA_FIELD_LABELS
    facts = [
        (labels["description"], view.description),
        (labels["potential"], view.potential),
        (labels["area"], view.area_name or texts.IDEA_AREA_UNKNOWN),
        (labels["cross_cutting"], msgs.yes_no(view.cross_cutting)),
    ]
    for key, label in texts.IDEA_CONSEQUENCE_LABELS.items():
        if view.consequences.get(key):
            facts.append((texts.idea_consequence_fact(label), view.consequences[key]))
    facts.append((texts.IDEA_SUBMITTER, msgs.submitter_label(view)))
    facts.append((texts.IDEA_STATUS, view.status_label))
    return facts


async def compose(session: AsyncSession, directory: CommitteeDirectory, row: Any) -> Message | None:
    """The message of one ``idea_notifications`` row; None when its idea is gone."""
    payload: dict[str, Any] = dict(row.payload or {})
    if row.kind == KIND_STATUS:
        return msgs.status_feedback(
            str(payload.get("number", "")),
            str(payload.get("title", "")),
            str(payload.get("label", "")),
            payload.get("reason") or None,
            supporter=row.recipient_kind == RECIPIENT_SUPPORTER,
        )
    if row.kind == KIND_NUDGE:
        return msgs.nudge(
            str(payload.get("number", "")),
            str(payload.get("title", "")),
            str(payload.get("label", "")),
            int(payload.get("days", 0)),
        )
    if row.kind in (KIND_NEW, KIND_FORWARDED) and row.idea_id is not None:
        views = await idea_views(session, directory, [ideas.c.id == row.idea_id], committee_facing=True)
        if not views:
            return None
        view = views[0]
        return msgs.contact_notice(
            view.number,
            view.title,
            directory.name(row.committee),
            _contact_facts(view),
            forwarded=row.kind == KIND_FORWARDED,
        )
    return None
