"""Real-shaped Teams activity JSON for HTTP tests (as Teams and the Agents Playground send it)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

_ids = itertools.count(1)

BOT_ID = "28:medbot-test"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def teams_message(
    service_url: str,
    text: str,
    *,
    conversation_id: str = "a:1personal-chat-id",
    conversation_type: str = "personal",
    user_id: str = "29:1user-aad-id",
    user_name: str = "Mette Jensen",
    value: dict[str, Any] | None = None,
) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "type": "message",
        "id": f"{next(_ids)}{uuid.uuid4().hex[:6]}",
        "timestamp": "2026-11-24T09:00:00.000Z",
        "localTimestamp": "2026-11-24T10:00:00.000+01:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user_id, "name": user_name, "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {"conversationType": conversation_type, "tenantId": TENANT, "id": conversation_id},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "textFormat": "plain",
        "locale": "en-US",
        "text": text,
        "channelData": {"tenant": {"id": TENANT}},
    }
    if value is not None:
        activity["value"] = value
        activity["text"] = None
    return activity


def teams_channel_mention(service_url: str, text: str, *, conversation_id: str = "19:abc@thread.tacv2;messageid=1") -> dict[str, Any]:
    activity = teams_message(service_url, f"<at>MED-bot</at> {text}", conversation_id=conversation_id, conversation_type="channel")
    activity["entities"] = [
        {"type": "mention", "mentioned": {"id": BOT_ID, "name": "MED-bot"}, "text": "<at>MED-bot</at>"}
    ]
    activity["channelData"] = {
        "teamsChannelId": "19:abc@thread.tacv2",
        "teamsTeamId": "19:team@thread.tacv2",
        "channel": {"id": "19:abc@thread.tacv2"},
        "team": {"id": "19:team@thread.tacv2"},
        "tenant": {"id": TENANT},
    }
    return activity


def teams_bot_added(service_url: str, *, conversation_id: str = "19:abc@thread.tacv2", conversation_type: str = "channel") -> dict[str, Any]:
    return {
        "type": "conversationUpdate",
        "id": f"f:{uuid.uuid4().hex}",
        "timestamp": "2026-11-24T09:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:1user-aad-id", "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {"isGroup": conversation_type != "personal", "conversationType": conversation_type, "tenantId": TENANT, "id": conversation_id},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "membersAdded": [{"id": BOT_ID}],
        "channelData": {"tenant": {"id": TENANT}, "eventType": "teamMemberAdded", "team": {"id": "19:team@thread.tacv2"}},
    }


def installation_update(service_url: str, *, conversation_id: str = "a:1personal-chat-id") -> dict[str, Any]:
    return {
        "type": "installationUpdate",
        "id": f"f:{uuid.uuid4().hex}",
        "action": "add",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:1user-aad-id"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": conversation_id},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "channelData": {"tenant": {"id": TENANT}},
    }
