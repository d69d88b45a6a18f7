"""Remarks, side questions and commands wrapped in small talk, at a prompt and after an answer.

Through the real handler, router, dialogs and storage, typed the way people type. The
fake clock starts Tuesday 24 November 2026, 10:00 in Copenhagen.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs.reminder_port import ReminderView
from tests.conversations.helpers import start_idea
from tests.harness.chat import ChatHarness

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _local(reminder: ReminderView) -> str:
    return reminder.due_at.astimezone(COPENHAGEN).strftime("%a %H:%M")


async def test_a_remark_at_the_description_is_not_saved(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Digitale dagsordener")
    reply = await bot.say("hov det her er jo teamkanalen, alle kan se det 🙈")
    assert "Var det dit svar" in reply
    draft = await bot.draft() or {}
    assert "teamkanalen" not in str(draft)


async def test_where_were_we_repeats_the_question(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Fælles indkøb af læremidler")
    reply = await bot.say("ok fedt. hvor var vi")
    assert "Beskriv idéen" in reply
    assert "hvor var vi" not in str(await bot.draft() or {})


async def test_a_question_opened_by_hmm_is_not_saved_as_the_description(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Samkørsel i hjemmeplejen")
    await bot.say("hmm skal sådan noget ikke først drøftes i lokalMED? det påvirker jo personalet")
    assert "lokalMED" not in str(await bot.draft() or {})
    assert await bot.active_dialog() == "idea"


async def test_a_question_about_the_idea_process_is_answered_not_started(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    reply = await bot.say("Er det obligatorisk for LokalMED at arbejde med Den gode idé?")
    assert "frivillig" in reply.lower()
    assert await bot.active_dialog() is None
    reply = await bot.say("hej, jeg er ny i hjemmeplejen. hvad er den gode ide for noget?")
    assert "Kilde:" in reply
    assert await bot.active_dialog() is None


async def test_i_want_to_send_one_after_the_answer_starts_the_idea(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("hvad er den gode ide")
    await bot.say("ok sejt, jeg vil gerne sende en")
    assert await bot.active_dialog() == "idea"


async def test_another_reminder_after_og_en_mere_is_a_reminder_not_an_idea(bot: ChatHarness) -> None:
    await bot.say("mind mig om at sende APV rapporten i morgen kl 9")
    await bot.say("og en mere: mind mig om budget webinaret på fredag kvart over ni")
    reminders = await bot.reminders()
    assert len(reminders) == 2
    assert any("webinar" in r.text and _local(r) == "Fri 09:15" for r in reminders)
    assert await bot.active_dialog() != "idea"


async def test_a_reminder_written_as_a_note_is_saved(bot: ChatHarness) -> None:
    await bot.say("Påmindelse: udsende dagsorden til KommuneMED onsdag d. 16. december kl. 09.00")
    reminders = await bot.reminders()
    assert [r.text for r in reminders] == ["udsende dagsorden til KommuneMED"]
    assert reminders[0].due_at.astimezone(COPENHAGEN).strftime("%d/%m %H:%M") == "16/12 09:00"
    assert await bot.unanswered() == []


async def test_a_move_after_a_remark_at_the_list_moves_the_reminder(bot: ChatHarness) -> None:
    await bot.say("mind mig om at tage ferieplanen op på ArbejdspladsMED i morgen kl 9")
    await bot.say("mine påmindelser")
    await bot.say("vi tager det på fredag i stedet, flyt den til kl 13 fredag")
    [reminder] = await bot.reminders()
    assert _local(reminder) == "Fri 13:00"
    assert await bot.unanswered() == []


async def test_moving_to_another_day_keeps_the_time(bot: ChatHarness) -> None:
    await bot.say("mind mig om at tjekke sygefraværsstatistikken på torsdag kl 8")
    await bot.say("mine påmindelser")
    await bot.say("flyt den til onsdag samme tid")
    [reminder] = await bot.reminders()
    assert _local(reminder) == "Wed 08:00"


async def test_a_colleagues_remarks_and_can_med_help_me_is_a_personal_matter(bot: ChatHarness) -> None:
    reply = await bot.say(
        "min kollega siger grimme ting til mig hver dag om min accent og de andre griner. kan med hjaelpe mig"
    )
    assert "tillidsrepræsentant" in reply and "Det ved jeg desværre ikke" not in reply


async def test_a_question_after_an_introduction_is_answered(bot: ChatHarness) -> None:
    reply = await bot.say("jeg er lige startet som pædagog i en af børnehaverne, hvad er det der MED for noget?")
    assert "Kilde:" in reply and "Det ved jeg desværre ikke" not in reply


async def test_the_director_of_our_own_forvaltning_places_the_case_there(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("hvem skal tage stilling til at direktøren vil samle alle skolernes administration ét sted?")
    assert await bot.active_dialog() == "case_level"
    reply = await bot.say("direktøren for børn og familie, altså vores egen forvaltning")
    assert "ForvaltningsMED" in reply and "administration" in reply


async def test_the_time_alone_after_an_impossible_one_keeps_the_day(bot: ChatHarness) -> None:
    reply = await bot.say("mind mig om at booke lokale til 31/12 kl 25")
    assert "findes ikke" in reply
    await bot.say("kl 15 mente jeg")
    [reminder] = await bot.reminders()
    assert reminder.text == "booke lokale"
    assert reminder.due_at.astimezone(COPENHAGEN).strftime("%d/%m %H:%M") == "31/12 15:00"


async def test_a_question_at_the_area_choice_is_read_as_about_the_idea(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await start_idea(bot, "Samkørsel i hjemmeplejen")
    await bot.say("Vi kører sammen ud til borgerne om morgenen, så vi sparer leasingbiler")
    reply = await bot.say("hvornår hører jeg noget?")
    assert "tilbagemelding" in reply.lower() and "Det ved jeg desværre ikke" not in reply
    assert await bot.active_dialog() == "idea"
    assert await bot.unanswered() == []


async def test_what_about_here_after_telling_of_the_other_municipality_is_a_question(bot: ChatHarness) -> None:
    reply = await bot.say("i jammerbugt har de noget der hedder den gode idé til budgettet. hvad så med hos os?")
    assert await bot.active_dialog() is None
    assert "AfdelingsMED" in reply and "Kilde:" in reply


async def test_a_case_question_at_the_title_is_answered_as_a_case(bot: ChatHarness) -> None:
    await bot.say("jeg vil indsende en god idé til budgettet")
    assert await bot.active_dialog() == "idea"
    reply = await bot.say(
        "hvilket MED-udvalg skal behandle et budgetforslag om at samle IT-indkøb på tværs af afdelingerne, "
        "når det er kommunaldirektøren der indstiller det til kommunalbestyrelsen?"
    )
    assert "KommuneMED" in reply and "Var det dit svar" not in reply


async def test_it_concerns_others_too_after_a_case_is_an_objection(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("hvem skal tage stilling til at direktøren vil samle alle skolernes administration ét sted?")
    await bot.say("direktøren for børn og familie, altså vores egen forvaltning")
    reply = await bot.say("men det berører jo også folk i SSB, skal det så ikke i hovedMED?")
    assert "ForvaltningsMED" in reply and "beslut" in reply


async def test_thanks_in_spoken_danish_is_not_logged(bot: ChatHarness) -> None:
    reply = await bot.say("tak skal du ha")
    assert "Det ved jeg desværre ikke" not in reply
    assert await bot.unanswered() == []


async def test_remindere_shows_the_list(bot: ChatHarness) -> None:
    await bot.say("mind mig om at tjekke APV i morgen kl 9")
    reply = await bot.say("mine remindere")
    assert "APV" in reply and await bot.unanswered() == []


async def test_a_part_of_the_day_as_the_subject_and_a_duration_as_the_time(bot: ChatHarness) -> None:
    await bot.say("mind mig om frokost om 30 min")
    [reminder] = await bot.reminders()
    assert reminder.text == "frokost"
    assert reminder.due_at.astimezone(COPENHAGEN).strftime("%H:%M") == "10:30"


async def test_a_question_after_a_remark_without_its_question_mark_is_answered(bot: ChatHarness) -> None:
    reply = await bot.say("ok jeg prøver på dansk. hvad er MED")
    assert "Kilde:" in reply and "Det ved jeg desværre ikke" not in reply


async def test_how_to_find_the_committee_is_a_question_not_a_case(bot: ChatHarness) -> None:
    reply = await bot.say("hvordan finder man ud af hvilket MED udvalg en sag hoerer til her i albertslund")
    assert "Kilde:" in reply and "Sagen:" not in reply
    assert await bot.active_dialog() is None


async def test_a_whole_case_at_the_decider_prompt_is_placed_at_once(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg skal behandle nye regler for brug af mobiltelefoner")
    assert await bot.active_dialog() == "case_level"
    reply = await bot.say("jeg er afdelingschef og vil aendre aabningstiderne for hele afdelingen, hvor skal det droftes")
    assert "AfdelingsMED" in reply and "Mener du" not in reply


async def test_one_colleagues_sick_leave_in_lokalmed_is_not_a_med_case(jammerbugt: ChatHarness) -> None:
    reply = await jammerbugt.say("skal en bestemt kollegas sygefravær diskuteres hos os i lokalmed?")
    assert "ikke en sag for MED" in reply


async def test_higher_up_because_others_are_affected_is_an_objection(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    await bot.say("hvilket udvalg skal behandle at vi skal ha ny ordning med gaardvagter i frikvartererne")
    await bot.say("det er vores skoleleder der har lavet den")
    reply = await bot.say("men der er jo ogsaa elever og foraeldre der bliver beroert af det, skal det saa ikke hoejere op?")
    assert "LokalMED" in reply and "beslut" in reply


async def test_a_list_asked_for_in_words_is_the_list(bot: ChatHarness) -> None:
    await bot.say("mind mig om at sende referatet ud i dag kl 14")
    reply = await bot.say("vis liste over mine paamindelser")
    assert "referatet" in reply and await bot.unanswered() == []


async def test_a_team_leader_with_the_team_named_is_an_answer(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg skal behandle nye regler for hvornår vi tager telefonen")
    reply = await bot.say("det er vores teamleder i IT der bestemmer det")
    assert "ArbejdspladsMED" in reply and "Mener du" not in reply


async def test_it_concerns_everybody_after_not_a_med_matter_still_is_not(bot: ChatHarness) -> None:
    first = await bot.say("hvilket udvalg skal behandle at vi skal have et nyt tillæg for weekendvagter")
    assert "ikke en sag for MED" in first
    reply = await bot.say("men det gælder jo alle i huset, vi får alle for lidt")
    assert "stadig ikke en sag for MED" in reply and "tillæg" in reply
    assert await bot.unanswered() == []


async def test_it_concerns_everybody_after_the_answer_on_what_med_cannot_handle(jammerbugt: ChatHarness) -> None:
    bot = jammerbugt
    first = await bot.say("jeg synes jeg faar for lidt i lon ift mine kollegaer, kan med hjaelpe mig med det")
    assert "løn" in first
    reply = await bot.say("men det gaelder jo alle sosuer herude, vi faar alle for lidt")
    assert "stadig ikke en sag for MED" in reply and "løn" in reply
    assert await bot.unanswered() == []
