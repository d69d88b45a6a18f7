"""The delivery parts as the runtime builds them: one scheduler loop over every outbox, its settings."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig, DeliveryConfigError
from bot.delivery.wiring import DeliveryComponents, build_delivery
from bot.ideas.config import IdeaConfig
from bot.ideas.wiring import build_idea_components
from bot.reminders.wiring import build_reminder_components
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from knowledge.profiles import load_profile
from tests.fakes import FakeConnector
from tests.reminders.helpers import add_reminder, cloud_adapter, reminder_row


def _delivery(database: Database, clock: FakeClock, settings: Settings, config: DeliveryConfig) -> DeliveryComponents:
    conversations = ConversationStore(database, clock)
    reminders = build_reminder_components(database, clock, settings, conversations)
    ideas = build_idea_components(database, clock, load_profile("jammerbugt"), IdeaConfig())
    return build_delivery(
        database,
        clock,
        config,
        cloud_adapter(),
        conversations,
        [*reminders.kinds, ideas.kind],
        planners=reminders.planners,
        jobs=[*reminders.jobs, *ideas.jobs],
        owner_id="a",
    )


async def test_one_loop_sends_every_kind(
    database: Database, clock: FakeClock, settings: Settings, connector: FakeConnector, conversation_id: int
) -> None:
    delivery = _delivery(database, clock, settings, DeliveryConfig())
    assert [kind.name for kind in delivery.scheduler.kinds] == ["reminders", "nudges", "idea_notifications"]
    reminder_id = await add_reminder(database, clock, conversation_id, "Fra løkken", clock.now())
    await delivery.start()  # run_forever: the first tick at once
    for _ in range(200):  # the first tick runs on the event loop; no real waiting for time
        if (await reminder_row(database, reminder_id)).status == "sent":
            break
        await asyncio.sleep(0)  # let the loop's task run; no time passes
    await delivery.stop()
    assert (await reminder_row(database, reminder_id)).status == "sent"


async def test_the_loop_can_be_switched_off(database: Database, clock: FakeClock, settings: Settings) -> None:
    config = DeliveryConfig.from_env({"MEDBOT_SCHEDULER": "off"})
    assert not config.run_loop
    delivery = _delivery(database, clock, settings, config)
    await delivery.start()
    assert delivery._task is None
    await delivery.stop()


def test_config_from_env() -> None:
    config = DeliveryConfig.from_env({"MEDBOT_SCHEDULER_INTERVAL": "10", "MEDBOT_REMINDER_LEASE": "90"})
    assert (config.tick_interval, config.lease, config.run_loop) == (timedelta(seconds=10), timedelta(seconds=90), True)
    assert DeliveryConfig.from_env({}) == DeliveryConfig()
    with pytest.raises(DeliveryConfigError, match="MEDBOT_SCHEDULER_INTERVAL must be positive"):
        DeliveryConfig.from_env({"MEDBOT_SCHEDULER_INTERVAL": "0"})
    with pytest.raises(DeliveryConfigError, match="MEDBOT_SCHEDULER"):
        DeliveryConfig.from_env({"MEDBOT_SCHEDULER": "maybe"})
