"""A lone UTF-16 surrogate in user text no longer blocks »bekræft«.

Issue 13, point 12: JSON can carry ``"\\ud800"``, which no database can store; a title
with it made every confirmation fail with the generic apology (UnicodeEncodeError), and
the user was stuck until they changed the title. The text is cleaned where it enters
(:func:`dialogs.inbound.read_input`), and the database handle replaces what cannot be
stored (a lone surrogate, or a NUL character on PostgreSQL) on its way to the driver,
so a draft stored before the fix can be confirmed too.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from botbuilder.schema import Activity

from bot.clock import FakeClock
from bot.ideas.service import IdeaService
from bot.ideas.views import ideas, submitters
from bot.storage.db import Database
from dialogs import texts
from dialogs.idea_port import Person
from dialogs.inbound import read_input
from knowledge.profiles import load_profile
from tests.harness.chat import IDEAS_START
from tests.harness.teams_http import make_settings, running_bot
from tests.ideas.conftest import CONFIG, START
from tests.ideas.helpers import complete_draft

FORM = {
    "title": "Kaffe\ud800maskine",
    "description": "En fælles kaffemaskine\udfff på gangen.",
    "potential": "Færre ture til kantinen.",
    "area": "bff",
    "cross_cutting": "false",
    "anonymous": "false",
}


async def test_a_title_with_a_lone_surrogate_is_confirmed_through_the_app(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path, org="jammerbugt"), FakeClock(IDEAS_START)) as app:
        name = {"user_name": "Mette\udc00 Jensen"}
        await app.say("jeg har en god idé", **name)
        submit = app.connector.cards()[-1]["actions"][0]["data"]
        assert texts.IDEA_SUMMARY_TITLE in await app.say(value={**submit, **FORM}, **name)
        confirm = next(a["data"] for a in app.connector.cards()[-1]["actions"] if a["title"] == texts.IDEA_CONFIRM)
        reply = await app.say(value=confirm, **name)
        assert "Din idé #2027-001 er modtaget" in reply
        assert texts.ERROR_APOLOGY not in reply
        async with app.runtime.database.session() as session:
            row = (await session.execute(sa.select(ideas.c.title, ideas.c.description))).one()
            stored_name = (await session.execute(sa.select(submitters.c.user_name))).scalar_one()
        assert row.title == "Kaffe\ufffdmaskine" and row.description == "En fælles kaffemaskine\ufffd på gangen."
        assert stored_name == "Mette\ufffd Jensen"


def test_text_is_cleaned_where_it_enters() -> None:
    typed = read_input(Activity(type="message", text="hej\ud800 med dig"))
    assert typed.text == "hej\ufffd med dig"
    form = read_input(Activity(type="message", value={"medbot_form": "idea_form", "title": "a\udbffb", "list": ["\udc00"]}))
    assert form.values["title"] == "a\ufffdb" and form.values["list"] == ["\ufffd"]
    # A surrogate pair that arrived as two code points becomes the character it encodes.
    assert read_input(Activity(type="message", text="\ud83d\ude00")).text == "😀"


async def test_a_draft_stored_before_the_fix_can_still_be_confirmed(database: Database) -> None:
    """The dialog state may still hold such a title (and PostgreSQL refuses NUL in text)."""
    service = IdeaService(database, FakeClock(START), load_profile("jammerbugt"), CONFIG)
    person = Person(channel_id="msteams", user_id="29:1m\ud800", user_name="M\udfffette\x00", conversation_id="a:m", conversation_type="personal")
    await service.save_draft(person, complete_draft(title="Kladde\ud800"))
    receipt = await service.submit(complete_draft(title="Ti\ud800tel med\x00nul", potential="Stort\udc00"), person)
    assert receipt.number == "2027-001"
    view = await service.view(receipt.number)
    assert view.title == "Ti\ufffdtel med\ufffdnul" and view.potential == "Stort\ufffd"
    assert view.submitter == "M\ufffdette\ufffd"
