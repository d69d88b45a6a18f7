"""The composition helpers: the router mapping, start/stop of the scheduler loop, the migration."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from bot.clock import FakeClock
from bot.reminders.config import ReminderConfig, ReminderConfigError
from bot.reminders.wiring import build_reminder_components, committee_names
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database, alembic_config
from dialogs.reminders import REMINDER_DIALOG_ID
from knowledge.intents import Intent
from knowledge.profiles import load_profile
from tests.fakes import FakeConnector
from tests.reminders.helpers import add_reminder, cloud_adapter, reminder_row


async def test_components_map_intents_and_run_the_loop(
    database: Database, clock: FakeClock, settings: Settings, connector: FakeConnector, conversation_id: int
) -> None:
    parts = build_reminder_components(
        database, clock, settings, cloud_adapter(), ConversationStore(database, clock), owner_id="a"
    )
    assert settings.reminders.run_loop
    assert set(parts.dialogs) == {Intent.REMINDER_NEW, Intent.REMINDER_LIST, Intent.SUBSCRIBE, Intent.UNSUBSCRIBE}
    assert {d.id for d in parts.dialogs.values()} == {REMINDER_DIALOG_ID}
    reminder_id = await add_reminder(database, clock, conversation_id, "Fra løkken", clock.now())

    await parts.start()  # seeds the calendars and starts run_forever (first tick at once)
    for _ in range(200):  # the first tick runs on the event loop; no real waiting for time
        if (await reminder_row(database, reminder_id)).status == "sent":
            break
        await asyncio.sleep(0)  # let the loop's task run; no time passes
    await parts.stop()
    assert (await reminder_row(database, reminder_id)).status == "sent"
    assert len(await parts.service.events("budget", include_past=True)) == 12  # 6 phases x 2 years


def test_committee_names_from_the_profile() -> None:
    names = committee_names(load_profile("jammerbugt"))
    assert names["MED-hovedudvalget"] == "HovedMED"
    assert names["ForvaltningsMED SSB"] == "ForvaltningsMED SSB"
    assert committee_names(load_profile("albertslund"))["ØSMED"] == "AfdelingsMED Økonomi & Stab"


def test_config_from_env() -> None:
    config = ReminderConfig.from_env(
        {"MEDBOT_NUDGE_OFFSETS": "14d, 2d", "MEDBOT_NUDGE_MATERIAL": "off", "MEDBOT_NUDGE_CLOSED_DAYS": "public,optional", "MEDBOT_SCHEDULER_INTERVAL": "10"}
    )
    assert config.nudge_offsets == (timedelta(days=14), timedelta(days=2))
    assert config.material_offset is None
    assert config.closed_categories == ("public", "optional")
    assert config.tick_interval == timedelta(seconds=10)
    assert [r.key for r in config.policy().rules] == ["ahead:14d", "ahead:2d", "phase_start:0d"]
    with pytest.raises(ReminderConfigError):
        ReminderConfig.from_env({"MEDBOT_NUDGE_OFFSETS": "en uge"})


async def test_migration_0003_goes_down_and_up(database: Database) -> None:
    def tables(connection: Connection) -> set[str]:
        return set(sa.inspect(connection).get_table_names())

    mine = {"reminders", "calendar_events", "subscriptions", "nudges", "delivery_log"}
    async with database.engine.connect() as connection:
        assert mine <= await connection.run_sync(tables)

    def down(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "0003_reminders-1")

    async with database.engine.begin() as connection:
        await connection.run_sync(down)
    async with database.engine.connect() as connection:
        assert not (mine & await connection.run_sync(tables))
    await database.upgrade()
    async with database.engine.connect() as connection:
        assert mine <= await connection.run_sync(tables)


async def test_the_loop_can_be_switched_off(database: Database, clock: FakeClock, settings: Settings) -> None:
    config = ReminderConfig.from_env({"MEDBOT_SCHEDULER": "off"})
    assert not config.run_loop
    parts = build_reminder_components(
        database, clock, replace(settings, reminders=config), cloud_adapter(), ConversationStore(database, clock), owner_id="a"
    )
    await parts.start()
    assert parts._task is None
    await parts.stop()
