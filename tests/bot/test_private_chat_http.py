"""Issue 12, point 9, over HTTP with the real CloudAdapter: an idea or a reminder asked for
in a Teams group chat or channel opens the 1:1 chat (``POST /v3/conversations`` on the
connector, the user as the only member) and continues there; the group gets one note."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from dialogs import texts
from dialogs.reminder_port import Owner
from tests.activities import BOT_ID, TENANT, teams_channel_mention, teams_message
from tests.fakes import Scripted
from tests.harness.teams_http import make_settings, running_bot

GROUP = "19:group-chat-id@thread.v2"
CHANNEL = "19:abc@thread.tacv2;messageid=1"
USER_ID = "29:1user-aad-id"


def group_message(service_url: str, text: str) -> dict:
    activity = teams_message(service_url, f"<at>MED-bot</at> {text}", conversation_id=GROUP, conversation_type="groupChat")
    activity["entities"] = [{"type": "mention", "mentioned": {"id": BOT_ID, "name": "MED-bot"}, "text": "<at>MED-bot</at>"}]
    return activity


def said(sent: list[dict]) -> str:
    parts = []
    for activity in sent:
        parts.append(activity.get("text") or "")
        for attachment in activity.get("attachments") or []:
            content = attachment.get("content") or {}
            parts.extend(str(e.get("text", "")) for e in content.get("body", []) if isinstance(e, dict))
    return "\n".join(parts)


async def test_an_idea_in_a_group_chat_opens_the_1on1_chat_and_continues_there(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        assert await h.post(group_message(h.connector.url, "ny idé")) == 201

        # The 1:1 chat was created for the user alone, in the activity's tenant.
        [created] = h.connector.created
        assert created["isGroup"] is False
        assert [m["id"] for m in created["members"]] == [USER_ID]
        assert created["tenantID"] == TENANT  # botbuilder 4.17.1 spells it so; the connector reads it either way
        assert created["channelData"] == {"tenant": {"id": TENANT}}
        assert created["bot"]["id"] == BOT_ID

        private = h.connector.created_id
        assert said(h.connector.sent_to(GROUP)) == texts.PRIVATE_CHAT_MOVED
        in_private = said(h.connector.sent_to(private))
        assert "»ny idé«" in in_private and texts.IDEA_INTRO in in_private
        # The 1:1 chat is stored as the user's personal conversation (for feedback later).
        stored = await h.runtime.conversations.get("msteams", private)
        assert stored is not None and stored.conversation_type == "personal" and stored.user_id == USER_ID

        # The user answers in the 1:1 chat: its own dialog state continues there.
        h.connector.clear()
        await h.post(teams_message(h.connector.url, "Fælles indkøb af papir", conversation_id=private))
        assert texts.IDEA_ASK_DESCRIPTION in said(h.connector.sent_to(private))
        assert h.connector.sent_to(GROUP) == []


async def test_a_reminder_in_a_channel_is_saved_in_the_1on1_chat(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        await h.post(teams_channel_mention(h.connector.url, "mind mig om at sende dagsorden i morgen kl 9"))
        private = h.connector.created_id
        assert said(h.connector.sent_to(CHANNEL)) == texts.PRIVATE_CHAT_MOVED
        assert "Jeg minder dig om »sende dagsorden«" in said(h.connector.sent_to(private))
        assert "dagsorden" not in said(h.connector.sent_to(CHANNEL))
        owner = Owner(channel_id="msteams", conversation_id=private, user_id=USER_ID)
        [reminder] = await h.runtime.reminders.service.list_reminders(owner)
        assert "dagsorden" in reminder.text
        # It will be delivered into the 1:1 chat, not the channel.
        [row] = await _reminder_conversations(h)
        assert row == private


async def test_when_the_1on1_chat_cannot_be_opened_the_group_is_told_and_no_dialog_runs(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        h.connector.script.append(Scripted(403))  # e.g. the app is not installed for the user
        await h.post(group_message(h.connector.url, "ny idé"))
        assert h.connector.created == []
        assert [a["_conversation_id"] for a in h.connector.sent] == [GROUP]
        assert said(h.connector.sent) == texts.private_chat_unavailable("ny idé")
        # Nothing of the idea dialog in the group: the next message is not an answer to it.
        state = await h.runtime.storage.read([f"msteams/conversations/{GROUP}"])
        stack = getattr(state.get(f"msteams/conversations/{GROUP}", {}).get("DialogState"), "dialog_stack", None)
        assert not stack


async def _reminder_conversations(h) -> list[str]:
    """The conversation each stored reminder is delivered into."""
    async with h.runtime.database.connection() as connection:
        rows = await connection.execute(
            sa.text("SELECT c.conversation_id FROM reminders r JOIN conversation_refs c ON c.id = r.conversation_ref_id")
        )
        return [row[0] for row in rows]
