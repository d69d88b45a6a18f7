"""The kinds of proactive message the scheduler delivers, and what a claimed row becomes.

A kind is an outbox (:class:`~bot.delivery.outbox.Outbox`) and the function that turns
one of its claimed rows into a :class:`Decision` at delivery time: :class:`Send` a
message (to the row's conversation, or to one found now), try again :class:`Later`, or
:class:`End` the row without sending (its outbox's end state and the reason). What a
message says and who gets it is the feature's business (``bot/reminders``,
``bot/ideas``); claiming, leases, the delivery log, retries and the budget are the
scheduler's (:mod:`bot.delivery.scheduler`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.delivery.outbox import Outbox
from dialogs.messages import Message

__all__ = ["Build", "Decision", "DeliveryKind", "End", "Later", "Send", "gave_up_after"]


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``message``; to ``conversation_ref_id`` when the row has no conversation of its own."""

    message: Message
    conversation_ref_id: int | None = None


@dataclass(frozen=True, slots=True)
class Later:
    """Not yet: back to the queue until ``at`` (no attempt counted)."""

    at: datetime


@dataclass(frozen=True, slots=True)
class End:
    """Nothing to send (any more): the row ends in ``status`` with ``reason``."""

    status: str
    reason: str


Decision = Send | Later | End
Build = Callable[[sa.Row[Any], datetime], Awaitable[Decision]]


def gave_up_after(attempts: int, detail: str) -> str:
    """The reason recorded when a row's sends kept failing (``attempts`` of them)."""
    return f"gave up after {attempts} attempts: {detail}"


@dataclass(frozen=True)
class DeliveryKind:
    """One outbox and how its rows become messages.

    ``gave_up``: the reason recorded when the row's sends kept failing, for the people
    who read it (``medbot reminders failed``, an idea's history).
    """

    outbox: Outbox
    build: Build
    gave_up: Callable[[int, str], str] = gave_up_after

    @property
    def name(self) -> str:
        return self.outbox.name
