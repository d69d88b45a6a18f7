"""Tables for reminders, calendars and nudges.

``reminders`` and ``nudges`` are outboxes: they carry the delivery columns every outbox
shares (:class:`bot.storage.models_delivery.LeasedDelivery`), and a reminder or nudge
that is no longer wanted ends ``cancelled``.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UTCDateTime
from bot.storage.models_delivery import LeasedDelivery

__all__ = [
    "CalendarEventRow",
    "NudgeRow",
    "ReminderRow",
    "SubscriptionRow",
]

_CONVERSATION_FK = "conversation_refs.id"


class ReminderRow(LeasedDelivery, Base):
    """A personal reminder: ``text`` goes to the conversation it was set in at ``due_at``."""

    __tablename__ = "reminders"
    __table_args__ = (sa.Index("ix_reminders_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    conversation_ref_id: Mapped[int] = mapped_column(
        sa.Integer(), sa.ForeignKey(_CONVERSATION_FK, ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[str] = mapped_column(sa.String(255), nullable=False, index=True)
    text: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class CalendarEventRow(Base):
    """A meeting, deadline, budget phase or event; ``uid`` makes .ics imports idempotent."""

    __tablename__ = "calendar_events"

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True)
    org: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    committee: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    topic: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    title: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    location: Mapped[str] = mapped_column(sa.Text(), nullable=False, default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text(), nullable=False, default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    all_day: Mapped[bool] = mapped_column(sa.Boolean(), nullable=False, default=False, server_default=sa.false())
    source: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class SubscriptionRow(Base):
    """A conversation (a user's chat or a Teams channel) follows a committee or a topic.

    ``target`` is the canonical committee name or "budget" / "medsamarbejdet";
    ``target_key`` its folded form. One subscription per conversation and target.
    """

    __tablename__ = "subscriptions"
    __table_args__ = (sa.UniqueConstraint("conversation_ref_id", "target_key"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    conversation_ref_id: Mapped[int] = mapped_column(
        sa.Integer(), sa.ForeignKey(_CONVERSATION_FK, ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    target: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    target_key: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class NudgeRow(LeasedDelivery, Base):
    """The outbox of calendar nudges: one row per (event, conversation, rule), created once."""

    __tablename__ = "nudges"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "conversation_ref_id", "offset_key"),
        sa.Index("ix_nudges_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(
        sa.Integer(), sa.ForeignKey("calendar_events.id", ondelete="CASCADE"), nullable=False
    )
    conversation_ref_id: Mapped[int] = mapped_column(
        sa.Integer(), sa.ForeignKey(_CONVERSATION_FK, ondelete="CASCADE"), nullable=False
    )
    offset_key: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
