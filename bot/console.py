"""A console channel: the same bot and dialogs, typed in a terminal (``medbot chat``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from botbuilder.core import Bot, BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    ResourceResponse,
)

CHANNEL_ID = "console"


class ConsoleAdapter(BotAdapter):
    """Writes the bot's messages to ``out``; maps a typed number to a numbered choice."""

    def __init__(self, write: Callable[[str], None], user_id: str = "console-user") -> None:
        super().__init__()
        self._write = write
        self._choices: list[str] = []
        self.user = ChannelAccount(id=user_id, name="Dig")
        self.bot_account = ChannelAccount(id="medbot", name="MED-bot")
        self.conversation = ConversationAccount(id=f"console-{uuid.uuid4().hex[:8]}", conversation_type="personal")

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses = []
        for activity in activities:
            if activity.type == ActivityTypes.message:
                self._write(activity.text or "")
                actions = activity.suggested_actions.actions if activity.suggested_actions else []
                self._choices = [str(a.value) for a in actions if a.value]
            responses.append(ResourceResponse(id=uuid.uuid4().hex))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        raise NotImplementedError("the console cannot edit a message")

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        raise NotImplementedError("the console cannot delete a message")

    def _activity(self, kind: str, text: str | None = None) -> Activity:
        return Activity(
            type=kind,
            id=uuid.uuid4().hex,
            text=text,
            channel_id=CHANNEL_ID,
            from_property=self.user,
            recipient=self.bot_account,
            conversation=self.conversation,
            locale="da-DK",
        )

    def resolve_choice(self, text: str) -> str:
        stripped = text.strip().rstrip(".")
        if stripped.isdigit() and 1 <= int(stripped) <= len(self._choices):
            return self._choices[int(stripped) - 1]
        return text

    async def start(self, bot: Bot) -> None:
        activity = self._activity(ActivityTypes.conversation_update)
        activity.members_added = [self.bot_account, self.user]
        await self.run_pipeline(TurnContext(self, activity), bot.on_turn)

    async def say(self, bot: Bot, text: str) -> None:
        activity = self._activity(ActivityTypes.message, self.resolve_choice(text))
        await self.run_pipeline(TurnContext(self, activity), bot.on_turn)

