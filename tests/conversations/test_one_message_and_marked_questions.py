"""Whole requests in one message, questions marked as questions, and plain ways to drop or delete.

Through the real handler, router, dialogs and storage, typed the way people type.
"""

from __future__ import annotations

from dialogs import texts
from tests.harness.chat import ChatHarness


async def test_an_idea_written_in_one_message_goes_straight_to_the_summary(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    reply = await bot.say(
        "ny ide: faelles indkob af kontorartikler paa tvaers af forvaltningerne. i dag kober hver afdeling "
        "selv ind og vi betaler for meget. det hoerer til stab"
    )
    assert texts.idea_taken_from_message(["title", "description", "area"]) in reply
    stored = await bot.draft() or {}
    assert stored.get("title") == "Faelles indkob af kontorartikler paa tvaers af forvaltningerne"
    assert "betaler for meget" in str(stored.get("description"))
    assert stored.get("area_id") == "stabplus"
    assert texts.IDEA_SEND_ANONYMOUS in bot.buttons()  # the summary: nothing is sent before the user says so
    assert await bot.idea_count() == 0
    assert "#2028-001 er modtaget" in await bot.say("ja send")


async def test_an_idea_with_only_a_title_asks_for_the_rest(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    reply = await bot.say("jeg har en ide til budgettet: genbrug af moebler")
    assert texts.idea_taken_from_message(["title"]) in reply and texts.IDEA_ASK_DESCRIPTION in reply
    assert (await bot.draft() or {}).get("title") == "Genbrug af moebler"


async def test_a_question_marked_as_one_is_answered_not_saved_as_the_title(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("ny ide")
    reply = await bot.say("lige et spm: hvad er en amr")
    assert "arbejdsmiljørepræsentant" in reply.lower()
    assert not (await bot.draft() or {}).get("title")
    assert await bot.active_dialog() == "idea"


async def test_forget_it_and_another_question_drops_the_case_and_answers_the_new_one(bot: ChatHarness) -> None:
    await bot.say("der skal indfores nye regler for hjemmearbejde, hvor skal det behandles")
    assert await bot.active_dialog() == "case_level"
    reply = await bot.say(
        "glem det, andet spm: kommunaldirektoren vil indstille budgetforslag om faerre ledere til kommunalbestyrelsen"
    )
    assert "KommuneMED" in reply and texts.IDEA_INTRO not in reply
    assert await bot.active_dialog() is None


async def test_a_budget_proposal_the_director_recommends_is_a_case_not_an_idea(bot: ChatHarness) -> None:
    reply = await bot.say("kommunaldirektoren vil indstille budgetforslag om faerre ledere til kommunalbestyrelsen")
    assert "KommuneMED" in reply and await bot.active_dialog() is None


async def test_forget_it_at_the_time_question_drops_the_reminder(bot: ChatHarness) -> None:
    await bot.say("mind mig om at sporge min tr om det")
    reply = await bot.say("nej glem det")
    assert texts.CANCELLED in reply
    assert await bot.active_dialog() is None and await bot.reminders() == []


async def test_reminders_are_deleted_by_a_word_of_their_text_or_all_at_once(bot: ChatHarness) -> None:
    await bot.say("mind mig om at sende referat paa tirsdag kl 9")
    await bot.say("mind mig ogsa om apv opfolgning d. 15/12 kl 8")
    assert sorted(r.text for r in await bot.reminders()) == ["apv opfolgning", "sende referat"]
    await bot.say("mine paamindelser")
    reply = await bot.say("slet apv")
    assert texts.reminder_deleted("apv opfolgning") in reply
    assert [r.text for r in await bot.reminders()] == ["sende referat"]
    await bot.say("mind mig om budgetmode fredag kl 10")
    reply = await bot.say("slet alle mine paamindelser")
    assert "alle dine 2 påmindelser" in reply and await bot.reminders() == []


async def test_proposing_something_for_the_budget_starts_an_idea(jammerbugt: ChatHarness) -> None:
    await jammerbugt.say("vil gerne foreslaa noget til budgettet")
    assert await jammerbugt.active_dialog() == "idea"


async def test_asking_to_hear_about_budget_deadlines_offers_the_subscription(bot: ChatHarness) -> None:
    reply = await bot.say("kan jeg faa besked naar der er budgetfrister")
    assert "Det ved jeg desværre ikke" not in reply
    assert await bot.unanswered() == []
