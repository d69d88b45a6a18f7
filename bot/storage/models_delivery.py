"""Tables and columns of proactive delivery: the outbox columns, the delivery log, send leases.

Every outbox (``reminders``, ``nudges``, ``idea_notifications``) carries the columns of
:class:`LeasedDelivery`: a ``status`` (``pending`` / ``claimed`` / ``sent`` / ``failed``,
and an outbox's own end states such as ``cancelled`` or ``no_address``), a lease
(``lease_owner``, ``lease_until``) that one scheduler holds while sending, ``attempts``,
``next_attempt_at``, ``last_error`` and a unique ``dedupe_key``. The claim, the lease and
the retries are one implementation, :class:`bot.delivery.outbox.Outbox`.

``delivery_log`` records, per log key, that a send started and that it succeeded, so
that a replica that reclaims a row after a crash does not send it again when the first
attempt is known to have succeeded (:class:`bot.delivery.log.DeliveryLog`).

``send_leases``: which replica sends proactive messages into a tenant right now. Teams
limits a bot per tenant (about 50 requests/s) and per conversation (7/1 s, 8/2 s,
60/30 s). Each replica counts its own sends (bot/delivery/ratelimit.py); two replicas
sending into the same tenant at once would each stay inside the limits and together
break them. A row there is a short lease on a *scope* — a tenant id, or
``service:<serviceUrl>`` for a conversation without one — that ``owner`` (a scheduler's
owner id) holds until ``until``; nobody else sends into that scope meanwhile. See
:class:`bot.delivery.leases.SendLeases`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UTCDateTime

__all__ = [
    "STATUS_CANCELLED",
    "STATUS_CLAIMED",
    "STATUS_FAILED",
    "STATUS_PENDING",
    "STATUS_SENT",
    "DeliveryLogRow",
    "LeasedDelivery",
    "SendLeaseRow",
]

#: Waiting for ``next_attempt_at`` (no lease, or a lease that ran out).
STATUS_PENDING = "pending"
#: Held by the scheduler named in ``lease_owner`` until ``lease_until``.
STATUS_CLAIMED = "claimed"
#: Delivered; never claimed again.
STATUS_SENT = "sent"
#: Given up (``last_error`` says why).
STATUS_FAILED = "failed"
#: Ended without sending: there was no longer a reason to (a reminder deleted, an event over).
STATUS_CANCELLED = "cancelled"


class LeasedDelivery:
    """The delivery bookkeeping every outbox table shares (see the module docstring)."""

    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    lease_owner: Mapped[str | None] = mapped_column(sa.String(128), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(sa.Integer(), nullable=False, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_error: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    sent_activity_id: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class DeliveryLogRow(Base):
    """Per log key: a send started (``sending``) and, once the connector said yes, ``sent``."""

    __tablename__ = "delivery_log"

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    owner: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    attempt: Mapped[int] = mapped_column(sa.Integer(), nullable=False, default=1, server_default="1")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    activity_id: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)


class SendLeaseRow(Base):
    __tablename__ = "send_leases"

    scope: Mapped[str] = mapped_column(sa.Text(), primary_key=True)
    owner: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    until: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
