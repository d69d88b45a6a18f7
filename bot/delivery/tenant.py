"""The tenant of an activity: which organisation's Teams a message comes from or goes to.

Teams names the tenant twice in every activity it sends: ``conversation.tenantId`` and
``channelData.tenant.id``. botbuilder's ``ConversationAccount`` maps ``tenant_id`` to
the JSON key ``tenantID``, so the parsed ``conversation.tenant_id`` is ``None`` and
``tenantId`` lands in ``conversation.additional_properties``. :func:`tenant_of` reads
all three; :func:`settle_tenant` writes the result into ``conversation.tenant_id`` so
that everything built from the activity afterwards (the replies of the turn, the stored
conversation reference) carries it.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

__all__ = ["settle_tenant", "tenant_of"]


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


def settle_tenant(activity: Activity) -> str | None:
    """Put the activity's tenant into ``conversation.tenant_id`` (if it has a conversation)."""
    tenant = tenant_of(activity)
    if tenant and activity.conversation is not None and activity.conversation.tenant_id != tenant:
        activity.conversation.tenant_id = tenant
    return tenant
