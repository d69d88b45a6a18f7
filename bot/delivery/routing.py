"""One :class:`ProactiveSender` for every channel: a message goes back to the channel
its conversation lives in (a reminder set in Slack arrives in Slack, one set in
Teams arrives in Teams), chosen by the stored conversation's ``channel_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from bot.delivery.protocol import PacedSender, ProactiveSender, SendOutcome, SendStatus, StoredSender
from bot.storage.conversations import ConversationStore, StoredConversation
from dialogs.messages import Message


class ChannelRoutingSender:
    def __init__(
        self,
        conversations: ConversationStore,
        senders: Mapping[str, ProactiveSender],
        default: ProactiveSender | None = None,
    ) -> None:
        self._conversations = conversations
        self._senders = dict(senders)
        self._default = default
        candidates: set[object] = {*self._senders.values(), self._default}
        self._paced = [sender for sender in candidates if isinstance(sender, PacedSender)]

    def conversation_wait(self, conversation_id: int, planned: int = 0) -> timedelta:
        """The longest wait any channel's sender knows for the conversation (no I/O)."""
        return max((sender.conversation_wait(conversation_id, planned) for sender in self._paced), default=timedelta(0))

    async def send(self, conversation_id: int, message: Message) -> SendOutcome:
        stored = await self._conversations.get_by_id(conversation_id)
        if stored is None:
            return SendOutcome(SendStatus.NO_CONVERSATION, detail="no conversation with that id")
        return await self.send_stored(stored, message)

    async def send_stored(self, stored: StoredConversation, message: Message) -> SendOutcome:
        """The channel's sender, handed the conversation already read (not read again)."""
        sender = self._senders.get(stored.channel_id, self._default)
        if sender is None:
            return SendOutcome(SendStatus.NO_CONVERSATION, detail=f"no sender for channel {stored.channel_id!r}")
        if isinstance(sender, StoredSender):
            return await sender.send_stored(stored, message)
        return await sender.send(stored.id, message)
