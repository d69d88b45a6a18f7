"""Points 1 and 7: the case dialog's »Hvem træffer beslutningen?« and personal matters.

Everything goes through the real handler, router, dialogs and SQL state.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs import texts
from tests.conversations.helpers import OPEN_CASE, entry_title
from tests.harness.chat import ChatHarness

ANSWERED = "hører sagen hjemme i"


async def _at_decider(bot: ChatHarness) -> str:
    await bot.say("hvilket udvalg")
    reply = await bot.say(OPEN_CASE)
    assert texts.LEVEL_QUESTION in reply
    return reply


async def test_the_decider_prompt_numbers_its_buttons_and_says_how_to_stop(bot: ChatHarness) -> None:
    reply = await _at_decider(bot)
    assert f"Sagen: »{OPEN_CASE}«" in reply  # which case the question is about
    for number, label in enumerate(texts.LEVEL_DECIDER_CHOICES, start=1):
        assert f"{number}. {label}" in reply
    assert bot.buttons() == list(texts.LEVEL_DECIDER_CHOICES)
    assert "»annuller«" in reply
    assert "Svar med et tal fra 1 til 5" not in reply  # the old hint for buttons without numbers


async def test_a_question_at_the_decider_prompt_is_answered_and_the_prompt_repeated(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("hvad er en amr?")
    assert entry_title(bot, "amr") in reply
    assert texts.LEVEL_DECIDER_NOT_UNDERSTOOD not in reply and "Det forstod jeg ikke" not in reply
    assert texts.LEVEL_QUESTION in reply  # asked again
    reply = await bot.say("afdelingschefen")
    assert ANSWERED in reply and "AfdelingsMED" in reply
    assert f"Sagen: »{OPEN_CASE}«" in reply  # the answer says which case it is about
    assert await bot.unanswered() == []


async def test_my_reminders_at_the_decider_prompt_shows_them(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("mine paamindelser")
    # The list, then the case's question again: a quick look does not end the case.
    assert reply.startswith(texts.REMINDER_LIST_EMPTY) and texts.LEVEL_QUESTION in reply
    assert ANSWERED in await bot.say("1")


async def test_a_reminder_request_at_the_decider_prompt_starts_a_reminder(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("mind mig om MED-modet i morgen kl 9")
    assert texts.reminder_saved_now("MED-modet", "onsdag 25. november 2026 kl. 09.00") in reply
    assert texts.LEVEL_DECIDER_NOT_UNDERSTOOD not in reply
    [reminder] = await bot.reminders()
    assert reminder.text == "MED-modet"


async def test_a_new_case_at_the_decider_prompt_starts_the_case_over(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("vores leder vil aendre modetiderne i bornehaven")
    assert texts.LEVEL_NEW_CASE in reply
    assert "Sagen: »vores leder vil aendre modetiderne i bornehaven«" in reply
    assert "ArbejdspladsMED" in reply and ANSWERED in reply
    assert OPEN_CASE not in reply  # not taken as the answer to the previous case


async def test_a_new_case_without_a_decider_also_starts_over(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("nye aabningstider i borgerservice")
    assert texts.LEVEL_NEW_CASE in reply
    assert "Sagen: »nye aabningstider i borgerservice«" in reply


async def test_when_unsure_it_asks_with_ingen_af_dem(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("lederen vil aendre modetiderne")
    assert texts.level_decider_or_new_case("Leder af arbejdspladsen") in reply
    assert bot.buttons() == [texts.ANSWER_BUTTON, texts.LEVEL_NEW_CASE_BUTTON, texts.CLARIFY_NONE]
    reply = await bot.say("ingen af dem")
    assert texts.CLARIFY_NONE_DONE in reply and texts.LEVEL_QUESTION in reply
    # Asked again; this time the user means it as the answer.
    await bot.say("lederen vil aendre modetiderne")
    reply = await bot.click(texts.ANSWER_BUTTON)
    assert f"Sagen: »{OPEN_CASE}«" in reply and "ArbejdspladsMED" in reply


async def test_an_answer_it_cannot_read_says_what_it_expects(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("banan")
    assert texts.LEVEL_DECIDER_NOT_UNDERSTOOD in reply
    assert "1. Leder af arbejdspladsen" in reply and "»annuller«" in reply
    assert "Kommunalbestyrelse/fagudvalg" in bot.buttons()
    assert ANSWERED in await bot.say("1")


async def test_harassment_is_not_a_case_for_a_committee(bot: ChatHarness) -> None:
    reply = await bot.say("en kollega chikanerer mig")
    assert texts.LEVEL_PERSONAL_TITLE in reply
    assert "leder" in reply and "(AMR)" in reply and "(TR)" in reply and "trioen" in reply
    assert "vold, mobning og chikane" in reply  # ArbejdspladsMED's local guidelines (002)
    assert texts.LEVEL_QUESTION not in reply
    assert await bot.unanswered() == []


async def test_harassment_typed_as_the_case_gets_the_same_answer(bot: ChatHarness) -> None:
    assert texts.LEVEL_ASK_FOR_CASE in await bot.say("hvilket udvalg")
    reply = await bot.say("min kollega mobber mig hver dag")
    assert texts.LEVEL_PERSONAL_TITLE in reply and texts.LEVEL_QUESTION not in reply
    # Nothing is left running.
    assert ANSWERED not in await bot.say("1")


async def test_a_guideline_question_about_bullying_is_still_a_med_question(bot: ChatHarness) -> None:
    reply = await bot.say("hvem aftaler retningslinjer om mobning?")
    assert texts.LEVEL_PERSONAL_TITLE not in reply


async def test_what_the_prompt_expects_survives_a_restart(bot: ChatHarness) -> None:
    await _at_decider(bot)
    await bot.restart()  # a new process: the expectation comes back from the stored dialog state
    reply = await bot.say("hvad er en amr?")
    assert entry_title(bot, "amr") in reply and texts.LEVEL_QUESTION in reply
    assert bot.runtime is not None
    assert ANSWERED in await bot.say("lederen")


def test_the_personal_dialogs_hook() -> None:
    from dialogs.router import is_personal_dialog

    assert is_personal_dialog("idea") and is_personal_dialog("reminder")
    assert not is_personal_dialog("case_level")


@pytest.mark.parametrize(
    ("typed", "echo"),
    [
        ("vores leder vil aendre modetiderne i bornehaven, hvem skal drofte det?", "Sagen: »vores leder vil aendre modetiderne i bornehaven«"),
        ("ny vagtplan?? hvilket med", "Sagen: »ny vagtplan«"),
    ],
)
async def test_the_case_echo_leaves_out_the_request(bot: ChatHarness, typed: str, echo: str) -> None:
    reply = await bot.say(typed)
    assert echo in reply


async def test_a_reminder_naming_a_leader_at_the_decider_prompt_is_a_reminder_not_a_case(bot: ChatHarness) -> None:
    await _at_decider(bot)
    reply = await bot.say("mind mig om at spoerge min leder i morgen kl 8")
    assert texts.LEVEL_NEW_CASE not in reply and ANSWERED not in reply
    assert "spoerge min leder" in reply and "kl. 08.00" in reply


@pytest.mark.parametrize(
    ("correction", "committee"),
    [
        ("hun er afdelingschef", "AfdelingsMED"),
        ("nej vent, det er faktisk kommunaldirektøren der beslutter det", "KommuneMED"),
        ("kommunaldirektoeren beslutter den for hele kommunen", "KommuneMED"),
        ("og hvis det kun var min leder paa plejecentret?", "ArbejdspladsMED"),
    ],
)
async def test_who_decides_told_after_the_answer_answers_the_same_case_again(
    bot: ChatHarness, correction: str, committee: str
) -> None:
    await _at_decider(bot)
    await bot.say("ved ikke")  # guidance on how to find out, no guess
    reply = await bot.say(correction)
    assert ANSWERED in reply and committee in reply
    assert f"Sagen: »{OPEN_CASE}«" in reply
    assert await bot.unanswered() == []


async def test_a_decider_long_after_the_answer_is_not_taken_as_a_correction(bot: ChatHarness) -> None:
    await _at_decider(bot)
    await bot.say("afdelingschefen")
    bot.clock.advance(timedelta(minutes=45))
    reply = await bot.say("hun er afdelingschef")
    assert ANSWERED not in reply


@pytest.mark.parametrize("answer", ["det er direktionen for hele kommunen", "nej vent, det er faktisk kommunaldirektøren"])
async def test_a_decider_with_its_scope_or_a_filler_is_an_answer(bot: ChatHarness, answer: str) -> None:
    await _at_decider(bot)
    reply = await bot.say(answer)
    assert ANSWERED in reply and "KommuneMED" in reply


async def test_a_leaders_decision_told_without_a_question_is_taken_as_a_case(bot: ChatHarness) -> None:
    reply = await bot.say("kommunaldirektøren beslutter at lukke en kantine, men det er kun os på rådhuset der bliver berørt")
    assert ANSWERED in reply and "KommuneMED" in reply
    assert await bot.unanswered() == []


async def test_which_committees_there_are_is_a_question_not_a_case(bot: ChatHarness) -> None:
    reply = await bot.say("hvilke udvalg har vi i albertslund")
    assert texts.LEVEL_ASK_FOR_CASE not in reply and texts.LEVEL_QUESTION not in reply
