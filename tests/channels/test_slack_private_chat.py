"""Point 9 in Slack: an idea or a reminder asked for with @MED-bot in a channel continues in
the user's DM with the bot (``conversations.open``); the channel gets one short note."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bot.slack.inbound import conversation_id
from dialogs import texts
from dialogs.render_slack import escape
from tests.channels.fake_slack import slack_error
from tests.channels.slack_payloads import CHANNEL, DM, TEAM, USER, app_mention, dm_message
from tests.harness.slack_http import SlackHarness, running_slack_bot
from tests.harness.teams_http import make_settings

REMINDER = "mind mig om at sende dagsorden til AfdelingsMED i morgen kl 9"


def said(h: SlackHarness, channel: str) -> str:
    return "\n".join(str(p.get("text") or "") for p in h.slack.posts(channel))


async def test_an_idea_in_a_channel_continues_in_the_dm(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        h.slack.direct_messages[USER] = DM
        await h.post_event(app_mention("ny idé"))
        [opened] = [c.body for c in h.slack.calls if c.method == "conversations.open"]
        assert opened == {"users": USER}
        assert said(h, CHANNEL) == escape(texts.PRIVATE_CHAT_MOVED)
        in_dm = h.slack.all_text()
        assert escape(texts.private_chat_opened("ny idé", texts.PRIVATE_CHAT_FROM_CHANNEL)) in in_dm
        assert escape(texts.IDEA_INTRO) in in_dm
        stored = await h.runtime.conversations.get("slack", conversation_id(TEAM, DM))
        assert stored is not None and stored.conversation_type == "personal"

        # The user answers in the DM: the DM's dialog state continues.
        h.slack.clear()
        await h.post_event(dm_message("Fælles indkøb af papir"))
        assert [p["channel"] for p in h.slack.posts()] == [DM]
        assert escape(texts.IDEA_ASK_DESCRIPTION) in h.slack.all_text()


async def test_a_reminder_in_a_channel_is_set_in_the_dm(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        h.slack.direct_messages[USER] = DM
        await h.post_event(app_mention(REMINDER))
        assert said(h, CHANNEL) == escape(texts.PRIVATE_CHAT_MOVED)
        assert "Jeg minder dig om »sende dagsorden til AfdelingsMED«" in said(h, DM)
        async with h.runtime.database.connection() as connection:
            rows = (
                await connection.execute(
                    sa.text("SELECT r.text, c.conversation_id FROM reminders r JOIN conversation_refs c ON c.id = r.conversation_ref_id")
                )
            ).all()
        assert [tuple(r) for r in rows] == [("sende dagsorden til AfdelingsMED", conversation_id(TEAM, DM))]


async def test_when_the_dm_cannot_be_opened_the_channel_is_told_and_no_dialog_runs(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        h.slack.script.append(slack_error("missing_scope"))  # an app installed without im:write
        await h.post_event(app_mention("ny idé"))
        assert [p["channel"] for p in h.slack.posts()] == [CHANNEL]
        assert said(h, CHANNEL) == escape(texts.private_chat_unavailable("ny idé"))
        h.slack.clear()
        await h.post_event(app_mention("Fælles indkøb af papir"))
        assert escape(texts.IDEA_ASK_DESCRIPTION) not in h.slack.all_text()
