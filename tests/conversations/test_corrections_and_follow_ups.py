"""What people type after the bot has understood them: corrections, follow-ups, thanks.

Through the real handler, router, dialogs and storage (Tuesday 24 November 2026, 10:00
in Copenhagen; Jammerbugt unless the fixture says otherwise).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs import texts
from tests.conversations.helpers import answer_idea_up_to_summary, start_idea
from tests.harness.chat import ChatHarness

CPH = ZoneInfo("Europe/Copenhagen")


async def test_the_title_can_be_corrected_at_the_description(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "papirloese moeder")
    reply = await bot.say("glem titlen, den skal hedde digitale dagsordener")
    assert "digitale dagsordener" in reply
    assert texts.IDEA_ASK_DESCRIPTION in reply  # the open question again
    stored = await bot.draft() or {}
    assert stored.get("title") == "digitale dagsordener" and not stored.get("description")


async def test_a_starred_word_fixes_a_typo_in_the_answer_before(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "faelles indkob af kopipair")
    await bot.say("*kopipapir mente jeg")
    stored = await bot.draft() or {}
    assert stored.get("title") == "faelles indkob af kopipapir"
    assert not stored.get("description")  # »*kopipapir mente jeg« is no description


async def test_what_was_written_so_far_can_be_seen(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "genbrug af moebler")
    reply = await bot.say("kan du huske hvad jeg skrev?")
    assert texts.IDEA_DRAFT_SO_FAR in reply and "genbrug af moebler" in reply
    assert not (await bot.draft() or {}).get("description")


async def test_anonymity_and_an_unknown_area_in_the_users_words(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "faerre rengoeringsmidler")
    await bot.say("vi bruger 5 forskellige slags saebe, en slags er nok og billigere")
    reply = await bot.say("anonym tak")
    assert texts.IDEA_ANONYMOUS_TAKEN in reply and texts.IDEA_ASK_AREA in reply
    assert (await bot.draft() or {}).get("anonymous") is True
    await bot.say("ved ikke hvilken forvaltning")
    stored = await bot.draft() or {}
    assert stored.get("area_unknown") is True


async def test_after_sending_the_user_hears_who_has_the_idea(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    receipt = await bot.say("ja send")
    assert "ForvaltningsMED BFF" in receipt
    # no chat address for the committee's contact: the receipt says whom to write to
    assert "kontaktpersonen:" in receipt and "@jammerbugt.dk" in receipt
    reply = await bot.say("hvem får den nu?")
    assert "ForvaltningsMED BFF" in reply and "kontaktperson" in reply
    assert await bot.unanswered() == []


async def test_an_unclear_leader_at_the_decider_question_is_asked_about_again(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    first = await bot.say("vores chef vil flytte os til et andet kontor, hvilket MED skal det i?")
    assert texts.LEVEL_QUESTION in first
    reply = await bot.say("det er vel min chef")
    assert "kan sidde på flere niveauer" in reply
    assert texts.LEVEL_QUESTION in reply  # still waiting for who decides
    answer = await bot.say("2")
    assert "ForvaltningsMED" in answer


async def test_thanks_who_are_you_and_mash_are_not_questions(bot: ChatHarness) -> None:
    assert await bot.say("tak alle 👋") == texts.YOU_ARE_WELCOME
    assert "hjælp" in (await bot.say("hej hvem er du")).lower()
    await bot.say("asdkjhasd")
    await bot.say("hvad?")
    await bot.say("nope")
    assert await bot.unanswered() == []


async def test_a_date_inside_a_sentence_is_read_whole(bot: ChatHarness) -> None:
    await bot.say("mind mig om foraeldremoede naeste fredag d 4 kl 17")
    (reminder,) = await bot.reminders()
    assert reminder.text == "foraeldremoede"
    assert reminder.due_at.astimezone(CPH) == datetime(2026, 12, 4, 17, 0, tzinfo=CPH)
    await bot.say("nej vent, kl 8")
    (moved,) = await bot.reminders()
    assert moved.due_at.astimezone(CPH).hour == 8


async def test_a_reminder_asked_for_in_a_whole_sentence(bot: ChatHarness) -> None:
    await bot.say("jeg vil gerne have en påmindelse om at tale med AMR i morgen kl 12")
    (reminder,) = await bot.reminders()
    assert reminder.text == "tale med AMR"
    assert reminder.due_at.astimezone(CPH) == datetime(2026, 11, 25, 12, 0, tzinfo=CPH)


async def test_a_new_topic_after_a_question_is_not_read_as_a_follow_up(bot: ChatHarness) -> None:
    assert "Kilde" in await bot.say("hvem er formand i et MED-udvalg")
    reply = await bot.say("hvornår er julefrokosten 🎄")
    assert "Det ved jeg desværre ikke" in reply


async def test_a_new_case_after_cancel_words_is_the_case(bot: ChatHarness) -> None:
    reply = await bot.say("glem det. ny sag: skolelederen har besluttet at flytte personalemøderne på skolen")
    assert "Sagen: »skolelederen har besluttet" in reply and "ArbejdspladsMED" in reply
    assert await bot.unanswered() == []


async def test_an_answer_and_a_command_in_one_message(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await answer_idea_up_to_summary(bot)
    reply = await bot.say("ja og mind mig om at ringe til kontaktpersonen i morgen kl 9")
    assert "er modtaget" in reply  # the idea was sent ...
    (reminder,) = await bot.reminders()  # ... and the reminder saved
    assert reminder.text == "ringe til kontaktpersonen"
    assert reminder.due_at.astimezone(CPH) == datetime(2026, 11, 25, 9, 0, tzinfo=CPH)
