"""Idea notifications through the delivery scheduler: feedback and notices reach people
exactly once, nothing confirmed is lost, and a missing address is reported truthfully.

The fixtures are the ideas' (tests/ideas/conftest.py, through this folder's conftest):
a clock in March 2026, the service on Jammerbugt, the people.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.delivery.protocol import SendOutcome, SendStatus
from bot.delivery.scheduler import Scheduler
from bot.ideas.service import Actor, IdeaService
from bot.ideas.views import notifications
from bot.ideas.wiring import IdeaComponents
from bot.reminders.kinds import reminder_kind
from bot.reminders.store import ReminderStore
from bot.storage.db import Database
from bot.storage.models_delivery import DeliveryLogRow
from dialogs import texts
from dialogs.idea_port import Person
from knowledge.ideas_rules import IdeaStatus
from tests.ideas.conftest import ChatFactory
from tests.ideas.helpers import FailingSender, FakeSender, complete_draft, deliver, remember

S = IdeaStatus
CONFIG = DeliveryConfig()


async def statuses(database: Database) -> list[tuple[str, str, str]]:
    async with database.session() as session:
        rows = (await session.execute(sa.select(notifications).order_by(notifications.c.id))).all()
    return [(r.kind, r.recipient_kind, r.status) for r in rows]


async def test_every_status_change_reaches_the_submitter_exactly_once(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    conversation = await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    sender = FakeSender()
    cli = Actor.cli()
    await service.change_status(number, S.DROEFTES, cli)
    await deliver(components, database, clock, sender)
    await service.change_status(number, S.SENDT_VIDERE, cli)
    await service.change_status(number, S.AFVIST, cli, reason="Økonomiudvalget har valgt andre forslag.")
    for _ in range(3):  # one change to a person per tick, in order; more ticks send nothing more
        await deliver(components, database, clock, sender)
        clock.advance(timedelta(minutes=5))
    feedback = [(c, m) for c, m in sender.sent if m.title == texts.idea_feedback_title(number)]
    assert [c for c, _m in feedback] == [conversation] * 3
    bodies = [m.text for _c, m in feedback]
    assert "Ny status: drøftes i ForvaltningsMED BFF." in bodies[0]
    assert "Ny status: sendt videre til HovedMED." in bodies[1]
    assert "Ny status: afvist." in bodies[2]
    assert (texts.IDEA_REASON, "Økonomiudvalget har valgt andre forslag.") in feedback[2][1].facts


async def test_concurrent_schedulers_send_each_row_once(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    await service.change_status(number, S.IDEBANK, Actor.cli())
    sender = FakeSender()
    for _ in range(3):
        await asyncio.gather(*(deliver(components, database, clock, sender, owner=f"replica-{n}") for n in range(4)))
    assert [m.text.splitlines()[-1] for _c, m in sender.sent] == [
        "Ny status: drøftes i ForvaltningsMED BFF.",
        "Ny status: lagt i idébanken.",
    ]


async def test_a_later_status_change_waits_while_the_earlier_one_is_retried(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    await service.change_status(number, S.IDEBANK, Actor.cli())
    sender = FakeSender()
    sender.script.append(SendOutcome(SendStatus.RETRY_LATER, retry_after=timedelta(seconds=60), detail="HTTP 502"))
    assert (await deliver(components, database, clock, sender)).claimed == 1  # the later one is held back
    assert (await deliver(components, database, clock, sender)).claimed == 0  # ... also while the first waits
    clock.advance(timedelta(seconds=61))
    for _ in range(2):
        await deliver(components, database, clock, sender)
    assert [m.text.splitlines()[-1] for _c, m in sender.sent] == [
        "Ny status: drøftes i ForvaltningsMED BFF.",
        "Ny status: lagt i idébanken.",
    ]


async def test_retry_later_backs_off_and_sends_once(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    sender = FakeSender()
    sender.script.append(SendOutcome(SendStatus.RETRY_LATER, retry_after=timedelta(seconds=90), detail="429"))
    report = await deliver(components, database, clock, sender)
    assert report.rescheduled == 1 and sender.sent == []
    clock.advance(timedelta(seconds=60))
    assert (await deliver(components, database, clock, sender)).claimed == 0  # not due yet
    clock.advance(timedelta(seconds=31))
    assert (await deliver(components, database, clock, sender)).sent == 1
    clock.advance(timedelta(hours=1))
    await deliver(components, database, clock, sender)
    assert len(sender.sent) == 1


async def test_gives_up_after_max_attempts_and_unreachable_fails(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    failing = FailingSender()
    waits = []
    for _ in range(CONFIG.max_attempts + 2):
        before = clock.now()
        await deliver(components, database, clock, failing)
        async with database.session() as session:
            row = (await session.execute(sa.select(notifications).order_by(notifications.c.id.desc()).limit(1))).one()
        if row.status == "pending":
            waits.append(row.next_attempt_at - before)
            clock.set(row.next_attempt_at)
    # The one back-off: a sender that names no wait gets the base doubled per failed attempt, capped.
    assert waits[:3] == [CONFIG.base_backoff, CONFIG.base_backoff * 2, CONFIG.base_backoff * 4]
    assert max(waits) <= CONFIG.max_backoff
    assert len(waits) == CONFIG.max_attempts - 1
    assert ("status", "submitter", "failed") in await statuses(database)
    assert row.last_error == texts.idea_notice_gave_up(CONFIG.max_attempts, "connector down (502)")
    await service.change_status(number, S.IDEBANK, Actor.cli())
    blocked = FakeSender()
    blocked.script.append(SendOutcome(SendStatus.UNREACHABLE, detail="403 bot blocked"))
    await deliver(components, database, clock, blocked)
    async with database.session() as session:
        last = (await session.execute(sa.select(notifications).order_by(notifications.c.id.desc()).limit(1))).one()
    assert last.status == "failed" and "403" in last.last_error


async def test_a_crashed_scheduler_is_taken_over_after_the_lease(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    # Another scheduler claims the row and "dies" before sending it.
    assert len(await components.kind.outbox.claim("crashed", clock.now(), CONFIG.lease, 10)) == 1
    sender = FakeSender()
    assert (await deliver(components, database, clock, sender)).claimed == 0  # still leased
    clock.advance(CONFIG.lease + timedelta(seconds=1))
    assert (await deliver(components, database, clock, sender)).sent == 1


async def test_a_delivered_notice_is_never_sent_again_after_a_crash(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    first = FakeSender()
    crashed = Scheduler(database, clock, first, "crashed", [components.kind])

    async def die(item_id: int, activity_id: str | None, now: datetime, *, log_key: str | None = None, **_: object) -> bool:
        assert log_key is not None
        await crashed._log.finish(log_key, activity_id, now)
        raise RuntimeError("the process dies after the send was logged, before the row was marked")

    # The connector accepted the notice and "sent" is logged; the row stays claimed.
    crashed.outbox("idea_notifications").mark_sent = die  # type: ignore[method-assign]  # the crash
    assert (await crashed.tick()).errors == 1
    assert len(first.sent) == 1
    assert ("status", "submitter", "claimed") in await statuses(database)
    clock.advance(CONFIG.lease + timedelta(seconds=1))
    again = FakeSender()
    report = await deliver(components, database, clock, again)
    assert (report.deduplicated, again.sent) == (1, [])
    assert ("status", "submitter", "sent") in await statuses(database)


async def test_no_personal_chat_means_no_address_and_the_receipt_says_so(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock
) -> None:
    in_channel = Person(channel_id="msteams", user_id="29:ole", user_name="Ole", conversation_id="19:team@thread", conversation_type="channel")
    await remember(database, clock, in_channel)
    receipt = await service.submit(complete_draft(), in_channel)
    assert receipt.feedback_possible is False  # never feedback into a team channel
    await service.change_status(receipt.number, S.DROEFTES, Actor.cli())
    report = await deliver(components, database, clock, FakeSender())
    assert report.ended["no_address"] == 1
    async with database.session() as session:
        [row] = (await session.execute(sa.select(notifications).where(notifications.c.kind == "status"))).all()
    assert (row.status, row.last_error) == ("no_address", texts.IDEA_NOTICE_NO_PERSONAL_CHAT)
    # Later Ole opens a personal chat; the next change reaches him there.
    personal = Person(channel_id="msteams", user_id="29:ole", user_name="Ole", conversation_id="a:ole", conversation_type="personal")
    conversation = await remember(database, clock, personal)
    await service.change_status(receipt.number, S.IDEBANK, Actor.cli())
    sender = FakeSender()
    await deliver(components, database, clock, sender)
    assert [c for c, _m in sender.sent] == [conversation]


async def test_contacts_are_notified_or_the_missing_address_is_recorded(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person, secretary: Person, caplog
) -> None:
    await remember(database, clock, mette)
    with caplog.at_level("WARNING"):
        number = (await service.submit(complete_draft(), mette)).number
    assert "no chat address" in caplog.text and "Jette Søgaard Hansen" in caplog.text
    assert ("new_idea", "contact", "no_address") in await statuses(database)
    assert (await service.view(number)).contact_unreachable
    # The secretary is registered as contact: the waiting notice goes to her.
    conversation = await remember(database, clock, secretary)
    key, moved = await service.add_contact("bff", secretary.user_id, secretary.user_name)
    assert (key, moved) == ("bff", 1)
    sender = FakeSender()
    await deliver(components, database, clock, sender)
    assert [(c, m.title) for c, m in sender.sent] == [(conversation, texts.idea_new_for_contact_title(number, "ForvaltningsMED BFF"))]
    facts = dict(sender.sent[0][1].facts)
    assert facts[texts.IDEA_SUBMITTER] == "Mette Jensen"
    assert not (await service.view(number)).contact_unreachable
    # The next idea goes to her straight away; an anonymous one without the name.
    anonymous = (await service.submit(complete_draft(title="Kortere møder", anonymous=True), mette)).number
    await deliver(components, database, clock, sender)
    assert sender.sent[-1][1].title == texts.idea_new_for_contact_title(anonymous, "ForvaltningsMED BFF")
    assert dict(sender.sent[-1][1].facts)[texts.IDEA_SUBMITTER] == texts.IDEA_SUBMITTER_ANONYMOUS
    assert "Mette" not in repr(sender.sent[-1][1])


async def test_an_admin_who_talks_to_the_bot_becomes_a_contact(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person, secretary: Person
) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    await service.add_admin(secretary.user_id, "bff")
    conversation = await remember(database, clock, secretary)
    await service.observe(secretary)
    sender = FakeSender()
    await deliver(components, database, clock, sender)
    assert [(c, m.title) for c, m in sender.sent] == [(conversation, texts.idea_new_for_contact_title(number, "ForvaltningsMED BFF"))]


async def test_forwarding_notifies_the_new_committee(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    rikke = Person(channel_id="msteams", user_id="29:rikke", user_name="Rikke Krogsgaard Eriksen", conversation_id="a:rikke", conversation_type="personal")
    conversation = await remember(database, clock, rikke)
    await service.add_contact("HovedMED", rikke.user_id)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.SENDT_VIDERE, Actor.cli())
    sender = FakeSender()
    await deliver(components, database, clock, sender)
    assert (conversation, texts.idea_forwarded_for_contact_title(number, "HovedMED")) in [(c, m.title) for c, m in sender.sent]


async def test_supporters_get_the_feedback_too(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person, jonas: Person
) -> None:
    await remember(database, clock, mette)
    jonas_chat = await remember(database, clock, jonas)
    number = (await service.submit(complete_draft(), mette)).number
    await service.support(number, jonas)
    await service.change_status(number, S.DROEFTES, Actor.cli())
    sender = FakeSender()
    await deliver(components, database, clock, sender)
    titles = sorted(m.title or "" for _c, m in sender.sent)
    assert titles == sorted([texts.idea_feedback_title(number), texts.idea_feedback_title_supporter(number)])
    assert jonas_chat in [c for c, _m in sender.sent]


async def test_stale_ideas_nudge_the_contact_once_per_status(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person, secretary: Person
) -> None:
    conversation = await remember(database, clock, secretary)
    await service.add_contact("bff", secretary.user_id)
    number = (await service.submit(complete_draft(), mette)).number
    sender = FakeSender()
    await deliver(components, database, clock, sender)  # the new-idea notice
    sender.sent.clear()
    clock.advance(timedelta(days=13))
    assert await service.nudge_stale(clock.now()) == 0
    clock.advance(timedelta(days=2))
    assert await service.nudge_stale(clock.now()) == 1
    assert await service.nudge_stale(clock.now()) == 0
    clock.advance(timedelta(days=10))
    assert await service.nudge_stale(clock.now()) == 0  # still the same stay in "modtaget"
    await deliver(components, database, clock, sender)
    assert [(c, m.title) for c, m in sender.sent] == [(conversation, texts.idea_nudge_title(number))]
    assert "15 dage" in sender.sent[0][1].text
    # A new status starts a new clock; the threshold is configurable.
    await service.change_status(number, S.DROEFTES, Actor.cli())
    clock.advance(timedelta(days=3))
    assert await service.nudge_stale(clock.now(), threshold=timedelta(days=2)) == 1
    await service.change_status(number, S.IDEBANK, Actor.cli())
    clock.advance(timedelta(days=100))
    assert await service.nudge_stale(clock.now()) == 0  # the idébank is not waiting for anybody


async def test_nothing_is_lost_when_notifications_fail(
    components: IdeaComponents, chat_factory: ChatFactory, database: Database, clock: FakeClock
) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    for answer in ("Fælles indkøb", "Vi køber ind hver for sig.", "200.000 kr.", "BFF", "nej", "nej", "nej"):
        await chat.say(answer)
    assert "#2027-001 er modtaget" in await chat.say("bekræft")
    report = await deliver(components, database, clock, FailingSender())
    assert report.sent == 0
    view = await components.service.view("2027-001")
    assert view.title == "Fælles indkøb" and view.status is S.MODTAGET
    await components.service.change_status("2027-001", S.DROEFTES, Actor.cli())
    for _ in range(3):
        await deliver(components, database, clock, FailingSender())
        clock.advance(timedelta(minutes=10))
    assert (await components.service.view("2027-001")).status is S.DROEFTES
    sender = FakeSender()
    clock.advance(timedelta(hours=1))
    await deliver(components, database, clock, sender)
    assert [m.title for _c, m in sender.sent] == [texts.idea_feedback_title("2027-001")]


async def test_one_tick_sends_reminders_and_idea_notifications_alike(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    conversation = await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    await ReminderStore(database, clock).create(conversation, mette.user_id, "aflevere budgetforslag", clock.now())
    sender = FakeSender()
    scheduler = Scheduler(database, clock, sender, "replica-a", [reminder_kind(database), components.kind], jobs=components.jobs)
    report = await scheduler.tick()
    assert (report.claimed, report.sent) == (2, 2)
    assert sorted(m.title or "" for _c, m in sender.sent) == sorted([texts.REMINDER_DELIVERED_TITLE, texts.idea_feedback_title(number)])
    assert {c for c, _m in sender.sent} == {conversation}


async def test_erasing_the_recipient_forgets_where_their_notices_went(
    components: IdeaComponents, service: IdeaService, database: Database, clock: FakeClock, mette: Person
) -> None:
    await remember(database, clock, mette)
    number = (await service.submit(complete_draft(), mette)).number
    await service.change_status(number, S.DROEFTES, Actor.cli())
    assert (await deliver(components, database, clock, FakeSender())).sent == 1
    log: sa.Table = DeliveryLogRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

    async def traces() -> tuple[bool, str | None, list[str]]:
        """Whether the status notice names its conversation, its message id, and the log keys of notices."""
        async with database.session() as session:
            row = (await session.execute(sa.select(notifications).where(notifications.c.kind == "status"))).one()
            keys = (await session.execute(sa.select(log.c.dedupe_key).where(log.c.dedupe_key.like("idea-notification:%")))).scalars()
            return row.conversation_ref_id is not None, row.sent_activity_id, list(keys)

    async with database.session() as session:
        notice = (await session.execute(sa.select(notifications.c.id).where(notifications.c.kind == "status"))).scalar_one()
    assert await traces() == (True, "a1", [f"idea-notification:{notice}"])
    await service.erase_person(mette.user_id)
    assert await traces() == (False, None, [])
