"""Who is talking to the bot, and in which conversation: one type for every feature.

Ideas know their submitter by it (``dialogs.idea_port.Person``), reminders and nudges
are delivered to its conversation (``dialogs.reminder_port.Owner``); both names are this
class. :func:`speaker_of` reads it from an activity, and :func:`tenant_of` is the one
reading of the tenant (Teams names it in ``conversation.tenantId`` and in
``channelData.tenant.id``; botbuilder's ``ConversationAccount`` expects ``tenantID``, so
the parsed ``conversation.tenant_id`` is ``None`` and ``tenantId`` lands in
``conversation.additional_properties``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

__all__ = ["Speaker", "speaker_of", "tenant_of"]


@dataclass(frozen=True)
class Speaker:
    """A user in a conversation, as the channel identifies them."""

    channel_id: str
    user_id: str
    conversation_id: str = ""
    user_name: str | None = None
    conversation_type: str | None = None
    tenant_id: str | None = None
    #: the serialised ConversationReference to deliver to later ({} when not needed)
    reference: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.channel_id}:{self.user_id}"

    @property
    def is_personal(self) -> bool:
        return self.conversation_type in (None, "", "personal")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def tenant_of(activity: Activity) -> str | None:
    """The tenant id of ``activity``, wherever the channel put it; ``None`` when it names none."""
    conversation = activity.conversation
    if conversation is not None:
        tenant = _text(getattr(conversation, "tenant_id", None))
        if tenant:
            return tenant
        extra = getattr(conversation, "additional_properties", None)
        if isinstance(extra, dict):
            tenant = _text(extra.get("tenantId"))
            if tenant:
                return tenant
    data = activity.channel_data
    holder = data.get("tenant") if isinstance(data, dict) else getattr(data, "tenant", None)
    if isinstance(holder, dict):
        return _text(holder.get("id"))
    return _text(getattr(holder, "id", None))


def speaker_of(turn_context: TurnContext, *, with_reference: bool = False) -> Speaker:
    """Who wrote this turn's activity; ``with_reference``: also the conversation to deliver to later."""
    activity = turn_context.activity
    sender = activity.from_property
    conversation = activity.conversation
    reference: Mapping[str, Any] = {}
    if with_reference:
        reference = TurnContext.get_conversation_reference(activity).serialize()
    return Speaker(
        channel_id=activity.channel_id or "",
        user_id=(sender.id if sender is not None and sender.id else ""),
        conversation_id=conversation.id if conversation is not None and conversation.id else "",
        user_name=sender.name if sender is not None else None,
        conversation_type=conversation.conversation_type if conversation is not None else None,
        tenant_id=tenant_of(activity),
        reference=reference,
    )
