"""The scheduler claims only what the send budget lets go out (paced: what one window lets
through, each row sent as its slot frees), and a burst into one conversation waits for
its windows without a round of log writes per refused row."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.delivery.budget import TenantSendBudget
from bot.delivery.config import DeliveryConfig
from bot.delivery.leases import scope_of
from bot.delivery.ratelimit import DeliveryRateLimiter
from bot.delivery.scheduler import Scheduler
from bot.delivery.sender import BotFrameworkSender
from bot.reminders.models import ReminderRow
from bot.storage.conversations import ConversationStore, StoredConversation
from bot.storage.db import Database
from bot.storage.models_delivery import DeliveryLogRow
from tests.fakes import FakeConnector
from tests.reminders.helpers import TENANT, add_reminder, cloud_adapter, reminder_kinds, store_conversation


def _scheduler(
    database: Database,
    clock: FakeClock,
    budget: TenantSendBudget | None = None,
    *,
    sleep: Callable[[float], Awaitable[object]] | None = None,
) -> tuple[Scheduler, list[int]]:
    calls: list[int] = []
    sender = BotFrameworkSender(
        cloud_adapter(), ConversationStore(database, clock), clock, limiter=DeliveryRateLimiter(clock, budget=budget)
    )
    real_send = sender.send

    async def counted(conversation_id: int, message: object) -> object:
        calls.append(conversation_id)
        return await real_send(conversation_id, message)  # type: ignore[arg-type]  # the wrapped method takes the same arguments

    real_send_stored = sender.send_stored

    async def counted_stored(stored: StoredConversation, message: object) -> object:
        calls.append(stored.id)
        return await real_send_stored(stored, message)  # type: ignore[arg-type]  # the wrapped method takes the same arguments

    sender.send = counted  # type: ignore[method-assign]  # counting the sends of the real sender
    sender.send_stored = counted_stored  # type: ignore[method-assign]  # the scheduler hands over the conversation it read
    kinds = reminder_kinds(database, clock)
    return Scheduler(database, clock, sender, "replica-a", kinds, config=DeliveryConfig(), budget=budget, sleep=sleep), calls


async def _statuses(database: Database) -> dict[str, int]:
    t = ReminderRow.__table__
    async with database.session() as session:
        rows = await session.execute(sa.select(t.c.status, sa.func.count()).group_by(t.c.status))
        return {str(status): int(n) for status, n in rows}


async def test_the_claim_is_sized_by_the_budget(
    database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore
) -> None:
    budget = TenantSendBudget(clock, 10, min_reserve=3)
    for i in range(30):
        conversation = await store_conversation(conversations, connector.url, f"a:chat-{i}", f"29:user-{i}")
        await add_reminder(database, clock, conversation, f"Punkt {i}", clock.now())
    scheduler, calls = _scheduler(database, clock, budget)

    report = await scheduler.tick()
    assert (report.claimed, report.sent, report.rescheduled, report.budget_bound) == (7, 7, 0, True)
    assert len(calls) == 7  # no row was claimed only to be refused
    assert await _statuses(database) == {"sent": 7, "pending": 23}

    report = await scheduler.tick()  # the same second: nothing fits, nothing is claimed
    assert (report.claimed, report.rescheduled) == (0, 0)

    clock.advance(timedelta(seconds=1, milliseconds=150))
    assert (await scheduler.tick()).sent == 7


async def test_a_burst_into_one_conversation_waits_for_its_windows_without_sending(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    for i in range(12):
        await add_reminder(database, clock, conversation_id, f"Punkt {i}", clock.now())
    scheduler, calls = _scheduler(database, clock)

    report = await scheduler.tick()
    assert (report.sent, report.rescheduled) == (7, 5)  # Teams: 7 a second into one conversation
    assert len(calls) == 7  # the other five never reached the sender
    async with database.session() as session:
        logged = (await session.execute(sa.select(sa.func.count()).select_from(DeliveryLogRow.__table__))).scalar_one()
    assert logged == 7
    assert len(connector.sent) == 7



async def _log_statuses(database: Database) -> dict[str, int]:
    t = DeliveryLogRow.__table__
    async with database.session() as session:
        rows = await session.execute(sa.select(t.c.status, sa.func.count()).group_by(t.c.status))
        return {str(status): int(n) for status, n in rows}


async def _thirty_due(database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore) -> str:
    """30 reminders due now in 30 conversations of one tenant; the tenant's budget scope."""
    for i in range(30):
        conversation = await store_conversation(conversations, connector.url, f"a:chat-{i}", f"29:user-{i}")
        await add_reminder(database, clock, conversation, f"Punkt {i}", clock.now())
    return scope_of(TENANT, connector.url)


async def test_a_paced_tick_claims_a_window_ahead_and_sends_each_row_as_its_slot_frees(
    database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore
) -> None:
    # 7 proactive sends in a window (1 s and the margin), paced in groups of three.
    budget = TenantSendBudget(clock, 10, min_reserve=3, pace_group=timedelta(milliseconds=500))
    spacing = 1.1 / 7
    scope = await _thirty_due(database, clock, connector, conversations)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    scheduler, calls = _scheduler(database, clock, budget, sleep=sleep)

    report = await scheduler.tick(paced=True)  # the window is empty; the sends are spread over it
    assert (report.claimed, report.sent, report.rescheduled, report.budget_bound) == (7, 7, 0, True)
    assert slept == pytest.approx([3 * spacing, 3 * spacing])  # three, three, then one

    # The window is full: the next window's rows are claimed at once and wait for the first
    # window's sends to leave it: the last goes one window after the first window's last.
    slept.clear()
    report = await scheduler.tick(paced=True)
    assert (report.claimed, report.sent, report.rescheduled, report.budget_bound) == (7, 7, 0, True)
    assert len(calls) == 14  # no row was claimed only to be refused
    assert sum(slept) == pytest.approx(1.1, abs=0.002) and max(slept) < 3 * spacing + 0.002
    assert budget.room(scope) == 0
    assert await _statuses(database) == {"sent": 14, "pending": 16}

    # The replies' reserve is left: a reply now goes at once.
    assert budget.take_reply(scope) is None


async def test_a_stop_ends_a_paced_wait_at_once_and_hands_the_batch_back(
    database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore
) -> None:
    budget = TenantSendBudget(clock, 10, min_reserve=3)
    await _thirty_due(database, clock, connector, conversations)
    scheduler, calls = _scheduler(database, clock, budget)  # waits in real time (the fake clock stands still)
    assert (await scheduler.tick()).sent == 7  # the window is full

    waiting = asyncio.create_task(scheduler.tick(paced=True))
    for _ in range(200):  # until the second batch is claimed and logged: it then waits for the budget
        if (await _log_statuses(database)).get("sending") == 7:
            break
        await asyncio.sleep(0.01)
    scheduler.request_stop()
    report = await asyncio.wait_for(waiting, timeout=0.5)  # not the second the budget would take
    assert (report.claimed, report.sent) == (7, 0)
    assert len(calls) == 7
    assert await _log_statuses(database) == {"sent": 7}  # the unsent rows' attempts are forgotten
    assert await scheduler.release_leases() == 7
    assert await _statuses(database) == {"sent": 7, "pending": 23}
