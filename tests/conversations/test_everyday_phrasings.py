"""Requests, cancels, thanks and cases in the words people use for them, not the words our tables use.

Through the real handler, router, dialogs and storage, typed the way people type.
"""

from __future__ import annotations

from dialogs import texts
from tests.conversations.helpers import start_idea
from tests.harness.chat import ChatHarness


async def test_a_cancel_with_a_reason_after_it_ends_the_idea(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Faelles vikarpulje")
    await bot.say("hmm glem det, jeg vil lige snakke med min leder først")
    assert await bot.active_dialog() is None
    await start_idea(bot, "Digitale vagtplaner")
    await bot.say("ok annuller ideen, jeg skriver den færdig senere")
    assert await bot.active_dialog() is None


async def test_asking_for_a_reminder_in_other_words_starts_the_reminder(bot: ChatHarness) -> None:
    reply = await bot.say("kan du sætte en påmindelse op for mig")
    assert "Det ved jeg desværre ikke" not in reply
    assert await bot.active_dialog() == "reminder"
    assert await bot.unanswered() == []


async def test_i_need_a_reminder_starts_the_reminder(bot: ChatHarness) -> None:
    await bot.say("jeg skal have sat en påmindelse")
    assert await bot.active_dialog() == "reminder"


async def test_sending_a_shared_idea_starts_the_idea(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("vi vil gerne sende en fælles idé fra hele biblioteket om at dele åbningstid med borgerservice")
    assert await bot.active_dialog() == "idea"


async def test_thanks_with_a_few_words_and_an_apology_are_not_logged(bot: ChatHarness) -> None:
    for text in ("tak det giver mening", "ok thanks anyway", "cool thanks"):
        assert texts.YOU_ARE_WELCOME in await bot.say(text)
    reply = await bot.say("sorry kat på tastaturet 😅")
    assert "Det ved jeg desværre ikke" not in reply
    assert await bot.unanswered() == []


async def test_thanks_with_a_question_is_answered_as_the_question(bot: ChatHarness) -> None:
    reply = await bot.say("tak, men hvad er en AMR?")
    assert "arbejdsmiljørepræsentant" in reply.lower()


async def test_ugly_remarks_from_a_colleague_are_a_personal_matter(bot: ChatHarness) -> None:
    reply = await bot.say(
        "hej jeg ved ikke helt hvem jeg skal snakke med. en kollega kommer hele tiden med grimme kommentarer om mit udseende"
    )
    assert "tillidsrepræsentant" in reply and "Det ved jeg desværre ikke" not in reply


async def test_who_should_take_a_stand_on_a_change_is_a_case(bot: ChatHarness) -> None:
    reply = await bot.say("hvem skal tage stilling til at vi skal dokumentere paa en helt ny maade i hjemmeplejen")
    assert "Det ved jeg desværre ikke" not in reply and "dokumentere" in reply
    assert await bot.active_dialog() == "case_level"


async def test_what_if_another_leader_decided_answers_the_case_again(bot: ChatHarness) -> None:
    first = await bot.say("skolelederen har besluttet en ny pauseordning for alle lærerne, hvor skal det behandles")
    assert "ArbejdspladsMED" in first
    reply = await bot.say("og hvis det nu var afdelingschefen der besluttede det for alle institutionerne i afdelingen?")
    assert "AfdelingsMED" in reply and "pauseordning" in reply


async def test_the_whole_idea_typed_at_the_title_is_kept_as_the_description(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("ny ide")
    long_text = (
        "vi kører hver i sin bil om aftenen ud til de sidste besøg i biersted og aabybro, "
        "hvis vi samkørte kunne vi spare en masse kørsel og penge"
    )
    reply = await bot.say(long_text)
    assert "beskrivelsen" in reply and "titel" in reply
    assert ((await bot.draft()) or {}).get("description") == long_text
    await bot.say("Samkørsel til aftenbesøg")
    draft = (await bot.draft()) or {}
    assert draft.get("title") == "Samkørsel til aftenbesøg" and draft.get("description") == long_text


async def test_a_question_without_a_question_mark_in_the_idea_is_answered_not_saved(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Samkørsel i hjemmeplejen")
    reply = await bot.say("og hvad sker der så med den bagefter")
    assert "Den gode idé" in reply and "Brug det som svar" in reply  # answered; the text can still be the answer
    assert not ((await bot.draft()) or {}).get("description")
    assert await bot.active_dialog() == "idea"


async def test_are_those_this_years_dates_says_which_year_they_are_from(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("hvornaar er der offentlig hoering af budgettet")
    reply = await bot.say("er det datoerne for i år?")
    assert "Nej – datoerne er fra" in reply and "2026" in reply  # the year asked about is not in the material
    assert "Det ved jeg desværre ikke" not in reply


async def test_a_reminder_asked_for_without_saying_what_asks_what(bot: ChatHarness) -> None:
    reply = await bot.say("kan du sætte en påmindelse op for mig")
    assert "Hvad skal jeg minde dig om?" in reply
    await bot.say("at sende vores input til KommuneMEDs sekretær")
    await bot.say("i morgen kl 9")
    reminders = await bot.reminders()
    assert [r.text for r in reminders] == ["sende vores input til KommuneMEDs sekretær"]


async def test_rough_remarks_about_ones_looks_are_a_personal_matter(bot: ChatHarness) -> None:
    reply = await bot.say(
        "en kollega bliver ved med at komme med grove kommentarer om mit udseende. kan jeg bringe det op i arbejdspladsMED?"
    )
    assert "tillidsrepræsentant" in reply and "Hvem træffer beslutningen?" not in reply


async def test_delete_it_with_a_reason_deletes_the_reminder(bot: ChatHarness) -> None:
    await bot.say("mind mig om at tage min mappe med til lokalmed moede i morgen kl 13")
    assert len(await bot.reminders()) == 1
    reply = await bot.say("slet den igen moedet er aflyst")
    assert await bot.reminders() == [] and "Jeg kan ikke finde" not in reply
    await bot.say("mind mig om at forberede punkt til KommuneMED fredag kl 9")
    await bot.say("ok glem påmindelsen helt, det er ikke mig der skal lave punktet")
    assert await bot.reminders() == []


async def test_wanting_to_be_anonymous_said_in_a_sentence_is_noted_not_saved(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Samkørsel til aftenbesøg")
    reply = await bot.say("skal mit navn staa paa den, vil helst vaere anonym")
    assert "uden dit navn" in reply
    draft = (await bot.draft()) or {}
    assert draft.get("anonymous") is True and not draft.get("description")


async def test_a_question_without_a_mark_that_the_knowledge_cannot_place_is_asked_about(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Fælles indkøb til køkkenet")
    reply = await bot.say("skal den ikke forbi vores lokalmed foerst")
    assert "Var det dit svar på mit spørgsmål, eller et spørgsmål til mig?" in reply
    assert not ((await bot.draft()) or {}).get("description")


async def test_a_case_told_in_two_sentences_is_placed_not_answered_from_one_of_them(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    reply = await bot.say(
        "vores leder i bornehaven vil lave en ny retningslinje for sygefravaer, det er hende der beslutter det. hvor skal det drooftes"
    )
    assert "LokalMED" in reply


async def test_an_election_question_after_another_is_not_answered_by_the_one_before(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("skal vi i lokalMED skrive noget om konsekvenserne af sparekataloget?")
    reply = await bot.say("hvornår er der valg til lokalMED hos os?")
    assert "Det ved jeg desværre ikke" in reply


async def test_the_area_and_the_wish_to_be_anonymous_in_one_message_are_both_taken(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Skærmbaserede møder i stedet for print")
    await bot.say("vi printer dagsorden og bilag til alle møder, det kunne spares hvis alle bruger skærm")
    reply = await bot.say("det er BFF og jeg vil gerne vaere anonym")
    draft = (await bot.draft()) or {}
    assert "uden dit navn" in reply and draft.get("anonymous") is True and draft.get("area_id")
