"""The tenant of an activity is read from real Teams JSON, and the replies of a turn carry it."""

from __future__ import annotations

from pathlib import Path

from botbuilder.schema import Activity

from bot.delivery.tenant import settle_tenant, tenant_of
from tests.activities import TENANT, teams_channel_mention, teams_message
from tests.harness.teams_http import make_settings, running_bot

# An activity as Teams posts it (the tenant as ``conversation.tenantId`` and
# ``channelData.tenant.id``; no ``tenantID`` anywhere).
REAL_TEAMS_MESSAGE = {
    "text": "Hvad er MED-udvalgets opgaver?",
    "textFormat": "plain",
    "attachments": [{"contentType": "text/html", "content": "<p>Hvad er MED-udvalgets opgaver?</p>"}],
    "type": "message",
    "timestamp": "2026-12-07T08:01:12.3526542Z",
    "localTimestamp": "2026-12-07T09:01:12.3526542+01:00",
    "id": "1733558472352",
    "channelId": "msteams",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "from": {
        "id": "29:1Xq3tU6Wl0aOQ8lW0Yd3c",
        "name": "Mette Jensen",
        "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001",
    },
    "conversation": {
        "conversationType": "personal",
        "tenantId": "3a2b8c1d-5e6f-4a7b-9c8d-0e1f2a3b4c5d",
        "id": "a:1Gk3Zt8pQ0mX2rA9vN7yB4cD6eF",
    },
    "recipient": {"id": "28:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "name": "MED-bot"},
    "entities": [{"locale": "da-DK", "country": "DK", "platform": "Windows", "timezone": "Europe/Copenhagen", "type": "clientInfo"}],
    "channelData": {"tenant": {"id": "3a2b8c1d-5e6f-4a7b-9c8d-0e1f2a3b4c5d"}},
    "locale": "da-DK",
    "localTimezone": "Europe/Copenhagen",
}
REAL_TENANT = "3a2b8c1d-5e6f-4a7b-9c8d-0e1f2a3b4c5d"


def test_the_sdk_model_alone_loses_the_tenant() -> None:
    # Why tenant_of exists: botbuilder's model expects "tenantID".
    assert Activity().deserialize(REAL_TEAMS_MESSAGE).conversation.tenant_id is None


def test_tenant_of_a_real_teams_message() -> None:
    assert tenant_of(Activity().deserialize(REAL_TEAMS_MESSAGE)) == REAL_TENANT


def test_tenant_from_channel_data_alone_and_none() -> None:
    only_channel_data = {**REAL_TEAMS_MESSAGE, "conversation": {"conversationType": "personal", "id": "a:x"}}
    assert tenant_of(Activity().deserialize(only_channel_data)) == REAL_TENANT
    nothing = {**only_channel_data, "channelData": {}}
    assert tenant_of(Activity().deserialize(nothing)) is None
    assert tenant_of(Activity(type="message")) is None


def test_settle_tenant_writes_it_where_replies_and_references_read_it() -> None:
    activity = Activity().deserialize(teams_channel_mention("http://127.0.0.1/", "hej"))
    assert settle_tenant(activity) == TENANT
    assert activity.conversation.tenant_id == TENANT
    assert activity.conversation.serialize()["tenantID"] == TENANT


async def test_the_reply_of_a_turn_names_the_tenant(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path)) as bot:
        assert await bot.post(teams_message(bot.connector.url, "Hvad er MED?")) in (200, 201)
        assert bot.connector.sent
        for reply in bot.connector.sent:
            assert reply["conversation"].get("tenantID") == TENANT
        stored = await bot.runtime.conversations.get("msteams", "a:1personal-chat-id")
        assert stored is not None and stored.tenant_id == TENANT
