"""Idea notifications as a kind of the delivery scheduler (:mod:`bot.delivery.kinds`).

The scheduler claims, sends, retries and records the ``idea_notifications`` rows like
every other outbox's (:mod:`bot.delivery.scheduler`): the same lease, delivery log,
back-off and send budget, so a notice that was delivered is never sent again after a
crash. What is the ideas' own is decided here, when a row is due:

* who gets it: the row's conversation, else the recipient's personal chat (never a team
  channel or group chat; :mod:`bot.ideas.addresses`) — the submitter's, a supporter's
  or a committee contact's;
* what it says (:func:`bot.ideas.notices.compose`, read when it is sent, so an identity
  erased meanwhile is not sent either); an idea that is gone ends the row ``failed``;
* nobody to send it to (no personal chat known, the person erased) ends the row
  ``no_address`` with the reason, which ``medbot ideas`` and an idea's history show;
* status feedback to one person keeps its order: a change is not claimed while an
  earlier one to the same person is still pending or claimed;
* a notice given up after its attempts says so in Danish (an idea's history shows it).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.kinds import Decision, DeliveryKind, End, Send
from bot.delivery.outbox import Outbox
from bot.ideas.addresses import personal_conversation
from bot.ideas.directory import CommitteeDirectory
from bot.ideas.notices import compose
from bot.ideas.outbox import (
    KIND_STATUS,
    RECIPIENT_CONTACT,
    RECIPIENT_SUBMITTER,
    RECIPIENT_SUPPORTER,
    STATUS_CLAIMED,
    STATUS_FAILED,
    STATUS_NO_ADDRESS,
    STATUS_PENDING,
    log_key_of,
    notifications,
)
from bot.ideas.views import submitters, supports
from bot.storage.db import Database
from dialogs import texts

__all__ = ["idea_notification_kind", "log_key"]

log = logging.getLogger(__name__)


class _NoAddress(Exception):
    """Nobody to send this row to (kept inside this module)."""


def log_key(row: sa.Row[Any]) -> str:
    """A notification's delivery log key (:func:`bot.ideas.outbox.log_key_of`)."""
    return log_key_of(row.id)


def _waits_for_earlier(t: sa.Table) -> sa.ColumnElement[bool]:
    """Status feedback keeps its order: a later change waits until the earlier one to the
    same person is sent or given up."""
    earlier = t.alias("earlier")
    return sa.and_(
        t.c.kind == KIND_STATUS,
        sa.exists().where(
            earlier.c.id < t.c.id,
            earlier.c.idea_id == t.c.idea_id,
            earlier.c.kind == KIND_STATUS,
            earlier.c.recipient_kind == t.c.recipient_kind,
            earlier.c.recipient == t.c.recipient,
            earlier.c.status.in_([STATUS_PENDING, STATUS_CLAIMED]),
        ),
    )


def idea_notification_kind(database: Database, directory: CommitteeDirectory) -> DeliveryKind:
    """The ``idea_notifications`` outbox, for the scheduler (see the module docstring)."""
    outbox = Outbox(
        database,
        notifications,
        ends=(STATUS_FAILED, STATUS_NO_ADDRESS),
        log_key=log_key,
        hold_back=_waits_for_earlier,
    )

    async def build(row: sa.Row[Any], now: datetime) -> Decision:
        try:
            async with database.session() as session:
                address = await _address(session, row)
                message = await compose(session, directory, row)
        except _NoAddress as exc:
            log.warning("idea notification %s (%s to %s): no chat address", row.id, row.kind, row.recipient_kind)
            return End(STATUS_NO_ADDRESS, str(exc))
        if message is None:
            return End(STATUS_FAILED, texts.IDEA_NOTICE_IDEA_GONE)
        return Send(message, None if row.conversation_ref_id is not None else address)

    return DeliveryKind(outbox, build, gave_up=texts.idea_notice_gave_up)


async def _address(session: AsyncSession, row: Any) -> int:
    if row.conversation_ref_id is not None:
        return int(row.conversation_ref_id)
    found: int | None = None
    if row.recipient_kind == RECIPIENT_SUBMITTER:
        submitter = (
            await session.execute(sa.select(submitters).where(submitters.c.idea_id == row.idea_id))
        ).one_or_none()
        if submitter is None or submitter.erased_at is not None or not submitter.user_id:
            raise _NoAddress(texts.IDEA_NOTICE_SUBMITTER_GONE)
        found = submitter.conversation_ref_id or await personal_conversation(session, submitter.user_id, submitter.channel_id)
    elif row.recipient_kind == RECIPIENT_SUPPORTER:
        support_id = int(str(row.recipient).split(":", 1)[1])
        support = (await session.execute(sa.select(supports).where(supports.c.id == support_id))).one_or_none()
        if support is None or not support.user_id:
            raise _NoAddress(texts.IDEA_NOTICE_SUPPORT_GONE)
        found = support.conversation_ref_id or await personal_conversation(session, support.user_id, support.channel_id)
    elif row.recipient_kind == RECIPIENT_CONTACT:
        found = await personal_conversation(session, str(row.recipient))
    if found is None:
        raise _NoAddress(texts.IDEA_NOTICE_NO_PERSONAL_CHAT)
    return int(found)
