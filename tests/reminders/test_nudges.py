"""Calendar nudges for subscriptions: planning (idempotent), timing and delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.clock import FakeClock
from bot.delivery.scheduler import Scheduler
from bot.delivery.wiring import build_delivery
from bot.reminders.models import NudgeRow
from bot.reminders.service import ReminderService
from bot.reminders.wiring import build_reminder_components
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs.reminder_port import Owner
from knowledge.clock import COPENHAGEN
from tests.fakes import FakeConnector
from tests.reminders.helpers import TENANT, cloud_adapter, nudge_rows, texts_of

MEETING_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//DA
BEGIN:VEVENT
UID:hovedmed-2027-01-04@jammerbugt.dk
DTSTART;TZID=Europe/Copenhagen:20270104T100000
DTEND;TZID=Europe/Copenhagen:20270104T120000
SUMMARY:HovedMED-møde om budget 2028
LOCATION:Rådhuset\\, mødelokale 1
END:VEVENT
END:VCALENDAR
"""


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


def owner(connector: FakeConnector, conversation_id: str = "a:personal-1", kind: str = "personal") -> Owner:
    return Owner(
        channel_id="msteams",
        conversation_id=conversation_id,
        user_id="29:user-1",
        reference={
            "channelId": "msteams",
            "serviceUrl": connector.url,
            "conversation": {"id": conversation_id, "conversationType": kind, "tenantId": TENANT},
            "user": {"id": "29:user-1"},
            "bot": {"id": "28:medbot"},
        },
        tenant_id=TENANT,
        conversation_type=kind,
    )


def components(database: Database, clock: FakeClock, settings: Settings) -> tuple[ReminderService, Scheduler]:
    """The reminder service, and the scheduler of its kinds with its planner (as the runtime wires them)."""
    conversations = ConversationStore(database, clock)
    parts = build_reminder_components(database, clock, settings, conversations)
    delivery = build_delivery(
        database, clock, settings.delivery, cloud_adapter(), conversations, parts.kinds, planners=parts.planners, owner_id="a"
    )
    return parts.service, delivery.scheduler


async def test_subscription_plans_meeting_nudges_once_and_sends_them_on_time(
    database: Database, clock: FakeClock, connector: FakeConnector, settings: Settings
) -> None:
    clock.set(local(2026, 12, 20, 11, 0).astimezone(UTC))
    service, scheduler = components(database, clock, settings)
    await service.sync_seed_calendars()
    result = await service.import_ics(MEETING_ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    assert result.upsert.inserted == 1

    outcome = await service.subscribe(owner(connector), "abonnér på HovedMEDs møder")
    assert outcome.target == "HovedMED"
    assert [e.title for e in outcome.upcoming] == ["HovedMED-møde om budget 2028"]

    rows = await nudge_rows(database)
    assert [(r.offset_key.split("@")[0], r.due_at.astimezone(COPENHAGEN)) for r in rows] == [
        ("material:10d", local(2026, 12, 24, 9, 0)),  # 25/12 juledag -> 24/12
        ("ahead:7d", local(2026, 12, 28, 10, 0)),
        ("ahead:1d", local(2026, 12, 31, 9, 0)),  # 3/1 søndag, 2/1 lørdag, 1/1 nytårsdag -> 31/12
    ]
    # Planning again (every tick, every replica) creates nothing new.
    assert (await scheduler.tick()).planned == 0
    assert len(await nudge_rows(database)) == 3
    assert (await service.subscribe(owner(connector), "HovedMED")).status.value == "already"

    sent_at: list[datetime] = []
    while clock.now() < local(2027, 1, 5, 0, 0):
        before = len(connector.sent)
        await scheduler.tick()
        sent_at.extend([clock.now().astimezone(COPENHAGEN)] * (len(connector.sent) - before))
        clock.advance(timedelta(hours=1))
    assert sent_at == [local(2026, 12, 24, 9, 0), local(2026, 12, 28, 10, 0), local(2026, 12, 31, 9, 0)]
    material, week, day = texts_of(connector.sent)
    assert "materiale" in material and "mandag 4. januar 2027 kl. 10.00" in material
    assert "om 7 dage" in week and "Rådhuset, mødelokale 1" in week
    assert "om 4 dage" in day  # sent on Thursday 31/12 for Monday 4/1
    assert all(r.status == "sent" for r in await nudge_rows(database))


async def test_past_events_are_never_nudged(
    database: Database, clock: FakeClock, connector: FakeConnector, settings: Settings
) -> None:
    service, scheduler = components(database, clock, settings)
    await service.sync_seed_calendars()
    outcome = await service.subscribe(owner(connector), "abonner på MEDsamarbejdet")
    assert outcome.target == "medsamarbejdet"
    assert outcome.upcoming == ()  # the 2024 programme is history
    await scheduler.tick()
    assert await nudge_rows(database) == []
    history = await service.events("medsamarbejdet", include_past=True)
    assert len(history) == 19


async def test_budget_subscription_nudges_at_the_start_of_each_phase(
    database: Database, clock: FakeClock, connector: FakeConnector, settings: Settings
) -> None:
    clock.set(local(2026, 12, 20, 11, 0).astimezone(UTC))
    service, scheduler = components(database, clock, settings)
    await service.sync_seed_calendars()
    outcome = await service.subscribe(owner(connector), "abonner på budgetfrister")
    assert outcome.target == "budget"
    assert outcome.upcoming[0].title == "Budgetproces (januar–marts)"
    rows = await nudge_rows(database)
    assert [(r.offset_key.split("@")[0], r.due_at.astimezone(COPENHAGEN)) for r in rows] == [
        ("phase_start:0d", local(2026, 12, 31, 9, 0)),  # 1 January 2027 is nytårsdag
    ]
    clock.set(local(2026, 12, 31, 9, 0).astimezone(UTC))
    await scheduler.tick()
    [text] = texts_of(connector.sent)
    assert "Budgetproces (januar–marts)" in text
    assert "HovedMED orienteres" in text


async def test_late_nudges_wait_for_the_morning_and_stale_ones_are_dropped(
    database: Database, clock: FakeClock, connector: FakeConnector, settings: Settings
) -> None:
    clock.set(local(2026, 12, 20, 11, 0).astimezone(UTC))
    service, scheduler = components(database, clock, settings)
    await service.import_ics(MEETING_ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    await service.subscribe(owner(connector), "HovedMED")
    # The service was down from before the material nudge (24/12 09:00) until 21:00 that evening.
    clock.set(local(2026, 12, 24, 21, 0).astimezone(UTC))
    await scheduler.tick()
    assert connector.sent == []
    material = (await nudge_rows(database))[0]
    assert material.next_attempt_at.astimezone(COPENHAGEN) == local(2026, 12, 25, 7, 0)
    # Down again until the meeting has begun: everything left is cancelled, nothing sent.
    clock.set(local(2027, 1, 4, 10, 30).astimezone(UTC))
    await scheduler.tick()
    assert connector.sent == []
    assert {r.status for r in await nudge_rows(database)} == {"cancelled"}


async def test_unsubscribe_removes_pending_nudges(
    database: Database, clock: FakeClock, connector: FakeConnector, settings: Settings
) -> None:
    clock.set(local(2026, 12, 20, 11, 0).astimezone(UTC))
    service, scheduler = components(database, clock, settings)
    await service.sync_seed_calendars()
    await service.import_ics(MEETING_ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    me = owner(connector)
    await service.subscribe(me, "HovedMED")
    await service.subscribe(me, "budget")
    assert len(await nudge_rows(database)) == 4

    outcome = await service.unsubscribe(me, "HovedMEDs møder")
    assert outcome.removed == ("HovedMED",)
    assert outcome.remaining == ("budget",)
    rows = await nudge_rows(database)
    assert [r.offset_key.split("@")[0] for r in rows] == ["phase_start:0d"]  # the budget nudge was planned again

    everything = await service.unsubscribe(me, None)
    assert everything.removed == ("budget",)
    assert await nudge_rows(database) == []
    assert (await service.unsubscribe(me, None)).removed == ()


async def test_moved_meeting_gets_new_nudges(
    database: Database, clock: FakeClock, connector: FakeConnector, settings: Settings
) -> None:
    clock.set(local(2026, 12, 20, 11, 0).astimezone(UTC))
    service, _ = components(database, clock, settings)
    await service.import_ics(MEETING_ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    await service.subscribe(owner(connector), "HovedMED")
    moved = MEETING_ICS.replace("20270104T100000", "20270105T100000").replace("20270104T120000", "20270105T120000")
    result = await service.import_ics(moved.encode(), committee="HovedMED", source_name="hovedmed.ics")
    assert (result.upsert.inserted, result.upsert.updated) == (0, 1)
    rows = await nudge_rows(database)
    assert [r.due_at.astimezone(COPENHAGEN) for r in rows] == [
        local(2026, 12, 24, 9, 0),  # material: 26/12 (2. juledag, Saturday), 25/12 juledag -> Thursday 24/12
        local(2026, 12, 29, 10, 0),
        local(2027, 1, 4, 10, 0),
    ]


async def test_unreachable_conversations_get_no_new_nudges(
    database: Database, clock: FakeClock, connector: FakeConnector, settings: Settings
) -> None:
    clock.set(local(2026, 12, 20, 11, 0).astimezone(UTC))
    service, scheduler = components(database, clock, settings)
    await service.import_ics(MEETING_ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    conversations = ConversationStore(database, clock)
    await service.subscribe(owner(connector), "HovedMED")
    stored = await conversations.get("msteams", "a:personal-1")
    assert stored is not None
    async with database.session() as session:
        await session.execute(sa.delete(NudgeRow.__table__))
    await conversations.mark_unreachable(stored.id, "HTTP 403")
    scheduler.plan_now()
    assert (await scheduler.tick()).planned == 0
