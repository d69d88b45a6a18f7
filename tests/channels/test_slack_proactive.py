"""Proactive messages (a reminder) into Slack, and messages going back to the channel
their conversation lives in: one user in Teams and in Slack has two conversations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.clock import FakeClock
from bot.delivery.protocol import SendOutcome, SendStatus
from bot.delivery.routing import ChannelRoutingSender
from bot.runtime import build_runtime
from bot.slack.inbound import conversation_id
from bot.slack.sender import SlackSender
from bot.slack.webapi import SlackWebApi
from dialogs.messages import Message
from tests.activities import teams_message
from tests.channels.fake_slack import rate_limited, slack_error
from tests.channels.slack_payloads import BOT_TOKEN, CHANNEL, DM, TEAM, app_mention, dm_message
from tests.fakes import FakeConnector
from tests.harness.chat import START
from tests.harness.slack_http import SlackHarness, running_slack_bot
from tests.harness.teams_http import make_settings

REMINDER = Message(title="Påmindelse", text="Husk MED-mødet i morgen kl. 9.", note="Du bad mig minde dig om det mandag.")


def sender_for(h: SlackHarness) -> SlackSender:
    api = SlackWebApi(BOT_TOKEN, h.slack.base_url, h.clock, sleep=h.sleep)
    return SlackSender(h.runtime.conversations, api)


async def test_a_reminder_arrives_in_the_slack_conversation_it_was_set_in(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        await h.post_event(dm_message("hej"))
        stored = await h.runtime.conversations.get("slack", conversation_id(TEAM, DM))
        assert stored is not None
        h.slack.clear()
        sender = sender_for(h)
        outcome = await sender.send(stored.id, REMINDER)
        assert outcome.status is SendStatus.DELIVERED and outcome.activity_id
        posts = h.slack.posts()
        assert [p["channel"] for p in posts] == [DM]
        assert "Husk MED-mødet i morgen kl. 9." in h.slack.all_text()
        assert posts[0]["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Påmindelse", "emoji": True}}


async def test_rate_limit_is_reported_with_retry_after_not_waited_for(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        await h.post_event(dm_message("hej"))
        stored = await h.runtime.conversations.get("slack", conversation_id(TEAM, DM))
        assert stored is not None
        h.slack.script.append(rate_limited(42))
        h.sleep.slept.clear()
        outcome = await sender_for(h).send(stored.id, REMINDER)
        assert outcome.status is SendStatus.RETRY_LATER
        assert outcome.retry_after == timedelta(seconds=42)
        assert 42 not in h.sleep.slept


async def test_removed_from_channel_marks_the_conversation_unreachable(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        await h.post_event(app_mention("hej"))
        stored = await h.runtime.conversations.get("slack", conversation_id(TEAM, CHANNEL))
        assert stored is not None
        h.slack.script.append(slack_error("not_in_channel"))
        sender = sender_for(h)
        assert (await sender.send(stored.id, REMINDER)).status is SendStatus.UNREACHABLE
        again = await h.runtime.conversations.get_by_id(stored.id)
        assert again is not None and again.unreachable and again.unreachable_reason == "slack:not_in_channel"
        h.slack.clear()
        assert (await sender.send(stored.id, REMINDER)).status is SendStatus.UNREACHABLE
        assert h.slack.calls == []  # no more attempts until the channel writes again
        await h.post_event(app_mention("hej igen"))
        assert (await sender.send(stored.id, REMINDER)).status is SendStatus.DELIVERED


async def test_server_errors_are_retried_then_reported(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        await h.post_event(dm_message("hej"))
        stored = await h.runtime.conversations.get("slack", conversation_id(TEAM, DM))
        assert stored is not None
        h.slack.script.append(slack_error("internal_error"))
        assert (await sender_for(h).send(stored.id, REMINDER)).status is SendStatus.DELIVERED
        for _ in range(3):
            h.slack.script.append(slack_error("internal_error"))
        outcome = await sender_for(h).send(stored.id, REMINDER)
        assert outcome.status is SendStatus.RETRY_LATER and outcome.detail == "slack:internal_error"


async def test_unknown_or_foreign_conversations_are_not_sent_to(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        assert (await sender_for(h).send(12345, REMINDER)).status is SendStatus.NO_CONVERSATION


class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[tuple[int, Message]] = []

    async def send(self, conversation_id: int, message: Message) -> SendOutcome:
        self.sent.append((conversation_id, message))
        return SendOutcome(SendStatus.DELIVERED, activity_id="teams-1")


async def test_same_user_in_teams_and_slack_has_separate_conversations_and_replies_go_home(tmp_path: Path) -> None:
    clock = FakeClock(START)
    settings = make_settings(tmp_path)
    runtime = build_runtime(settings, clock=clock)
    teams_app = create_app(settings, clock=clock, runtime=runtime)
    async with FakeConnector() as connector, running_slack_bot(settings, runtime=runtime, clock=clock) as h:
        teams = TestClient(TestServer(teams_app))
        await teams.start_server()
        try:
            # Teams: start something, so the Teams conversation has dialog state.
            assert (await teams.post("/api/messages", json=teams_message(connector.url, "hvad er en amr"))).status == 201
            # Slack: the same person asks for help.
            await h.post_event(dm_message("hjælp"))
            teams_conv = await runtime.conversations.get("msteams", "a:1personal-chat-id")
            slack_conv = await runtime.conversations.get("slack", conversation_id(TEAM, DM))
            assert teams_conv is not None and slack_conv is not None and teams_conv.id != slack_conv.id
            # Each channel got only its own replies.
            assert "Det kan jeg hjælpe med" in h.slack.all_text()
            assert "Det kan jeg hjælpe med" not in connector.all_text()
            assert "arbejdsmiljø" in connector.all_text().lower()
            assert "arbejdsmiljø" not in h.slack.all_text().lower()
            # Dialog state is kept per channel and conversation.
            keys = await _state_keys(runtime)
            assert any(k.startswith("msteams/conversations/") for k in keys)
            assert any(k.startswith("slack/conversations/") for k in keys)
            # A reminder goes back to the channel it was set in.
            teams_sender = RecordingSender()
            router = ChannelRoutingSender(runtime.conversations, {"msteams": teams_sender, "slack": sender_for(h)})
            h.slack.clear()
            assert (await router.send(slack_conv.id, REMINDER)).status is SendStatus.DELIVERED
            assert (await router.send(teams_conv.id, REMINDER)).status is SendStatus.DELIVERED
            assert [p["channel"] for p in h.slack.posts()] == [DM]
            assert [cid for cid, _ in teams_sender.sent] == [teams_conv.id]
            assert (await router.send(999, REMINDER)).status is SendStatus.NO_CONVERSATION
        finally:
            await teams.close()


async def _state_keys(runtime) -> list[str]:  # type: ignore[no-untyped-def]  # the runtime fixture's type is the harness's
    import sqlalchemy as sa

    from bot.storage.models import BotStateRow

    async with runtime.database.session() as session:
        return list((await session.execute(sa.select(BotStateRow.key))).scalars())
