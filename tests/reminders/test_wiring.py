"""The composition helpers: the router mapping, the delivery kinds, the seed calendars, the migration."""

from __future__ import annotations

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


async def test_components_map_intents_and_seed_the_calendars(database: Database, clock: FakeClock, settings: Settings) -> None:
    parts = build_reminder_components(database, clock, settings, ConversationStore(database, clock))
    assert set(parts.dialogs) == {Intent.REMINDER_NEW, Intent.REMINDER_LIST, Intent.SUBSCRIBE, Intent.UNSUBSCRIBE}
    assert {d.id for d in parts.dialogs.values()} == {REMINDER_DIALOG_ID}
    assert [kind.name for kind in parts.kinds] == ["reminders", "nudges"]
    await parts.start()
    assert len(await parts.service.events("budget", include_past=True)) == 12  # 6 phases x 2 years


def test_committee_names_from_the_profile() -> None:
    names = committee_names(load_profile("jammerbugt"))
    assert names["MED-hovedudvalget"] == "HovedMED"
    assert names["ForvaltningsMED SSB"] == "ForvaltningsMED SSB"
    assert committee_names(load_profile("albertslund"))["ØSMED"] == "AfdelingsMED Økonomi & Stab"


def test_config_from_env() -> None:
    config = ReminderConfig.from_env(
        {"MEDBOT_NUDGE_OFFSETS": "14d, 2d", "MEDBOT_NUDGE_MATERIAL": "off", "MEDBOT_NUDGE_CLOSED_DAYS": "public,optional"}
    )
    assert config.nudge_offsets == (timedelta(days=14), timedelta(days=2))
    assert config.material_offset is None
    assert config.closed_categories == ("public", "optional")
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
