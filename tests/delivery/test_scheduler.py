"""The scheduler against the local fake connector: leases, de-duplication, retries, limits.

No test sleeps: the FakeClock is advanced and ``tick()`` is called.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.delivery.ratelimit import TEAMS_CONVERSATION_WINDOWS
from bot.reminders import cli as reminders_cli
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from tests.databases import WITH_PSYCOPG
from tests.fakes import FakeConnector, Scripted
from tests.reminders.helpers import add_reminder, make_scheduler, reminder_row, store_conversation, texts_of


class SimulatedCrash(Exception):
    """Stands for the process dying at a given point."""


async def test_due_reminder_is_sent_once(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    due = clock.now() + timedelta(minutes=5)
    reminder_id = await add_reminder(database, clock, conversation_id, "Send input til KommuneMED", due)
    scheduler = make_scheduler(database, clock)

    await scheduler.tick()
    assert connector.sent == []  # not yet due

    clock.advance(timedelta(minutes=5))
    report = await scheduler.tick()
    assert report.sent == 1
    assert len(connector.sent) == 1
    assert "Send input til KommuneMED" in texts_of(connector.sent)[0]
    assert connector.sent[0]["_conversation_id"] == "a:personal-1"

    row = await reminder_row(database, reminder_id)
    assert row.status == "sent"
    assert row.sent_activity_id == "reply-1"
    assert row.lease_owner is None

    clock.advance(timedelta(hours=1))
    await scheduler.tick()
    await scheduler.tick()
    assert len(connector.sent) == 1


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)  # also on psycopg 3
async def test_two_replicas_send_each_reminder_exactly_once(
    database: Database, second_database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore
) -> None:
    # Ten conversations (so the per-conversation limit does not interfere), three reminders each.
    ids = []
    for n in range(10):
        conversation = await store_conversation(conversations, connector.url, conversation_id=f"a:chat-{n}")
        for k in range(3):
            ids.append(await add_reminder(database, clock, conversation, f"reminder {n}-{k}", clock.now()))
    a = make_scheduler(database, clock, "replica-a", DeliveryConfig(batch_size=7))
    b = make_scheduler(second_database, clock, "replica-b", DeliveryConfig(batch_size=7))

    for _ in range(6):
        await asyncio.gather(a.tick(), b.tick())

    sent_texts = sorted(texts_of(connector.sent))
    assert len(sent_texts) == 30
    assert len(set(sent_texts)) == 30
    for reminder_id in ids:
        assert (await reminder_row(database, reminder_id)).status == "sent"


async def test_crash_after_a_successful_send_is_not_sent_again(
    database: Database, second_database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reminder_id = await add_reminder(database, clock, conversation_id, "Læs referatet", clock.now())
    crashed = make_scheduler(database, clock, "replica-a")

    async def die(item_id: int, activity_id: str | None, now: datetime, *, log_key: str | None = None, **_: object) -> bool:
        assert log_key is not None
        await crashed._log.finish(log_key, activity_id, now)
        raise SimulatedCrash

    # The connector accepts the message, "sent" is logged, then the row is not marked (the
    # process dies): a reclaimed row whose log says "sent" is not sent again.
    monkeypatch.setattr(crashed.outbox("reminders"), "mark_sent", die)
    report = await crashed.tick()
    assert report.errors == 1
    assert len(connector.sent) == 1
    row = await reminder_row(database, reminder_id)
    assert (row.status, row.lease_owner) == ("claimed", "replica-a")

    survivor = make_scheduler(second_database, clock, "replica-b")
    await survivor.tick()
    assert (await reminder_row(database, reminder_id)).status == "claimed"  # the lease still holds

    clock.advance(DeliveryConfig().lease + timedelta(seconds=1))
    report = await survivor.tick()
    assert report.deduplicated == 1
    assert len(connector.sent) == 1  # not sent twice
    row = await reminder_row(database, reminder_id)
    assert row.status == "sent"
    assert row.sent_activity_id == "reply-1"


async def test_crash_with_unknown_outcome_is_sent_again_at_least_once(
    database: Database, second_database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The documented window: dying after the connector accepted, before "sent" was committed."""
    reminder_id = await add_reminder(database, clock, conversation_id, "Læs referatet", clock.now())
    crashed = make_scheduler(database, clock, "replica-a")

    async def die(*_args: object, **_kwargs: object) -> None:
        raise SimulatedCrash

    # The connector accepted; the commit of "sent" (log and row together) never happens.
    monkeypatch.setattr(crashed.outbox("reminders"), "mark_sent", die)
    await crashed.tick()
    assert len(connector.sent) == 1

    survivor = make_scheduler(second_database, clock, "replica-b")
    clock.advance(DeliveryConfig().lease + timedelta(seconds=1))
    await survivor.tick()
    assert len(connector.sent) == 2  # at-least-once: the duplicate the docs warn about
    assert (await reminder_row(database, reminder_id)).status == "sent"
    await survivor.tick()
    assert len(connector.sent) == 2


async def test_crash_before_the_send_loses_nothing(
    database: Database, second_database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reminder_id = await add_reminder(database, clock, conversation_id, "Ring til Lis", clock.now())
    crashed = make_scheduler(database, clock, "replica-a")

    async def die(*_args: object, **_kwargs: object) -> None:
        raise SimulatedCrash

    monkeypatch.setattr(crashed._sender, "send", die)
    monkeypatch.setattr(crashed._sender, "send_stored", die)
    await crashed.tick()
    assert connector.sent == []

    survivor = make_scheduler(second_database, clock, "replica-b")
    clock.advance(DeliveryConfig().lease + timedelta(seconds=1))
    await survivor.tick()
    assert len(connector.sent) == 1
    assert (await reminder_row(database, reminder_id)).status == "sent"


async def test_release_leases_on_shutdown(
    database: Database, second_database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reminder_id = await add_reminder(database, clock, conversation_id, "x", clock.now())
    stopping = make_scheduler(database, clock, "replica-a")

    async def die(*_args: object, **_kwargs: object) -> None:
        raise SimulatedCrash

    monkeypatch.setattr(stopping._sender, "send", die)
    monkeypatch.setattr(stopping._sender, "send_stored", die)
    await stopping.tick()
    assert await stopping.release_leases() == 1
    # Another replica can take it at once, without waiting for the lease to expire.
    await make_scheduler(second_database, clock, "replica-b").tick()
    assert (await reminder_row(database, reminder_id)).status == "sent"


async def test_429_is_retried_after_retry_after(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    reminder_id = await add_reminder(database, clock, conversation_id, "Husk budgetmødet", clock.now())
    scheduler = make_scheduler(database, clock)
    connector.script.append(Scripted(429, {"Retry-After": "30"}))
    start = clock.now()

    await scheduler.tick()
    row = await reminder_row(database, reminder_id)
    assert row.status == "pending"
    assert row.next_attempt_at == start + timedelta(seconds=30)
    assert row.attempts == 0  # throttling is not a failed attempt
    assert connector.sent == []
    requests = len(connector.requests)

    clock.advance(timedelta(seconds=29))
    await scheduler.tick()
    assert len(connector.requests) == requests  # nothing sent before Retry-After

    clock.advance(timedelta(seconds=1))
    await scheduler.tick()
    assert len(connector.sent) == 1
    assert (await reminder_row(database, reminder_id)).status == "sent"


async def test_429_with_an_http_date(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    reminder_id = await add_reminder(database, clock, conversation_id, "x", clock.now())
    connector.script.append(Scripted(429, {"Retry-After": "Mon, 23 Nov 2026 10:02:00 GMT"}))
    await make_scheduler(database, clock).tick()
    row = await reminder_row(database, reminder_id)
    assert row.next_attempt_at == clock.now() + timedelta(minutes=2)


async def test_502_backs_off_with_jitter_and_then_succeeds(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    reminder_id = await add_reminder(database, clock, conversation_id, "x", clock.now())
    scheduler = make_scheduler(database, clock)
    connector.script.extend([Scripted(502), Scripted(504), Scripted(412)])
    waits = []
    for attempt in range(1, 4):
        before = clock.now()
        await scheduler.tick()
        row = await reminder_row(database, reminder_id)
        assert row.status == "pending"
        assert row.attempts == attempt
        wait = row.next_attempt_at - before
        ceiling = timedelta(seconds=2 * 2 ** (attempt - 1))
        assert ceiling / 2 <= wait <= ceiling
        waits.append(wait)
        clock.set(row.next_attempt_at)
    assert row.last_error == "HTTP 412"
    await scheduler.tick()
    assert (await reminder_row(database, reminder_id)).status == "sent"
    assert len(connector.sent) == 1


async def test_gives_up_after_max_attempts(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    reminder_id = await add_reminder(database, clock, conversation_id, "x", clock.now())
    scheduler = make_scheduler(database, clock, config=DeliveryConfig(max_attempts=3))
    connector.script.extend([Scripted(502)] * 3)
    for _ in range(3):
        await scheduler.tick()
        row = await reminder_row(database, reminder_id)
        if row.status == "pending":
            clock.set(row.next_attempt_at)
    row = await reminder_row(database, reminder_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "HTTP 502" in row.last_error


async def test_403_marks_the_conversation_unreachable_and_stops_sending(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int,
    conversations: ConversationStore, capsys: pytest.CaptureFixture[str],
) -> None:
    first = await add_reminder(database, clock, conversation_id, "Første påmindelse", clock.now())
    later = await add_reminder(database, clock, conversation_id, "Anden påmindelse", clock.now() + timedelta(hours=1))
    scheduler = make_scheduler(database, clock)
    connector.script.append(Scripted(403))

    await scheduler.tick()
    row = await reminder_row(database, first)
    assert row.status == "failed"
    assert "403" in row.last_error
    stored = await conversations.get_by_id(conversation_id)
    assert stored is not None and stored.unreachable

    requests = len(connector.requests)
    clock.advance(timedelta(hours=1))
    await scheduler.tick()
    assert len(connector.requests) == requests  # no more sends to that conversation
    assert (await reminder_row(database, later)).status == "failed"

    assert await reminders_cli.main(argparse.Namespace(action="failed"), database) == 0
    out = capsys.readouterr().out
    assert "Første påmindelse" in out and "Anden påmindelse" in out
    assert "a:personal-1" in out and "403" in out
    assert "Samtaler botten ikke kan nå" in out


async def test_twenty_reminders_in_one_conversation_respect_the_teams_windows(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    for n in range(20):
        await add_reminder(database, clock, conversation_id, f"påmindelse {n}", clock.now())
    scheduler = make_scheduler(database, clock)
    send_times: list[datetime] = []
    for _ in range(200):
        before = len(connector.sent)
        await scheduler.tick()
        send_times.extend([clock.now()] * (len(connector.sent) - before))
        if len(connector.sent) == 20:
            break
        clock.advance(timedelta(milliseconds=250))
    assert len(connector.sent) == 20
    assert len(set(texts_of(connector.sent))) == 20
    for window in TEAMS_CONVERSATION_WINDOWS:
        for t in send_times:
            in_window = [s for s in send_times if t - window.period < s <= t]
            assert len(in_window) <= window.limit, (window, t)
    assert send_times[-1] - send_times[0] >= timedelta(seconds=2)  # spread out, not a burst


async def test_extra_jobs_get_the_time(
    database: Database, clock: FakeClock, connector: FakeConnector
) -> None:
    seen: list[datetime] = []

    async def job(now: datetime) -> None:
        seen.append(now)

    async def broken(now: datetime) -> None:
        raise RuntimeError("bug in a job")

    scheduler = make_scheduler(database, clock, jobs=[broken, job])
    report = await scheduler.tick()
    clock.advance(timedelta(seconds=30))
    await scheduler.tick()
    assert seen == [clock.now() - timedelta(seconds=30), clock.now()]
    assert report.errors == 1


async def test_run_forever_stops_when_asked(database: Database, clock: FakeClock) -> None:
    scheduler = make_scheduler(database, clock)
    stop = asyncio.Event()
    stop.set()
    await asyncio.wait_for(scheduler.run_forever(stop, timedelta(seconds=30)), timeout=5)


async def test_cancelled_reminders_are_not_sent(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    from bot.reminders.store import ReminderStore

    reminder_id = await add_reminder(database, clock, conversation_id, "x", clock.now())
    assert await ReminderStore(database, clock).cancel(reminder_id, "29:user-1")
    await make_scheduler(database, clock).tick()
    assert connector.sent == []


async def test_a_lease_lost_during_a_slow_batch_is_not_sent_twice(
    database: Database, second_database: Database, clock: FakeClock, connector: FakeConnector,
    conversations: ConversationStore, monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_conversation = await store_conversation(conversations, connector.url, conversation_id="a:one")
    second_conversation = await store_conversation(conversations, connector.url, conversation_id="a:two")
    first = await add_reminder(database, clock, first_conversation, "først", clock.now())
    second = await add_reminder(database, clock, second_conversation, "bagefter", clock.now())
    slow = make_scheduler(database, clock, "replica-a")
    other = make_scheduler(second_database, clock, "replica-b")
    real_mark_sent = slow.outbox("reminders").mark_sent

    async def slow_mark_sent(item_id: int, activity_id: str | None, now: datetime, **kwargs: Any) -> bool:
        done = await real_mark_sent(item_id, activity_id, now, **kwargs)
        if item_id == first:
            # The batch is slow: before the second row's turn its lease has run out and
            # replica b has taken and sent it.
            clock.advance(DeliveryConfig().lease + timedelta(seconds=1))
            await other.tick()
        return done

    monkeypatch.setattr(slow.outbox("reminders"), "mark_sent", slow_mark_sent)
    await slow.tick()
    assert sorted("først" in t for t in texts_of(connector.sent)) == [False, True]  # each sent once
    assert (await reminder_row(database, first)).status == "sent"
    row = await reminder_row(database, second)
    assert row.status == "sent" and row.sent_activity_id == "reply-2"
