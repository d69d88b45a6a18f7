"""Reminders through the whole bot, typed the way people type them.

1. A complete reminder is saved at once (»Fortryd« / »Flyt den«, or typed right after).
2. Reminders are deleted and moved by what they are about, not only by number.
3. The reminder text is cleaned of the request around it.
4. »færdig« at any reminder question ends it without losing what is saved.

The clock stands on Tuesday 24 November 2026, 10:00 Danish time.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from dialogs import texts
from tests.conversations.helpers import entry_title, local
from tests.harness.chat import ChatHarness

FRIDAY_NOON = "fredag 27. november 2026 kl. 12.00"


async def _texts(bot: ChatHarness) -> list[str]:
    return [r.text for r in await bot.reminders()]


# -- 1. saved at once -------------------------------------------------------------------


async def test_a_complete_reminder_is_saved_at_once_and_kept_whatever_comes_next(bot: ChatHarness) -> None:
    reply = await bot.say("mind mig om at sende input til KommuneMEDs sekretaer paa fredag kl 12")
    assert reply.startswith(texts.reminder_saved_now("sende input til KommuneMEDs sekretaer", FRIDAY_NOON))
    assert "er det rigtigt" not in reply
    assert bot.buttons() == [texts.REMINDER_UNDO_BUTTON, texts.REMINDER_MOVE_BUTTON]
    # Another reminder, a question, »færdig«, the list: nothing is thrown away.
    reply = await bot.say("mind mig ogsaa om at ringe til AMR i overmorgen kl 13")
    assert "ikke gemt" not in reply
    assert entry_title(bot, "amr") in await bot.say("hvad er en amr?")
    await bot.say("faerdig")
    listing = await bot.say("vis mine paamindelser")
    assert "sende input til KommuneMEDs sekretaer" in listing and "ringe til AMR" in listing
    assert await _texts(bot) == ["ringe til AMR", "sende input til KommuneMEDs sekretaer"]


async def test_fortryd_on_the_card_deletes_it(bot: ChatHarness) -> None:
    await bot.say("mind mig om frokost med Lis fredag kl 12")
    assert await bot.click(texts.REMINDER_UNDO_BUTTON) == texts.reminder_deleted("frokost med Lis")
    assert await bot.reminders() == []


async def test_fortryd_and_slet_den_typed_right_after(bot: ChatHarness) -> None:
    await bot.say("mind mig om at ringe til Lis i morgen kl 10")
    await bot.say("mind mig om frokost fredag kl 12")
    assert await bot.say("fortryd") == texts.reminder_deleted("frokost")
    assert await _texts(bot) == ["ringe til Lis"]
    assert await bot.say("slet den") == texts.reminder_deleted("ringe til Lis")
    assert await bot.say("fortryd") == texts.NOTHING_TO_CANCEL


async def test_flyt_den_on_the_card_asks_for_the_new_time(bot: ChatHarness) -> None:
    await bot.say("mind mig om at ringe til Rikke om hovedMED i morgen kl 13")
    assert await bot.click(texts.REMINDER_MOVE_BUTTON) == texts.reminder_ask_move("ringe til Rikke om hovedMED")
    reply = await bot.say("torsdag kl 8")
    assert reply == texts.reminder_moved("ringe til Rikke om hovedMED", "torsdag 26. november 2026 kl. 08.00")
    [reminder] = await bot.reminders()
    assert reminder.due_at == local(2026, 11, 26, 8, 0).astimezone(UTC)


async def test_nej_with_a_time_right_after_corrects_it(bot: ChatHarness) -> None:
    await bot.say("mind mig om at indkalde til forvaltningsMED paa onsdag kl 9")
    reply = await bot.say("nej kl 10")
    assert reply == texts.reminder_moved("indkalde til forvaltningsMED", "onsdag 25. november 2026 kl. 10.00")


async def test_ja_out_of_habit_is_acknowledged_and_not_logged(bot: ChatHarness) -> None:
    await bot.say("mind mig om budgetmoede i ForvaltningsMED i morgen kl 13")
    assert await bot.say("ja") == texts.ACK_REPLY
    assert await bot.unanswered() == []
    assert len(await bot.reminders()) == 1


async def test_the_same_request_twice_is_one_reminder(bot: ChatHarness) -> None:
    await bot.say("mind mig om APV-moede i morgen kl 9")
    reply = await bot.say("mind mig om APV-moede i morgen kl 9")
    assert reply == texts.reminder_already("APV-moede", "onsdag 25. november 2026 kl. 09.00")
    assert len(await bot.reminders()) == 1


async def test_only_a_missing_or_useless_time_is_asked_for(bot: ChatHarness) -> None:
    assert await bot.say("mind mig om forvaltningsMED formoede") == texts.reminder_ask_when("forvaltningsMED formoede")
    assert await bot.say("i gaar") == texts.date_in_past("mandag 23. november 2026")
    assert await bot.say("kl 25") == texts.date_error("invalid_date")
    assert await bot.reminders() == []
    reply = await bot.say("torsdag kl 8")
    assert reply.startswith(texts.reminder_saved_now("forvaltningsMED formoede", "torsdag 26. november 2026 kl. 08.00"))
    assert await _texts(bot) == ["forvaltningsMED formoede"]


# -- 2. by what they are about -----------------------------------------------------------


async def _two(bot: ChatHarness) -> None:
    await bot.say("mind mig om at forberede afdelingsMED paa tirsdag kl. 9")
    await bot.say("mind mig ogsaa om at ringe til AMR i overmorgen kl 13")


async def test_move_and_delete_by_what_it_is_about(bot: ChatHarness) -> None:
    await _two(bot)
    await bot.say("mind mig om at ringe til Lise i morgen kl 9")
    assert await bot.say("flyt den om AMR til fredag kl 10") == texts.reminder_moved(
        "ringe til AMR", "fredag 27. november 2026 kl. 10.00"
    )
    # A time alone keeps the reminder's day.
    assert await bot.say("kan den om Lise flyttes til kvart over ni") == texts.reminder_moved(
        "ringe til Lise", "onsdag 25. november 2026 kl. 09.15"
    )
    # A day said relative to today is today's: »i morgen« is Wednesday, not the day after the reminder.
    assert await bot.say("flyt den om AMR til i morgen kl 9") == texts.reminder_moved(
        "ringe til AMR", "onsdag 25. november 2026 kl. 09.00"
    )
    assert await bot.say("flyt den om AMR til fredag kl 10") == texts.reminder_moved(
        "ringe til AMR", "fredag 27. november 2026 kl. 10.00"
    )
    assert await bot.say("slet den om afdelingsmed") == texts.reminder_deleted("forberede afdelingsMED")
    assert await _texts(bot) == ["ringe til Lise", "ringe til AMR"]
    assert await bot.say("slet den om kaffe") == texts.reminder_no_match("kaffe")


async def test_two_that_match_are_asked_about(bot: ChatHarness) -> None:
    await bot.say("mind mig om at ringe til Rikke i morgen kl 9")
    await bot.say("mind mig om at ringe til AMR fredag kl 9")
    bot.clock.advance(timedelta(hours=1))
    reply = await bot.say("slet den om ringe")
    assert reply.startswith(texts.reminder_which(True))
    assert "1. ringe til Rikke" in reply and "2. ringe til AMR" in reply and texts.CLARIFY_NONE in reply
    assert await bot.say("2") == texts.reminder_deleted("ringe til AMR")
    assert await _texts(bot) == ["ringe til Rikke"]


async def test_slet_min_paamindelse_with_none_one_and_several(bot: ChatHarness) -> None:
    assert await bot.say("slet min påmindelse") == texts.REMINDER_NONE_TO_CHANGE
    await _two(bot)
    bot.clock.advance(timedelta(hours=1))
    reply = await bot.say("slet min påmindelse")
    assert reply.startswith(texts.reminder_which(True))
    assert await bot.say("ingen af dem") == texts.REMINDER_WHICH_NONE
    assert len(await bot.reminders()) == 2
    await bot.say("slet den om AMR")
    assert await bot.say("slet min paamindelse") == texts.reminder_deleted("forberede afdelingsMED")
    assert await bot.reminders() == []


async def test_the_list_in_other_words(bot: ChatHarness) -> None:
    await _two(bot)
    for asked in ("hvad har jeg af reminders", "mine reminders", "hvilke påmindelser har jeg?"):
        reply = await bot.say(asked)
        assert "forberede afdelingsMED" in reply and "ringe til AMR" in reply, asked
        await bot.say("faerdig")


async def test_a_past_time_for_a_move_says_why_and_annuller_leaves_it(bot: ChatHarness) -> None:
    await bot.say("mind mig om arbejdsmiljoedroeftelse halv tre paa torsdag")
    reply = await bot.say("flyt arbejdsmiljødrøftelsen til i går")
    assert texts.date_in_past("mandag 23. november 2026") in reply
    assert texts.reminder_ask_move("arbejdsmiljoedroeftelse") in reply
    await bot.say("annuller")
    [reminder] = await bot.reminders()
    assert reminder.due_at == local(2026, 11, 26, 14, 30).astimezone(UTC)


# -- 3. the text without the request around it --------------------------------------------


async def test_the_reminder_text_is_only_what_to_be_reminded_of(bot: ChatHarness) -> None:
    await bot.say("ok mind mig om at tjekke APV handleplan i dag kl 15 saa")
    await bot.say("og mind mig om ForvaltningsMED moede i uge 2 kl 10")
    await bot.say("mind mig også om at ringe til AMR i morgen kl 9")
    assert sorted(await _texts(bot)) == ["ForvaltningsMED moede", "ringe til AMR", "tjekke APV handleplan"]


# -- 4. »færdig« at every reminder question ------------------------------------------------


async def test_faerdig_at_the_time_question_ends_it(bot: ChatHarness) -> None:
    await bot.say("mind mig om at ringe til Lis i morgen kl 10")
    await bot.say("saet en paamindelse")
    assert await bot.say("sikkerhedsrunde") == texts.reminder_ask_when("sikkerhedsrunde")
    assert await bot.say("færdig") == texts.reminder_not_saved_done("sikkerhedsrunde")
    assert await _texts(bot) == ["ringe til Lis"]  # what was saved stays
    assert texts.reminder_saved_now("frokost", "onsdag 25. november 2026 kl. 12.00") in await bot.say(
        "mind mig om frokost i morgen kl 12"
    )


async def test_faerdig_at_the_what_question_ends_it(bot: ChatHarness) -> None:
    assert await bot.say("ny påmindelse") == texts.REMINDER_ASK_WHAT
    assert await bot.say("faerdig") == texts.REMINDER_DONE_NOTHING
    assert await bot.reminders() == []


async def test_faerdig_or_lad_den_staa_at_the_move_question_keeps_it(bot: ChatHarness) -> None:
    await bot.say("mind mig om at tjekke APV handleplan i dag kl 15")
    reply = await bot.say("flyt den til 31/2")
    assert texts.date_error("invalid_date") in reply
    assert await bot.say("nej lad den staa") == texts.reminder_not_moved("tjekke APV handleplan", "tirsdag 24. november 2026 kl. 15.00")
    await bot.say("flyt den")
    assert await bot.say("færdig") == texts.reminder_not_moved("tjekke APV handleplan", "tirsdag 24. november 2026 kl. 15.00")
    assert await _texts(bot) == ["tjekke APV handleplan"]


async def test_faerdig_at_which_one_keeps_them(bot: ChatHarness) -> None:
    await _two(bot)
    bot.clock.advance(timedelta(hours=1))
    await bot.say("flyt den til fredag")
    assert await bot.say("faerdig") == texts.REMINDER_WHICH_NONE
    assert len(await bot.reminders()) == 2


async def test_faerdig_after_a_saved_reminder_is_a_short_reply(bot: ChatHarness) -> None:
    await bot.say("saet en paamindelse")
    await bot.say("dagsorden til afdelingsMED skal sendes ud")
    assert await bot.say("torsdag kl 25") == texts.date_error("invalid_date")
    assert (await bot.say("torsdag kl 14")).startswith(texts.reminder_saved_now("dagsorden til afdelingsMED skal sendes ud", "torsdag 26. november 2026 kl. 14.00"))
    assert await bot.say("færdig") == texts.REMINDER_LIST_DONE_REPLY
    assert await bot.unanswered() == []
    assert len(await bot.reminders()) == 1


async def test_typing_the_same_reminder_again_with_a_good_time_is_no_loss(bot: ChatHarness) -> None:
    await bot.say("mind mig om at tjekke APV handleplan i gaar kl 9")
    reply = await bot.say("ok mind mig om at tjekke APV handleplan i morgen kl 15 saa")
    assert "ikke gemt" not in reply  # it is being saved now, not left behind
    assert reply.startswith(texts.reminder_saved_now("tjekke APV handleplan", "onsdag 25. november 2026 kl. 15.00"))


async def test_which_one_can_be_answered_in_words(bot: ChatHarness) -> None:
    await bot.say("mind mig om at ringe til Rikke i morgen kl 9")
    await bot.say("mind mig om at ringe til AMR fredag kl 9")
    bot.clock.advance(timedelta(hours=1))
    assert (await bot.say("flyt den om ringe til torsdag kl 10")).startswith(texts.reminder_which(False))
    assert await bot.say("den om AMR") == texts.reminder_moved("ringe til AMR", "torsdag 26. november 2026 kl. 10.00")
