"""Points 2 and 5: the reminder dialog after a time it cannot use, and the list.

The clock stands on Tuesday 24 November 2026, 10:00 Danish time.
"""

from __future__ import annotations

from datetime import UTC

from dialogs import texts
from tests.conversations.helpers import entry_title, local
from tests.harness.chat import ChatHarness


async def _saved(bot: ChatHarness, request: str) -> None:
    assert (await bot.say(request)).startswith("Jeg minder dig om »")


async def test_a_question_after_a_past_time_is_answered(bot: ChatHarness) -> None:
    reply = await bot.say("mind mig om modet i gaar")
    assert reply == texts.date_in_past("mandag 23. november 2026")
    reply = await bot.say("hvad er en amr?")
    assert entry_title(bot, "amr") in reply
    assert texts.date_error("unparseable") not in reply
    reply = await bot.say("i morgen kl 10")
    assert texts.reminder_saved_now("modet", "onsdag 25. november 2026 kl. 10.00") in reply
    [reminder] = await bot.reminders()
    assert reminder.text == "modet"


async def test_kl_25_never_ends_up_in_the_reminder_text(bot: ChatHarness) -> None:
    reply = await bot.say("mind mig om modet kl 25")
    assert reply == texts.date_error("invalid_date")
    reply = await bot.say("i morgen kl 10")
    assert "»modet« onsdag 25. november 2026 kl. 10.00" in reply and "kl 25" not in reply
    [reminder] = await bot.reminders()
    assert reminder.text == "modet"


async def test_a_move_command_at_the_time_prompt_moves_the_reminder(bot: ChatHarness) -> None:
    await _saved(bot, "mind mig om at ringe til Lis i morgen kl 10")
    assert await bot.say("mind mig om modet kl 25") == texts.date_error("invalid_date")
    reply = await bot.say("flyt 1 til fredag kl 13")
    assert texts.reminder_set_aside("modet") in reply  # what happens to the unfinished one
    assert texts.reminder_moved("ringe til Lis", "fredag 27. november 2026 kl. 13.00") in reply
    [reminder] = await bot.reminders()  # moved, not a new reminder "flyt 1"
    assert (reminder.text, reminder.due_at) == ("ringe til Lis", local(2026, 11, 27, 13, 0).astimezone(UTC))


async def test_a_delete_command_at_the_time_prompt_deletes(bot: ChatHarness) -> None:
    await _saved(bot, "mind mig om at ringe til Lis i morgen kl 10")
    await bot.say("mind mig om modet i gaar")
    reply = await bot.say("slet 1")
    assert texts.reminder_deleted("ringe til Lis") in reply
    assert await bot.reminders() == []


async def test_a_new_request_at_the_time_prompt_replaces_the_unfinished_one(bot: ChatHarness) -> None:
    await bot.say("mind mig om modet kl 25")
    reply = await bot.say("mind mig om frokost i morgen kl 12")
    assert texts.reminder_saved_now("frokost", "onsdag 25. november 2026 kl. 12.00") in reply
    assert [r.text for r in await bot.reminders()] == ["frokost"]


async def test_my_reminders_and_help_at_the_time_prompt(bot: ChatHarness) -> None:
    await _saved(bot, "mind mig om at ringe til Lis i morgen kl 10")
    await bot.say("mind mig om modet i gaar")
    reply = await bot.say("hjaelp")
    assert texts.HELP in reply
    reply = await bot.say("mine paamindelser")
    assert "1. onsdag 25. november 2026 kl. 10.00: ringe til Lis" in reply
    assert texts.date_error("unparseable") not in reply


async def test_nonsense_at_the_time_prompt_says_what_it_expects_and_how_to_stop(bot: ChatHarness) -> None:
    await bot.say("mind mig om modet i gaar")
    reply = await bot.say("det ved jeg ikke lige")
    assert texts.not_understood("time") in reply and "»annuller«" in reply
    assert await bot.reminders() == []
    assert texts.CANCELLED in await bot.say("annuller")


async def test_faerdig_at_the_list_gets_a_short_reply(bot: ChatHarness) -> None:
    await _saved(bot, "mind mig om at ringe til Lis i morgen kl 10")
    assert "1. onsdag 25. november 2026 kl. 10.00: ringe til Lis" in await bot.say("mine paamindelser")
    assert await bot.say("faerdig") == texts.REMINDER_LIST_DONE_REPLY
    await bot.say("mine paamindelser")
    assert await bot.click(texts.REMINDER_LIST_DONE) == texts.REMINDER_LIST_DONE_REPLY
    assert len(await bot.reminders()) == 1


async def test_a_question_at_the_list_is_answered_and_the_list_ends(bot: ChatHarness) -> None:
    await _saved(bot, "mind mig om at ringe til Lis i morgen kl 10")
    await bot.say("mine paamindelser")
    reply = await bot.say("hvad er en trio?")
    assert entry_title(bot, "trio") in reply
    assert texts.REMINDER_LIST_CLOSED not in reply and "Skriv dit spørgsmål igen" not in reply
    # The list has ended quietly: a number is no command any more.
    assert texts.reminder_deleted("ringe til Lis") not in await bot.say("slet")
    assert len(await bot.reminders()) == 1


async def test_commands_at_the_list_still_work(bot: ChatHarness) -> None:
    await _saved(bot, "mind mig om at ringe til Lis i morgen kl 10")
    await bot.say("mine paamindelser")
    assert texts.reminder_moved("ringe til Lis", "fredag 27. november 2026 kl. 13.00") in await bot.say("flyt 1 til fredag kl 13")
    assert texts.reminder_deleted("ringe til Lis") in await bot.say("slet 1")
    assert await bot.reminders() == []


async def test_a_thumbs_up_at_the_list_closes_it(bot: ChatHarness) -> None:
    await _saved(bot, "mind mig om at ringe til Lis i morgen kl 10")
    await bot.say("mine paamindelser")
    assert await bot.say("👍") == texts.REMINDER_LIST_DONE_REPLY
