"""The whole path over HTTP, wired as proposed for bot/runtime.py: a Teams message sets a
reminder through the router, and the scheduler later delivers it proactively to the
conversation the handler stored (replies and proactive sends both reach the fake connector).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

import bot.runtime
from bot.app import create_app
from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.settings import Settings
from bot.storage.db import Database
from dialogs import texts
from knowledge.clock import COPENHAGEN
from tests.activities import teams_message
from tests.fakes import FakeConnector
from tests.reminders.helpers import texts_of


async def test_set_a_reminder_in_teams_and_receive_it(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}",
        data_dir=tmp_path,
        org="albertslund",
        delivery=DeliveryConfig(run_loop=False),
    )
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    database = Database(settings.db_url)
    runtime = bot.runtime.build_runtime(settings, clock=clock, database=database)
    app = create_app(settings, clock=clock, runtime=runtime)
    async with FakeConnector() as connector:
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            async def say(text: str, value: dict[str, Any] | None = None) -> str:
                connector.clear()
                response = await client.post("/api/messages", json=teams_message(connector.url, text, value=value))
                assert response.status in (200, 201)
                return "\n".join(texts_of(connector.sent))

            saved = await say("mind mig om at sende input til KommuneMED i morgen kl. 8")
            assert texts.reminder_saved_now("sende input til KommuneMED", "tirsdag 24. november 2026 kl. 08.00") in saved
            # Click »Flyt den« on the card: Action.Submit data, as Teams posts it.
            [card] = connector.cards()
            move = next(a for a in card["actions"] if a["title"] == texts.REMINDER_MOVE_BUTTON)
            asked = await say("", value=move["data"])
            assert texts.reminder_ask_move("sende input til KommuneMED") in asked
            moved = await say("i morgen kl. 9")
            assert texts.reminder_moved("sende input til KommuneMED", "tirsdag 24. november 2026 kl. 09.00") in moved

            listing = await say("mine påmindelser")
            assert "1. tirsdag 24. november 2026 kl. 09.00: sende input til KommuneMED" in listing
            assert texts.CANCELLED in await say("annuller")  # the router's interruption ends the list

            connector.clear()
            clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN))
            report = await runtime.delivery.scheduler.tick()
            assert report.sent == 1
            [delivered] = texts_of(connector.sent)
            assert "sende input til KommuneMED" in delivered
            assert connector.sent[0]["_conversation_id"] == "a:1personal-chat-id"
        finally:
            await client.close()
            await database.dispose()
