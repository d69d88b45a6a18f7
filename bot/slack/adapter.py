"""The Slack channel as a botbuilder :class:`BotAdapter` (channel id ``"slack"``).

Like :class:`bot.console.ConsoleAdapter`: the same bot and dialogs run their turns
here; what the bot sends is posted with the Web API (:class:`SlackWebApi`) into the
Slack channel of the conversation, in the thread the user wrote in.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationAccount, ConversationReference, ResourceResponse

from bot.slack.inbound import conversation_id, split_conversation_id
from bot.slack.outbound import activity_to_slack
from bot.slack.webapi import SlackApiFailure, SlackWebApi
from dialogs import texts
from dialogs.render_slack import escape

log = logging.getLogger(__name__)

Logic = Callable[[TurnContext], Awaitable[None]]


def _thread_of(activity: Activity | None) -> str | None:
    data = activity.channel_data if activity is not None and isinstance(activity.channel_data, dict) else {}
    slack: dict[str, Any] = data["slack"] if isinstance(data.get("slack"), dict) else {}
    thread_ts = slack.get("thread_ts")
    return str(thread_ts) if thread_ts else None


class SlackAdapter(BotAdapter):
    def __init__(self, api: SlackWebApi) -> None:
        super().__init__()
        self._api = api
        self.on_turn_error = self._apologise

    async def process_activity(self, activity: Activity, logic: Logic) -> None:
        """Run one turn for an activity built from a Slack payload."""
        await self.run_pipeline(TurnContext(self, activity), logic)

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses: list[ResourceResponse] = []
        thread_ts = _thread_of(context.activity)
        for activity in activities:
            if activity.type != ActivityTypes.message:
                responses.append(ResourceResponse(id=""))  # typing, traces: nothing to show in Slack
                continue
            conversation = activity.conversation or context.activity.conversation
            _, channel = split_conversation_id(conversation.id if conversation else "")
            text, blocks = activity_to_slack(activity)
            result = await self._api.post_message(channel, text, blocks, thread_ts=thread_ts)
            responses.append(ResourceResponse(id=result.ts))
        return responses

    async def open_direct_message(self, source: Activity, logic: Logic) -> None:
        """Open the DM with the sender of ``source`` (``conversations.open``) and run
        ``logic`` in a turn there whose activity is ``source``'s message, as if it had been
        written in the DM. Raises :class:`SlackApiFailure` when the DM cannot be opened."""
        user = source.from_property.id if source.from_property is not None else None
        if not user:
            raise SlackApiFailure("no_user")
        team, _ = split_conversation_id(source.conversation.id if source.conversation is not None else "")
        channel = await self._api.open_direct_message(user)
        activity = Activity(
            type=ActivityTypes.message,
            channel_id=source.channel_id,
            service_url=source.service_url,
            from_property=source.from_property,
            recipient=source.recipient,
            conversation=ConversationAccount(
                id=conversation_id(team, channel), conversation_type="personal", is_group=False, tenant_id=team or None
            ),
            text=source.text,
            text_format="plain",
            locale=source.locale,
            timestamp=source.timestamp,
            channel_data={"slack": {"team_id": team, "channel": channel, "thread_ts": None, "source": "conversations.open"}},
        )
        await self.run_pipeline(TurnContext(self, activity), logic)

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        _, channel = split_conversation_id(activity.conversation.id if activity.conversation else "")
        text, blocks = activity_to_slack(activity)
        result = await self._api.update_message(channel, activity.id or "", text, blocks)
        return ResourceResponse(id=result.ts)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        _, channel = split_conversation_id(reference.conversation.id if reference.conversation else "")
        await self._api.delete_message(channel, reference.activity_id or "")

    async def _apologise(self, turn_context: TurnContext, error: Exception) -> None:
        log.error("Slack turn failed: %s", type(error).__name__, exc_info=error)
        if turn_context.activity.type != ActivityTypes.message or isinstance(error, SlackApiFailure):
            return
        _, channel = split_conversation_id(turn_context.activity.conversation.id)
        try:
            await self._api.post_message(channel, escape(texts.ERROR_APOLOGY), thread_ts=_thread_of(turn_context.activity))
        except SlackApiFailure:
            log.warning("could not send the apology to Slack either")
