"""Drive the reminder dialog like the router does, on botbuilder's TestAdapter.

State lives in ``bot.storage.state.SqlStorage`` on the test database, so every turn
round-trips the dialog stack through the database as in production.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import Dialog, DialogSet, DialogTurnStatus
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.storage.db import Database
from bot.storage.state import SqlStorage

SERVICE_URL = "https://smba.example.test/emea/"


def reply_text(activity: Activity) -> str:
    parts = [activity.text or ""]
    for attachment in activity.attachments or []:
        content = attachment.content or {}
        for element in content.get("body", []):
            if element.get("type") == "TextBlock":
                parts.append(element.get("text", ""))
            elif element.get("type") == "FactSet":
                parts.extend(f"{f['title']}: {f['value']}" for f in element.get("facts", []))
        parts.extend(a.get("title", "") for a in content.get("actions", []))
    return "\n".join(p for p in parts if p)


def reply_buttons(activity: Activity) -> list[str]:
    titles: list[str] = []
    for attachment in activity.attachments or []:
        titles.extend(a.get("title", "") for a in (attachment.content or {}).get("actions", []))
    if activity.suggested_actions:
        titles.extend(a.title for a in activity.suggested_actions.actions)
    return titles


class DialogHarness:
    def __init__(
        self,
        dialog: Dialog,
        database: Database,
        *,
        user_id: str = "29:user-1",
        conversation_id: str = "a:personal-1",
        conversation_type: str = "personal",
        service_url: str | None = SERVICE_URL,
    ) -> None:
        self._dialog = dialog
        self.state = ConversationState(SqlStorage(database))
        self._dialogs = DialogSet(self.state.create_property("DialogState"))
        self._dialogs.add(dialog)
        template = Activity(
            channel_id="msteams",
            service_url=service_url,
            from_property=ChannelAccount(id=user_id, name="Mette Jensen"),
            recipient=ChannelAccount(id="28:medbot", name="MED-bot"),
            conversation=ConversationAccount(id=conversation_id, conversation_type=conversation_type, tenant_id="tenant-1"),
        )
        self.adapter = TestAdapter(self._logic, template)
        self.active = False

    async def _logic(self, turn_context: TurnContext) -> None:
        dc = await self._dialogs.create_context(turn_context)
        result = await dc.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            result = await dc.begin_dialog(self._dialog.id, turn_context.activity.text)
        self.active = result.status == DialogTurnStatus.Waiting
        await self.state.save_changes(turn_context)

    async def say(self, text: str, value: dict[str, Any] | None = None) -> list[Activity]:
        activity = Activity(type="message", text=text, value=value)
        await self.adapter.receive_activity(activity)
        replies = []
        while (reply := self.adapter.get_next_activity()) is not None:
            replies.append(reply)
        return replies

    async def say_text(self, text: str) -> str:
        return "\n\n".join(reply_text(r) for r in await self.say(text))
