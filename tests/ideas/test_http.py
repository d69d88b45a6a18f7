"""Teams end to end: real activity JSON into /api/messages, replies and feedback on a fake connector."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

import bot.runtime as runtime_module
from bot.app import create_app
from bot.clock import FakeClock
from bot.delivery.sender import BotFrameworkSender
from bot.ideas.service import Actor
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs import texts
from knowledge.ideas_rules import IdeaStatus
from tests.activities import teams_message
from tests.fakes import FakeConnector
from tests.harness.teams_http import make_settings
from tests.ideas.conftest import CONFIG, START
from tests.ideas.helpers import deliver
from tests.ideas.test_connector import anonymous_adapter


async def test_teams_form_card_submit_and_feedback(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, org="jammerbugt", ideas=CONFIG)
    clock = FakeClock(START)
    database = Database(settings.db_url)
    runtime = runtime_module.build_runtime(settings, clock=clock, database=database)
    ideas = runtime.ideas
    app = create_app(settings, clock=clock, runtime=runtime)
    async with FakeConnector() as connector:
        client = TestClient(TestServer(app))
        await client.start_server()
        try:

            async def post(text: str = "", value: dict[str, str] | None = None) -> str:
                connector.clear()
                response = await client.post("/api/messages", json=teams_message(connector.url, text, value=value))
                assert response.status in (200, 201)
                return connector.all_text()

            reply = await post("jeg har en god idé")
            card = connector.cards()[-1]
            inputs = {element["id"]: element["type"] for element in card["body"] if element["type"].startswith("Input.")}
            assert inputs["title"] == "Input.Text" and inputs["area"] == "Input.ChoiceSet" and inputs["anonymous"] == "Input.Toggle"
            submit = card["actions"][0]["data"]
            assert submit == {"medbot_form": "idea_form", "medbot_dialog": "idea"}
            reply = await post(
                value={
                    **submit,
                    "title": "Fælles indkøb af kontorartikler",
                    "description": "Én aftale for hele kommunen giver mængderabat.",
                    "potential": "Ca. 200.000 kr. om året.",
                    "area": "bff",
                    "cross_cutting": "false",
                    "anonymous": "false",
                }
            )
            assert texts.IDEA_SUMMARY_TITLE in reply and "ForvaltningsMED BFF" in reply
            confirm = next(a["data"] for a in connector.cards()[-1]["actions"] if a["title"] == texts.IDEA_CONFIRM)
            reply = await post(value=confirm)
            assert "Din idé #2027-001 er modtaget" in reply

            await ideas.service.change_status("2027-001", IdeaStatus.DROEFTES, Actor.cli())
            connector.clear()
            sender = BotFrameworkSender(anonymous_adapter(), ConversationStore(database, clock), clock)
            await deliver(ideas, database, clock, sender)
            clock.advance(timedelta(minutes=1))
            await deliver(ideas, database, clock, sender)
            assert len(connector.sent) == 1
            assert connector.sent[0]["_conversation_id"] == "a:1personal-chat-id"
            assert "Ny status: drøftes i ForvaltningsMED BFF." in connector.all_text()
        finally:
            await client.close()
