"""bot/botframework/fast_activity.py gives the very Activity msrest gives, node by node, or msrest's own error.

Every comparison is structural: the type of every node, every attribute of every model
(``additional_properties`` included) in the same order, dict keys in the same order,
datetimes with their tzinfo's type and state, and which values are the caller's own
objects (msrest puts unknown keys' values into ``additional_properties`` as they are,
and copies ``object`` values).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from botbuilder.schema import Activity
from msrest.serialization import Deserializer, Model

from bot.botframework import fast_activity
from bot.botframework.fast_activity import Unsupported, activity_from_json, model_from_json
from tests.activities import BOT_ID, TENANT, installation_update, teams_bot_added, teams_channel_mention, teams_message

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


# --- comparison ----------------------------------------------------------------------


def _container_ids(value: Any, into: dict[int, Any]) -> dict[int, Any]:
    if isinstance(value, (dict, list)):
        into[id(value)] = value
        for item in value.values() if isinstance(value, dict) else value:
            _container_ids(item, into)
    return into


def assert_same(fast: Any, slow: Any, body_ids: dict[int, Any], path: str = "$") -> None:
    assert type(fast) is type(slow), f"{path}: {type(fast).__name__} != {type(slow).__name__}"
    if isinstance(slow, (dict, list)):
        # A value taken over from the body must be that very object in both; a copy in both otherwise.
        assert (id(fast) in body_ids) == (id(slow) in body_ids), f"{path}: shared with the body in one only"
        if id(slow) in body_ids:
            assert fast is slow, f"{path}: not the same body object"
    if isinstance(slow, Model):
        assert list(vars(fast)) == list(vars(slow)), f"{path}: attributes {list(vars(fast))} != {list(vars(slow))}"
        for name in vars(slow):
            assert_same(vars(fast)[name], vars(slow)[name], body_ids, f"{path}.{name}")
    elif isinstance(slow, dict):
        assert list(fast) == list(slow), f"{path}: keys {list(fast)} != {list(slow)}"
        for key in slow:
            assert_same(fast[key], slow[key], body_ids, f"{path}[{key!r}]")
    elif isinstance(slow, list):
        assert len(fast) == len(slow), f"{path}: length {len(fast)} != {len(slow)}"
        for index, (a, b) in enumerate(zip(fast, slow)):
            assert_same(a, b, body_ids, f"{path}[{index}]")
    elif isinstance(slow, dt.datetime):
        assert fast.replace(tzinfo=None) == slow.replace(tzinfo=None) and fast.fold == slow.fold, path
        assert type(fast.tzinfo) is type(slow.tzinfo), f"{path}: tzinfo {type(fast.tzinfo)} != {type(slow.tzinfo)}"
        if slow.tzinfo is not None:
            assert vars(fast.tzinfo) == vars(slow.tzinfo), f"{path}: tzinfo {vars(fast.tzinfo)} != {vars(slow.tzinfo)}"
            assert fast.tzinfo.tzname(None) == slow.tzinfo.tzname(None), path
    elif isinstance(slow, float) and math.isnan(slow):
        assert math.isnan(fast), path
    else:
        assert fast == slow, f"{path}: {fast!r} != {slow!r}"


def _frozen(value: Any) -> Any:
    """A comparable snapshot of a body (NaN-safe, no int-to-str conversion)."""
    if isinstance(value, dict):
        return ("dict", tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def _outcome(parse: Callable[[Any], Any], body: Any) -> tuple[str, Any]:
    try:
        return "ok", parse(body)
    except Exception as exc:  # noqa: BLE001 - the very point is to compare any failure
        return "error", (type(exc), str(exc))


def assert_equivalent(body: Any) -> str:
    """Both parsers on the same body: the same graph, or the same exception. Returns "ok"/"error"."""
    before = _frozen(body)
    slow = _outcome(lambda b: Activity().deserialize(b), body)
    fast = _outcome(activity_from_json, body)
    assert _frozen(body) == before, "the body was changed"
    assert fast[0] == slow[0], f"msrest: {slow}, fast: {fast}"
    if slow[0] == "error":
        assert fast[1] == slow[1]
    else:
        assert_same(fast[1], slow[1], _container_ids(body, {}))
    return slow[0]


def fast_path_takes(body: Any) -> bool:
    try:
        model_from_json(Activity, body)
    except Unsupported:
        return False
    return True


# --- corpus --------------------------------------------------------------------------


def teams_mention_with_client_info() -> dict[str, Any]:
    return {
        "text": "<at>MED-bot</at> hvad er en AMR?",
        "textFormat": "plain",
        "type": "message",
        "timestamp": "2026-11-24T09:41:07.1234567Z",
        "localTimestamp": "2026-11-24T10:41:07.1234567+01:00",
        "id": "1732441267123",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:1user-aad-id", "name": "Mette Jensen", "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": "19:abc@thread.tacv2;messageid=1732441267123",
        },
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "entities": [
            {
                "mentioned": {"id": BOT_ID, "name": "MED-bot"},
                "text": "<at>MED-bot</at>",
                "type": "mention",
            },
            {"locale": "da-DK", "country": "DK", "platform": "Web", "timezone": "Europe/Copenhagen", "type": "clientInfo"},
        ],
        "channelData": {
            "teamsChannelId": "19:abc@thread.tacv2",
            "teamsTeamId": "19:team@thread.tacv2",
            "channel": {"id": "19:abc@thread.tacv2", "name": "MED"},
            "team": {"id": "19:team@thread.tacv2", "name": "HovedMED", "aadGroupId": "0c6a-4b1e"},
            "tenant": {"id": TENANT},
            "settings": {"selectedChannel": {"id": "19:abc@thread.tacv2"}},
        },
        "locale": "da-DK",
        "localTimezone": "Europe/Copenhagen",
    }


def action_submit() -> dict[str, Any]:
    return {
        "type": "message",
        "id": "f:6e7a1c",
        "timestamp": "2026-11-24T09:42:00.5Z",
        "localTimestamp": "2026-11-24T10:42:00.5+01:00",
        "serviceUrl": SERVICE_URL,
        "channelId": "msteams",
        "from": {"id": "29:1user-aad-id", "name": "Mette Jensen", "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-id"},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "entities": [{"locale": "da-DK", "country": "DK", "platform": "Windows", "timezone": "Europe/Copenhagen", "type": "clientInfo"}],
        "channelData": {"tenant": {"id": TENANT}, "source": {"name": "message"}, "legacy": {"replyToId": "1:1abc"}, "postBack": True},
        "replyToId": "1732441267123",
        "value": {"action": "idea.submit", "title": "Bedre lys", "body": "Lamper i kantinen", "anonymous": False, "rating": 4, "score": 0.75, "tags": ["a", None, 3]},
        "locale": "da-DK",
    }


def invoke_adaptive_card_action() -> dict[str, Any]:
    return {
        "name": "adaptiveCard/action",
        "type": "invoke",
        "timestamp": "2026-11-24T09:43:10.017Z",
        "localTimestamp": "2026-11-24T10:43:10.017+01:00",
        "id": "f:8b2d",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:1user-aad-id", "name": "Mette Jensen", "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-id"},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "entities": [{"locale": "da-DK", "country": "DK", "platform": "Web", "timezone": "Europe/Copenhagen", "type": "clientInfo"}],
        "channelData": {"tenant": {"id": TENANT}, "source": {"name": "message"}, "legacy": {"replyToId": "1:1x"}},
        "replyToId": "1732441267123",
        "value": {"action": {"type": "Action.Execute", "title": "Godkend", "verb": "approve", "data": {"caseId": 17, "nested": {"x": [1, 2.5, "3"]}}}, "trigger": "manual"},
        "locale": "da-DK",
    }


def conversation_update_members() -> dict[str, Any]:
    return {
        "membersAdded": [{"id": BOT_ID}, {"id": "29:2new-user", "aadObjectId": "1111-2222", "name": "Ny Kollega", "role": "user"}],
        "membersRemoved": [{"id": "29:3old-user", "aadObjectId": "3333"}],
        "type": "conversationUpdate",
        "timestamp": "2026-11-24T09:44:00.4Z",
        "id": "f:2b1e",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:1user-aad-id", "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": "19:team@thread.tacv2"},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "channelData": {"team": {"aadGroupId": "0c6a", "name": "HovedMED", "id": "19:team@thread.tacv2"}, "eventType": "teamMemberAdded", "tenant": {"id": TENANT}},
    }


def installation_update_add() -> dict[str, Any]:
    return {
        "action": "add",
        "type": "installationUpdate",
        "timestamp": "2026-11-24T09:45:00.311Z",
        "id": "f:5c0f",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:1user-aad-id", "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-id"},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "entities": [{"locale": "da-DK", "country": "DK", "platform": "Web", "timezone": "Europe/Copenhagen", "type": "clientInfo"}],
        "channelData": {"settings": {"selectedChannel": {"id": "19:abc@thread.tacv2"}}, "source": {"name": "message"}, "tenant": {"id": TENANT}},
        "locale": "da-DK",
    }


def message_reaction() -> dict[str, Any]:
    return {
        "reactionsAdded": [{"type": "like"}],
        "reactionsRemoved": [{"type": "heart", "createdDateTime": "2026-11-24T09:46:00Z"}],
        "type": "messageReaction",
        "timestamp": "2026-11-24T09:46:01.9Z",
        "id": "f:7aa0",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:1user-aad-id", "aadObjectId": "6b3c1f1e-0000-4000-8000-000000000001"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-id"},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "channelData": {"tenant": {"id": TENANT}, "legacy": {"replyToId": "1:1x"}},
        "replyToId": "1732441267123",
    }


def typing() -> dict[str, Any]:
    return {
        "type": "typing",
        "timestamp": "2026-11-24T09:47:00Z",
        "id": "1732441620000",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:1user-aad-id"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-id"},
        "recipient": {"id": BOT_ID},
        "channelData": {"tenant": {"id": TENANT}},
    }


def playground_message() -> dict[str, Any]:
    # Bot Framework Emulator / Agents Playground: localTimestamp with an offset, localTimezone, roles.
    return {
        "type": "message",
        "text": "hvad er en amr",
        "from": {"id": "d3c2b7a0-user", "name": "User", "role": "user"},
        "locale": "en-US",
        "textFormat": "plain",
        "timestamp": "2026-11-24T09:48:12.345Z",
        "channelData": {"clientActivityID": "17324416923450.abc", "clientTimestamp": "2026-11-24T09:48:12.345Z"},
        "entities": [
            {"requiresBotState": True, "supportsListening": True, "supportsTts": True, "type": "ClientCapabilities"}
        ],
        "conversation": {"id": "9f0d1c80-2a4b-11ef-conv|livechat"},
        "id": "b1e4f7d0-2a4b-11ef-act",
        "recipient": {"id": "a8c3e0e0-bot", "name": "Bot", "role": "bot"},
        "serviceUrl": "http://localhost:56150",
        "localTimestamp": "2026-11-24T10:48:12+01:00",
        "localTimezone": "Europe/Copenhagen",
        "channelId": "emulator",
    }


def attachments_and_suggested_actions() -> dict[str, Any]:
    return {
        "type": "message",
        "id": "f:att",
        "timestamp": "2026-11-24T09:49:00.000Z",
        "serviceUrl": SERVICE_URL,
        "channelId": "msteams",
        "from": {"id": "29:1user-aad-id", "name": "Mette Jensen"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-id"},
        "recipient": {"id": BOT_ID, "name": "MED-bot"},
        "text": "se vedhæftede",
        "attachmentLayout": "carousel",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.teams.file.download.info",
                "contentUrl": "https://contoso.sharepoint.com/personal/referat.docx",
                "name": "referat.docx",
                "content": {"downloadUrl": "https://contoso.sharepoint.com/download", "uniqueId": "1a2b", "fileType": "docx", "etag": None},
            },
            {"contentType": "image/png", "contentUrl": "https://example.test/lys.png", "thumbnailUrl": "https://example.test/t.png"},
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "type": "AdaptiveCard",
                    "version": "1.5",
                    "body": [{"type": "TextBlock", "text": "Hej", "wrap": True, "size": "Large"}],
                    "actions": [{"type": "Action.Submit", "title": "Send", "data": {"action": "idea.submit", "n": 1.5e300}}],
                },
            },
            {"contentType": "text/html", "content": "<p>Hej</p>"},
        ],
        "suggestedActions": {
            "to": ["29:1user-aad-id"],
            "actions": [
                {"type": "imBack", "title": "Ja", "value": "ja"},
                {"type": "messageBack", "title": "Nej", "text": "nej", "displayText": "Nej tak", "value": {"answer": False}, "channelData": {"x": 1}, "image": "https://example.test/n.png", "imageAltText": "nej"},
            ],
        },
    }


def kitchen_sink() -> dict[str, Any]:
    body = attachments_and_suggested_actions()
    body.update(
        {
            "localTimestamp": "2026-11-24T10:49:00.000000001+01:00",
            "localTimezone": "Europe/Copenhagen",
            "topicName": "MED",
            "historyDisclosed": False,
            "locale": "da-DK",
            "speak": "<speak>hej</speak>",
            "inputHint": "acceptingInput",
            "summary": "resume",
            "entities": [{"type": "mention", "mentioned": {"id": BOT_ID}}, {"type": "https://schema.org/Place", "@context": "https://schema.org", "name": "Kantinen"}, {}],
            "action": "add",
            "replyToId": "1:1",
            "label": "label",
            "valueType": "application/json",
            "value": ["a", 1, 2.5, True, None, {"k": [{}]}],
            "name": "application/vnd.microsoft.activity.event",
            "relatesTo": {
                "activityId": "1:1",
                "user": {"id": "29:1user-aad-id", "properties": {"a": 1}},
                "bot": {"id": BOT_ID, "role": "bot"},
                "conversation": {"id": "a:1", "tenantID": TENANT, "isGroup": False, "properties": {"b": [1]}},
                "channelId": "msteams",
                "locale": "da-DK",
                "serviceUrl": SERVICE_URL,
                "unknownInReference": {"x": 1},
            },
            "code": "completedSuccessfully",
            "expiration": "2026-12-24T09:00:00-05:00",
            "importance": "high",
            "deliveryMode": "expectReplies",
            "listenFor": ["ja", "nej"],
            "textHighlights": [{"text": "AMR", "occurrence": 1}, {"text": "MED", "occurrence": 2, "extra": True}],
            "semanticAction": {"id": "order", "state": "start", "entities": {"pizza": {"type": "Pizza", "size": "L"}, "none": None}},
            "callerId": "urn:botframework:azure",
        }
    )
    return body


def sample_bodies() -> dict[str, dict[str, Any]]:
    message_with_value = teams_message(SERVICE_URL, "ignored", value={"action": "case.level", "level": "2"})
    return {
        "tests.teams_message": teams_message(SERVICE_URL, "hvad er en amr"),
        "tests.teams_message_value": message_with_value,
        "tests.teams_channel_mention": teams_channel_mention(SERVICE_URL, "hvad er en AMR?"),
        "tests.teams_bot_added": teams_bot_added(SERVICE_URL),
        "tests.teams_bot_added_personal": teams_bot_added(SERVICE_URL, conversation_type="personal"),
        "tests.installation_update": installation_update(SERVICE_URL),
        "teams_mention_with_client_info": teams_mention_with_client_info(),
        "action_submit": action_submit(),
        "invoke_adaptive_card_action": invoke_adaptive_card_action(),
        "conversation_update_members": conversation_update_members(),
        "installation_update_add": installation_update_add(),
        "message_reaction": message_reaction(),
        "typing": typing(),
        "playground_message": playground_message(),
        "attachments_and_suggested_actions": attachments_and_suggested_actions(),
        "kitchen_sink": kitchen_sink(),
        "empty": {},
        "only_unknown_keys": {"foo": 1, "bar": {"baz": [1]}, "": None},
        "all_null": {key: None for key in ("type", "id", "from", "conversation", "entities", "channelData", "value", "timestamp")},
    }


SAMPLES = sample_bodies()


# --- the corpus ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_real_shaped_activities_give_the_same_graph(name: str) -> None:
    assert assert_equivalent(SAMPLES[name]) == "ok"


@pytest.mark.parametrize("name", list(SAMPLES))
def test_real_shaped_activities_take_the_fast_path(name: str) -> None:
    assert fast_path_takes(SAMPLES[name])


def test_teams_tenant_id_is_an_additional_property_as_msrest_has_it() -> None:
    # ConversationAccount maps tenant_id to "tenantID"; Teams sends "tenantId".
    body = teams_mention_with_client_info()
    activity = activity_from_json(body)
    assert activity.conversation.tenant_id is None
    assert activity.conversation.additional_properties == {"tenantId": TENANT}
    mention = activity.entities[0]
    assert mention.type == "mention" and mention.additional_properties["mentioned"] is body["entities"][0]["mentioned"]
    assert activity.channel_data == body["channelData"] and activity.channel_data is not body["channelData"]
    assert activity.additional_properties == {}
    assert activity.timestamp == dt.datetime(2026, 11, 24, 9, 41, 7, 123456, tzinfo=dt.UTC)
    # str(model) shows __dict__ (logs do this): the same keys in the same order.
    def shown(model: Model) -> str:
        return re.sub(r" at 0x[0-9a-f]+", "", str(model))

    assert shown(activity) == shown(Activity().deserialize(body))


def test_unknown_keys_everywhere() -> None:
    body = teams_mention_with_client_info()
    body.update({"zzz": 1, "aaa": {"nested": [1, 2]}, "Text": "case matters", "from_property": "python name", "mmm": None})
    body["from"]["extra"] = {"x": 1}
    body["conversation"]["tenantID"] = "set-by-key"
    body["recipient"]["Id"] = "other-case"
    body["entities"].append({"type": "x", "a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9})
    assert assert_equivalent(body) == "ok"
    assert fast_path_takes(body)


# --- timestamps ----------------------------------------------------------------------

TIMESTAMPS = [
    "2026-11-24T09:00:00.000Z",
    "2026-11-24T09:00:00Z",
    "2026-11-24T09:00:00.1Z",
    "2026-11-24T09:00:00.123456Z",
    "2026-11-24T09:00:00.1234567Z",
    "2026-11-24T09:00:00.999999999Z",
    "2026-11-24T09:00:00.123456789+05:30",
    "2026-11-24T09:00:00-08:00",
    "2026-11-24T09:00:00+00:00",
    "2026-11-24T09:00:00-00:00",
    "2026-11-24T09:00:00+01:99",
    "2026-11-24T09:00:00+23:59",
    "2026-11-24T09:00:00+24:00",
    "2026-11-24T09:00:00+99:00",
    "2026-11-24T09:00:00",
    "2026-11-24T09:00:00.5",
    "2026-11-24t09:00:00z",
    "2026-11-24T09:00:00+0530",
    "2026-11-24T09:00:00+05",
    "2026-11-24T09:00:00,5Z",
    "2026-11-24T09:00:00.Z",
    "2026-11-24T09:00Z",
    "2026-11-24T0900Z",
    "2026-11-24 09:00:00Z",
    "2026-11-24",
    "2026-02-29T00:00:00Z",
    "2024-02-29T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-13-10T00:00:00Z",
    "2026-11-00T00:00:00Z",
    "2026-11-24T24:00:00Z",
    "2026-11-24T23:60:00Z",
    "2026-11-24T23:59:60Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00-01:00",
    "0002-01-01T00:00:00+23:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-01:00",
    "9998-12-31T23:59:59-23:59",
    "\uff12\uff10\uff12\uff16-11-24T09:00:00Z",
    "2026-11-24T09:00:00Zjunk",
    "2026-11-24T09:00:00.123Z ",
    " 2026-11-24T09:00:00Z",
    "garbage",
    "",
    "T",
]


@pytest.mark.parametrize("stamp", TIMESTAMPS)
@pytest.mark.parametrize("key", ["timestamp", "localTimestamp", "expiration"])
def test_timestamps(stamp: str, key: str) -> None:
    body = teams_message(SERVICE_URL, "hej")
    body[key] = stamp
    assert_equivalent(body)


@pytest.mark.parametrize("value", [12345, 1.5, True, [], {}, ["2026-11-24T09:00:00Z"], {"value": "2026-11-24T09:00:00Z"}])
def test_timestamps_of_the_wrong_type(value: Any) -> None:
    body = teams_message(SERVICE_URL, "hej")
    body["timestamp"] = value
    assert assert_equivalent(body) == "error"


def test_common_timestamps_are_built_as_isodate_builds_them() -> None:
    rng = random.Random(8601)
    for _ in range(3000):
        year = rng.choice([1, 2, 999, 1970, 2026, 9998, 9999, rng.randint(0, 9999)])
        parts = [f"{year:04d}", f"{rng.randint(0, 13):02d}", f"{rng.randint(0, 32):02d}"]
        clock = [f"{rng.choice([0, 9, 23, 24, rng.randint(0, 99)]):02d}", f"{rng.randint(0, 60):02d}", f"{rng.randint(0, 60):02d}"]
        stamp = "-".join(parts) + "T" + ":".join(clock)
        if rng.random() < 0.7:
            stamp += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 10)))
        zone = rng.random()
        if zone < 0.4:
            stamp += "Z"
        elif zone < 0.9:
            stamp += f"{rng.choice('+-')}{rng.choice([0, 1, 5, 12, 23, 24, rng.randint(0, 99)]):02d}:{rng.choice([0, 30, 59, 60, rng.randint(0, 99)]):02d}"
        slow = _outcome(Deserializer.deserialize_iso, stamp)
        fast = _outcome(fast_activity._iso, stamp)
        if fast[0] == "ok":
            assert slow[0] == "ok", (stamp, fast, slow)
            assert_same(fast[1], slow[1], {}, stamp)
        elif slow[0] == "ok":
            # isodate reads month 00 as January; the fast path declines, msrest decides.
            assert stamp[5:7] == "00", (stamp, fast, slow)
            body = teams_message(SERVICE_URL, "hej")
            body["timestamp"] = stamp
            assert assert_equivalent(body) == "ok"
        else:
            assert fast_activity._ISO_COMMON.fullmatch(stamp), stamp


# --- malformed and odd bodies ----------------------------------------------------------

ODD_FIELDS: list[tuple[str, Any]] = [
    ("from", "29:1user-aad-id"),
    ("from", ["29:1user-aad-id"]),
    ("from", 7),
    ("from", {}),
    ("from", {"id": 123, "name": True, "properties": "p"}),
    ("conversation", []),
    ("conversation", {"isGroup": "yes", "id": "x"}),
    ("conversation", {"isGroup": "TRUE", "id": "x"}),
    ("conversation", {"isGroup": "0", "id": "x"}),
    ("conversation", {"isGroup": 1, "id": "x"}),
    ("conversation", {"isGroup": 0.0, "id": "x"}),
    ("conversation", {"isGroup": 2, "id": "x"}),
    ("conversation", {"isGroup": [], "id": "x"}),
    ("conversation", {"isGroup": None, "id": None}),
    ("entities", {"type": "mention"}),
    ("entities", "mention"),
    ("entities", [None, {"type": None}]),
    ("entities", ["mention"]),
    ("entities", [[{"type": "mention"}]]),
    ("entities", [{"type": 5}]),
    ("entities", [{"type": {"a": 1}}]),
    ("membersAdded", {"id": "x"}),
    ("membersAdded", [{"id": "x"}, "y"]),
    ("attachments", [None]),
    ("attachments", [{"content": float("nan")}]),
    ("attachments", [{"content": {"a": float("inf"), "b": [float("-inf")]}}]),
    ("text", 42),
    ("text", 4.25),
    ("text", True),
    ("text", ["a"]),
    ("text", {"a": 1}),
    ("text", ""),
    ("text", 10**5000),
    ("type", 0),
    ("channelData", "a string"),
    ("channelData", 3),
    ("channelData", []),
    ("channelData", [None, [None, {}]]),
    ("channelData", {"": {"": ""}}),
    ("value", False),
    ("value", 0),
    ("value", 10**30),
    ("value", -0.0),
    ("historyDisclosed", "False"),
    ("historyDisclosed", "nope"),
    ("historyDisclosed", 1.0),
    ("textHighlights", [{"text": "a", "occurrence": "3"}]),
    ("textHighlights", [{"text": "a", "occurrence": " 3 "}]),
    ("textHighlights", [{"text": "a", "occurrence": 3.7}]),
    ("textHighlights", [{"text": "a", "occurrence": True}]),
    ("textHighlights", [{"text": "a", "occurrence": "x"}]),
    ("textHighlights", [{"text": "a", "occurrence": float("inf")}]),
    ("textHighlights", [{"text": "a", "occurrence": float("nan")}]),
    ("textHighlights", [{"text": "a", "occurrence": [3]}]),
    ("listenFor", "ja"),
    ("listenFor", [1, None, "x", 2.5, False]),
    ("listenFor", [["x"]]),
    ("suggestedActions", {"to": "29:1", "actions": []}),
    ("suggestedActions", {"actions": [{"type": "imBack", "value": [1, {"a": None}]}, None]}),
    ("suggestedActions", {"actions": {"type": "imBack"}}),
    ("semanticAction", {"entities": [{"key": "a", "value": {"type": "x"}}]}),
    ("semanticAction", {"entities": "x"}),
    ("semanticAction", {"entities": {"a": "x"}}),
    ("semanticAction", {"entities": {}}),
    ("relatesTo", {"user": "x"}),
    ("relatesTo", {"conversation": {"properties": {"a": [1, {"b": None}]}}}),
]


@pytest.mark.parametrize(("key", "value"), ODD_FIELDS, ids=[f"{i}-{k}" for i, (k, _) in enumerate(ODD_FIELDS)])
def test_odd_and_malformed_fields(key: str, value: Any) -> None:
    body = teams_mention_with_client_info()
    body[key] = value
    assert_equivalent(body)


@pytest.mark.parametrize("body", [None, [], "{}", '{"type": "message"}', b"{}", 5, ["type", "message"]], ids=repr)
def test_bodies_that_are_not_dicts(body: Any) -> None:
    assert_equivalent(body)


def test_deeply_nested_values_are_left_to_msrest() -> None:
    nested: Any = "leaf"
    for _ in range(fast_activity.MAX_OBJECT_DEPTH + 5):
        nested = {"a": [nested]}
    body = teams_message(SERVICE_URL, "hej")
    body["channelData"] = nested
    assert not fast_path_takes(body)
    assert assert_equivalent(body) == "ok"


def test_what_the_plan_does_not_cover_goes_to_msrest() -> None:
    for key, value in [("from", "x"), ("entities", {}), ("timestamp", "garbage"), ("text", ["a"]),
                       ("semanticAction", {"entities": [{"key": "a", "value": {}}]}), ("channelData", (1, 2))]:
        body = teams_message(SERVICE_URL, "hej")
        body[key] = value
        assert not fast_path_takes(body), key
    # a tuple inside channelData is no JSON; msrest rejects it with its own error
    body = teams_message(SERVICE_URL, "hej")
    body["channelData"] = (1, 2)
    slow = _outcome(Activity.deserialize, body)
    assert slow[0] == "error" and _outcome(activity_from_json, body) == slow


# --- property test: mutated bodies -----------------------------------------------------

_INTERESTING: list[Any] = [
    None, True, False, 0, 1, -1, 2, 1.0, 0.0, 2.5, float("nan"), float("inf"), 10**25,
    "", "x", "true", "FALSE", "1", "0", " 7 ", "mention", "2026-11-24T09:00:00.1234567Z",
    "2026-11-24T10:00:00+01:00", "2026-11-24", "2026-11-24T09:00:00+0100",
    [], [None], ["x"], [1, "2"], [{"type": "mention"}], [{"id": "29:x"}], {}, {"id": "x"}, {"type": "x", "extra": [1]},
    {"key": "k", "value": {"type": "v"}}, [{"key": "k", "value": {}}],
]


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.random()
    if depth > 3 or choice < 0.55:
        return copy.deepcopy(rng.choice(_INTERESTING))
    if choice < 0.75:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["id", "type", "name", "text", "isGroup", "occurrence", "to", "actions", "entities", "value", "zzz", "tenantId"]
    return {rng.choice(keys): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def _containers(value: Any, into: list[Any]) -> list[Any]:
    if isinstance(value, dict):
        into.append(value)
        for item in value.values():
            _containers(item, into)
    elif isinstance(value, list):
        into.append(value)
        for item in value:
            _containers(item, into)
    return into


def _mutate(body: dict[str, Any], rng: random.Random) -> None:
    for _ in range(rng.randint(1, 3)):
        target = rng.choice(_containers(body, []))
        if isinstance(target, dict):
            keys = list(target)
            action = rng.random()
            if keys and action < 0.3:
                del target[rng.choice(keys)]
            elif keys and action < 0.85:
                target[rng.choice(keys)] = _random_json(rng)
            else:
                known = ["from", "conversation", "entities", "membersAdded", "textHighlights", "semanticAction",
                         "suggestedActions", "localTimestamp", "historyDisclosed", "listenFor", "relatesTo", "isGroup"]
                target[rng.choice(known + ["unknownKey", "Type"])] = _random_json(rng)
        elif target:
            index = rng.randrange(len(target))
            if rng.random() < 0.3:
                del target[index]
            else:
                target[index] = _random_json(rng)
        else:
            target.append(_random_json(rng))


def test_mutated_bodies_are_equivalent_or_both_fail() -> None:
    rng = random.Random(20261124)
    bases = list(SAMPLES.values())
    counts = {"ok": 0, "error": 0, "fast": 0}
    for case in range(2000):
        body = copy.deepcopy(rng.choice(bases))
        _mutate(body, rng)
        try:
            counts[assert_equivalent(body)] += 1
        except AssertionError as exc:
            raise AssertionError(f"case {case}: {body!r:.2000}") from exc
        counts["fast"] += fast_path_takes(body)
    # The mutations reach both outcomes, and most bodies msrest accepts take the fast path.
    assert counts["ok"] > 1000 and counts["error"] > 100, counts
    assert counts["fast"] > 0.7 * counts["ok"], counts


def test_the_comparison_is_strict() -> None:
    body = teams_mention_with_client_info()
    slow = Activity().deserialize(body)
    ids = _container_ids(body, {})
    mentioned = body["entities"][0]["mentioned"]
    changes: list[Callable[[Activity], None]] = [
        lambda a: setattr(a, "timestamp", a.timestamp.replace(tzinfo=dt.UTC)),  # another tzinfo type
        lambda a: setattr(a.local_timestamp.tzinfo, "_FixedOffset__name", "+0100"),  # another tzinfo state
        lambda a: a.entities[0].additional_properties.update(mentioned=dict(mentioned)),  # a copy where msrest shares
        lambda a: setattr(a, "channel_data", body["channelData"]),  # shared where msrest copies
        lambda a: setattr(a.conversation, "additional_properties", {}),
        lambda a: setattr(a.conversation, "additional_properties", {"tenantId": TENANT, "x": None}),
        lambda a: a.__dict__.update({"extra": 1}),
        lambda a: a.__dict__.update({"additional_properties": a.__dict__.pop("additional_properties")}),  # order
        lambda a: setattr(a, "text", a.text + " "),
        lambda a: setattr(a.conversation, "is_group", 1),
    ]
    for change in changes:
        fast = Activity().deserialize(body)
        assert_same(fast, slow, ids)
        change(fast)
        with pytest.raises(AssertionError):
            assert_same(fast, slow, ids)
