"""A claimed batch is written in few units of work: the ``sending`` entries of all its rows
in one before the first send, one per delivered row after its send, and a batch cut short
by shutdown leaves no ``sending`` entry behind for rows it never sent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.delivery.outbox import Final, Outbox, Requeue
from bot.reminders.models import ReminderRow
from bot.storage.conversations import ConversationStore, StoredConversation
from bot.storage.db import Database
from bot.storage.models_delivery import STATUS_CANCELLED, DeliveryLogRow
from dialogs.messages import Message
from tests.fakes import FakeConnector
from tests.reminders.helpers import add_reminder, make_scheduler, reminder_row, store_conversation

_log: sa.Table = DeliveryLogRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


async def _log_statuses(database: Database) -> list[str]:
    async with database.session() as session:
        return list((await session.execute(sa.select(_log.c.status).order_by(_log.c.dedupe_key))).scalars())


async def _five_reminders(database: Database, clock: FakeClock, conversations: ConversationStore, url: str) -> list[int]:
    ids = []
    for n in range(5):
        conversation = await store_conversation(conversations, url, f"a:batch-{n}", f"29:user-{n}")
        ids.append(await add_reminder(database, clock, conversation, f"påmindelse {n}", clock.now()))
    return ids


async def test_a_batch_logs_every_row_before_the_first_send_and_takes_a_unit_per_delivery(
    database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _five_reminders(database, clock, conversations, connector.url)
    scheduler = make_scheduler(database, clock)
    real_send_stored = scheduler._sender.send_stored  # type: ignore[attr-defined]  # the BotFrameworkSender of the helpers
    logged_at_first_send: list[list[str]] = []

    async def send_stored(stored: StoredConversation, message: Message) -> object:
        if not logged_at_first_send:
            logged_at_first_send.append(await _log_statuses(database))
        return await real_send_stored(stored, message)

    monkeypatch.setattr(scheduler._sender, "send_stored", send_stored)
    units: list[Callable[..., Any]] = []
    real_run = database.run

    async def counted_run(work: Callable[[sa.Connection], Any]) -> Any:
        units.append(work)
        return await real_run(work)

    monkeypatch.setattr(database, "run", counted_run)

    report = await scheduler.tick(only_deliver=True)
    assert report.sent == 5
    assert logged_at_first_send == [["sending"] * 5]
    # The claim (of reminders, then of nudges), the batch's log entries, one per delivery.
    assert len(units) == 2 + 1 + 5
    assert await _log_statuses(database) == ["sent"] * 5


async def test_a_batch_cut_short_by_shutdown_leaves_no_sending_entries(
    database: Database, second_database: Database, clock: FakeClock, connector: FakeConnector,
    conversations: ConversationStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    ids = await _five_reminders(database, clock, conversations, connector.url)
    stopping = make_scheduler(database, clock, "replica-a")
    real_send_stored = stopping._sender.send_stored  # type: ignore[attr-defined]  # the BotFrameworkSender of the helpers

    async def send_then_stop(stored: StoredConversation, message: Message) -> object:
        stopping.request_stop()  # SIGTERM arrives while the first send is in flight
        return await real_send_stored(stored, message)

    monkeypatch.setattr(stopping._sender, "send_stored", send_then_stop)
    report = await stopping.tick()
    assert report.sent == 1
    assert await _log_statuses(database) == ["sent"]
    assert await stopping.release_leases() == 4

    with caplog.at_level(logging.WARNING, logger="bot.delivery.scheduler"):
        report = await make_scheduler(second_database, clock, "replica-b").tick()
    assert report.sent == 4
    assert not [r for r in caplog.records if "unknown outcome" in r.getMessage()]  # nothing looked half-sent
    assert len(connector.sent) == 5
    assert {(await reminder_row(database, i)).status for i in ids} == {"sent"}


async def test_requeue_and_finish_change_only_the_owners_rows_in_one_statement(
    database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore
) -> None:
    ids = await _five_reminders(database, clock, conversations, connector.url)
    outbox = Outbox(database, _reminders)
    now = clock.now()
    mine = await outbox.claim("replica-a", now, timedelta(minutes=2), 4)
    assert sorted(row.id for row in mine) == ids[:4]
    theirs = await outbox.claim("replica-b", now, timedelta(minutes=2), 4)
    assert [row.id for row in theirs] == [ids[4]]
    async with database.session() as session:
        await session.execute(sa.update(_reminders).where(_reminders.c.id == ids[1]).values(last_error="HTTP 502"))
    later = now + timedelta(minutes=1)

    def work(connection: sa.Connection) -> tuple[int, int]:
        requeued = outbox.requeue_in(
            connection,
            "replica-a",
            now,
            [Requeue(ids[0], later), Requeue(ids[1], later), Requeue(ids[2], later, "HTTP 503", count_attempt=True), Requeue(ids[4], later)],
        )
        finished = outbox.finish_in(connection, "replica-a", now, [Final(ids[3], STATUS_CANCELLED, "event deleted", count_attempt=False)])
        return requeued, finished

    requeued, finished = await database.run(work)
    assert finished == 1
    if database.engine.dialect.supports_sane_multi_rowcount:
        assert requeued == 3  # the fourth row is replica b's
    rows = {i: await reminder_row(database, i) for i in ids}
    assert [(rows[i].status, rows[i].attempts, rows[i].last_error) for i in ids[:3]] == [
        ("pending", 0, None),
        ("pending", 0, "HTTP 502"),  # no reason given: the last one stays
        ("pending", 1, "HTTP 503"),
    ]
    assert {rows[i].next_attempt_at for i in ids[:3]} == {later}
    assert all(rows[i].lease_owner is None for i in ids[:4])
    assert (rows[ids[3]].status, rows[ids[3]].attempts, rows[ids[3]].last_error) == ("cancelled", 0, "event deleted")
    assert (rows[ids[4]].status, rows[ids[4]].lease_owner) == ("claimed", "replica-b")
    with pytest.raises(ValueError, match="not a final status"):
        await database.run(lambda connection: outbox.finish_in(connection, "replica-a", now, [Final(ids[0], "sent", "x")]))
