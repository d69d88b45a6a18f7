"""Short follow-ups read with what came just before, and the ways people end or correct a case.

Through the real handler, router, dialogs and storage, typed the way people type.
"""

from __future__ import annotations

from dialogs import texts
from tests.harness.chat import ChatHarness


async def test_after_a_personal_matter_who_to_talk_to_gets_the_same_people(bot: ChatHarness) -> None:
    first = await bot.say("min kollega kommer hele tiden med nedladende kommentarer til mig. skal det tages op i med?")
    assert "tillidsrepræsentant" in first
    reply = await bot.say("hvem skal jeg saa snakke med")
    assert "arbejdsmiljørepræsentant (AMR)" in reply and "Det ved jeg desværre ikke" not in reply
    assert await bot.unanswered() == []


async def test_a_case_question_naming_only_dem_is_about_the_question_before(bot: ChatHarness) -> None:
    await bot.say("hvad er en skal-retningslinje")
    reply = await bot.say("og hvilket udvalg laver dem hos os")
    assert "skal-retningslinje" in reply.lower()  # the case repeated is the question before, not »dem«
    assert await bot.active_dialog() == "case_level"  # who decides it is not settled by the question


async def test_thanks_at_the_decider_question_ends_the_case(bot: ChatHarness) -> None:
    await bot.say("der skal indfores nye regler for hjemmearbejde, hvor skal det behandles")
    assert await bot.active_dialog() == "case_level"
    reply = await bot.say("tak for hjaelpen")
    assert texts.YOU_ARE_WELCOME in reply and await bot.active_dialog() is None


async def test_a_guess_after_doubt_is_the_answer_and_a_vague_chef_is_asked_about_again(bot: ChatHarness) -> None:
    await bot.say("skal det droftes i med at vi faar nye aabningstider i borgerservice")
    reply = await bot.say("det ved jeg ikke helt.. maaske min chef")
    assert await bot.active_dialog() == "case_level"  # asked once more, not closed with »I don't know«
    assert "chef" in reply


async def test_a_late_correction_of_the_decider_answers_the_case_again(bot: ChatHarness) -> None:
    await bot.say("skal det droftes i med at vi faar nye aabningstider i borgerservice")
    await bot.say("det er lederen af borgerservice der bestemmer")
    reply = await bot.say("nej vent, afdelingschefen har sagt at hun tager beslutningen")
    assert "AfdelingsMED" in reply and "Hvem træffer beslutningen?" not in reply


async def test_a_question_about_the_idea_inside_the_idea_dialog_is_answered(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("ny ide")
    await bot.say("Genbrug af legetoej mellem boernehaver")
    reply = await bot.say("hvem faar den at se?")
    assert "kontaktperson" in reply.lower()
    assert not (await bot.draft() or {}).get("description")  # the question was not saved as the description
    assert await bot.active_dialog() == "idea"


async def test_the_same_question_about_the_other_municipality_says_what_is_known_and_whose(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("hvornaar er der offentlig hoering af budgettet")
    reply = await bot.say("er det ogsaa saadan i albertslund?")
    assert texts.detail_other_municipality("Albertslund", "Jammerbugt") in reply


async def test_what_about_another_case_right_after_a_case_places_that_case(bot: ChatHarness) -> None:
    await bot.say("min kollega kommer hele tiden med nedladende kommentarer til mig. skal det tages op i med?")
    reply = await bot.say("okay men hvad med et nyt IT system til sagsbehandling i hele kommunen")
    assert "Sagen: »et nyt IT system til sagsbehandling" in reply
    assert "KommuneMED" in reply  # a decision for the whole municipality (the stated reach)
    assert await bot.unanswered() == []


async def test_what_do_you_mean_after_a_case_explains_the_rule(bot: ChatHarness) -> None:
    await bot.say("hvilket med udvalg skal behandle at vi skal have ny APV paa vores arbejdsplads?")
    reply = await bot.say("hvad mener du?")
    assert texts.LEVEL_WHAT_I_MEANT in reply
    assert await bot.unanswered() == []


async def test_what_do_you_mean_without_a_case_before_is_not_about_cases(bot: ChatHarness) -> None:
    reply = await bot.say("hvad mener du?")
    assert texts.LEVEL_WHAT_I_MEANT not in reply and await bot.unanswered() == []


async def test_who_decides_it_right_after_a_question_is_about_that_question(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("skal lokalMED arbejde med den gode ide?")
    reply = await bot.say("hvem bestemmer det")
    assert "Formand og næstformand i ForvaltningsMED" in reply
