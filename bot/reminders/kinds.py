"""Reminders and calendar nudges as kinds of the delivery scheduler (:mod:`bot.delivery.kinds`).

A reminder is always sent (its text, at its time). A nudge is decided when it is due:
not for an event that was deleted or has begun (``cancelled``), and never at night (a
late one waits until the next morning).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.delivery.kinds import Decision, DeliveryKind, End, Later, Send
from bot.delivery.outbox import Outbox
from bot.reminders.calendar_store import CalendarStore
from bot.reminders.config import ReminderConfig
from bot.reminders.models import NudgeRow, ReminderRow
from bot.reminders.nudges import parse_offset_key
from bot.storage.db import Database
from bot.storage.models_delivery import STATUS_CANCELLED
from dialogs.reminder_messages import nudge_message, reminder_message
from knowledge.calendar import CalendarEvent, EventKind, next_send_time
from knowledge.clock import COPENHAGEN

__all__ = ["nudge_kind", "reminder_kind"]

_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_nudges: sa.Table = NudgeRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


def reminder_kind(database: Database) -> DeliveryKind:
    """The ``reminders`` outbox: each row's text goes to the conversation it was set in."""

    async def build(row: sa.Row[Any], now: datetime) -> Decision:
        return Send(reminder_message(row.text, row.due_at))

    return DeliveryKind(Outbox(database, _reminders), build)


def nudge_kind(database: Database, calendar: CalendarStore, config: ReminderConfig) -> DeliveryKind:
    """The ``nudges`` outbox: a nudge about its calendar event, if the event still needs one."""
    policy = config.policy()

    async def build(row: sa.Row[Any], now: datetime) -> Decision:
        stored = await calendar.get(row.event_id)
        if stored is None:
            return End(STATUS_CANCELLED, "event deleted")
        event = stored.event
        if _is_over(event, now):
            return End(STATUS_CANCELLED, "event has begun or is over")
        send_at = next_send_time(now, policy)
        if send_at > now:
            return Later(send_at)
        return Send(nudge_message(event, parse_offset_key(row.offset_key), now))

    return DeliveryKind(Outbox(database, _nudges), build)


def _is_over(event: CalendarEvent, now: datetime) -> bool:
    if event.kind is EventKind.PHASE:
        return event.ends_at is not None and now >= event.ends_at
    if event.all_day:
        return now.astimezone(COPENHAGEN).date() > event.local_date
    return now >= event.starts_at
