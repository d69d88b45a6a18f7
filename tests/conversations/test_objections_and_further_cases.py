"""Pushing back on the committee just given, another case typed as »og …?«, a case asked as »skal … i MED?«,
and »glem det« with a word in front of it.

Through the real handler, router, dialogs and storage, typed the way people type.
"""

from __future__ import annotations

from tests.conversations.helpers import start_idea
from tests.harness.chat import ChatHarness


async def test_we_discussed_it_lower_down_keeps_the_level_and_says_how_to_give_input(bot: ChatHarness) -> None:
    first = await bot.say("kommunaldirektøren har besluttet at hele kommunen skal have nyt IT-system til sagsbehandling")
    assert "KommuneMED" in first
    reply = await bot.say("men vi drøftede det jo i afdelingsMED i august")
    assert "stadig hjemme i KommuneMED" in reply
    assert "baglandsarbejde" in reply and "AfdelingsMED" in reply  # it can still be taken up lower down
    assert "Sagen: »kommunaldirektøren har besluttet" in reply  # the case is repeated
    assert await bot.unanswered() == []


async def test_why_not_a_higher_committee_explains_that_being_affected_does_not_decide(bot: ChatHarness) -> None:
    first = await bot.say("skolelederen har besluttet en ny pauseordning for alle lærerne, hvor skal det behandles")
    assert "ArbejdspladsMED" in first
    reply = await bot.say("hvorfor ikke afdelingsMED naar det gaelder alle laererne")
    assert "stadig hjemme i ArbejdspladsMED" in reply and "berørt" in reply
    assert "baglandsarbejde" not in reply  # AfdelingsMED is above, not a place to give input from
    assert await bot.active_dialog() is None


async def test_why_with_no_case_before_is_not_an_objection(bot: ChatHarness) -> None:
    reply = await bot.say("hvorfor ikke afdelingsMED")
    assert "stadig hjemme" not in reply


async def test_a_new_case_typed_as_og_after_a_case_question_answered_from_the_knowledge(bot: ChatHarness) -> None:
    await bot.say("skal lonforhandlingen for paedagogerne i arbejdspladsMED?")
    reply = await bot.say("ok og nye regler for hjemmearbejde i afdelingen?")
    assert "hjemmearbejde" in reply and "Det ved jeg desværre ikke" not in reply
    assert await bot.active_dialog() == "case_level"
    assert await bot.unanswered() == []


async def test_a_follow_up_question_with_og_is_not_taken_as_a_case(bot: ChatHarness) -> None:
    await bot.say("skolelederen har besluttet en ny pauseordning for alle lærerne, hvor skal det behandles")
    await bot.say("og hvem sidder i arbejdspladsMED?")
    assert await bot.active_dialog() is None


async def test_should_it_be_handled_in_med_and_where_starts_the_case(bot: ChatHarness) -> None:
    reply = await bot.say("skal aendring af aabningstider i borgerservice behandles i MED? og hvor")
    assert "Det ved jeg desværre ikke" not in reply and "aabningstider" in reply
    assert await bot.active_dialog() == "case_level"
    reply = await bot.say("det er mig som leder der beslutter")
    assert "ArbejdspladsMED" in reply


async def test_glem_det_after_a_filler_cancels_the_idea_and_saves_nothing(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Digital vagtplan i hjemmeplejen")
    await bot.say("nej vent glem det")
    assert await bot.active_dialog() is None
    assert "glem" not in str((await bot.draft()) or {})
    await start_idea(bot, "Faelles indkob af legetoej")
    await bot.say("hmm glem det")
    assert await bot.active_dialog() is None


async def test_and_in_the_other_municipality_answers_from_that_municipalitys_own_entry(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    first = await bot.say("hvem er kontaktperson for den gode ide?")
    assert "Jette Søgaard" in first
    reply = await bot.say("og i albertslund?")
    assert "Albertslund" in reply and "AfdelingsMED" in reply
    assert "Jette Søgaard" not in reply and "Christina" not in reply  # not Jammerbugt's contacts
