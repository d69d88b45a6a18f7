"""The reminder dialog in Danish, turn by turn, through the whole bot (tests/harness/chat.py:
handler, router, dialogs, state in SqlStorage on the test's database).

The clock stands on Monday 23 November 2026, 11:00 Danish time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.delivery.outbox import Outbox
from bot.reminders.models import ReminderRow
from bot.reminders.service import ReminderService
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs import texts
from dialogs.reminder_port import Owner
from knowledge.clock import COPENHAGEN
from tests.harness.chat import ChatHarness, reply_buttons, reply_text
from tests.reminders.helpers import reminder_row


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


@pytest.fixture
async def chat(database: Database, database_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Any]:
    """Start a chat with the whole bot (Jammerbugt) on the test's database and clock."""
    started: list[ChatHarness] = []

    async def start(**kwargs: Any) -> ChatHarness:
        harness = ChatHarness(tmp_path, clock, "jammerbugt", database_url=database_url, **kwargs)
        started.append(await harness.start())
        return harness

    yield start
    for harness in started:
        await harness.stop()


@pytest.fixture
async def harness(chat: Any) -> ChatHarness:
    """The user's personal Teams chat."""
    return await chat()


@pytest.fixture
def service(harness: ChatHarness) -> ReminderService:
    assert harness.runtime is not None
    return harness.runtime.reminders.service


def me(harness: ChatHarness) -> Owner:
    return harness.owner()


async def test_a_complete_reminder_is_saved_at_once(harness: ChatHarness, service: ReminderService) -> None:
    await harness.say("mind mig om at sende input til KommuneMED i morgen kl. 9")
    [echo] = harness.last

    assert reply_text(echo).startswith(texts.reminder_saved_now("sende input til KommuneMED", "tirsdag 24. november 2026 kl. 09.00"))
    assert reply_buttons(echo) == [texts.REMINDER_UNDO_BUTTON, texts.REMINDER_MOVE_BUTTON]
    assert await harness.active_dialog() is None
    [reminder] = await service.list_reminders(me(harness))
    assert reminder.text == "sende input til KommuneMED"
    assert reminder.due_at == local(2026, 11, 24, 9, 0).astimezone(UTC)


async def test_flyt_den_asks_for_another_time(harness: ChatHarness, service: ReminderService) -> None:
    await harness.say("mind mig om at sende input til KommuneMED i morgen kl. 9")
    # What the »Flyt den« button sends.
    assert await harness.say("flyt den om sende input til KommuneMED") == texts.reminder_ask_move("sende input til KommuneMED")
    assert texts.date_error("unparseable") in await harness.say("måske")  # no time: asked again
    moved = await harness.say("onsdag kl. 14")
    assert moved == texts.reminder_moved("sende input til KommuneMED", "onsdag 25. november 2026 kl. 14.00")
    assert await harness.active_dialog() is None
    [reminder] = await service.list_reminders(me(harness))
    assert reminder.due_at == local(2026, 11, 25, 14, 0).astimezone(UTC)


async def test_fortryd_deletes_the_reminder_just_saved(harness: ChatHarness, service: ReminderService, clock: FakeClock) -> None:
    await harness.say("mind mig om at ringe til Lis i morgen kl. 9")
    clock.advance(timedelta(minutes=1))
    await harness.say("mind mig om frokost i morgen kl. 12")
    assert await harness.say("fortryd") == texts.reminder_deleted("frokost")
    # A second »fortryd« does not reach back to the reminder before.
    assert await harness.say("fortryd") == texts.NOTHING_TO_CANCEL
    assert [r.text for r in await service.list_reminders(me(harness))] == ["ringe til Lis"]


async def test_a_past_time_gets_a_helpful_question(harness: ChatHarness, service: ReminderService) -> None:
    reply = await harness.say("mind mig om MED-mødet i dag kl. 8")
    assert reply == texts.date_in_past("mandag 23. november 2026 kl. 08.00")
    assert await harness.active_dialog() is not None
    echo = await harness.say("i morgen kl. 10")
    assert "»MED-mødet« tirsdag 24. november 2026 kl. 10.00" in echo
    [reminder] = await service.list_reminders(me(harness))
    assert reminder.text == "MED-mødet"


async def test_no_time_and_an_unreadable_answer(harness: ChatHarness, service: ReminderService) -> None:
    assert await harness.say("mind mig om at ringe til Lis") == texts.reminder_ask_when("ringe til Lis")
    reply = await harness.say("blåbærgrød")
    # The dialog's reason, then the router's contract at a prompt: the question again, and how to stop.
    assert reply.startswith(texts.date_error("unparseable"))
    assert texts.reminder_ask_when("ringe til Lis") in reply and texts.STOP_HINT in reply
    assert await harness.active_dialog() is not None
    assert await harness.say("i går kl. 10") == texts.date_in_past("søndag 22. november 2026 kl. 10.00")
    echo = await harness.say("fredag kl. 10")
    assert "»ringe til Lis« fredag 27. november 2026 kl. 10.00" in echo
    assert len(await service.list_reminders(me(harness))) == 1


async def test_a_date_without_a_time_defaults_to_nine_and_says_so(harness: ChatHarness) -> None:
    echo = await harness.say("mind mig om budgetmødet på fredag")
    assert echo.startswith(texts.reminder_saved_now("budgetmødet", "fredag 27. november 2026 kl. 09.00"))
    assert texts.REMINDER_DEFAULT_TIME_NOTE in echo


async def test_what_is_asked_for_when_missing(harness: ChatHarness, service: ReminderService) -> None:
    assert await harness.say("mind mig om i morgen kl. 9") == texts.REMINDER_ASK_WHAT
    echo = await harness.say("at læse referatet")
    assert "»læse referatet« tirsdag 24. november 2026 kl. 09.00" in echo


async def test_list_delete_snooze_and_move(harness: ChatHarness, service: ReminderService) -> None:
    await service.create_reminder(me(harness), "Læs dagsordenen", local(2026, 11, 24, 9, 0))
    await service.create_reminder(me(harness), "Send input", local(2026, 11, 25, 12, 0))

    await harness.say("mine påmindelser")
    [listing] = harness.last

    text = reply_text(listing)
    assert "1. tirsdag 24. november 2026 kl. 09.00: Læs dagsordenen" in text
    assert "2. onsdag 25. november 2026 kl. 12.00: Send input" in text
    assert reply_buttons(listing) == ["Slet 1", "Slet 2", "Færdig"]

    replies = await harness.say("slet 2")
    assert texts.reminder_deleted("Send input") in replies
    assert "2." not in replies.split(texts.reminder_deleted("Send input"))[1]  # the list is shown again

    assert texts.reminder_moved("Læs dagsordenen", "tirsdag 24. november 2026 kl. 10.00") in await harness.say(
        "udsæt 1 1 time"
    )
    assert texts.reminder_moved("Læs dagsordenen", "fredag 27. november 2026 kl. 10.00") in await harness.say(
        "flyt 1 til fredag kl 10"
    )
    reply = await harness.say("flyt 1 til snart engang")
    assert texts.date_error("unparseable") in reply and texts.reminder_ask_move("Læs dagsordenen") in reply
    assert await harness.say("færdig") == texts.reminder_not_moved("Læs dagsordenen", "fredag 27. november 2026 kl. 10.00")
    await harness.say("mine påmindelser")
    assert texts.reminder_not_found(7) in await harness.say("slet 7")
    await harness.say("færdig")
    assert await harness.active_dialog() is None
    [reminder] = await service.list_reminders(me(harness))
    assert (reminder.text, reminder.due_at) == ("Læs dagsordenen", local(2026, 11, 27, 10, 0).astimezone(UTC))


async def test_something_else_closes_the_list(harness: ChatHarness, service: ReminderService) -> None:
    await service.create_reminder(me(harness), "Læs dagsordenen", local(2026, 11, 24, 9, 0))
    await harness.say("mine påmindelser")
    reply = await harness.say("hvad er en AMR?")
    # The router answers the question and closes the list (no »ask again« needed).
    assert harness.runtime is not None
    amr = harness.runtime.knowledge.kb.get("amr")
    assert amr is not None and reply.splitlines()[0] == amr.title
    assert texts.REMINDER_LIST_CLOSED not in reply
    assert await harness.active_dialog() is None


async def test_empty_list(harness: ChatHarness) -> None:
    assert await harness.say("mine påmindelser") == texts.REMINDER_LIST_EMPTY
    assert await harness.active_dialog() is None


async def test_snooze_a_delivered_reminder(
    harness: ChatHarness, service: ReminderService, database: Database, clock: FakeClock
) -> None:
    view = await service.create_reminder(me(harness), "Ring til tillidsrepræsentanten", clock.now() + timedelta(minutes=1))
    key_before = (await reminder_row(database, view.id)).dedupe_key
    outbox = Outbox(database, ReminderRow.__table__)  # type: ignore[arg-type]  # a mapped class's __table__ is a Table
    clock.advance(timedelta(minutes=1))
    await outbox.claim("replica-a", clock.now(), timedelta(minutes=2), 10)
    await outbox.mark_sent(view.id, "reply-1", clock.now())

    reply = await harness.say("udsæt 1 time")
    assert reply == texts.reminder_moved("Ring til tillidsrepræsentanten", "mandag 23. november 2026 kl. 12.01")
    row = await reminder_row(database, view.id)
    assert row.status == "pending"
    assert row.dedupe_key != key_before  # armed again: the old key stays "sent"


async def test_which_one_is_asked_when_ambiguous(harness: ChatHarness, service: ReminderService, clock: FakeClock) -> None:
    await service.create_reminder(me(harness), "ringe til Rikke", local(2026, 11, 24, 9, 0))
    await service.create_reminder(me(harness), "ringe til AMR", local(2026, 11, 25, 9, 0))
    clock.advance(timedelta(hours=1))  # not »just saved« any more
    reply = await harness.say("slet den")
    assert reply.startswith(texts.reminder_which(True))
    assert "1. ringe til Rikke (tirsdag 24. november 2026 kl. 09.00)" in reply and f"3. {texts.CLARIFY_NONE}" in reply
    assert await harness.say("3") == texts.REMINDER_WHICH_NONE
    assert len(await service.list_reminders(me(harness))) == 2
    assert (await harness.say("flyt den om ringe til fredag kl 10")).startswith(texts.reminder_which(False))
    assert await harness.say("2") == texts.reminder_moved("ringe til AMR", "fredag 27. november 2026 kl. 10.00")
    assert await harness.say("slet den om rike") == texts.reminder_deleted("ringe til Rikke")  # a typo
    assert await harness.say("slet den om kaffe") == texts.reminder_no_match("kaffe")
    assert [r.text for r in await service.list_reminders(me(harness))] == ["ringe til AMR"]


async def test_deleting_with_none_says_so(harness: ChatHarness) -> None:
    assert await harness.say("slet min påmindelse") == texts.REMINDER_NONE_TO_CHANGE
    assert await harness.active_dialog() is None


async def test_subscribe_unsubscribe(harness: ChatHarness, service: ReminderService) -> None:
    reply = await harness.say("abonnér på HovedMEDs møder")
    assert reply.startswith(texts.subscribed("HovedMED"))
    assert "Du abonnerer nu på HovedMEDs møder" in reply
    assert texts.SUBSCRIPTION_NO_UPCOMING in reply
    assert texts.subscription_how([7, 1]) in reply
    assert texts.SUBSCRIPTION_CHANNEL_NOTE not in reply
    assert (await harness.say("abonner på HovedMED")).startswith(texts.already_subscribed("HovedMED"))

    await harness.say("abonner på Blomsterudvalget")
    [question] = harness.last

    assert reply_text(question).startswith(texts.subscribe_unknown("Blomsterudvalget"))
    buttons = reply_buttons(question)
    assert "HovedMED" in buttons and "Budgetfrister" in buttons and "MEDsamarbejdet" in buttons
    reply = await harness.say("budget")
    assert reply.startswith(texts.subscribed("budget"))
    assert "Budgetproces (januar–marts)" in reply  # the next phase, from seed 000

    assert await service.subscriptions(me(harness)) == ("HovedMED", "budget")
    reply = await harness.say("stop påmindelser")
    assert reply == texts.unsubscribed(["HovedMED", "budget"])
    assert await harness.say("stop påmindelser") == texts.UNSUBSCRIBE_NOTHING


async def test_subscribe_without_a_target_asks(harness: ChatHarness) -> None:
    await harness.say("abonnér")
    [question] = harness.last
    assert "Budgetfrister" in reply_buttons(question)
    assert (await harness.say("MEDsamarbejdet")).startswith(texts.subscribed("medsamarbejdet"))


async def test_unsubscribe_one_target(harness: ChatHarness, service: ReminderService) -> None:
    await harness.say("abonnér på HovedMEDs møder")
    assert await harness.say("afmeld KommuneMED") == texts.unsubscribe_not_found("KommuneMED", ["HovedMED"])
    assert await harness.say("afmeld HovedMED") == texts.unsubscribed(["HovedMED"])


async def test_a_channel_subscribes_for_everybody_in_it(chat: Any, database: Database, clock: FakeClock) -> None:
    channel = await chat(conversation_id="19:abc@thread.tacv2", conversation_type="channel")
    reply = await channel.say("abonnér på budgetfrister")
    assert texts.SUBSCRIPTION_CHANNEL_NOTE in reply
    stored = await ConversationStore(database, clock).get("msteams", "19:abc@thread.tacv2")
    assert stored is not None and stored.conversation_type == "channel"


async def test_a_delivered_reminder_can_be_snoozed_from_the_list(
    harness: ChatHarness, service: ReminderService, database: Database, clock: FakeClock
) -> None:
    view = await service.create_reminder(me(harness), "Læs referatet", clock.now() + timedelta(minutes=1))
    outbox = Outbox(database, ReminderRow.__table__)  # type: ignore[arg-type]  # a mapped class's __table__ is a Table
    clock.advance(timedelta(minutes=1))
    await outbox.claim("replica-a", clock.now(), timedelta(minutes=2), 10)
    await outbox.mark_sent(view.id, "reply-1", clock.now())

    listing = await harness.say("mine påmindelser")  # what the delivered card's button sends
    assert texts.reminder_last_sent("mandag 23. november 2026 kl. 11.01", "Læs referatet") in listing
    assert await harness.active_dialog() is not None
    reply = await harness.say("udsæt 1 time")
    assert texts.reminder_moved("Læs referatet", "mandag 23. november 2026 kl. 12.01") in reply
    [pending] = await service.list_reminders(me(harness))
    assert pending.id == view.id


async def test_a_conversation_without_a_service_url_is_told_why(chat: Any) -> None:
    console = await chat(conversation_id="console-1", service_url=None)
    assert await console.say("mind mig om at læse referatet i morgen kl. 9") == texts.REMINDER_NOT_HERE
    assert await console.say("abonnér på budgetfrister") == texts.REMINDER_NOT_HERE


async def test_the_what_answer_may_carry_the_time(harness: ChatHarness) -> None:
    assert await harness.say("ny påmindelse") == texts.REMINDER_ASK_WHAT
    echo = await harness.say("læse referatet på torsdag kl. 13")
    assert texts.reminder_saved_now("læse referatet", "torsdag 26. november 2026 kl. 13.00") in echo
