"""Two replicas on one database (SQLite file; PostgreSQL when MEDBOT_TEST_POSTGRES_URL is set).

* a conversation continues whichever replica takes the next turn (the dialog state is
  in the database, not in a process);
* a lost update between replicas is refused by the state's e-tags;
* a reminder ticked by both schedulers at once is sent once, and so is every one of a
  few dozen reminders over several conversations.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.reminders.models import CalendarEventRow, ReminderRow
from bot.reminders.store import ReminderStore
from bot.runtime import build_runtime
from bot.settings import Settings
from bot.storage.state import StorageConcurrencyError
from dialogs import texts
from knowledge.clock import COPENHAGEN
from tests.fakes import FakeConnector
from tests.load.replicas import Replica, message, replicas
from tests.reminders.helpers import texts_of

_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


async def _say(replica: Replica, connector: FakeConnector, text: str, value: dict[str, str] | None = None) -> str:
    connector.clear()
    assert await replica.post(message(connector, text, value=value)) == 201
    return "\n".join(texts_of(connector.sent))


async def test_a_dialog_continues_on_whichever_replica_takes_the_turn(
    database_url: str, tmp_path: Path, clock: FakeClock, connector: FakeConnector
) -> None:
    async with replicas(database_url, tmp_path, clock) as (a, b):
        # Turn 1 on A starts the reminder dialog, which asks when (no time was given).
        echo = await _say(a, connector, "mind mig om at sende input til KommuneMED")
        assert texts.reminder_ask_when("sende input til KommuneMED") in echo

        # Turn 2 on B answers A's question: B reads the dialog state A saved.
        saved = await _say(b, connector, "i morgen kl. 9")
        assert texts.reminder_saved_now("sende input til KommuneMED", "tirsdag 24. november 2026 kl. 09.00") in saved

        # Turn 3 on A sees what B stored; turn 4 on B ends the list A opened.
        listing = await _say(a, connector, "mine påmindelser")
        assert "1. tirsdag 24. november 2026 kl. 09.00: sende input til KommuneMED" in listing
        assert texts.CANCELLED in await _say(b, connector, "annuller")

        # When it is due, both schedulers tick at the same moment: it goes out once.
        connector.clear()
        clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN))
        reports = await asyncio.gather(a.runtime.delivery.scheduler.tick(), b.runtime.delivery.scheduler.tick())
        assert sum(report.sent for report in reports) == 1
        assert [t for t in texts_of(connector.sent) if "sende input til KommuneMED" in t] == texts_of(connector.sent)
        assert len(connector.sent) == 1
        reports = await asyncio.gather(a.runtime.delivery.scheduler.tick(), b.runtime.delivery.scheduler.tick())
        assert sum(report.sent for report in reports) == 0
        assert len(connector.sent) == 1


async def test_a_lost_update_between_replicas_is_refused(
    database_url: str, tmp_path: Path, clock: FakeClock, connector: FakeConnector
) -> None:
    async with replicas(database_url, tmp_path, clock) as (a, b):
        await a.post(message(connector, "hej"))
        [key] = [k for k in await _state_keys(a) if "replica-chat" in k]
        # Both replicas read the same version of the conversation state …
        seen_by_a = (await a.runtime.storage.read([key]))[key]
        seen_by_b = (await b.runtime.storage.read([key]))[key]
        assert seen_by_a["e_tag"] == seen_by_b["e_tag"]
        # … A saves first; B's save of the version it read must not overwrite A's.
        seen_by_a["from"] = "A"
        await a.runtime.storage.write({key: seen_by_a})
        seen_by_b["from"] = "B"
        with pytest.raises(StorageConcurrencyError):
            await b.runtime.storage.write({key: seen_by_b})
        assert (await b.runtime.storage.read([key]))[key]["from"] == "A"


async def _state_keys(replica: Replica) -> list[str]:
    async with replica.runtime.database.session() as session:
        rows = await session.execute(sa.text("SELECT key FROM bot_state"))
        return [str(row[0]) for row in rows]


async def test_reminders_ticked_by_both_schedulers_are_each_sent_once(
    database_url: str, tmp_path: Path, clock: FakeClock, connector: FakeConnector
) -> None:
    conversations, per_conversation = 6, 5
    async with replicas(database_url, tmp_path, clock) as (a, b):
        # The conversations write to the bot first (alternating replicas), which stores their references.
        for index in range(conversations):
            replica = a if index % 2 == 0 else b
            assert await replica.post(message(connector, "hej", conversation=f"a:chat-{index}", user=f"29:user-{index}")) == 201
        stored = {c.conversation_id: c.id for c in await a.runtime.conversations.list()}
        store = ReminderStore(a.runtime.database, clock)
        due = clock.now() + timedelta(minutes=5)
        expected: list[str] = []
        for n in range(per_conversation):
            for index in range(conversations):
                text = f"punkt {n} til samtale {index}"
                await store.create(stored[f"a:chat-{index}"], f"29:user-{index}", text, due)
                expected.append(text)

        connector.clear()
        clock.set(due)
        for _ in range(10):  # each round: both schedulers at once, then one second later
            await asyncio.gather(a.runtime.delivery.scheduler.tick(), b.runtime.delivery.scheduler.tick())
            if len(connector.sent) >= len(expected):
                break
            clock.advance(timedelta(seconds=1))

        delivered = Counter(text for text in expected for sent in texts_of(connector.sent) if text in sent)
        assert sorted(delivered) == sorted(expected)
        assert set(delivered.values()) == {1}, [t for t, n in delivered.items() if n > 1]
        assert len(connector.sent) == len(expected)
        async with a.runtime.database.session() as session:
            statuses = Counter((await session.execute(sa.select(_reminders.c.status))).scalars())
        assert statuses == {"sent": len(expected)}


async def test_replicas_starting_together_on_a_fresh_database(database_url: str, tmp_path: Path, clock: FakeClock) -> None:
    """Both migrate and sync the seed calendars at once; neither fails, nothing is doubled."""
    settings = Settings(database_url=database_url, data_dir=tmp_path, org="albertslund", delivery=DeliveryConfig(run_loop=False))
    runtimes = [build_runtime(settings, clock=clock) for _ in range(2)]
    try:
        await asyncio.wait_for(asyncio.gather(*(runtime.start() for runtime in runtimes)), timeout=60)  # a bound, not a pause
        async with runtimes[0].database.session() as session:
            uids = list((await session.execute(sa.select(CalendarEventRow.__table__.c.uid))).scalars())
        assert uids and len(uids) == len(set(uids))
        assert await runtimes[1].database.is_up_to_date()
    finally:
        for runtime in runtimes:
            await runtime.close()
