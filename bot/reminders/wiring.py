"""Building the reminder parts in the composition root (``bot/runtime.py`` / ``bot/app.py``).

:func:`build_reminder_service` is enough for the command line; :func:`build_reminder_components`
adds the dialog, the proactive sender and the scheduler for the running service.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from botbuilder.dialogs import Dialog

from bot.clock import Clock
from bot.delivery.budget import TenantSendBudget
from bot.delivery.leases import SendLeases
from bot.delivery.protocol import ProactiveSender
from bot.delivery.ratelimit import Backoff, DeliveryRateLimiter
from bot.delivery.routing import ChannelRoutingSender
from bot.delivery.sender import BotFrameworkSender, ContinuingAdapter
from bot.reminders.calendar_store import CalendarStore
from bot.reminders.config import ReminderConfig
from bot.reminders.nudges import NudgePlanner
from bot.reminders.scheduler import Job, Scheduler
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

#: Teams counts a send when it arrives; we count it just before it leaves. Measured with
#: bench/fanout.py, without a margin the variation of that delay let 51 sends arrive within
#: one second now and then.
SEND_WINDOW_MARGIN = timedelta(milliseconds=100)

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
    sender: BotFrameworkSender
    #: The sender for every channel (Teams via ``sender``, Slack and others by channel id).
    delivery: ProactiveSender
    scheduler: Scheduler
    config: ReminderConfig
    #: The send leases of this replica (handed back on stop; bot/delivery/leases.py).
    leases: SendLeases | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    @property
    def dialogs(self) -> Mapping[Intent, Dialog]:
        """The router mapping: every reminder intent starts the one reminder dialog."""
        return {intent: self.dialog for intent in REMINDER_INTENTS}

    async def start(self) -> None:
        """Seed calendars in, then the scheduler loop in the background (call on app startup)."""
        await self.service.sync_seed_calendars()
        if not self.config.run_loop:
            log.info("scheduler loop disabled (MEDBOT_SCHEDULER=off)")
            return
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.scheduler.run_forever(self._stop), name="medbot-scheduler")

    async def stop(self) -> None:
        """Stop the loop (a running tick ends after its send in flight) and hand back this replica's leases (on cleanup)."""
        self.scheduler.request_stop()
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self.scheduler.release_leases()
        if self.leases is not None:
            await self.leases.release_all()


def _owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def build_reminder_components(
    database: Database,
    clock: Clock,
    settings: Settings,
    adapter: ContinuingAdapter,
    conversations: ConversationStore,
    *,
    profile: Profile | None = None,
    jobs: Sequence[Job] = (),
    rng: random.Random | None = None,
    owner_id: str | None = None,
    other_senders: Mapping[str, ProactiveSender] | None = None,
    budget: TenantSendBudget | None = None,
) -> ReminderComponents:
    """The reminder dialog, service, senders and scheduler, with the reminder settings (``settings.reminders``)."""
    config = settings.reminders
    parts = _build_parts(database, clock, settings, conversations, profile)
    owner = owner_id or _owner_id()
    leases = SendLeases(database, clock, owner)
    sender = BotFrameworkSender(
        adapter,
        conversations,
        clock,
        app_id=settings.app_id,
        limiter=DeliveryRateLimiter(clock, margin=SEND_WINDOW_MARGIN, budget=budget),
        backoff=Backoff(rng or random.Random()),
        leases=leases,
    )
    # A message goes back to the channel its conversation lives in (Teams, Slack, …).
    routed: ProactiveSender = (
        ChannelRoutingSender(conversations, {**other_senders, "msteams": sender}, default=sender)
        if other_senders
        else sender
    )
    scheduler = Scheduler(
        database,
        clock,
        routed,
        owner,
        [SeedSyncJob(parts.service, config), *jobs],
        config=config,
        planner=parts.planner,
        calendar=parts.calendar,
        budget=budget,
    )
    return ReminderComponents(
        dialog=ReminderDialog(parts.service, clock),
        service=parts.service,
        sender=sender,
        delivery=routed,
        scheduler=scheduler,
        config=config,
        leases=leases,
    )
