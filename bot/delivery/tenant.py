"""The tenant of an activity: which organisation's Teams a message comes from or goes to.

Teams names the tenant twice in every activity it sends: ``conversation.tenantId`` and
``channelData.tenant.id``. botbuilder's ``ConversationAccount`` maps ``tenant_id`` to
the JSON key ``tenantID``, so the parsed ``conversation.tenant_id`` is ``None`` and
``tenantId`` lands in ``conversation.additional_properties``. :func:`tenant_of`
(:mod:`dialogs.speaker`, the one reading of it) reads all three; :func:`settle_tenant` writes the result into ``conversation.tenant_id`` so
that everything built from the activity afterwards (the replies of the turn, the stored
conversation reference) carries it.
"""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.speaker import tenant_of

__all__ = ["settle_tenant", "tenant_of"]


def settle_tenant(activity: Activity) -> str | None:
    """Put the activity's tenant into ``conversation.tenant_id`` (if it has a conversation)."""
    tenant = tenant_of(activity)
    if tenant and activity.conversation is not None and activity.conversation.tenant_id != tenant:
        activity.conversation.tenant_id = tenant
    return tenant
