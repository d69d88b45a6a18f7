"""Proactive messages (reminders, idea feedback) into stored Slack conversations.

Implements :class:`bot.delivery.protocol.ProactiveSender` for conversations whose
``channel_id`` is ``"slack"``. Never raises for a delivery failure: a 429 becomes
``RETRY_LATER`` with Slack's ``Retry-After``; a channel the bot was removed from is
marked unreachable and reported ``UNREACHABLE``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.delivery.protocol import SendOutcome, SendStatus
from bot.slack.inbound import CHANNEL_ID, split_conversation_id
from bot.slack.webapi import SlackApiFailure, SlackChannelUnreachable, SlackRateLimited, SlackWebApi
from bot.storage.conversations import ConversationStore, StoredConversation
from dialogs.messages import Message
from dialogs.render_slack import to_slack_message

log = logging.getLogger(__name__)

TRANSIENT_RETRY_AFTER = timedelta(minutes=1)
PERMANENT_RETRY_AFTER = timedelta(hours=1)


class SlackSender:
    def __init__(self, conversations: ConversationStore, api: SlackWebApi) -> None:
        self._conversations = conversations
        self._api = api

    async def send(self, conversation_id: int, message: Message) -> SendOutcome:
        stored = await self._conversations.get_by_id(conversation_id)
        if stored is None:
            return SendOutcome(SendStatus.NO_CONVERSATION, detail="no Slack conversation with that id")
        return await self.send_stored(stored, message)

    async def send_stored(self, stored: StoredConversation, message: Message) -> SendOutcome:
        """:meth:`send` with the conversation its caller has just read."""
        conversation_id = stored.id
        if stored.channel_id != CHANNEL_ID:
            return SendOutcome(SendStatus.NO_CONVERSATION, detail="no Slack conversation with that id")
        if stored.unreachable:
            return SendOutcome(SendStatus.UNREACHABLE, detail=stored.unreachable_reason or "unreachable")
        _, channel = split_conversation_id(stored.conversation_id)
        payload = to_slack_message(message)
        try:
            result = await self._api.post_message(
                channel, payload["text"], payload["blocks"], wait_on_rate_limit=False
            )
        except SlackRateLimited as exc:
            return SendOutcome(SendStatus.RETRY_LATER, retry_after=exc.retry_after, detail="slack:ratelimited")
        except SlackChannelUnreachable as exc:
            await self._conversations.mark_unreachable(conversation_id, f"slack:{exc.error}")
            return SendOutcome(SendStatus.UNREACHABLE, detail=f"slack:{exc.error}")
        except SlackApiFailure as exc:
            log.warning("Slack delivery to conversation %s failed: %s", conversation_id, exc.error)
            retry_after = TRANSIENT_RETRY_AFTER if exc.transient else PERMANENT_RETRY_AFTER
            return SendOutcome(SendStatus.RETRY_LATER, retry_after=retry_after, detail=f"slack:{exc.error}")
        return SendOutcome(SendStatus.DELIVERED, activity_id=result.ts)
