"""Turn a neutral :class:`~dialogs.messages.Message` into a Bot Framework activity."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import ActionTypes, Activity, Attachment, CardAction, SuggestedActions

from dialogs.messages import Message
from dialogs.render import ADAPTIVE_CARD_CONTENT_TYPE, to_adaptive_card, to_plain_text
from dialogs.render_slack import BLOCK_KIT_CONTENT_TYPE, to_slack_message

SLACK_CHANNEL = "slack"

# Channels that render Adaptive Cards. Everything else gets plain text.
CARD_CHANNELS = frozenset({"msteams", "webchat", "emulator", "directline", "test"})


def wants_cards(channel_id: str | None) -> bool:
    return (channel_id or "") in CARD_CHANNELS


def to_activity(message: Message, channel_id: str | None) -> Activity:
    if channel_id == SLACK_CHANNEL:
        # Block Kit travels as an attachment; the Slack adapter posts it as blocks.
        activity = MessageFactory.text(to_plain_text(message))
        activity.attachments = [Attachment(content_type=BLOCK_KIT_CONTENT_TYPE, content=to_slack_message(message))]
        return activity
    if wants_cards(channel_id) and (message.is_rich or "\n" in message.text):
        attachment = Attachment(content_type=ADAPTIVE_CARD_CONTENT_TYPE, content=to_adaptive_card(message))
        activity = MessageFactory.attachment(attachment)
        # Notifications and clients without cards show the summary.
        activity.summary = message.title or message.text[:200]
        return activity
    activity = MessageFactory.text(to_plain_text(message))
    if message.actions:
        # Quick replies for text channels: the console maps "1", "2", … to them.
        activity.suggested_actions = SuggestedActions(
            actions=[CardAction(type=ActionTypes.im_back, title=a.title, value=a.text) for a in message.actions]
        )
    return activity


async def send(turn_context: TurnContext, message: Message) -> None:
    await turn_context.send_activity(to_activity(message, turn_context.activity.channel_id))


def plain(text: str) -> Message:
    return Message(text=text)


__all__ = ["to_activity", "send", "plain", "wants_cards"]
