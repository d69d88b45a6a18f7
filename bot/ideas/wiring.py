"""Building Den gode idé for the runtime (called from the composition root, ``bot/runtime.py``).

::

    ideas = build_idea_components(database, clock, knowledge.profile, settings.ideas)
    router = Router(deps, conversation_state, {**build_dialogs(deps), **ideas.dialogs()})
    ...
    # the delivery scheduler sends its notifications and runs its job (stale-idea nudges):
    build_delivery(..., kinds=[..., ideas.kind], jobs=[..., *ideas.jobs])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from botbuilder.dialogs import Dialog

from bot.clock import Clock
from bot.delivery.kinds import DeliveryKind
from bot.delivery.scheduler import Job
from bot.ideas.config import IdeaConfig
from bot.ideas.delivery import idea_notification_kind
from bot.ideas.service import IdeaService
from bot.storage.db import Database
from dialogs.idea import IdeaDialog
from dialogs.idea_admin import IdeaAdminDialog
from knowledge.intents import Intent
from knowledge.profiles import Profile

__all__ = ["IdeaComponents", "build_idea_components"]


@dataclass(frozen=True)
class IdeaComponents:
    service: IdeaService
    dialog: IdeaDialog
    admin_dialog: IdeaAdminDialog
    config: IdeaConfig
    #: The ``idea_notifications`` outbox, for the delivery scheduler.
    kind: DeliveryKind

    def dialogs(self) -> Mapping[Intent, Dialog]:
        """The router's entries: a new idea, and the idea commands (own ideas, admin)."""
        return {Intent.IDEA_NEW: self.dialog, Intent.IDEA_LIST: self.admin_dialog}

    @property
    def jobs(self) -> tuple[Job, ...]:
        """Scheduler jobs: queue the nudges about ideas that sat too long in one status."""
        return (self.service.nudge_stale,)


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
        kind=idea_notification_kind(database, service.directory),
    )
