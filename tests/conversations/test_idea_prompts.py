"""Points 3, 4 and 11: the idea dialog's text and yes/no questions, the user's own
earlier idea, and receipts that tell the truth about delivery.

Jammerbugt, Tuesday 24 November 2026: ideas are for budget 2028.
"""

from __future__ import annotations

import logging

import pytest

from dialogs import idea_messages as msgs
from dialogs import texts
from dialogs.render import to_plain_text
from tests.conversations.helpers import answer_idea_up_to_summary, entry_title, start_idea
from tests.harness.chat import ChatHarness


async def test_a_question_at_the_description_is_answered_not_saved(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    reply = await bot.say("hvad er den gode ide?")
    assert entry_title(bot, "gode-ide") in reply
    assert texts.USE_AS_ANSWER_NOTE in reply and texts.USE_AS_ANSWER in bot.buttons()
    assert texts.IDEA_ASK_DESCRIPTION in reply  # the question again
    stored = await bot.draft()
    assert stored is not None and not stored.get("description")
    assert texts.IDEA_ASK_AREA in await bot.say("Vi kober papir ind sammen for hele kommunen")
    assert (await bot.draft() or {}).get("description") == "Vi kober papir ind sammen for hele kommunen"


async def test_the_question_can_be_used_as_the_answer_after_all(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say("hvad er den gode ide?")
    reply = await bot.click(texts.USE_AS_ANSWER)
    assert texts.IDEA_ASK_AREA in reply
    assert (await bot.draft() or {}).get("description") == "hvad er den gode ide?"


async def test_a_question_shaped_answer_is_asked_about_then_kept(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    reply = await bot.say("Hvorfor koeber hver afdeling selv papir ind?")
    # Question-shaped and nothing the knowledge answers: the bot asks rather than guess.
    assert texts.CLARIFY_ANSWER_OR_QUESTION in reply
    reply = await bot.click(texts.ANSWER_BUTTON)
    assert texts.IDEA_ASK_AREA in reply
    assert (await bot.draft() or {}).get("description") == "Hvorfor koeber hver afdeling selv papir ind?"
    assert await bot.unanswered() == []


async def test_the_text_itself_answers_the_four_forhold_question(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say("Vi kober papir ind sammen for hele kommunen")
    await bot.say("bff")
    await bot.say("tilfoej flere oplysninger")
    await bot.say("ca 50.000 kr om aaret")
    assert texts.IDEA_ASK_CONSEQUENCES in await bot.say("nej")
    reply = await bot.say("Mindre spild og faerre bestillinger at holde styr paa")
    assert texts.IDEA_YES_NO_RETRY not in reply
    assert texts.idea_consequence_taken("arbejdsforhold") in reply
    # The user described the consequences in one go: the four are not asked one by one.
    assert texts.IDEA_SUMMARY_TITLE in reply
    assert "Konsekvenser for arbejdsforhold: Mindre spild og faerre bestillinger at holde styr paa" in reply


@pytest.mark.parametrize("no", ["spring over", "ingen", "nej"])
async def test_spring_over_and_ingen_answer_the_four_forhold_question(jammerbugt: ChatHarness, no: str) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say("Vi kober papir ind sammen for hele kommunen")
    await bot.say("bff")
    await bot.say("tilfoej flere oplysninger")
    await bot.say("ca 50.000 kr om aaret")
    await bot.say("nej")
    reply = await bot.say(no)
    assert texts.IDEA_YES_NO_RETRY not in reply
    assert texts.IDEA_SUMMARY_TITLE in reply


async def test_my_own_earlier_idea_is_never_offered_for_support(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    assert "#2028-001" in await bot.say("bekraeft")
    await answer_idea_up_to_summary(bot, title="Faelles indkob af papir til alle")
    reply = await bot.say("bekraeft")
    assert texts.idea_own_duplicate_text("2028-001", "Faelles indkob af papir", "modtaget") in reply
    assert bot.buttons() == [texts.IDEA_OWN_SEND_NEW, texts.IDEA_OWN_KEEP_OLD]
    assert texts.idea_support_action("2028-001") not in reply
    assert "kan du ikke støtte" not in reply
    assert await bot.draft() is not None  # nothing deleted before the user chose
    reply = await bot.click(texts.IDEA_OWN_SEND_NEW)
    assert "#2028-002 er modtaget" in reply
    assert await bot.idea_titles() == ["Faelles indkob af papir", "Faelles indkob af papir til alle"]


async def test_keeping_the_old_idea_deletes_the_new_draft_only_when_chosen(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    await bot.say("bekraeft")
    await answer_idea_up_to_summary(bot, title="Faelles indkob af papir til alle")
    await bot.say("bekraeft")
    assert "Det forstod jeg ikke" in await bot.say("tja")  # not a choice: asked again, nothing deleted
    assert await bot.draft() is not None
    reply = await bot.say("behold den gamle")
    assert texts.idea_own_kept_old("2028-001") in reply
    assert await bot.draft() is None
    assert await bot.idea_count() == 1


async def test_the_receipt_says_nobody_got_word_when_no_contact_is_known(
    jammerbugt: ChatHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    with caplog.at_level(logging.WARNING, logger="bot.ideas.outbox"):
        receipt = await bot.say("bekraeft")
    assert "#2028-001 er modtaget" in receipt
    assert "ingen i udvalget har fået besked" in receipt
    assert "Den er sendt til" not in receipt
    # The admin is told: a warning in the log (without the idea's text) ...
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "no chat address" in r.getMessage()]
    assert warnings and all("Faelles indkob" not in r.getMessage() for r in warnings)
    # ... and in the admins' views of the idea (chat list and card, and the CLI, read these views).
    assert bot.runtime is not None
    [view] = await bot.runtime.ideas.service.list_ideas()
    assert view.contact_unreachable
    listing = to_plain_text(msgs.idea_list("Åbne idéer", [view], committee_facing=True))
    assert "⚠ #2028-001" in listing and texts.IDEA_LIST_CONTACT_WARNING in listing


async def test_the_receipt_says_the_contact_gets_word_when_one_is_known(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    assert bot.runtime is not None
    await bot.runtime.ideas.service.add_contact("bff", "29:jette", "Jette Søgaard Hansen")
    await answer_idea_up_to_summary(bot)
    receipt = await bot.say("bekraeft")
    assert "udvalgets kontaktperson får besked" in receipt
    assert "ingen i udvalget" not in receipt


async def test_sending_an_idea_on_to_a_committee_without_contact_says_so(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    assert bot.runtime is not None
    await answer_idea_up_to_summary(bot)
    await bot.say("bekraeft")
    await bot.runtime.ideas.service.add_admin("29:user-1", "bff")
    reply = await bot.say("saet ide 2028-001 til sendt videre til HovedMED")
    assert "Idé #2028-001 er nu: sendt videre til HovedMED." in reply
    assert "ingen i HovedMED har fået besked" in reply


async def test_a_command_in_an_idea_is_done_and_the_idea_goes_on(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    reply = await bot.say("mine paamindelser")
    assert texts.REMINDER_LIST_EMPTY in reply and texts.IDEA_ASK_DESCRIPTION in reply
    await bot.say("Vi bestiller papir sammen og får mængderabat")
    assert (await bot.draft() or {}).get("description") == "Vi bestiller papir sammen og får mængderabat"


async def test_a_command_inside_a_command_leaves_the_idea_and_keeps_the_draft(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    await bot.say("mind mig om MED-modet")  # a reminder on top of the idea, asking when
    reply = await bot.say("ny ide")
    assert (await bot.draft() or {}).get("title") == "Faelles indkob af papir"
    reply = await bot.say("fortsaet min ide") if texts.IDEA_RESUMED not in reply else reply
    assert texts.IDEA_ASK_DESCRIPTION in reply or texts.IDEA_RESUMED in reply


async def test_cancel_says_the_draft_is_kept(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot)
    reply = await bot.say("annuller")
    assert texts.CANCELLED in reply and texts.IDEA_SET_ASIDE in reply
    assert (await bot.draft() or {}).get("title") == "Faelles indkob af papir"


async def test_a_question_at_the_summary_is_answered_and_the_summary_shown_again(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    reply = await bot.say("hvad er en trio?")
    assert entry_title(bot, "trio") in reply
    assert texts.IDEA_SUMMARY_TITLE in reply and texts.USE_AS_ANSWER not in bot.buttons()
    assert "#2028-001 er modtaget" in await bot.say("bekraeft")


async def test_a_text_answer_that_looks_like_a_command_is_asked_about(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("ny ide")
    reply = await bot.say("afmeld papirpost")  # a title, or "stop a subscription"?
    assert texts.clarify_answer_or_command(texts.COMMAND_PHRASES["unsubscribe"]) in reply
    assert bot.buttons() == [texts.ANSWER_BUTTON, texts.COMMAND_BUTTONS["unsubscribe"], texts.CLARIFY_NONE]
    reply = await bot.say("1")
    assert texts.IDEA_ASK_DESCRIPTION in reply
    assert (await bot.draft() or {}).get("title") == "afmeld papirpost"


async def test_albertslund_is_not_shown_jammerbugts_idea_process(bot: ChatHarness, jammerbugt: ChatHarness) -> None:
    """The seeds describe Den gode idé for Jammerbugt (000) only; Albertslund's budget involvement
    is AfdelingsMED input to KommuneMED (004, punkt 2). The idea dialog says so under Albertslund."""
    reply = await bot.say("ny ide")
    assert "Albertslund har ikke beskrevet en »Den gode idé«-proces" in reply
    assert "AfdelingsMED" in reply
    reply = await jammerbugt.say("ny ide")
    assert "ikke beskrevet" not in reply


async def test_ved_ikke_at_the_area_question_means_the_unknown_area_button(bot: ChatHarness) -> None:
    """The button says »Ved ikke / andet område«; typing »ved ikke« must mean the same."""
    await bot.say("ny ide")
    await bot.say("Faelles indkob af papir")
    assert texts.IDEA_ASK_AREA in await bot.say("Vi bestiller sammen og faar maengderabat")
    reply = await bot.say("ved ikke")
    assert "Jeg kender ikke området" not in reply and texts.IDEA_ASK_AREA not in reply


async def test_a_question_it_cannot_answer_at_a_text_prompt_is_asked_about(jammerbugt: ChatHarness) -> None:
    """Nothing the user typed is thrown away or silently reinterpreted: a question-shaped text at
    the title prompt that the knowledge cannot answer is neither saved as the title nor dropped."""
    bot = jammerbugt
    await bot.say("ny ide")
    reply = await bot.say("hvornaar lukker kantinen?")
    assert texts.CLARIFY_ANSWER_OR_QUESTION in reply
    assert (await bot.draft() or {}).get("title") in (None, "")
    reply = await bot.click(texts.QUESTION_BUTTON)
    assert "ved jeg desværre ikke" in reply
    reply = await bot.say("hvornaar lukker kantinen?")
    reply = await bot.click(texts.ANSWER_BUTTON)
    assert (await bot.draft() or {}).get("title") == "hvornaar lukker kantinen?"


async def test_a_bare_nej_is_not_saved_as_the_title(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("ny ide")
    reply = await bot.say("nej")
    assert (await bot.draft() or {}).get("title") in (None, "")
    assert "Det forstod jeg ikke" in reply
    await bot.say("Faelles indkob af papir")
    assert (await bot.draft() or {}).get("title") == "Faelles indkob af papir"
