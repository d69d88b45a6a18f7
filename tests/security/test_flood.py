"""Issue 13, "Also": a flooding user is told to slow down once per window, not once per
throttled message (each notice counts against the bot's own Teams send limits)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from dialogs import texts
from tests.activities import teams_message
from tests.channels.slack_payloads import dm_message
from tests.harness.slack_http import running_slack_bot
from tests.harness.teams_http import make_settings, running_bot

BUDGET = 3


async def test_a_flood_in_teams_gets_one_slow_down_notice_per_window(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path, user_rate_per_minute=BUDGET)) as h:
        for _ in range(20):
            assert await h.post(teams_message(h.connector.url, "hej")) == 201
        assert h.connector.said() == [texts.GREETING] * BUDGET + [texts.RATE_LIMITED]

        # A minute on: the budget is back, and a new flood gets one new notice.
        h.connector.clear()
        h.clock.advance(timedelta(seconds=60))
        for _ in range(20):
            await h.post(teams_message(h.connector.url, "hej"))
        assert h.connector.said() == [texts.GREETING] * BUDGET + [texts.RATE_LIMITED]


async def test_a_concurrent_flood_gets_one_notice_and_other_users_are_served(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path, user_rate_per_minute=BUDGET)) as h:
        flood = [h.post(teams_message(h.connector.url, "hej")) for _ in range(60)]
        other = h.post(teams_message(h.connector.url, "hej", conversation_id="a:other", user_id="29:other"))
        statuses = await asyncio.gather(*flood, other)
        assert set(statuses) == {201}
        mine = [a for a in h.connector.sent if a["_conversation_id"] == "a:1personal-chat-id"]
        theirs = [a for a in h.connector.sent if a["_conversation_id"] == "a:other"]
        assert [a.get("text") for a in mine].count(texts.RATE_LIMITED) == 1
        assert len(mine) == BUDGET + 1
        assert len(theirs) == 1


async def test_a_flood_in_slack_gets_one_notice(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path, user_rate_per_minute=BUDGET)) as h:
        for _ in range(15):
            await h.post_event(dm_message("hej"))
        said = h.slack.texts()
        assert said.count(texts.RATE_LIMITED) == 1
        assert len(said) == BUDGET + 1
