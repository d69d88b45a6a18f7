"""Signed Slack payloads posted to the bot; its calls arrive on a fake Slack Web API."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from bot.slack.inbound import conversation_id
from dialogs import texts
from tests.channels.fake_slack import rate_limited
from tests.channels.slack_payloads import (
    BOT_TOKEN,
    CHANNEL,
    DM,
    TEAM,
    app_home_opened,
    app_mention,
    block_action,
    bot_echo,
    dm_message,
    sign,
    slash_command,
)
from tests.harness.slack_http import running_slack_bot
from tests.harness.teams_http import make_settings


async def test_url_verification_is_answered_with_the_challenge(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        payload = {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}
        response = await h.post_event(payload)
        assert response.status == 200
        assert (await response.json()) == {"challenge": payload["challenge"]}


async def test_question_in_a_direct_message_is_answered_with_blocks(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        response = await h.post_event(dm_message("hvad er en amr"))
        assert response.status == 200
        posts = h.slack.posts()
        assert len(posts) == 1
        assert posts[0]["channel"] == DM
        assert h.slack.calls[0].authorization == f"Bearer {BOT_TOKEN}"
        said = h.slack.all_text().lower()
        assert "arbejdsmiljø" in said
        assert "kilde:" in said
        assert posts[0]["blocks"], "the answer is rendered as Block Kit"
        stored = await h.runtime.conversations.get("slack", conversation_id(TEAM, DM))
        assert stored is not None and stored.conversation_type == "personal"


async def test_related_question_button_answers_that_question(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        await h.post_event(dm_message("hvad er en amr"))
        buttons = h.slack.buttons()
        assert buttons, "the answer offers related questions as buttons"
        title = buttons[0]["text"]["text"]
        h.slack.clear()
        response = await h.click(block_action(buttons[0]))
        assert response.status == 200
        said = h.slack.all_text()
        assert title in said
        assert texts.ERROR_APOLOGY not in said


async def test_mention_in_a_channel_is_stripped_and_answered_in_the_thread(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        await h.post_event(app_mention("hjælp", thread_ts="1764000000.000777"))
        posts = h.slack.posts()
        assert [p["channel"] for p in posts] == [CHANNEL]
        assert posts[0]["thread_ts"] == "1764000000.000777"
        assert texts.HELP.split("\n")[0] in h.slack.all_text()
        stored = await h.runtime.conversations.get("slack", conversation_id(TEAM, CHANNEL))
        assert stored is not None and stored.conversation_type == "channel"


async def test_slash_command_is_acknowledged_in_channel_and_answered(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        response = await h.command(slash_command("hjælp"))
        assert response.status == 200
        assert (await response.json()) == {"response_type": "in_channel"}
        assert [p["channel"] for p in h.slack.posts()] == [CHANNEL]
        assert "Det kan jeg hjælpe med" in h.slack.all_text()


async def test_bad_signature_is_rejected(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        body = json.dumps(dm_message("hej")).encode()
        headers = {"Content-Type": "application/json", **sign(body, h.now(), secret="not-the-secret")}
        response = await h.client.post("/api/slack/events", data=body, headers=headers)
        assert response.status == 401
        no_headers = await h.client.post("/api/slack/events", data=body, headers={"Content-Type": "application/json"})
        assert no_headers.status == 401
        tampered = json.dumps(dm_message("hej", user="U0EVIL")).encode()
        forged = await h.client.post("/api/slack/events", data=tampered, headers={"Content-Type": "application/json", **sign(body, h.now())})
        assert forged.status == 401
        await h.channel.drain()
        assert h.slack.calls == []


async def test_replay_older_than_five_minutes_is_rejected(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        old = h.now() - int(timedelta(minutes=5, seconds=1).total_seconds())
        response = await h.post_event(dm_message("hej"), timestamp=old)
        assert response.status == 401
        fresh_enough = h.now() - int(timedelta(minutes=4, seconds=50).total_seconds())
        assert (await h.post_event(dm_message("hej"), timestamp=fresh_enough)).status == 200
        assert len(h.slack.posts()) == 1


async def test_retried_event_is_processed_once(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        payload = dm_message("hvad er en amr", event_id="Ev0RETRY0001")
        assert (await h.post_event(payload)).status == 200
        for retry in ("1", "2"):
            h.clock.advance(timedelta(seconds=10))
            response = await h.post_event(payload, headers={"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"})
            assert response.status == 200
        assert len(h.slack.posts()) == 1


async def test_events_are_acknowledged_before_the_turn_finishes(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        h.slack.gate = asyncio.Event()  # Slack's Web API "hangs": the turn cannot finish
        response = await asyncio.wait_for(h.post_event(dm_message("hej"), drain=False), timeout=3)
        assert response.status == 200
        assert h.slack.posts() == []
        h.slack.gate.set()
        await h.channel.drain()
        assert len(h.slack.posts()) == 1


async def test_the_bots_own_messages_are_ignored(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        assert (await h.post_event(bot_echo("Hej, jeg er MED-bot"))).status == 200
        assert h.slack.calls == []


async def test_opening_the_app_dm_says_welcome_once(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        await h.post_event(app_home_opened())
        await h.post_event(app_home_opened())
        [welcome] = h.slack.texts()
        assert welcome.startswith(texts.WELCOME.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


async def test_rate_limited_reply_waits_retry_after_and_is_delivered(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        h.slack.script.append(rate_limited(7))
        await h.post_event(dm_message("hjælp"))
        posts = h.slack.posts()
        assert len(posts) == 2  # the 429 and the retry
        assert 7.0 in h.sleep.slept


async def test_replies_are_paced_per_channel(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        for _ in range(5):
            await h.post_event(dm_message("hjælp"))
        assert len(h.slack.posts()) == 5
        # A burst of 3 goes at once; after that about one message per second.
        assert sum(h.sleep.slept) >= 2.0


async def test_card_clicked_twice_or_after_its_dialog_ended_is_answered_politely(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        stale = {"action_id": "medbot:0", "text": {"type": "plain_text", "text": "Ja"}, "value": json.dumps({"text": "ja", "medbot_dialog": "idea"})}
        for _ in range(2):
            h.slack.clear()
            assert (await h.click(block_action(stale))).status == 200
            said = h.slack.all_text()
            assert texts.CARD_EXPIRED in said
            assert texts.ERROR_APOLOGY not in said


async def test_unconfigured_slack_answers_503_and_says_what_is_missing(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path), configured=False) as h:
        for path in ("/api/slack/events", "/api/slack/interactive", "/api/slack/commands"):
            response = await h.client.post(path, data=b"{}", headers={"Content-Type": "application/json"})
            assert response.status == 503
            message = (await response.json())["error"]
            assert "SLACK_SIGNING_SECRET" in message and "SLACK_BOT_TOKEN" in message


async def test_invalid_json_with_a_valid_signature_is_a_400(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        body = b"{not json"
        response = await h.client.post("/api/slack/events", data=body, headers={"Content-Type": "application/json", **sign(body, h.now())})
        assert response.status == 400


async def test_idea_dialog_with_buttons_in_slack(tmp_path: Path) -> None:
    """Walks 'Den gode idé' by buttons (typing where a step has none), then clicks an
    old button again: a polite answer, never the error apology."""
    import pytest

    async with running_slack_bot(make_settings(tmp_path, user_rate_per_minute=10_000)) as h:
        await h.post_event(dm_message("ny idé"))
        if texts.NOT_AVAILABLE_YET in h.slack.all_text():
            pytest.skip("the idea dialog is not wired into build_dialogs yet")
        first_buttons = h.slack.buttons()
        answers = iter(["Fælles indkøb af kontorartikler", "Vi køber ind sammen på tværs af afdelingerne.", "Det sparer penge.", "nej", "nej"])
        for _ in range(10):
            said = h.slack.all_text()
            assert texts.ERROR_APOLOGY not in said
            buttons = [b for b in h.slack.buttons() if "annuller" not in b["text"]["text"].lower()]
            h.slack.clear()
            if buttons:
                await h.click(block_action(buttons[0]))
            else:
                await h.post_event(dm_message(next(answers, "ja")))
        assert texts.ERROR_APOLOGY not in h.slack.all_text()
        if first_buttons:
            h.slack.clear()
            await h.click(block_action(first_buttons[0]))
            said = h.slack.all_text()
            assert said.strip() and texts.ERROR_APOLOGY not in said
