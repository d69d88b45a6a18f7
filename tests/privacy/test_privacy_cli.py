"""``medbot privacy export|erase``: everything the bot stores about one person, and nothing left after.

Issue 13, point 4: ``medbot ideas erase-person`` left the conversation reference (user
id, display name, AAD object id), the person's reminders with their text and an
idea draft in the dialog state. Here a person uses the bot through the real app –
questions, a reminder, an idea, a draft left at the summary, a support, a subscription,
a team channel, the roles of admin and contact – next to a colleague; then every table
and every stored dialog state is searched for the person's ids, name and texts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.clock import FakeClock
from bot.ideas.service import Actor
from bot.storage.db import Database
from bot.storage.models import load_all_models
from dialogs import texts
from dialogs.idea_port import Person
from dialogs.reminder_port import Owner
from knowledge.ideas_rules import IdeaStatus
from tests.activities import teams_channel_mention
from tests.harness.chat import IDEAS_START
from tests.harness.teams_http import HttpHarness, make_settings, running_bot

USER = "29:1privacy-person"
AAD = "aad-0000-privacy-person"
NAME = "Privata Personsen"
CHAT = "a:1privacy-personal-chat"
TEAM_CHANNEL = "19:privacy-team@thread.tacv2;messageid=77"
REMINDER = "ringe til PRIVTEXT-tandlægen"
QUESTION = "hvad siger reglerne om PRIVTEXT-zxqvbnm-ordningen?"
DRAFT_TITLE = "PRIVTEXT kladdetitel om cykler"
IDEA_TITLE = "PRIVTEXT-idé om fælles indkøb"
MARKERS = (USER, AAD, NAME, "PRIVTEXT")

OTHER = "29:1colleague"
OTHER_NAME = "Kollega Kollegasen"
OTHER_CHAT = "a:1colleague-chat"
OTHER_QUESTION = "hvad siger reglerne om kollegaens zxqvbnm-ordning?"


def _form(title: str) -> dict[str, str]:
    return {
        "title": title,
        "description": "Vi køber ind hver for sig PRIVTEXT; en fælles aftale giver rabat.",
        "potential": "Ca. 200.000 kr. om året.",
        "area": "bff",
        "cross_cutting": "false",
        "anonymous": "false",
    }


async def _as(app: HttpHarness, text: str = "", *, value: dict[str, Any] | None = None, user: str = USER, name: str = NAME,
              conversation: str = CHAT) -> str:
    activity = app.message(text, value=value, user_id=user, user_name=name, conversation_id=conversation)
    activity["from"]["aadObjectId"] = AAD if user == USER else "aad-colleague"
    app.connector.clear()
    assert await app.post(activity) in (200, 201)
    return app.connector.all_text()


async def _use_the_bot(app: HttpHarness) -> None:
    # The colleague: a question of their own, in their own chat.
    assert await _as(app, OTHER_QUESTION, user=OTHER, name=OTHER_NAME, conversation=OTHER_CHAT)
    # The person: an unanswered question, a reminder, an idea, a draft left at the summary.
    assert await _as(app, QUESTION)
    assert REMINDER in await _as(app, f"mind mig om at {REMINDER} i morgen kl. 9")
    await _as(app, "ja")
    await _as(app, "jeg har en god idé")
    submit = app.connector.cards()[-1]["actions"][0]["data"]
    await _as(app, value={**submit, **_form(IDEA_TITLE)})
    confirm = next(a["data"] for a in app.connector.cards()[-1]["actions"] if a["title"] == texts.IDEA_CONFIRM)
    assert "#2027-001" in await _as(app, value=confirm)
    await _as(app, "jeg har en god idé")
    submit = app.connector.cards()[-1]["actions"][0]["data"]
    assert texts.IDEA_SUMMARY_TITLE in await _as(app, value={**submit, **_form(DRAFT_TITLE)})
    # In a team channel the person writes too (the channel's reference keeps its last writer).
    channel = teams_channel_mention(app.connector.url, QUESTION.replace("zxqvbnm", "kanal"), conversation_id=TEAM_CHANNEL)
    channel["from"] = {"id": USER, "name": NAME, "aadObjectId": AAD}
    assert await app.post(channel) in (200, 201)
    # A subscription, a support of the colleague's idea, roles as admin and contact, an admin's change.
    service = app.runtime.ideas.service
    colleague = Person(channel_id="msteams", user_id=OTHER, user_name=OTHER_NAME, conversation_id=OTHER_CHAT, conversation_type="personal")
    person = Person(channel_id="msteams", user_id=USER, user_name=NAME, conversation_id=CHAT, conversation_type="personal")
    from tests.ideas.helpers import complete_draft

    other_idea = await service.submit(complete_draft(title="Kollegaens idé om kortere møder"), colleague)
    await service.support(other_idea.number, person)
    await service.add_admin(USER, "bff", Actor.cli("sekretaer"))
    await service.add_contact("bff", USER, NAME)
    await service.change_status(other_idea.number, IdeaStatus.DROEFTES, Actor(id=USER, name=NAME), committee="bff")
    owner = Owner(channel_id="msteams", conversation_id=CHAT, user_id=USER, reference={}, conversation_type="personal")
    await app.runtime.reminders.service.subscribe(owner, "budget")


async def _scan(database: Database, markers: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Every (table, column, marker) where a marker occurs, in every table of the schema."""
    found: list[tuple[str, str, str]] = []
    metadata = load_all_models()
    async with database.session() as session:
        for table in metadata.sorted_tables:
            for row in (await session.execute(sa.select(table))).mappings():
                for column, value in row.items():
                    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
                    found.extend((table.name, column, marker) for marker in markers if marker in text)
    return found


@pytest.fixture
def env(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI and the app on one database: a SQLite file, and PostgreSQL when it is configured."""
    monkeypatch.setenv("MEDBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDBOT_ORG", "jammerbugt")
    return tmp_path


COLLEAGUE = (OTHER, OTHER_NAME, OTHER_QUESTION)


async def _populated(tmp_path: Path) -> set[tuple[str, str, str]]:
    """Use the bot as the person and the colleague; return where the colleague's data is."""
    async with running_bot(make_settings(tmp_path, org="jammerbugt", database_url=os.environ["MEDBOT_DATABASE_URL"]), FakeClock(IDEAS_START)) as app:
        await _use_the_bot(app)
        found = {(table, marker) for table, _column, marker in await _scan(app.runtime.database, MARKERS)}
        # What the old `ideas erase-person` left behind is all there to begin with.
        for table in ("conversation_refs", "bot_state", "reminders", "idea_drafts", "unanswered_questions", "idea_admins"):
            assert any(t == table for t, _ in found), table
        colleague = set(await _scan(app.runtime.database, COLLEAGUE))
    assert {table for table, _c, _m in colleague} >= {"conversation_refs", "unanswered_questions", "idea_submitters"}
    return colleague


def _database(tmp_path: Path) -> Database:
    return Database(os.environ["MEDBOT_DATABASE_URL"])


async def test_export_has_everything_and_erase_leaves_nothing_but_the_anonymous_idea(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    colleague = await _populated(env)
    target = env / "person.json"
    assert await _run(["privacy", "export", AAD, "-o", str(target)]) == 0  # by the AAD object id
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["user_ids"] == [USER] and NAME in exported["names"] and AAD in exported["aad_object_ids"]
    assert {c["conversation_id"] for c in exported["conversations"]} == {CHAT, TEAM_CHANNEL}
    assert [r["text"] for r in exported["reminders"]] == [REMINDER]
    assert QUESTION in [q["text"] for q in exported["unanswered_questions"]]
    assert [i["title"] for i in exported["ideas_submitted"]] == [IDEA_TITLE]
    assert exported["idea_drafts"][0]["draft"]["title"] == DRAFT_TITLE
    assert exported["ideas_supported"][0]["number"] == "2027-002"
    assert DRAFT_TITLE in json.dumps(exported["dialog_state"], ensure_ascii=False)
    assert exported["idea_admin_of"][0]["committee"] == "bff" and exported["committee_contact_of"]
    assert exported["idea_events_by_person"][0]["to_status"] == "droeftes"
    assert exported["subscriptions"][0]["target"] == "budget"
    assert OTHER not in target.read_text(encoding="utf-8") and OTHER_QUESTION not in target.read_text(encoding="utf-8")
    capsys.readouterr()

    assert await _run(["privacy", "erase", USER]) == 0
    out = capsys.readouterr().out
    assert "1 påmindelse(r)" in out and "1 idékladde(r)" in out and "1 idé(er), personen har sendt, bliver" in out

    database = _database(env)
    try:
        left = await _scan(database, MARKERS)
        # Only the idea the person sent stays with the committee – without any link to them.
        assert {(table, marker) for table, _column, marker in left} <= {("ideas", "PRIVTEXT")}, left
        async with database.session() as session:
            idea = (await session.execute(sa.text("SELECT title FROM ideas WHERE seq = 1"))).scalar_one()
            assert idea == IDEA_TITLE
        # The colleague is untouched.
        assert set(await _scan(database, COLLEAGUE)) == colleague
    finally:
        await database.dispose()
    assert await _run(["privacy", "export", USER]) == 1  # nothing is known any more
    assert texts.PRIVACY_NOTHING_FOUND in capsys.readouterr().err


async def test_erase_with_delete_ideas_leaves_no_text_of_the_person(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    await _populated(env)
    assert await _run(["privacy", "erase", USER, "--delete-ideas"]) == 0
    assert "1 idé(er), personen har sendt, er slettet helt" in capsys.readouterr().out
    database = _database(env)
    try:
        assert await _scan(database, MARKERS) == []
        async with database.session() as session:
            titles = (await session.execute(sa.text("SELECT title FROM ideas"))).scalars().all()
        assert titles == ["Kollegaens idé om kortere møder"]
    finally:
        await database.dispose()


async def test_the_team_channel_keeps_working_for_the_others(env: Path) -> None:
    await _populated(env)
    assert await _run(["privacy", "erase", USER]) == 0
    database = _database(env)
    try:
        async with database.session() as session:
            rows = (await session.execute(sa.text("SELECT conversation_id, reference FROM conversation_refs"))).all()
    finally:
        await database.dispose()
    conversations = {row.conversation_id: row.reference for row in rows}
    assert set(conversations) == {OTHER_CHAT, TEAM_CHANNEL}
    channel = json.loads(conversations[TEAM_CHANNEL]) if isinstance(conversations[TEAM_CHANNEL], str) else conversations[TEAM_CHANNEL]
    assert channel["serviceUrl"] and channel["conversation"]["id"] == TEAM_CHANNEL and "user" not in channel


async def _run(argv: list[str]) -> int:
    """``main`` runs its own event loop: call it off this one."""
    import asyncio

    return await asyncio.to_thread(main, argv)
