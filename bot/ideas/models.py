"""Tables for Den gode idé.

The person behind an idea is kept apart from the idea: ``ideas`` holds what the
committee sees; ``idea_submitters`` holds who sent it and where to give feedback.
The submitter link is never shown to a committee, never exported, and can be
erased (``medbot ideas erase-person``) while the idea stays.

``idea_notifications`` is an outbox: a status change writes its audit event and the
submitter's notification in one transaction; the delivery scheduler
(:mod:`bot.delivery.scheduler`) sends its pending rows like every other outbox's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UTCDateTime
from bot.storage.models_delivery import LeasedDelivery

__all__ = [
    "CommitteeContactRow",
    "IdeaAdminRow",
    "IdeaDraftRow",
    "IdeaEventRow",
    "IdeaNotificationRow",
    "IdeaRow",
    "IdeaSubmitterRow",
    "IdeaSupportRow",
]



def _conversation_fk() -> sa.ForeignKey:
    return sa.ForeignKey("conversation_refs.id", ondelete="SET NULL")


def _idea_fk() -> sa.ForeignKey:
    return sa.ForeignKey("ideas.id", ondelete="CASCADE")


class IdeaRow(Base):
    """An idea as the committee sees it: no person in here."""

    __tablename__ = "ideas"
    __table_args__ = (sa.UniqueConstraint("budget_year", "seq"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    budget_year: Mapped[int] = mapped_column(sa.Integer(), nullable=False)
    seq: Mapped[int] = mapped_column(sa.Integer(), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    potential: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    area_id: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    area_name: Mapped[str | None] = mapped_column(sa.String(200), nullable=True)
    cross_cutting: Mapped[bool] = mapped_column(sa.Boolean(), nullable=False)
    consequences: Mapped[dict[str, Any]] = mapped_column(sa.JSON(), nullable=False)
    anonymous: Mapped[bool] = mapped_column(sa.Boolean(), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(32), nullable=False, index=True)
    status_committee: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    committee: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    origin_committee: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class IdeaSubmitterRow(Base):
    """The link from an idea to its submitter (kept apart; never shown or exported)."""

    __tablename__ = "idea_submitters"
    __table_args__ = (sa.Index(None, "channel_id", "user_id"),)

    idea_id: Mapped[int] = mapped_column(sa.Integer(), _idea_fk(), primary_key=True)
    channel_id: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    user_id: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    user_name: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    conversation_ref_id: Mapped[int | None] = mapped_column(sa.Integer(), _conversation_fk(), nullable=True)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: What was confirmed, by whom (a hash, see bot.ideas.submissions): the same
    #: confirmation stored twice – an activity sent again after a crash – finds its idea.
    #: Erased with the person.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), nullable=True, index=True, unique=True)


class IdeaEventRow(Base):
    """The audit trail: who did what to an idea, when and why."""

    __tablename__ = "idea_events"

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(sa.Integer(), _idea_fk(), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor_id: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    actor_name: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    kind: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    from_status: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    to_status: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    committee: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)


class IdeaSupportRow(Base):
    """Somebody who backs an existing idea instead of sending a duplicate."""

    __tablename__ = "idea_supports"
    __table_args__ = (sa.UniqueConstraint("idea_id", "channel_id", "user_id"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(sa.Integer(), _idea_fk(), nullable=False, index=True)
    channel_id: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    user_id: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    user_name: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    conversation_ref_id: Mapped[int | None] = mapped_column(sa.Integer(), _conversation_fk(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class IdeaDraftRow(Base):
    """A half-finished idea, so that an abandoned dialog can be resumed."""

    __tablename__ = "idea_drafts"
    __table_args__ = (sa.UniqueConstraint("channel_id", "user_id"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    user_id: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class IdeaNotificationRow(LeasedDelivery, Base):
    """The outbox: one message to one recipient, sent at most once per ``dedupe_key``.

    The delivery columns and their ``status`` vocabulary are every outbox's
    (:class:`bot.storage.models_delivery.LeasedDelivery`); its own end state is
    ``no_address``: nobody with a chat address to send it to (logged, and shown by
    ``medbot ideas``). Its ``dedupe_key`` is longer than other outboxes' (it names the
    contact it goes to), and ``conversation_ref_id`` is empty until the recipient's
    personal chat is found at delivery time.
    """

    __tablename__ = "idea_notifications"
    __table_args__ = (sa.Index(None, "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    idea_id: Mapped[int | None] = mapped_column(sa.Integer(), _idea_fk(), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    recipient_kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    recipient: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    committee: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    conversation_ref_id: Mapped[int | None] = mapped_column(sa.Integer(), _conversation_fk(), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON(), nullable=False)
    dedupe_key: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True)


class IdeaAdminRow(Base):
    """A user (chat user id) who may list and change the ideas of a committee."""

    __tablename__ = "idea_admins"
    __table_args__ = (sa.UniqueConstraint("user_id", "committee"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    committee: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    added_by: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class CommitteeContactRow(Base):
    """Where a committee's contact person can be reached in chat."""

    __tablename__ = "committee_contacts"
    __table_args__ = (sa.UniqueConstraint("committee", "user_id"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    committee: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    user_id: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    user_name: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    conversation_ref_id: Mapped[int | None] = mapped_column(sa.Integer(), _conversation_fk(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
