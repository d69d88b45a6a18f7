"""The short idea dialog, typed as people type: title, description, area, then a summary
that says what is sent and to whom; »send« at any question; an area named anywhere.

Through the real handler, router, dialogs and storage. Jammerbugt, Tuesday 24 November
2026: ideas are for budget 2028.
"""

from __future__ import annotations

import pytest

from dialogs import texts
from dialogs.idea import area_stated, is_send_request, send_phrases
from tests.conversations.helpers import start_idea
from tests.harness.chat import ChatHarness

DESCRIPTION = "Vi kober papir ind sammen for hele kommunen i stedet for hver afdeling for sig"
JAMMERBUGT_AREAS = [
    ("ssb", ("ssb", "SSB", "ForvaltningsMED SSB")),
    ("bff", ("bff", "BFF", "ForvaltningsMED BFF")),
    ("vuf", ("vuf", "VUF", "ForvaltningsMED VUF")),
    ("stabplus", ("stabplus", "STABplus", "ForvaltningsMED STABplus", "STAB plus", "Stab+")),
]
SUMMARY_BUTTONS = [texts.IDEA_CONFIRM, texts.IDEA_SEND_ANONYMOUS, texts.IDEA_ADD_MORE, texts.IDEA_EDIT, texts.IDEA_CANCEL]


async def _submitted(bot: ChatHarness) -> list[tuple[str, bool, str]]:
    """(title, anonymous, potential) of every stored idea, as the committee sees it."""
    assert bot.runtime is not None
    views = await bot.runtime.ideas.service.list_ideas()
    return [(v.title, v.anonymous, v.potential) for v in views]


# -- point 1: a short dialog ----------------------------------------------------------------


async def test_three_questions_then_a_summary_that_says_what_is_sent_and_to_whom(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    reply = await bot.say("jeg har en god ide til budgettet")
    assert texts.IDEA_INTRO in reply
    assert texts.IDEA_ASK_DESCRIPTION in await bot.say("Faelles indkob af papir")
    assert texts.IDEA_ASK_AREA in await bot.say(DESCRIPTION)
    summary = await bot.say("jeg er i SSB")
    assert texts.IDEA_SUMMARY_TITLE in summary
    assert "ForvaltningsMED SSB" in summary and "budget 2028" in summary
    assert "med dit navn" in summary
    assert "Titel: Faelles indkob af papir" in summary and "Område: SSB" in summary
    assert bot.buttons() == SUMMARY_BUTTONS
    for optional in (texts.IDEA_ASK_POTENTIAL, texts.IDEA_ASK_CROSS, texts.IDEA_ASK_CONSEQUENCES, texts.IDEA_ASK_ANONYMOUS):
        assert optional not in summary
    assert await bot.idea_count() == 0  # nothing is sent before the user says so
    receipt = await bot.say("ja send den")
    assert "#2028-001 er modtaget" in receipt and "ForvaltningsMED SSB" in receipt
    assert texts.IDEA_RECEIPT_ANONYMOUS not in receipt
    assert await _submitted(bot) == [("Faelles indkob af papir", False, "")]
    assert await bot.draft() is None


@pytest.mark.parametrize("yes", ["ja", "ja tak", "ja send", "send den", "Ja, send den!", "send den nu", "ok"])
async def test_a_yes_at_the_summary_sends_the_idea(jammerbugt: ChatHarness, yes: str) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    await bot.say("BFF")
    assert "#2028-001 er modtaget" in await bot.say(yes)
    assert await bot.idea_count() == 1


async def test_send_without_my_name_is_anonymous_and_the_receipt_says_so(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    await bot.say("BFF")
    receipt = await bot.click(texts.IDEA_SEND_ANONYMOUS)
    assert texts.IDEA_RECEIPT_ANONYMOUS in receipt
    assert await _submitted(bot) == [("Faelles indkob af papir", True, "")]


async def test_anonymt_at_the_summary_shows_it_before_anything_is_sent(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    await bot.say("BFF")
    reply = await bot.say("anonymt")
    assert texts.IDEA_NOW_ANONYMOUS in reply and "uden dit navn" in reply
    assert texts.IDEA_SEND_WITH_NAME in bot.buttons()
    assert await bot.idea_count() == 0
    assert texts.IDEA_RECEIPT_ANONYMOUS in await bot.say("ja")


async def test_add_more_asks_the_optional_fields_one_at_a_time_each_skippable(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    await bot.say("BFF")
    reply = await bot.click(texts.IDEA_ADD_MORE)
    assert texts.IDEA_ASK_POTENTIAL in reply and texts.IDEA_SKIP in bot.buttons()
    reply = await bot.say("spring over")
    assert texts.IDEA_ASK_CROSS in reply and texts.IDEA_SKIP in bot.buttons()
    assert texts.IDEA_ASK_CONSEQUENCES in await bot.say("ja det gaar paa tvaers")
    summary = await bot.say("spring over")
    assert texts.IDEA_SUMMARY_TITLE in summary and "På tværs af områder: Ja" in summary
    stored = await bot.draft() or {}
    assert stored.get("potential") == "" and stored.get("cross_cutting") is True  # saved after each answer
    assert "#2028-001 er modtaget" in await bot.say("ja")
    assert await _submitted(bot) == [("Faelles indkob af papir", False, "")]


async def test_a_draft_is_saved_after_each_answer_and_resumed_at_the_first_missing_question(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    assert texts.IDEA_SET_ASIDE in await bot.say("annuller")
    assert (await bot.draft() or {}).get("description") == DESCRIPTION
    reply = await bot.say("fortsaet min ide")
    assert texts.IDEA_RESUMED in reply and texts.IDEA_ASK_AREA in reply
    assert texts.IDEA_SUMMARY_TITLE in await bot.say("VUF")


# -- point 2: »send« typed at a field question ---------------------------------------------------


@pytest.mark.parametrize("send", ["ja send den", "send", "send den nu", "ja send"])
async def test_send_at_the_description_says_what_is_missing_and_asks_again(jammerbugt: ChatHarness, send: str) -> None:
    bot = jammerbugt
    await start_idea(bot)
    reply = await bot.say(send)
    assert texts.idea_still_missing(["beskrivelse", "område"]) in reply
    assert texts.IDEA_ASK_DESCRIPTION in reply
    assert "Jeg kender ikke" not in reply
    assert (await bot.draft() or {}).get("description") in (None, "")
    assert await bot.idea_count() == 0
    assert texts.IDEA_ASK_AREA in await bot.say(DESCRIPTION)


@pytest.mark.parametrize("send", ["ja send den", "ja", "ja tak", "send den nu"])
async def test_send_or_yes_at_the_area_question_says_the_area_is_missing(jammerbugt: ChatHarness, send: str) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    reply = await bot.say(send)
    assert texts.idea_still_missing(["område"]) in reply
    assert texts.IDEA_ASK_AREA in reply
    assert "Jeg kender ikke området" not in reply
    assert await bot.idea_count() == 0
    assert texts.IDEA_SUMMARY_TITLE in await bot.say("bff")


async def test_send_at_an_optional_question_goes_to_the_summary(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    await bot.say("bff")
    await bot.say("tilfoej flere oplysninger")
    summary = await bot.say("send den nu")
    assert texts.IDEA_SUMMARY_TITLE in summary and texts.IDEA_ASK_POTENTIAL not in summary
    assert (await bot.draft() or {}).get("potential") == ""  # not saved as the potential
    assert await bot.idea_count() == 0  # the summary first: the user sees what is sent
    assert "#2028-001 er modtaget" in await bot.say("ja")


# -- point 3: an area named at another question ----------------------------------------------------


async def test_an_area_named_at_the_description_is_the_area_and_the_description_is_asked_again(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    reply = await bot.say("jeg er i SSB")
    assert texts.idea_area_taken("SSB") in reply and texts.IDEA_ASK_DESCRIPTION in reply
    stored = await bot.draft() or {}
    assert stored.get("area_id") == "ssb" and stored.get("description") in (None, "")
    # The area is known: after the description comes the summary.
    summary = await bot.say(DESCRIPTION)
    assert texts.IDEA_SUMMARY_TITLE in summary and "ForvaltningsMED SSB" in summary


async def test_an_area_named_at_an_optional_question_is_never_saved_as_that_field(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    await bot.say("bff")
    await bot.say("tilfoej flere oplysninger")
    reply = await bot.say("vi hoerer under VUF")
    assert texts.idea_area_taken("VUF") in reply and texts.IDEA_ASK_POTENTIAL in reply
    stored = await bot.draft() or {}
    assert stored.get("area_id") == "vuf" and stored.get("potential") == ""
    assert texts.IDEA_ASK_CROSS in await bot.say("ca 50.000 kr om aaret")
    reply = await bot.say("jeg er i SSB")  # at the yes/no question too
    assert texts.idea_area_taken("SSB") in reply and texts.IDEA_ASK_CROSS in reply
    assert (await bot.draft() or {}).get("cross_cutting") is None


async def test_a_title_that_mentions_an_area_is_the_title(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("ny ide")
    reply = await bot.say("Digital vagtplan i VUF")
    assert texts.IDEA_ASK_DESCRIPTION in reply and "området til" not in reply
    assert (await bot.draft() or {}).get("title") == "Digital vagtplan i VUF"


def test_what_reads_as_send_and_as_an_area() -> None:
    for text in ("send", "ja send den", "Ja, send den nu!", "send idéen", "indsend den bare"):
        assert is_send_request(text), text
    for text in ("ja", "send mig reglerne", "sendt", "vi sender papir rundt"):
        assert not is_send_request(text), text
    # What the questions let through to the dialog is what the dialog reads as »send«.
    assert all(is_send_request(phrase) for phrase in send_phrases())
    for text, area in (("jeg er i SSB", "ssb"), ("vi hører under BFF", "bff"), ("stab plus", "stabplus"), ("VUF", "vuf")):
        assert area_stated(text, JAMMERBUGT_AREAS) == area, text
    for text in ("Digital vagtplan i VUF", "SSB og BFF", "medarbejdere i SSB kører sammen til kurser", "ja"):
        assert area_stated(text, JAMMERBUGT_AREAS) is None, text


async def test_a_question_about_the_idea_process_at_the_area_question_is_answered_not_a_new_idea(
    jammerbugt: ChatHarness,
) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    reply = await bot.say("skal lokalMED egentlig vaere med i den gode ide??")
    assert "Kilde:" in reply and texts.IDEA_ASK_AREA in reply
    assert texts.IDEA_SET_ASIDE not in reply  # the idea is not set aside and started again
    assert (await bot.draft() or {}).get("description") == DESCRIPTION
    assert texts.IDEA_SUMMARY_TITLE in await bot.say("vuf")


async def test_send_at_what_to_change_goes_back_to_the_summary(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say(DESCRIPTION)
    await bot.say("bff")
    assert texts.IDEA_ASK_WHICH_FIELD in await bot.click(texts.IDEA_EDIT)
    assert texts.IDEA_SUMMARY_TITLE in await bot.say("send den")
    assert await bot.idea_count() == 0
    assert "#2028-001 er modtaget" in await bot.say("ja")
