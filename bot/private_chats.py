"""The user's personal chat with the bot, opened from a group chat or channel.

:class:`PrivateChats` implements :class:`dialogs.deps.PrivateChats`: the router moves a
personal dialog (an idea, reminders) that was asked for in front of colleagues into the
user's own chat with the bot, and the dialog continues there.

* **Teams** (and any other Bot Framework channel): ``CloudAdapter.create_conversation``
  with the user as the only member, the tenant of the activity
  (``conversation.tenantId`` or ``channelData.tenant.id``) and ``isGroup`` false. Teams
  gives back the existing 1:1 chat when there is one. It refuses (403) when the app is
  not installed for the user in the personal scope; a client without 1:1 chats (the
  Agents Playground) fails too: then the chat "cannot be opened".
* **Slack**: ``conversations.open`` gives the DM (:meth:`SlackAdapter.open_direct_message`).

The turn in the personal chat is a message from the user there, with the text typed
in the group. It is run as an inbound turn of that conversation is (bot/handler.py):
one at a time per conversation (the handler's :class:`ConversationLocks`), its
conversation reference stored (reminders and idea feedback are sent there later), and
its conversation state saved after the dialog has started, so the user's next message
in the personal chat answers the dialog's question.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from botbuilder.core import ConversationState, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ConversationParameters

from bot.delivery.tenant import tenant_of
from bot.slack.adapter import SlackAdapter
from bot.slack.inbound import CHANNEL_ID as SLACK_CHANNEL
from bot.storage.conversations import ConversationStore
from bot.turnlock import ConversationLocks
from dialogs.deps import PrivateTurn

__all__ = ["ConversationCreator", "PrivateChats"]

log = logging.getLogger(__name__)

PERSONAL = "personal"


class ConversationCreator(Protocol):
    """The part of CloudAdapter (botbuilder 4.17.1) that opens a conversation."""

    async def create_conversation(
        self,
        bot_app_id: str,
        callback: Any,
        conversation_parameters: ConversationParameters,
        channel_id: str,
        service_url: str,
        audience: str | None,
    ) -> Any: ...


def _failure(error: BaseException) -> str:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    code = getattr(error, "error", None)  # SlackApiFailure: Slack's error code
    detail = f"HTTP {status}" if isinstance(status, int) else code if isinstance(code, str) else ""
    return type(error).__name__ + (f" ({detail})" if detail else "")


def _as_message_from(source: Activity, activity: Activity, conversation_id: str, tenant: str | None) -> None:
    """Turn CloudAdapter's CreateConversation event into the user's message in the new chat."""
    activity.type = ActivityTypes.message
    activity.name = None
    activity.value = None
    activity.text = source.text
    activity.text_format = source.text_format
    activity.attachments = None
    activity.entities = None
    activity.from_property = source.from_property
    activity.recipient = activity.recipient or source.recipient
    activity.conversation = ConversationAccount(
        id=conversation_id, conversation_type=PERSONAL, is_group=False, tenant_id=tenant
    )
    activity.channel_id = activity.channel_id or source.channel_id
    activity.service_url = activity.service_url or source.service_url
    activity.channel_data = {"tenant": {"id": tenant}} if tenant else None
    activity.locale = source.locale
    activity.timestamp = source.timestamp
    activity.local_timestamp = source.local_timestamp
    activity.local_timezone = source.local_timezone


class PrivateChats:
    """One per process, built by the composition root (bot/runtime.py)."""

    def __init__(
        self,
        creator: ConversationCreator,
        conversations: ConversationStore,
        conversation_state: ConversationState,
        locks: ConversationLocks,
        *,
        app_id: str = "",
    ) -> None:
        self._creator = creator
        self._conversations = conversations
        self._state = conversation_state
        self._locks = locks
        self._app_id = app_id

    async def continue_privately(self, turn_context: TurnContext, logic: PrivateTurn) -> bool:
        source = turn_context.activity
        if source.from_property is None or not source.from_property.id or source.conversation is None:
            return False
        ran = False

        async def run(private_context: TurnContext) -> None:
            nonlocal ran
            await self._run(private_context, logic)
            ran = True

        try:
            if source.channel_id == SLACK_CHANNEL:
                adapter = turn_context.adapter
                if not isinstance(adapter, SlackAdapter):
                    return False
                await adapter.open_direct_message(source, run)
            else:
                await self._create_1on1(source, run)
        except Exception as error:  # noqa: BLE001 - whatever failed, the user is asked to write directly
            log.warning("could not open a personal chat in %s: %s", source.channel_id, _failure(error))
            return False
        if not ran:
            log.warning("the personal chat in %s was opened, but its turn did not complete", source.channel_id)
        return ran

    async def _create_1on1(self, source: Activity, run: PrivateTurn) -> None:
        tenant = tenant_of(source)
        assert source.from_property is not None
        parameters = ConversationParameters(
            is_group=False,
            bot=source.recipient,
            members=[ChannelAccount(id=source.from_property.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )

        async def created(turn_context: TurnContext) -> None:
            conversation = turn_context.activity.conversation
            if conversation is None or not conversation.id:
                log.warning("create_conversation gave no conversation id")
                return
            _as_message_from(source, turn_context.activity, conversation.id, tenant)
            await run(turn_context)

        await self._creator.create_conversation(
            self._app_id, created, parameters, source.channel_id or "", source.service_url or "", None
        )

    async def _run(self, turn_context: TurnContext, logic: PrivateTurn) -> None:
        activity = turn_context.activity
        conversation_id = activity.conversation.id if activity.conversation else ""
        async with self._locks.hold(f"{activity.channel_id}/{conversation_id}"):
            reference = TurnContext.get_conversation_reference(activity)
            await self._conversations.upsert_from_activity(reference, PERSONAL, tenant_of(activity))
            await logic(turn_context)
            await self._state.save_changes(turn_context)
