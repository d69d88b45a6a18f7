"""Building proactive delivery in the composition root (``bot/runtime.py``): the senders and the one scheduler.

The features hand in their kinds of message (:mod:`bot.delivery.kinds`), their
planners and their jobs; this builds the Teams sender (with the send leases of this
replica and the Teams windows counted in the tenants' budget), routes each message to
its channel's sender, and runs one :class:`~bot.delivery.scheduler.Scheduler` over all
of them.
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
from datetime import timedelta

from bot.clock import Clock
from bot.delivery.budget import TenantSendBudget
from bot.delivery.config import DeliveryConfig
from bot.delivery.kinds import DeliveryKind
from bot.delivery.leases import SendLeases
from bot.delivery.protocol import ProactiveSender
from bot.delivery.ratelimit import Backoff, DeliveryRateLimiter
from bot.delivery.routing import ChannelRoutingSender
from bot.delivery.scheduler import Job, Planner, Scheduler
from bot.delivery.sender import BotFrameworkSender, ContinuingAdapter
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database

__all__ = ["DeliveryComponents", "build_delivery"]

log = logging.getLogger(__name__)

#: Teams counts a send when it arrives; we count it just before it leaves. Measured with
#: bench/fanout.py, without a margin the variation of that delay let 51 sends arrive within
#: one second now and then.
SEND_WINDOW_MARGIN = timedelta(milliseconds=100)


@dataclass
class DeliveryComponents:
    #: The Teams sender.
    sender: BotFrameworkSender
    #: The sender for every channel (Teams via ``sender``, Slack and others by channel id).
    routed: ProactiveSender
    scheduler: Scheduler
    config: DeliveryConfig
    #: The send leases of this replica (handed back on stop; bot/delivery/leases.py).
    leases: SendLeases | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """The scheduler loop in the background (call on app startup)."""
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


def build_delivery(
    database: Database,
    clock: Clock,
    config: DeliveryConfig,
    adapter: ContinuingAdapter,
    conversations: ConversationStore,
    kinds: Sequence[DeliveryKind],
    *,
    app_id: str = "",
    planners: Sequence[Planner] = (),
    jobs: Sequence[Job] = (),
    rng: random.Random | None = None,
    owner_id: str | None = None,
    other_senders: Mapping[str, ProactiveSender] | None = None,
    budget: TenantSendBudget | None = None,
) -> DeliveryComponents:
    """The senders and the scheduler over ``kinds``, with the delivery settings (``settings.delivery``)."""
    owner = owner_id or _owner_id()
    leases = SendLeases(database, clock, owner)
    sender = BotFrameworkSender(
        adapter,
        conversations,
        clock,
        app_id=app_id,
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
        database, clock, routed, owner, kinds, jobs, config=config, planners=planners, budget=budget
    )
    return DeliveryComponents(sender=sender, routed=routed, scheduler=scheduler, config=config, leases=leases)
