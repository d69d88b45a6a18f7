"""Issue 13, item 3: hostile JSON bodies are a 4xx, never a 500, with token checks off or on.

100,000-deep nesting (RecursionError in the JSON parser), a 5,000-digit number (ValueError
past Python's integer digit limit), and an activity nested just shallow enough to parse but
deep enough to overflow what walks it afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.activities import teams_message
from tests.harness.teams_http import make_settings, running_bot
from tests.security.conftest import APP_ID, assert_no_errors_logged, bearer
from tests.security.keys import KeyEndpoint

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECTS = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def _with_value(service_url: str, raw_value: bytes) -> bytes:
    """A real activity whose ``value`` is ``raw_value`` (spliced in as JSON text)."""
    text = json.dumps(teams_message(service_url, "", value={"x": 0}))
    return text.replace('{"x": 0}', raw_value.decode()).encode()


def hostile_bodies(service_url: str) -> dict[str, bytes]:
    return {
        "100,000 nested arrays": DEEP,
        "100,000 nested objects": DEEP_OBJECTS,
        "5,000-digit number": b'{"type": "message", "n": ' + b"7" * 5000 + b"}",
        "5,000-digit number in an activity": _with_value(service_url, b"9" * 5000),
        "900 levels in a card value": _with_value(service_url, b"[" * 900 + b"]" * 900),
        "100 levels in a card value": _with_value(service_url, b'{"a":' * 100 + b"1" + b"}" * 100),
        "not UTF-8": b'{"type": "message", "text": "\xff\xfe"}',
    }


@pytest.mark.parametrize("auth", ["off", "on"])
async def test_hostile_json_bodies_are_refused_with_400(tmp_path: Path, auth: str, caplog: pytest.LogCaptureFixture) -> None:
    with KeyEndpoint() as keys:
        overrides = {"app_id": APP_ID, "app_password": "secret", "openid_metadata_url": keys.url} if auth == "on" else {}
        async with running_bot(make_settings(tmp_path, max_body_bytes=1024 * 1024, **overrides)) as h:
            headers = {"Content-Type": "application/json"}
            if auth == "on":
                headers.update(bearer(keys.token(APP_ID, h.connector.url)))
            statuses = {}
            for name, body in hostile_bodies(h.connector.url).items():
                response = await h.client.post("/api/messages", data=body, headers=headers)
                statuses[name] = response.status
                assert "error" in await response.json()
            assert statuses == dict.fromkeys(statuses, 400)
            assert h.connector.sent == []
            assert (await h.client.get("/healthz")).status == 200
    assert_no_errors_logged(caplog)


async def test_an_ordinary_card_value_still_goes_through(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path)) as h:
        nested = {"level": {"deeper": {"list": [[{"a": [1, 2, {"b": "c"}]}]]}}}
        assert await h.post(teams_message(h.connector.url, "", value=nested)) == 201
