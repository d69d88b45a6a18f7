"""The idea dialog, through the whole bot (handler, router, dialogs, the SQL dialog state)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.ideas.service import IdeaService
from bot.ideas.views import ideas, submitters
from bot.storage.db import Database
from dialogs import texts
from tests.harness.chat import ChatHarness
from tests.ideas.conftest import ChatFactory
from tests.ideas.helpers import complete_draft

LONG = "x" * 20_000


async def _answer_all(chat: ChatHarness, *, title: str = "Fælles indkøb af kontorartikler") -> str:
    """The three questions an idea needs; returns the summary."""
    await chat.say(title)
    await chat.say("Vi køber ind hver for sig i hver afdeling. En fælles aftale giver mængderabat.")
    return await chat.say("BFF")


async def test_happy_path_step_by_step(chat_factory: ChatFactory, database: Database) -> None:
    chat = await chat_factory()
    reply = await chat.say("jeg har en god idé")
    assert texts.IDEA_INTRO in reply
    assert texts.IDEA_ASK_TITLE in reply
    assert texts.IDEA_ASK_DESCRIPTION in await chat.say("Fælles indkøb af kontorartikler")
    reply = await chat.say("Vi køber ind hver for sig. En fælles aftale giver rabat.")
    assert texts.IDEA_ASK_AREA in reply and "BFF" in reply and texts.IDEA_AREA_UNKNOWN in reply
    summary = await chat.say("2")  # by number: BFF is the second area
    assert texts.IDEA_SUMMARY_TITLE in summary
    assert "ForvaltningsMED BFF" in summary and "budget 2027" in summary and "med dit navn (Mette Jensen)" in summary
    for button in (texts.IDEA_CONFIRM, texts.IDEA_SEND_ANONYMOUS, texts.IDEA_ADD_MORE, texts.IDEA_EDIT, texts.IDEA_CANCEL):
        assert button in summary
    assert texts.IDEA_ASK_POTENTIAL not in summary and texts.IDEA_ASK_ANONYMOUS not in summary
    # »Tilføj flere oplysninger«: the optional fields one at a time, each skippable.
    reply = await chat.press(texts.IDEA_ADD_MORE.lower(), "idea")
    assert texts.IDEA_MORE_INTRO in reply and texts.IDEA_ASK_POTENTIAL in reply and texts.IDEA_SKIP in reply
    assert texts.IDEA_ASK_CROSS in await chat.say("Cirka 200.000 kr. om året.")
    assert texts.IDEA_ASK_CONSEQUENCES in await chat.say("nej")
    assert "arbejdsforhold" in await chat.say("ja")
    await chat.say("Ingen ændring i arbejdsopgaverne.")
    await chat.say("spring over")
    await chat.say("-")
    summary = await chat.say("Mindre stress ved indkøb.")
    assert texts.IDEA_SUMMARY_TITLE in summary
    assert "Potentiale: Cirka 200.000 kr. om året." in summary
    assert "Konsekvenser for arbejdsmiljøforhold: Mindre stress ved indkøb." in summary
    receipt = await chat.say("ja tak")
    assert "Din idé #2027-001 er modtaget" in receipt
    assert "ForvaltningsMED BFF" in receipt
    async with database.session() as session:
        row = (await session.execute(sa.select(ideas))).one()
        link = (await session.execute(sa.select(submitters))).one()
    assert row.title == "Fælles indkøb af kontorartikler"
    assert row.committee == "bff" and row.status == "modtaget"
    assert row.consequences == {"arbejdsforhold": "Ingen ændring i arbejdsopgaverne.", "arbejdsmiljoeforhold": "Mindre stress ved indkøb."}
    assert link.user_id == "29:mette" and link.conversation_ref_id is not None
    # The dialog has ended: the next message is not taken as an answer.
    assert "#2027" not in await chat.say("hej")


async def test_card_channel_fills_the_whole_form_at_once(chat_factory: ChatFactory) -> None:
    chat = await chat_factory(channel_id="msteams")
    reply = await chat.say("ny idé")
    assert "[title]" in reply and "[description]" in reply and "[area]" in reply and "[anonymous]" in reply
    summary = await chat.submit_form(
        form="idea_form",
        dialog="idea",
        values={
            "title": "Samkørsel til møder",
            "description": "Fælles bilordning, så vi kører sammen til møder i Aabybro og Fjerritslev.",
            "potential": "Sparer kørselsgodtgørelse.",
            "area": "__unknown__",
            "cross_cutting": "true",
            "conseq_samarbejdsforhold": "Bedre samarbejde på tværs.",
            "anonymous": "false",
        }
    )
    assert texts.IDEA_SUMMARY_TITLE in summary
    assert "HovedMED" in summary  # cross-cutting ideas go to the top committee (000)
    receipt = await chat.press(texts.IDEA_CONFIRM.lower(), "idea")
    assert "#2027-001 er modtaget" in receipt and "HovedMED" in receipt


async def test_form_with_problems_is_shown_again_with_the_reasons(chat_factory: ChatFactory) -> None:
    chat = await chat_factory(channel_id="msteams")
    await chat.say("ny idé")
    reply = await chat.submit_form(
        {"title": "", "description": LONG, "potential": "Noget", "area": "teknik", "cross_cutting": "false", "anonymous": "false"},
        form="idea_form",
        dialog="idea",
    )
    assert texts.idea_field_empty(texts.IDEA_FIELD_LABELS["title"]) in reply
    assert texts.idea_field_too_long(texts.IDEA_FIELD_LABELS["description"], 4000, 20_000) in reply
    assert "»teknik«" in reply
    assert "[title]" in reply  # the form again
    summary = await chat.submit_form(
        form="idea_form",
        dialog="idea",
        values={"title": "Kortere møder", "description": "Møder på højst 45 minutter.", "potential": "Tid", "area": "vuf", "cross_cutting": "false", "anonymous": "true"}
    )
    assert "ForvaltningsMED VUF" in summary and "uden dit navn" in summary
    # The form asked for anonymity: the other button sends with the name.
    assert texts.IDEA_SEND_WITH_NAME in summary and texts.IDEA_SEND_ANONYMOUS not in summary


async def test_editing_a_field_from_the_summary(chat_factory: ChatFactory, database: Database) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    summary = await _answer_all(chat)
    assert "Titel: Fælles indkøb af kontorartikler" in summary
    assert texts.IDEA_ASK_TITLE in await chat.say("ret titel")
    summary = await chat.say("Fælles indkøb af papir og toner")
    assert "Titel: Fælles indkøb af papir og toner" in summary
    assert texts.IDEA_ASK_AREA in await chat.say("ret område")
    summary = await chat.say("ssb")
    assert "ForvaltningsMED SSB" in summary
    assert texts.IDEA_ASK_WHICH_FIELD in await chat.press(texts.IDEA_EDIT.lower(), "idea")
    assert texts.IDEA_ASK_POTENTIAL in await chat.say("Potentiale")
    summary = await chat.say("Mindst 250.000 kr.")
    assert "Potentiale: Mindst 250.000 kr." in summary
    assert texts.IDEA_ASK_CONSEQUENCES in await chat.say("ret konsekvenser")
    await chat.say("ja")
    for _ in range(3):
        await chat.say("spring over")
    summary = await chat.say("Færre bestillinger at holde styr på.")
    assert "Konsekvenser for arbejdsmiljøforhold: Færre bestillinger at holde styr på." in summary
    assert texts.IDEA_SUMMARY_RETRY in await chat.say("hmm")
    assert "er modtaget" in await chat.say("bekræft")  # the old word still sends
    async with database.session() as session:
        row = (await session.execute(sa.select(ideas))).one()
    assert (row.title, row.committee, row.potential) == ("Fælles indkøb af papir og toner", "ssb", "Mindst 250.000 kr.")


async def test_cancel_keeps_the_draft_and_a_new_idea_offers_to_resume(chat_factory: ChatFactory, database: Database) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    await chat.say("Genbrug af kontormøbler")
    assert texts.CANCELLED in await chat.say("annuller")
    async with database.session() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(ideas))).scalar_one() == 0
    # A click on the old card of the cancelled dialog is answered politely.
    assert texts.CARD_EXPIRED in await chat.press("bekræft", "idea")
    reply = await chat.say("jeg har en god idé")
    assert "Genbrug af kontormøbler" in reply and "fortsætte" in reply
    reply = await chat.say("ja")
    assert texts.IDEA_RESUMED in reply and texts.IDEA_ASK_DESCRIPTION in reply


async def test_declining_to_resume_starts_over(chat_factory: ChatFactory) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    await chat.say("Genbrug af kontormøbler")
    await chat.say("annuller")
    await chat.say("ny idé")
    reply = await chat.say("nej")
    assert texts.IDEA_STARTING_OVER in reply and texts.IDEA_ASK_TITLE in reply


async def test_cancel_from_the_summary(chat_factory: ChatFactory, database: Database) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    await _answer_all(chat)
    assert texts.CANCELLED in await chat.say("annuller")
    async with database.session() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(ideas))).scalar_one() == 0


async def test_help_repeats_the_question(chat_factory: ChatFactory) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    await chat.say("Genbrug af kontormøbler")
    reply = await chat.say("hjælp")
    assert texts.HELP in reply and texts.IDEA_ASK_DESCRIPTION in reply


async def test_bad_input_is_explained_and_asked_again(chat_factory: ChatFactory) -> None:
    # A bot whose message limit lets a 20,000-character message through to the dialog's own field limits.
    chat = await chat_factory(max_message_chars=len(LONG))
    await chat.say("ny idé")
    # Spaces only: the handler answers before any dialog (an empty title is refused on the form, see above).
    assert texts.EMPTY_MESSAGE in await chat.say("   ")
    reply = await chat.say("T" * 121)
    assert "121 tegn" in reply and texts.IDEA_ASK_TITLE in reply
    await chat.say("Kortere møder")
    reply = await chat.say(LONG)
    assert texts.idea_field_too_long("Beskrivelse", 4000, 20_000) in reply
    assert texts.IDEA_ASK_DESCRIPTION in reply
    await chat.say("Møder på højst 45 minutter.")
    reply = await chat.say("Teknik og Miljø")
    assert "Jeg kender ikke området »Teknik og Miljø«" in reply
    for area in ("SSB", "BFF", "VUF", "STABplus"):
        assert area in reply
    assert texts.IDEA_SUMMARY_TITLE in await chat.say("stab plus")
    await chat.say("tilføj")
    assert texts.IDEA_ASK_CROSS in await chat.say("spring over")
    assert texts.IDEA_YES_NO_RETRY in await chat.say("måske")


async def test_empty_text_from_a_form_less_channel_is_not_taken_as_the_title(chat_factory: ChatFactory) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    assert texts.EMPTY_MESSAGE in await chat.say("")
    assert await chat.active_dialog() == "idea"  # still waiting for the title
    assert texts.IDEA_ASK_DESCRIPTION in await chat.say("Kortere møder")


async def test_duplicate_offer_support_instead(chat_factory: ChatFactory, service: IdeaService, database: Database, mette, jonas) -> None:
    existing = await service.submit(complete_draft(), jonas)
    chat = await chat_factory()
    await chat.say("ny idé")
    await _answer_all(chat, title="faelles indkob af kontor artikler")
    reply = await chat.say("bekræft")
    assert texts.idea_duplicates_text(2027) in reply
    assert f"#{existing.number}" in reply and texts.idea_support_action(existing.number) in reply
    reply = await chat.say(texts.idea_support_action(existing.number).lower())
    assert texts.idea_supported(existing.number) in reply
    async with database.session() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(ideas))).scalar_one() == 1
    view = await service.view(existing.number)
    assert view.supports == 1


async def test_duplicate_offer_send_anyway(chat_factory: ChatFactory, service: IdeaService, jonas) -> None:
    await service.submit(complete_draft(), jonas)
    chat = await chat_factory()
    await chat.say("ny idé")
    await _answer_all(chat, title="Fælles indkøb af kontorartikler på tværs")
    await chat.say("bekræft")
    assert texts.IDEA_DUPLICATES_RETRY in await chat.say("tja")
    assert "#2027-002 er modtaget" in await chat.say("send alligevel")


async def test_anonymous_submission(chat_factory: ChatFactory, service: IdeaService, database: Database) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    summary = await _answer_all(chat)
    assert "med dit navn" in summary
    receipt = await chat.press(texts.IDEA_SEND_ANONYMOUS.lower(), "idea")
    assert texts.IDEA_RECEIPT_ANONYMOUS in receipt
    view = await service.view("2027-001", committee_facing=True, with_history=True)
    assert view.anonymous and view.submitter is None
    assert all("Mette" not in (e.actor or "") for e in view.events)
    listed = await service.list_ideas()
    assert listed[0].submitter is None
    # The link is kept apart, for feedback only.
    async with database.session() as session:
        link = (await session.execute(sa.select(submitters))).one()
    assert link.user_id == "29:mette" and link.conversation_ref_id is not None


async def test_resume_after_restart(chat_factory: ChatFactory) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    await chat.say("Genbrug af kontormøbler")
    assert texts.IDEA_ASK_AREA in await chat.say("Møbler fra lukkede kontorer flyttes til nye.")

    # A new process: new Database, storage, service and dialogs on the same file.
    await chat.restart()
    summary = await chat.say("VUF")
    assert "Titel: Genbrug af kontormøbler" in summary
    assert "er modtaget" in await chat.say("bekræft")


async def test_resume_an_abandoned_draft_with_fortsaet(chat_factory: ChatFactory) -> None:
    chat = await chat_factory()
    await chat.say("ny idé")
    await chat.say("Genbrug af kontormøbler")
    await chat.say("annuller")
    # "fortsæt min idé" resumes straight away (the intents route it to IDEA_NEW)
    reply = await chat.say("fortsæt min idé")
    assert texts.IDEA_RESUMED in reply and texts.IDEA_ASK_DESCRIPTION in reply


async def test_a_dialog_saved_at_the_old_anonymity_question_goes_on(chat_factory: ChatFactory, database: Database) -> None:
    """A user who was asked »Vil du sende idéen anonymt?« before the dialog was shortened."""
    chat = await chat_factory()
    await chat.say("ny idé")
    await chat.say("Genbrug af kontormøbler")
    await chat.say("Møbler fra lukkede kontorer flyttes til nye.")
    summary = await chat.say("VUF")
    assert "med dit navn" in summary

    assert chat.runtime is not None
    storage = chat.runtime.storage  # the dialog state as the previous version left it
    key = chat.state_key
    item = (await storage.read([key]))[key]
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("ask") == "summary":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif hasattr(node, "__dict__"):
            walk(vars(node))

    walk(item)
    assert found, "the idea dialog's state was not found"
    for options in found:
        options["ask"] = "anonymous"
    item["e_tag"] = "*"
    await storage.write({key: item})

    summary = await chat.say("ja")  # the answer to the old question: anonymous
    assert texts.IDEA_SUMMARY_TITLE in summary and "uden dit navn" in summary
    assert texts.IDEA_RECEIPT_ANONYMOUS in await chat.say("ja")
