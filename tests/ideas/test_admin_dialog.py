"""The chat commands about ideas: own ideas for everybody, list/show/change for admins only.

Typed to the whole bot: the router starts the admin dialog for an idea command."""

from __future__ import annotations

from botbuilder.core import ConversationState, MemoryStorage
from botbuilder.testing import DialogTestClient

from bot.ideas.service import IdeaService
from bot.ideas.wiring import IdeaComponents
from dialogs import texts
from dialogs.idea_port import Person
from knowledge.ideas_rules import IdeaStatus
from tests.harness.chat import ChatHarness, reply_text
from tests.ideas.conftest import ChatFactory, account
from tests.ideas.helpers import complete_draft


async def _secretary_chat(chat_factory: ChatFactory, service: IdeaService, secretary: Person) -> ChatHarness:
    await service.add_admin(secretary.user_id, "bff")
    return await chat_factory(channel_id="msteams", user=account(secretary), conversation_id=secretary.conversation_id)


async def test_admin_lists_shows_and_changes_status(
    chat_factory: ChatFactory, service: IdeaService, mette: Person, secretary: Person
) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    await service.submit(complete_draft(title="Andet område", area_id="vuf"), mette)
    chat = await _secretary_chat(chat_factory, service, secretary)
    reply = await chat.say("idéer")
    assert texts.idea_admin_list_title("ForvaltningsMED BFF") in reply
    assert f"#{number} »Fælles indkøb af kontorartikler« – modtaget" in reply
    assert "Andet område" not in reply  # another committee's idea
    reply = await chat.say(f"idé {number}")
    assert "Forslagsstiller: Mette Jensen" in reply and "Historik" in reply
    reply = await chat.say(f"sæt idé {number} til drøftes")
    assert texts.idea_status_changed(number, "drøftes i ForvaltningsMED BFF", 1) in reply
    assert (await service.view(number)).status is IdeaStatus.DROEFTES


async def test_afvist_without_reason_asks_for_one(
    chat_factory: ChatFactory, service: IdeaService, mette: Person, secretary: Person
) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    chat = await _secretary_chat(chat_factory, service, secretary)
    reply = await chat.say(f"sæt idé {number} til afvist")
    assert texts.idea_ask_reason("afvist") in reply
    reply = await chat.say("Det er allerede besluttet i fagudvalget.")
    assert texts.idea_status_changed(number, "afvist", 1) in reply
    view = await service.view(number, with_history=True)
    assert view.status is IdeaStatus.AFVIST and view.events[-1].reason == "Det er allerede besluttet i fagudvalget."


async def test_admin_errors_are_explained(
    chat_factory: ChatFactory, service: IdeaService, mette: Person, secretary: Person
) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    chat = await _secretary_chat(chat_factory, service, secretary)
    reply = await chat.say(f"sæt idé {number} til budgetforslag")
    assert "kan ikke blive »indgår i budgetforslag«" in reply and "»drøftes«" in reply
    assert texts.idea_not_found("2027-099") in await chat.say("idé 2027-099")
    assert texts.idea_unknown_status("måske") in await chat.say(f"sæt idé {number} til måske")
    reply = await chat.say(f"sæt idé {number} til sendt videre til Teknisk Udvalg")
    assert "»Teknisk Udvalg«" in reply and "HovedMED" in reply
    assert texts.idea_comment_saved(number) in await chat.say(f"kommentér idé {number}: tages op i maj")


async def test_a_text_that_is_no_command_gets_the_command_help(components: IdeaComponents) -> None:
    """The dialog alone: the router starts it only for a text that parses as an idea command
    (»idé hvad?« is answered as a question), so its help for anything else is seen here only."""
    client = DialogTestClient(
        "msteams",
        components.admin_dialog,
        initial_dialog_options="idé hvad?",
        conversation_state=ConversationState(MemoryStorage()),
    )
    reply = await client.send_activity("idé hvad?")
    assert reply_text(reply) == texts.IDEA_COMMANDS_HELP


async def test_others_are_refused_politely(
    chat_factory: ChatFactory, service: IdeaService, mette: Person, jonas: Person
) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    chat = await chat_factory(channel_id="msteams", user=account(jonas), conversation_id=jonas.conversation_id)
    assert texts.IDEA_ADMIN_ONLY in await chat.say("idéer")
    assert texts.IDEA_ADMIN_ONLY in await chat.say(f"idé {number}")
    assert texts.IDEA_ADMIN_ONLY in await chat.say(f"sæt idé {number} til drøftes")
    assert texts.IDEA_ADMIN_ONLY in await chat.say(f"sæt idé {number} til afvist")  # refused before the reason is asked
    assert texts.IDEA_ADMIN_ONLY in await chat.say(f"kommentér idé {number}: hej")
    assert (await service.view(number)).status is IdeaStatus.MODTAGET


async def test_the_submitter_sees_own_ideas_but_not_the_admin_view(
    chat_factory: ChatFactory, service: IdeaService, mette: Person
) -> None:
    chat = await chat_factory(channel_id="msteams", user=account(mette), conversation_id=mette.conversation_id)
    assert texts.MY_IDEAS_EMPTY in await chat.say("mine idéer")  # routed by Intent.IDEA_LIST
    number = (await service.submit(complete_draft(), mette)).number
    reply = await chat.say("mine idéer")
    assert texts.MY_IDEAS_TITLE in reply and f"#{number}" in reply and "modtaget" in reply
    reply = await chat.say("status paa min ide")  # asked the way people ask it
    assert texts.MY_IDEAS_TITLE in reply and f"#{number}" in reply
    reply = await chat.say(f"idé {number}")
    assert "Fælles indkøb af kontorartikler" in reply and "Historik" not in reply
    assert texts.IDEA_ADMIN_ONLY in await chat.say(f"sæt idé {number} til drøftes")


async def test_support_by_command(chat_factory: ChatFactory, service: IdeaService, mette: Person, jonas: Person) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    chat = await chat_factory(user=account(jonas))
    assert texts.idea_supported_by_command(number) in await chat.say(f"støt idé {number}")
    assert texts.idea_already_supported(number) in await chat.say(f"støt idé {number}")
    assert (await service.view(number)).supports == 1


async def test_anonymous_ideas_show_no_name_to_the_committee(
    chat_factory: ChatFactory, service: IdeaService, mette: Person, secretary: Person
) -> None:
    number = (await service.submit(complete_draft(anonymous=True), mette)).number
    chat = await _secretary_chat(chat_factory, service, secretary)
    for text in ("idéer", f"idé {number}"):
        reply = await chat.say(text)
        assert "Mette" not in reply
    assert "Forslagsstiller: Anonym" in await chat.say(f"idé {number}")


async def test_a_new_command_instead_of_the_reason_is_run_as_a_command(
    chat_factory: ChatFactory, service: IdeaService, mette: Person, secretary: Person
) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    chat = await _secretary_chat(chat_factory, service, secretary)
    await chat.say(f"sæt idé {number} til afvist")
    reply = await chat.say(f"sæt idé {number} til drøftes")  # the router continues the waiting dialog
    assert texts.idea_status_changed(number, "drøftes i ForvaltningsMED BFF", 1) in reply
    view = await service.view(number, with_history=True)
    assert view.status is IdeaStatus.DROEFTES and view.events[-1].reason is None
