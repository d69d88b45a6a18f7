"""Issue 13, item 8: the Slack routes never answer 500.

An absurd ``X-Slack-Request-Timestamp`` (400 digits, unsigned), and correctly signed
payloads whose fields have the wrong types or whose JSON is nested 100,000 deep, are
refused (4xx) or acknowledged and ignored; nothing fails in the background either."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.channels.slack_payloads import block_action, dm_message, sign
from tests.harness.slack_http import running_slack_bot
from tests.harness.teams_http import make_settings
from tests.security.conftest import assert_no_errors_logged

DEEP = b"[" * 100_000 + b"]" * 100_000
PATHS = ("/api/slack/events", "/api/slack/interactive", "/api/slack/commands")


def _set(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``payload`` with the field at ``a.b.c`` (``actions.0.value``) set to ``value``."""
    changed = copy.deepcopy(payload)
    *parents, last = path.split(".")
    node: Any = changed
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return changed


def wrongly_typed_events() -> dict[str, dict[str, Any]]:
    base = dm_message("hvad er en amr")
    return {
        "authorizations: 5": _set(base, "authorizations", 5),
        "authorizations: [5, 'x']": _set(base, "authorizations", [5, "x"]),
        "authorizations: user_id an object": _set(base, "authorizations", [{"is_bot": True, "user_id": {"a": 1}}]),
        "event: a string": _set(base, "event", "message"),
        "event.user: an object": _set(base, "event.user", {"id": "U1"}),
        "event.channel: [1]": _set(base, "event.channel", [1]),
        "event.subtype: [1]": _set(base, "event.subtype", [1]),
        "event.channel_type: [1]": _set(base, "event.channel_type", [1]),
        "event.text: an object": _set(base, "event.text", {"text": "hej"}),
        "event.files: 5": _set(base, "event.files", 5),
        "event.files: [5, {mimetype: []}]": _set(base, "event.files", [5, {"mimetype": [], "name": {}}]),
        "event.ts: an object": _set(base, "event.ts", {"ts": 1}),
        "event.thread_ts: a list": _set(base, "event.thread_ts", ["1"]),
        "team_id: an object": _set(base, "team_id", {"id": "T"}),
        "event_id: a list": _set(base, "event_id", ["Ev1"]),
        "api_app_id: a list": _set(base, "api_app_id", ["A1"]),
        "type: a list": _set(base, "type", ["event_callback"]),
        "challenge: an object": {"type": "url_verification", "challenge": {"a": [1]}},
    }


def wrongly_typed_clicks() -> dict[str, dict[str, Any]]:
    base = block_action({"action_id": "medbot:0", "value": json.dumps({"text": "hjælp"})})
    return {
        "user: 'U1'": _set(base, "user", "U1"),
        "channel: [1]": _set(base, "channel", [1]),
        "channel and container: [1]": _set(_set(base, "channel", [1]), "container", [1]),
        "actions: 5": _set(base, "actions", 5),
        "actions: ['x']": _set(base, "actions", ["x"]),
        "action_id: 5": _set(base, "actions.0.action_id", 5),
        "action value: an object": _set(base, "actions.0.value", {"text": "hjælp"}),
        "action value: deep JSON text": _set(base, "actions.0.value", "[" * 100_000 + "]" * 100_000),
        "selected_option: a string": _set(_set(base, "actions.0.value", None), "actions.0.selected_option", "x"),
        "state.values: a list": _set(base, "state", {"values": [1]}),
        "static_select option: a string": _set(
            _set(base, "actions.0.action_id", "medbot:submit"),
            "state", {"values": {"b": {"f": {"type": "static_select", "selected_option": "x"}, "g": {"type": "checkboxes", "selected_options": 5}}}},
        ),
        "message: a string": _set(base, "message", "hej"),
        "team: 5": _set(base, "team", 5),
        "user.name: an object": _set(base, "user", {"id": "U0METTE", "name": {"first": "Mette"}}),
    }


async def test_an_absurd_timestamp_is_refused_not_a_500(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        for timestamp in ("9" * 400, "-" + "9" * 400, "1" * 13, " 1764000000", "1_764_000_000", "١٧٦٤٠٠٠٠٠٠", "1e9"):
            for path in PATHS:
                headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + "0" * 64}
                response = await h.client.post(path, data=b"{}", headers={"Content-Type": "application/json", **headers})
                assert response.status == 401, (timestamp, path)


async def test_signed_events_with_wrong_types_are_acknowledged_and_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_slack_bot(make_settings(tmp_path, user_rate_per_minute=10_000)) as h:
        statuses = {}
        for name, payload in wrongly_typed_events().items():
            response = await h.post_event(payload)
            statuses[name] = response.status
        assert statuses == dict.fromkeys(statuses, 200)
    assert_no_errors_logged(caplog)


async def test_signed_clicks_with_wrong_types_are_acknowledged_and_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_slack_bot(make_settings(tmp_path, user_rate_per_minute=10_000)) as h:
        statuses = {}
        for name, payload in wrongly_typed_clicks().items():
            response = await h.click(payload)
            statuses[name] = response.status
        assert statuses == dict.fromkeys(statuses, 200)
    assert_no_errors_logged(caplog)


async def test_signed_deep_json_is_a_400(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        events = await h.client.post(
            "/api/slack/events", data=DEEP, headers={"Content-Type": "application/json", **sign(DEEP, h.now())}
        )
        assert events.status == 400
        number = b'{"type": "event_callback", "event_id": ' + b"1" * 5000 + b"}"
        events = await h.client.post(
            "/api/slack/events", data=number, headers={"Content-Type": "application/json", **sign(number, h.now())}
        )
        assert events.status == 400
        body = urlencode({"payload": DEEP.decode()}).encode()
        clicks = await h.client.post(
            "/api/slack/interactive", data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body, h.now())},
        )
        assert clicks.status == 400
        assert h.slack.posts() == []
    assert_no_errors_logged(caplog)


async def test_a_signed_ordinary_click_still_works(tmp_path: Path) -> None:
    async with running_slack_bot(make_settings(tmp_path)) as h:
        response = await h.click(block_action({"action_id": "medbot:0", "value": json.dumps({"text": "hjælp"})}))
        assert response.status == 200
        assert h.slack.posts(), "the click is answered"
