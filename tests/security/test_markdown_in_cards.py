"""Markdown typed by a user shows as typed in the committee's cards, never as a live link.

Issue 13, point 5: an idea description ``[link](https://evil.example/login)`` was a
live link in the notice to the committee contact and in the admin's card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.delivery.sender import BotFrameworkSender
from bot.ideas.service import Actor
from bot.storage.conversations import ConversationStore
from dialogs import idea_messages as msgs
from dialogs.idea_port import Person
from dialogs.render import to_adaptive_card
from tests.harness.chat import IDEAS_START
from tests.harness.teams_http import make_settings, running_bot
from tests.ideas.helpers import complete_draft, deliver
from tests.ideas.test_connector import anonymous_adapter

EVIL_LINK = "[Log ind her](https://evil.example/login)"
DESCRIPTION = f"Se {EVIL_LINK} og **klik** _nu_ `kode` ~~væk~~ \\[x\\](y)."
# A markdown link, bold or code that Teams would act on: the opening character not escaped.
LIVE = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)\*\*|(?<!\\)`")

CONTACT = Person(channel_id="msteams", user_id="29:1contact", user_name="Jette Kontakt", conversation_id="a:1contact-chat", conversation_type="personal")
SUBMITTER = Person(channel_id="msteams", user_id="29:1submitter", user_name="[Mette](https://evil.example/who)", conversation_id="a:1submitter-chat", conversation_type="personal")


def card_strings(card: dict[str, Any]) -> list[str]:
    """Every string of a card that Teams reads as markdown (TextBlock text, fact titles and values)."""
    out: list[str] = []

    def walk(elements: Iterable[dict[str, Any]]) -> None:
        for element in elements:
            if element.get("type") == "TextBlock":
                out.append(element["text"])
            elif element.get("type") == "FactSet":
                out.extend(s for fact in element["facts"] for s in (fact["title"], fact["value"]))
            walk(element.get("items", []))

    walk(card.get("body", []))
    return out


def assert_inert(card: dict[str, Any]) -> None:
    strings = card_strings(card)
    assert any("evil.example" in s for s in strings)  # the text is shown ...
    live = [s for s in strings if LIVE.search(s)]
    assert live == [], live  # ... but nothing in it is a link, bold or code


async def test_the_contacts_notice_and_the_admins_card_show_user_markdown_as_text(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path, org="jammerbugt"), FakeClock(IDEAS_START)) as app:
        service = app.runtime.ideas.service
        await service.add_admin(CONTACT.user_id, "bff", Actor.cli("sekretær"))
        # The contact writes to the bot once: their chat becomes known (and they a contact).
        assert await app.say("hej", user_id=CONTACT.user_id, user_name=CONTACT.user_name, conversation_id=CONTACT.conversation_id)
        await service.add_contact("bff", CONTACT.user_id, CONTACT.user_name)
        receipt = await service.submit(
            complete_draft(title="Ny **idé** [her](https://evil.example/t)", description=DESCRIPTION), SUBMITTER
        )
        app.connector.clear()
        sender = BotFrameworkSender(anonymous_adapter(), ConversationStore(app.runtime.database, app.clock), app.clock)
        for _ in range(2):
            await deliver(app.runtime.ideas, app.runtime.database, app.clock, sender)
            app.clock.advance(timedelta(minutes=1))
        notices = [a for a in app.connector.sent if a["_conversation_id"] == CONTACT.conversation_id]
        assert len(notices) == 1
        cards = [att["content"] for att in notices[0]["attachments"]]
        assert_inert(cards[0])

        view = await service.view(receipt.number, committee_facing=True, with_history=True)
        assert_inert(to_adaptive_card(msgs.idea_card(view, committee_facing=True)))
        assert_inert(to_adaptive_card(msgs.idea_list("Idéer", [view], committee_facing=True)))


def test_the_renderer_escapes_markdown_in_every_text_and_fact() -> None:
    message = msgs.contact_notice("2027-001", EVIL_LINK, "ForvaltningsMED BFF", [("Beskrivelse", DESCRIPTION)], forwarded=False)
    card = to_adaptive_card(message)
    assert_inert(card)
    assert "\\[Log ind her\\](https://evil.example/login)" in card_strings(card)[1]
    # Input fields are not markdown: a form shows the user's text exactly as it was typed.
    form = to_adaptive_card(msgs.ask_title([], True, complete_draft(title=EVIL_LINK)))
    assert any(e.get("value") == EVIL_LINK for e in form["body"] if e["type"] == "Input.Text")
