"""What the reminder dialogs need from the outside (``bot/`` implements it).

Dialogs never import ``bot/``: they talk to reminders, subscriptions and the calendar
through :class:`ReminderPort`, with plain values in and out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = [
    "EventView",
    "NotDeliverableHere",
    "Owner",
    "ReminderPort",
    "ReminderView",
    "SubscribeOutcome",
    "SubscribeStatus",
    "UnsubscribeOutcome",
]

from dialogs.speaker import Speaker


class NotDeliverableHere(ValueError):
    """This conversation cannot receive messages later (e.g. the console has no serviceUrl)."""


#: Who owns a reminder: the user, and the conversation it is delivered to.
Owner = Speaker


@dataclass(frozen=True)
class ReminderView:
    id: int
    text: str
    due_at: datetime  # aware, UTC
    status: str
    created_at: datetime | None = None  # aware, UTC (»fortryd« right after means the newest)


@dataclass(frozen=True)
class EventView:
    title: str
    starts_at: datetime  # aware
    all_day: bool
    committee: str | None = None
    location: str = ""


class SubscribeStatus(enum.Enum):
    SUBSCRIBED = "subscribed"
    ALREADY = "already"
    UNKNOWN_TARGET = "unknown_target"


@dataclass(frozen=True)
class SubscribeOutcome:
    status: SubscribeStatus
    target: str | None = None  # canonical: a committee name, "budget" or "medsamarbejdet"
    upcoming: tuple[EventView, ...] = ()
    known_targets: tuple[str, ...] = ()
    nudge_days: tuple[int, ...] = (7, 1)  # how many days ahead nudges go out (configured)


@dataclass(frozen=True)
class UnsubscribeOutcome:
    removed: tuple[str, ...] = ()
    unknown_target: bool = False
    remaining: tuple[str, ...] = ()


class ReminderPort(Protocol):
    async def create_reminder(self, owner: Owner, text: str, due_at: datetime) -> ReminderView: ...

    async def list_reminders(self, owner: Owner) -> list[ReminderView]:
        """The owner's upcoming reminders, soonest first (their list numbers are 1, 2, …)."""
        ...

    async def newest_created(self, owner: Owner) -> ReminderView | None:
        """The reminder the owner created last, in any state (a deleted one too)."""
        ...

    async def last_delivered(self, owner: Owner, within_hours: int = 24) -> ReminderView | None: ...

    async def reschedule_reminder(self, owner: Owner, reminder_id: int, due_at: datetime) -> ReminderView | None:
        """Move (or snooze, or re-arm a delivered) reminder; None if it is not the owner's."""
        ...

    async def delete_reminder(self, owner: Owner, reminder_id: int) -> bool: ...

    async def subscription_targets(self) -> tuple[str, ...]:
        """What can be subscribed to: "budget", "medsamarbejdet", then committee names."""
        ...

    async def subscribe(self, owner: Owner, target_text: str) -> SubscribeOutcome: ...

    async def unsubscribe(self, owner: Owner, target_text: str | None) -> UnsubscribeOutcome:
        """Stop one target (or every subscription of the conversation when None)."""
        ...

    async def subscriptions(self, owner: Owner) -> tuple[str, ...]: ...
