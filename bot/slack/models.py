"""The table of Slack deliveries already taken (event de-duplication).

Slack retries an event it thinks was not acknowledged in time (``X-Slack-Retry-Num``);
each ``event_id`` is processed once, also across several replicas of the bot, because
the first replica to insert the id wins. Rows older than a day are pruned.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UTCDateTime

__all__ = ["SlackEventRow"]


class SlackEventRow(Base):
    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
