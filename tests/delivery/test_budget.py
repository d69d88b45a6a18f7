"""One send budget per tenant: the replies of turns and the proactive sends draw from it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.delivery.budget import ReplyBudget, TenantSendBudget
from tests.activities import TENANT, teams_message
from tests.harness.teams_http import make_settings, running_bot
from tests.reminders.helpers import add_reminder

START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_replies_come_first_and_proactive_sends_get_what_is_left() -> None:
    clock = FakeClock(START)
    budget = TenantSendBudget(clock, 10, margin=timedelta(0), min_reserve=3)
    sent = 0
    while budget.take_proactive("t") is None:
        sent += 1
    assert sent == 7  # 3 kept free for replies
    for _ in range(3):
        assert budget.take_reply("t") is None
    assert budget.take_reply("t") is not None  # the tenant's 10 in this second
    assert budget.claim_limit(50) == 0
    assert budget.claim_ahead(50) == 7  # never nothing: a paced claim waits for its first slot
    assert timedelta(0) < budget.next_room_in() <= timedelta(seconds=1)
    clock.advance(timedelta(seconds=1, milliseconds=1))
    assert budget.take_reply("t") is None


def test_the_reserve_follows_the_replies() -> None:
    clock = FakeClock(START)
    budget = TenantSendBudget(clock, 50, margin=timedelta(0), min_reserve=3)
    for _ in range(20):  # 10 replies a second, for two seconds
        assert budget.take_reply("t") is None
        clock.advance(timedelta(milliseconds=100))
    # 19 replies in the last two seconds: 9.5 a second, and a quarter more (12) kept
    # free for the replies to come.
    assert budget.room("t") == 50 - 12
    while budget.take_proactive("t") is None:
        pass
    assert budget.room("t") == 0
    # Paced, the scheduler claims what one window lets through although none fits now.
    assert budget.claim_limit(50) == 0
    assert budget.claim_ahead(50) == 50 - 12
    assert budget.claim_ahead(20) == 20
    assert budget.take_reply("t") is None  # a reply still has room
    assert budget.room("other tenant") == 50 - 3
    assert budget.room("other tenant") == 50 - 3


def test_replicas_share_the_budget() -> None:
    assert TenantSendBudget(FakeClock(START), 50, replicas=2).limit == 25


async def test_a_reply_waits_for_room_and_never_for_longer_than_its_limit() -> None:
    clock = FakeClock(START)
    budget = TenantSendBudget(clock, 2, margin=timedelta(0), min_reserve=0)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    replies = ReplyBudget(budget, sleep=sleep, max_wait=timedelta(seconds=5))
    for _ in range(3):
        await replies.take("t")
    assert waits == [1.0]  # the third waited until the first left the window


async def test_waiting_replies_get_the_slots_that_free_before_any_proactive_send() -> None:
    """After a quiet moment the reserve is small and proactive sends fill the window at
    once; the replies that then arrive wait, and when the window frees they are served
    before the reminders take it back."""
    clock = FakeClock(START)
    budget = TenantSendBudget(clock, 10, margin=timedelta(0), min_reserve=3)
    while budget.take_proactive("t") is None:  # no replies lately: 7 proactive sends at once
        pass
    clock.advance(timedelta(milliseconds=10))
    for _ in range(3):
        assert budget.take_reply("t") is None  # the tenant's 10
    gate = asyncio.Event()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await gate.wait()

    replies = ReplyBudget(budget, sleep=sleep, max_wait=timedelta(seconds=5))
    waiting = [asyncio.create_task(replies.take("t")) for _ in range(5)]
    await asyncio.sleep(0)
    assert len(waits) == 5 and not any(task.done() for task in waiting)

    clock.advance(timedelta(milliseconds=995))  # the 7 proactive sends leave the window together
    assert budget.take_proactive("t") is not None  # the scheduler asks first: the slots are the replies'
    gate.set()
    await asyncio.wait_for(asyncio.gather(*waiting), timeout=1)
    assert len(waits) == 5  # each reply went at its first try after the wait
    assert budget.take_reply("t") is None  # and there is still room for the next reply


async def test_a_turns_reply_and_a_reminder_to_the_same_tenant_share_one_budget(tmp_path: Path) -> None:
    """Four sends a second for the tenant: a turn's replies use them up, so the reminder
    due now waits until the replies have left the window, then goes out."""
    settings = replace(make_settings(tmp_path), send_budget_per_second=4)
    async with running_bot(settings) as bot:
        for question in ("Hvad er MED?", "Hvad er et MED-udvalg?"):
            assert await bot.post(teams_message(bot.connector.url, question)) in (200, 201)
        replies = len(bot.connector.sent)
        assert replies >= 2
        stored = await bot.runtime.conversations.get("msteams", "a:1personal-chat-id")
        assert stored is not None and stored.tenant_id == TENANT
        await add_reminder(bot.runtime.database, bot.clock, stored.id, "Send referatet", bot.clock.now())

        scheduler = bot.runtime.delivery.scheduler
        report = await scheduler.tick()
        assert (report.claimed, report.sent, report.budget_bound) == (0, 0, True)
        assert len(bot.connector.sent) == replies

        bot.clock.advance(timedelta(seconds=2, milliseconds=200))
        report = await scheduler.tick()
        assert report.sent == 1
        assert "Send referatet" in str(bot.connector.sent[-1])


async def test_without_replies_the_same_reminder_goes_out_at_once(tmp_path: Path) -> None:
    settings = replace(make_settings(tmp_path), send_budget_per_second=4)
    async with running_bot(settings) as bot:
        assert await bot.post(teams_message(bot.connector.url, "Hvad er MED?")) in (200, 201)
        stored = await bot.runtime.conversations.get("msteams", "a:1personal-chat-id")
        assert stored is not None
        bot.clock.advance(timedelta(seconds=3))  # the reply has left the window
        await add_reminder(bot.runtime.database, bot.clock, stored.id, "Send referatet", bot.clock.now())
        report = await bot.runtime.delivery.scheduler.tick()
        assert report.sent == 1
