"""The Teams activity handler: welcome, help, mentions, input checks and state."""

from __future__ import annotations

import logging

from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ChannelAccount

from bot.delivery.tenant import tenant_of
from bot.ratelimit import UserRateLimiter
from bot.storage.conversations import ConversationStore
from bot.turnlock import ConversationLocks
from dialogs import texts
from dialogs.activities import plain, send
from dialogs.inbound import read_input
from dialogs.router import Router
from dialogs.start import is_group, welcome_message

log = logging.getLogger(__name__)

WELCOMED_PROPERTY = "Welcomed"


class MedBot(TeamsActivityHandler):
    def __init__(
        self,
        router: Router,
        conversation_state: ConversationState,
        conversations: ConversationStore,
        rate_limiter: UserRateLimiter,
        max_message_chars: int,
        turn_locks: ConversationLocks | None = None,
    ) -> None:
        self._router = router
        self._conversation_state = conversation_state
        self._conversations = conversations
        self._rate_limiter = rate_limiter
        self._max_chars = max_message_chars
        self._welcomed = conversation_state.create_property(WELCOMED_PROPERTY)
        # Shared with bot/private_chats.py, whose turns in a 1:1 chat queue with these.
        self._turn_locks = turn_locks or ConversationLocks()

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        key = f"{activity.channel_id}/{activity.conversation.id if activity.conversation else ''}"
        async with self._turn_locks.hold(key):
            await self._remember_conversation(turn_context)
            await super().on_turn(turn_context)
            await self._conversation_state.save_changes(turn_context)

    async def _remember_conversation(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if not (activity.conversation and activity.conversation.id and activity.service_url):
            return
        reference = TurnContext.get_conversation_reference(activity)
        await self._conversations.upsert_from_activity(
            reference, activity.conversation.conversation_type, tenant_of(activity), always=activity.type != "message"
        )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        user_input = read_input(activity)
        user_key = f"{activity.channel_id}:{activity.from_property.id if activity.from_property else '?'}"
        if not self._rate_limiter.allow(user_key):
            await send(turn_context, plain(texts.RATE_LIMITED))
            return
        if len(user_input.text) > self._max_chars:
            await send(turn_context, plain(texts.too_long(self._max_chars)))
            return
        if not user_input.text and not user_input.form:
            await send(turn_context, plain(texts.UNSUPPORTED_ATTACHMENT if activity.attachments else texts.EMPTY_MESSAGE))
            return
        # Dialogs and prompts read the activity: give them the cleaned text
        # (mention stripped, a card click turned into the text it stands for).
        activity.text = user_input.text
        await self._router.on_message(turn_context, user_input)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in members_added) or (
            turn_context.activity.conversation and turn_context.activity.conversation.conversation_type == "personal"
        ):
            await self._welcome(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def _welcome(self, turn_context: TurnContext) -> None:
        if await self._welcomed.get(turn_context, False):
            return
        await self._welcomed.set(turn_context, True)
        conversation = turn_context.activity.conversation
        await send(turn_context, welcome_message(group=is_group(conversation.conversation_type if conversation else None)))
