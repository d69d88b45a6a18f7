"""Which replica sends proactive messages into a tenant right now.

Teams limits a bot per tenant (about 50 requests/s) and per conversation (7/1 s, 8/2 s,
60/30 s). Each replica counts its own sends (bot/delivery/ratelimit.py); two replicas
sending into the same tenant at once would each stay inside the limits and together
break them. A row here is a short lease on a *scope* — a tenant id, or
``service:<serviceUrl>`` for a conversation without one — that ``owner`` (a scheduler's
owner id) holds until ``until``; nobody else sends into that scope meanwhile. See
:class:`bot.delivery.leases.SendLeases`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UTCDateTime

__all__ = ["SendLeaseRow"]


class SendLeaseRow(Base):
    __tablename__ = "send_leases"

    scope: Mapped[str] = mapped_column(sa.Text(), primary_key=True)
    owner: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    until: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
