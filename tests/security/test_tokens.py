"""Issue 13, item 1: with an app id set, every malformed or forged token is a 401, never a
500 with a traceback: ``alg: none``, HS256, an unknown or missing ``kid``, and a valid token
whose key is not endorsed for the activity's channel."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.activities import teams_message
from tests.harness.teams_http import make_settings, running_bot
from tests.security.conftest import APP_ID, assert_no_errors_logged, bearer
from tests.security.keys import KeyEndpoint


async def test_every_forged_token_is_refused_with_401(tmp_path: Path, botframework: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with KeyEndpoint() as keys:
        settings = make_settings(tmp_path, botframework=botframework, app_id=APP_ID, app_password="secret", openid_metadata_url=keys.url)
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            statuses = {}
            for name, token in keys.forged_tokens(APP_ID, h.connector.url).items():
                statuses[name] = await h.post(activity, headers=bearer(token))
            # Not a bearer token at all.
            for name, header in {"Basic": "Basic dXNlcjpwYXNz", "Bearer, nothing": "Bearer ", "three words": "Bearer a b"}.items():
                statuses[name] = await h.post(activity, headers={"Authorization": header})
            assert statuses == dict.fromkeys(statuses, 401)
            assert h.connector.sent == []
            assert await h.runtime.conversations.get("msteams", "a:1personal-chat-id") is None
            assert_no_errors_logged(caplog)
            # The well-made token is still taken (its reply needs Azure AD, out of reach here).
            assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 201


async def test_a_key_not_endorsed_for_the_channel_is_refused_with_401(tmp_path: Path, botframework: str, caplog: pytest.LogCaptureFixture) -> None:
    with KeyEndpoint(endorsements=("msteams",)) as keys:
        settings = make_settings(tmp_path, botframework=botframework, app_id=APP_ID, app_password="secret", openid_metadata_url=keys.url)
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            activity["channelId"] = "webchat"
            assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 401
            assert await h.runtime.conversations.get("webchat", "a:1personal-chat-id") is None
    assert_no_errors_logged(caplog)


async def test_unknown_key_ids_do_not_refetch_the_keys_on_every_request(tmp_path: Path, botframework: str) -> None:
    with KeyEndpoint() as keys:
        settings = make_settings(tmp_path, botframework=botframework, app_id=APP_ID, app_password="secret", openid_metadata_url=keys.url)
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 201
            for n in range(5):
                assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url, kid=f"rotated-{n}"))) == 401
            assert keys.metadata_hits == 1
