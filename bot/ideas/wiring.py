"""Building Den gode idé for the runtime (called from the composition root, ``bot/runtime.py``).

::

    ideas = build_idea_components(database, clock, knowledge.profile, settings.ideas)
    router = Router(deps, conversation_state, {**build_dialogs(deps), **ideas.dialogs()})
    ...
    # background work (stale nudges + outbox delivery), e.g. as a job of the reminder scheduler:
    reminders.scheduler.add_job(ideas.job(reminders.sender))
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from botbuilder.dialogs import Dialog
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.delivery.protocol import ProactiveSender
from bot.ideas.config import IdeaConfig
from bot.ideas.delivery import DeliveryReport
from bot.ideas.service import IdeaService
from bot.storage.db import Database
from dialogs.idea import IdeaDialog
from dialogs.idea_admin import IdeaAdminDialog
from knowledge.intents import Intent
from knowledge.profiles import Profile

__all__ = ["IdeaComponents", "TickReport", "build_idea_components"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    nudges_queued: int
    delivery: DeliveryReport


@dataclass(frozen=True)
class IdeaComponents:
    service: IdeaService
    dialog: IdeaDialog
    admin_dialog: IdeaAdminDialog
    config: IdeaConfig

    def dialogs(self) -> Mapping[Intent, Dialog]:
        """The router's entries: a new idea, and the idea commands (own ideas, admin)."""
        return {Intent.IDEA_NEW: self.dialog, Intent.IDEA_LIST: self.admin_dialog}

    async def tick(self, now: datetime, sender: ProactiveSender) -> TickReport:
        """One round of background work: queue stale-idea nudges, then send what is pending.

        Never raises for a database hiccup (it is logged; the next tick tries again).
        """
        nudges = 0
        try:
            nudges = await self.service.nudge_stale(now)
        except SQLAlchemyError:
            log.exception("idea nudges: database error; will try again")
        try:
            delivery = await self.service.deliver_pending(sender, now)
        except SQLAlchemyError:
            log.exception("idea notifications: database error; will try again")
            delivery = DeliveryReport()
        return TickReport(nudges_queued=nudges, delivery=delivery)

    def job(self, sender: ProactiveSender) -> Callable[[datetime], Awaitable[TickReport]]:
        """:meth:`tick` as a scheduler job (``Callable[[datetime], Awaitable]``) bound to ``sender``."""

        async def idea_job(now: datetime) -> TickReport:
            return await self.tick(now, sender)

        return idea_job


def build_idea_components(
    database: Database,
    clock: Clock,
    profile: Profile,
    config: IdeaConfig,
) -> IdeaComponents:
    """The idea service and dialogs, with the idea settings (``settings.ideas``, from ``MEDBOT_IDEA_*``)."""
    service = IdeaService(database, clock, profile, config)
    return IdeaComponents(
        service=service,
        dialog=IdeaDialog(service),
        admin_dialog=IdeaAdminDialog(service, service),
        config=config,
    )
