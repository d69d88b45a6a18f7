"""Building the reminder parts in the composition root (``bot/runtime.py`` / ``bot/app.py``).

:func:`build_reminder_service` is enough for the command line; :func:`build_reminder_components`
adds the dialog and what the delivery scheduler needs from reminders (their kinds of
message, the nudge planner and the daily seed-calendar job; :mod:`bot.delivery.wiring`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from botbuilder.dialogs import Dialog

from bot.clock import Clock
from bot.delivery.kinds import DeliveryKind
from bot.delivery.scheduler import Job, Planner
from bot.reminders.calendar_store import CalendarStore
from bot.reminders.config import ReminderConfig
from bot.reminders.kinds import nudge_kind, reminder_kind
from bot.reminders.nudges import NudgePlanner
from bot.reminders.service import ReminderService
from bot.reminders.store import ReminderStore, SubscriptionStore
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs.reminders import ReminderDialog
from knowledge.calendar import calendar_orgs
from knowledge.intents import Intent
from knowledge.profiles import Profile, ProfileError, load_profile

__all__ = ["ReminderComponents", "SeedSyncJob", "build_reminder_components", "build_reminder_service", "committee_names"]

log = logging.getLogger(__name__)

REMINDER_INTENTS = (Intent.REMINDER_NEW, Intent.REMINDER_LIST, Intent.SUBSCRIBE, Intent.UNSUBSCRIBE)


def committee_names(profile: Profile | None) -> dict[str, str]:
    """Every committee name and alias in the profile -> the committee's name."""
    names: dict[str, str] = {}
    if profile is None:
        return names
    for level in profile.levels.values():
        for name in level.all_names:
            names[name] = level.name
    for area in profile.areas:
        for name in (area.committee, *area.committee_aliases):
            names[name] = area.committee
    return names


def _profile(settings: Settings, profile: Profile | None) -> Profile | None:
    if profile is not None:
        return profile
    try:
        return load_profile(settings.org, settings.profiles_dir)
    except ProfileError as exc:
        log.warning("reminders: no profile for %s (%s); committees come from the calendar only", settings.org, exc)
        return None


@dataclass
class _Parts:
    service: ReminderService
    planner: NudgePlanner
    calendar: CalendarStore


def _build_parts(
    database: Database,
    clock: Clock,
    settings: Settings,
    conversations: ConversationStore,
    profile: Profile | None,
) -> _Parts:
    config = settings.reminders
    calendar = CalendarStore(database, clock)
    subscriptions = SubscriptionStore(database, clock)
    profile = _profile(settings, profile)
    planner = NudgePlanner(
        database,
        clock,
        calendar,
        subscriptions,
        orgs=calendar_orgs(settings.org),
        policy=config.policy(),
        working_days=config.working_days(),
        horizon=config.planning_horizon,
    )
    service = ReminderService(
        clock=clock,
        conversations=conversations,
        reminders=ReminderStore(database, clock),
        subscriptions=subscriptions,
        calendar=calendar,
        org=settings.org,
        committees=committee_names(profile),
        planner=planner,
        nudge_days=[int(o.total_seconds() // 86400) for o in config.nudge_offsets if o.total_seconds() >= 86400],
    )
    return _Parts(service=service, planner=planner, calendar=calendar)


def build_reminder_service(
    database: Database,
    clock: Clock,
    settings: Settings,
    conversations: ConversationStore,
    *,
    profile: Profile | None = None,
) -> ReminderService:
    """The service alone (for ``medbot calendar`` / ``medbot reminders``), with ``settings.reminders``."""
    return _build_parts(database, clock, settings, conversations, profile).service


class SeedSyncJob:
    """A scheduler job: put the seed calendars (and next year's budget phases) in the database daily."""

    def __init__(self, service: ReminderService, config: ReminderConfig) -> None:
        self._service = service
        self._interval = config.seed_sync_interval
        self._last: datetime | None = None

    async def __call__(self, now: datetime) -> None:
        if self._last is not None and now - self._last < self._interval:
            return
        await self._service.sync_seed_calendars(now)
        self._last = now


@dataclass
class ReminderComponents:
    dialog: ReminderDialog
    service: ReminderService
    config: ReminderConfig
    #: What the delivery scheduler sends for reminders: the ``reminders`` and ``nudges`` outboxes.
    kinds: tuple[DeliveryKind, ...]
    #: Fills the ``nudges`` outbox from the subscriptions and the calendar.
    planner: NudgePlanner
    #: Scheduler jobs: the seed calendars, daily.
    jobs: tuple[Job, ...]

    @property
    def dialogs(self) -> Mapping[Intent, Dialog]:
        """The router mapping: every reminder intent starts the one reminder dialog."""
        return {intent: self.dialog for intent in REMINDER_INTENTS}

    @property
    def planners(self) -> tuple[Planner, ...]:
        return (self.planner,)

    async def start(self) -> None:
        """The seed calendars in the database (call on app startup, before the scheduler runs)."""
        await self.service.sync_seed_calendars()


def build_reminder_components(
    database: Database,
    clock: Clock,
    settings: Settings,
    conversations: ConversationStore,
    *,
    profile: Profile | None = None,
) -> ReminderComponents:
    """The reminder dialog and service, and what the scheduler delivers for them, with ``settings.reminders``."""
    config = settings.reminders
    parts = _build_parts(database, clock, settings, conversations, profile)
    return ReminderComponents(
        dialog=ReminderDialog(parts.service, clock),
        service=parts.service,
        config=config,
        kinds=(reminder_kind(database), nudge_kind(database, parts.calendar, config)),
        planner=parts.planner,
        jobs=(SeedSyncJob(parts.service, config),),
    )
