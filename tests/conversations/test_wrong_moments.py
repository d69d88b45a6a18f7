"""Messages at the »wrong« moment, typed as people type: cancelling with reasons, the list in the
middle of something, a vague reminder, the anonymity choice typed at the summary, stretched yes.

Through the real handler, router, dialogs and storage.
"""

from __future__ import annotations

from dialogs import texts
from tests.conversations.helpers import answer_idea_up_to_summary, start_idea
from tests.harness.chat import ChatHarness


async def test_cancel_with_a_reason_leaves_the_idea_and_keeps_the_draft(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "mindre papir")
    reply = await bot.say("nej vent annuller det hele, jeg snakker lige med min leder forst")
    assert texts.CANCELLED in reply and await bot.active_dialog() is None
    assert (await bot.draft() or {}).get("title") == "mindre papir"  # set aside, not thrown away
    assert await bot.idea_count() == 0


async def test_a_trailing_annuller_cancels(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "spare paa kaffe")
    await bot.say("hov det er vist ikke en spare ide.. annuller")
    assert await bot.active_dialog() is None


async def test_my_reminders_in_the_middle_of_an_idea_shows_them_and_the_idea_goes_on(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("mind mig om at laese budgetkataloget i morgen kl 8")
    await bot.say("ny ide")
    reply = await bot.say("mine paamindelser")
    assert "laese budgetkataloget" in reply and texts.IDEA_FORM_INTRO in reply
    await bot.say("energibesparelse i hallerne")
    assert (await bot.draft() or {}).get("title") == "energibesparelse i hallerne"
    assert await bot.active_dialog() == "idea"


async def test_my_reminders_while_writing_a_reminder_keeps_it(bot: ChatHarness) -> None:
    await bot.say("mind mig om budgetmoede i morgen kl 13")
    await bot.say("mind mig om at forberede dagsorden til KMED")
    reply = await bot.say("mine påmindelser")
    assert "budgetmoede" in reply and "ikke gemt" not in reply
    await bot.say("kvart over ni i morgen")
    assert sorted(r.text for r in await bot.reminders()) == ["budgetmoede", "forberede dagsorden til KMED"]


async def test_a_vague_reminder_asks_what_before_when(bot: ChatHarness) -> None:
    reply = await bot.say("kan du minde mig om noget")
    assert texts.REMINDER_ASK_WHAT in reply
    await bot.say("at bestille kitler")
    await bot.say("fredag halv tre")
    assert [r.text for r in await bot.reminders()] == ["bestille kitler"]


async def test_the_anonymity_choice_typed_at_the_summary_does_not_send(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    reply = await bot.say("anonymt tak")
    assert texts.IDEA_NOW_ANONYMOUS in reply and await bot.idea_count() == 0
    reply = await bot.say("hov nej vent, med mit navn")
    assert texts.IDEA_NOW_NAMED in reply and await bot.idea_count() == 0
    assert "er modtaget" in await bot.say("jaaa send")
    assert await bot.idea_count() == 1


async def test_ordinals_and_annuller_name_a_reminder(bot: ChatHarness) -> None:
    await bot.say("mind mig om at ringe til FTR onsdag kl 10")
    await bot.say("mind mig om forvaltningsMED modet torsdag kl 12.15")
    await bot.say("mine paamindelser")
    await bot.say("slet den forste")
    assert [r.text for r in await bot.reminders()] == ["forvaltningsMED modet"]
    await bot.say("annuller min påmindelse om forvaltningsMED modet")
    assert await bot.reminders() == []


async def test_politicians_as_the_decider_get_the_question_once_more(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("hvor skal vi tage snakken om nye aabningstider i borgerservice")
    reply = await bot.say("det er politikerne i boerneudvalget der beslutter det")
    assert texts.LEVEL_POLITICAL_ASK_AGAIN in reply and await bot.active_dialog() == "case_level"
    reply = await bot.say("forvaltningens direktor indstiller det til udvalget")
    assert "ForvaltningsMED" in reply and await bot.active_dialog() is None


async def test_start_an_idea_in_other_words(jammerbugt: ChatHarness) -> None:
    await jammerbugt.say("opret ide")
    assert await jammerbugt.active_dialog() == "idea"


async def test_another_case_said_at_the_decider_question_is_taken_as_the_new_case(bot: ChatHarness) -> None:
    await bot.say("hvor skal en sag om ny modestruktur hen i MED")
    assert await bot.active_dialog() == "case_level"
    reply = await bot.say("nej vent, det er egentlig noget andet: en kollega har faaet en advarsel, skal det i MED?")
    assert "personalesag" in reply and await bot.active_dialog() is None


async def test_yes_its_fine_send_sends_the_idea(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    assert "er modtaget" in await bot.say("ja det er fint, send")
    assert await bot.idea_count() == 1


async def test_a_command_with_please_is_the_command(bot: ChatHarness) -> None:
    await bot.say("mind mig om at ringe til TR i morgen kl 9")
    assert "ringe til TR" in await bot.say("mine påmindelser pls")


async def test_my_ideas_two_dialogs_deep_shows_them_and_keeps_both(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "faelles indkob af papir")
    await bot.say("vi sparer penge ved at koebe sammen")
    await bot.say("mind mig om at ringe til TR")
    reply = await bot.say("mine ideer")
    assert texts.MY_IDEAS_EMPTY in reply and await bot.active_dialog() == "reminder"
    reply = await bot.say("i morgen kl 9")
    assert [r.text for r in await bot.reminders()] == ["ringe til TR"]
    assert texts.IDEA_ASK_AREA in reply and await bot.active_dialog() == "idea"  # the idea goes on
