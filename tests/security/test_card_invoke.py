"""Issue 13, item 9: an Adaptive Card ``adaptiveCard/action`` invoke whose value is not
what a card sends (a string, null, a number, an action that is not an object) gets a
polite 400 invoke response in the Universal Actions error format, never a 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dialogs import texts
from tests.activities import teams_message
from tests.harness.teams_http import make_settings, running_bot
from tests.security.conftest import assert_no_errors_logged


def card_invoke(service_url: str, value: Any) -> dict[str, Any]:
    activity = teams_message(service_url, "")
    activity.update(type="invoke", name="adaptiveCard/action", value=value)
    activity.pop("text", None)
    return activity


@pytest.mark.parametrize(
    "value",
    ["string", None, 5, [1], {"action": "x"}, {"action": ["Action.Execute"]}],
    ids=["string", "null", "number", "list", "action-string", "action-list"],
)
async def test_unreadable_card_action_gets_a_polite_400(tmp_path: Path, value: Any, caplog: pytest.LogCaptureFixture) -> None:
    async with running_bot(make_settings(tmp_path)) as h:
        response = await h.client.post("/api/messages", json=card_invoke(h.connector.url, value))
        assert response.status == 400
        body = await response.json()
        assert body == {
            "statusCode": 400,
            "type": "application/vnd.microsoft.error",
            "value": {"code": "BadRequest", "message": texts.CARD_ACTION_UNREADABLE},
        }
        assert h.connector.sent == []
    assert_no_errors_logged(caplog)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"unexpected": 1}, "Missing action property"),
        ({"action": {"type": "Action.Submit"}}, "The action 'Action.Submit' is not supported."),
    ],
    ids=["no-action", "not-execute"],
)
async def test_the_sdks_own_card_errors_are_serialised(tmp_path: Path, value: Any, message: str, caplog: pytest.LogCaptureFixture) -> None:
    """botbuilder answers these itself, with an Exception in its response that it cannot
    serialise (HTTP 500); the app turns it into the error object the format wants."""
    async with running_bot(make_settings(tmp_path)) as h:
        response = await h.client.post("/api/messages", json=card_invoke(h.connector.url, value))
        assert response.status == 400
        body = await response.json()
        assert body["statusCode"] == 400 and body["type"] == "application/vnd.microsoft.error"
        assert body["value"]["message"] == message
    assert_no_errors_logged(caplog)
