"""Issue 13, "Also": without an app id the bot is not an open relay.

Unauthenticated mode takes activities only from this machine (a loopback peer, not
forwarded by a proxy) and answers only on a serviceUrl on this machine, unless the
operator sets MEDBOT_UNAUTHENTICATED=anywhere; the log says which mode runs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.loopback import LoopbackOnly, is_loopback_host, refusal
from bot.settings import Settings, SettingsError
from dialogs import texts
from tests.activities import teams_message
from tests.harness.teams_http import make_settings, running_bot

ELSEWHERE = ("https://evil.example/", "http://10.0.0.7:3978/", "http://127.0.0.1.nip.io/", "http://[::ffff:a00:7]/", "garbage")


async def test_a_serviceurl_elsewhere_is_refused_without_an_app_id(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path)) as h:
        for service_url in ELSEWHERE:
            activity = teams_message(service_url, "hjælp")
            response = await h.client.post("/api/messages", json=activity)
            assert response.status == 403, service_url
            assert "this machine" in (await response.json())["error"]
        assert await h.runtime.conversations.get("msteams", "a:1personal-chat-id") is None
        # The local connector is still answered.
        assert await h.post(teams_message(h.connector.url, "hjælp")) == 201
        assert h.connector.said() == [texts.HELP]


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP"])
async def test_a_request_forwarded_by_a_local_proxy_is_refused(tmp_path: Path, header: str) -> None:
    async with running_bot(make_settings(tmp_path)) as h:
        status = await h.post(teams_message(h.connector.url, "hjælp"), headers={header: "203.0.113.9"})
        assert status == 403
        assert h.connector.sent == []


async def test_the_operator_can_open_unauthenticated_mode_and_is_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(make_settings(tmp_path, unauthenticated="anywhere")) as h:
        status = await h.post(teams_message(h.connector.url, "hjælp"), headers={"X-Forwarded-For": "203.0.113.9"})
        assert status == 201
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "bot.app"]
    assert any("MEDBOT_UNAUTHENTICATED=anywhere" in m for m in warnings)


async def test_the_start_log_says_unauthenticated_mode_is_loopback_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(make_settings(tmp_path)):
        pass
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.app"]
    assert any("unauthenticated mode" in line and "only from this machine" in line for line in lines)


def test_the_mode_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).loopback_only
    assert not Settings.from_env({"MEDBOT_UNAUTHENTICATED": "anywhere"}).loopback_only
    assert not Settings.from_env({"MicrosoftAppId": "x"}).loopback_only
    with pytest.raises(SettingsError):
        Settings.from_env({"MEDBOT_UNAUTHENTICATED": "everyone"})


def test_only_loopback_peers_and_local_service_urls_pass() -> None:
    local = "http://127.0.0.1:3978/"
    assert refusal("127.0.0.1", {}, local) is None
    assert refusal("::1", {}, "http://localhost:56000/") is None
    assert refusal("::ffff:127.0.0.1", {}, "http://[::1]:1/") is None
    assert refusal("127.0.0.1", {}, None) is None
    for remote in ("10.0.0.7", "203.0.113.9", "::ffff:10.0.0.7", "", None):
        assert refusal(remote, {}, local) is not None, remote
    remembering = LoopbackOnly(remembered=2)
    for service_url in ELSEWHERE:
        assert refusal("127.0.0.1", {}, service_url) is not None, service_url
        for _ in range(2):  # the remembered verdict is the same
            assert remembering.refusal("127.0.0.1", {}, service_url) is not None, service_url
            assert remembering.refusal("127.0.0.1", {}, local) is None
    assert not is_loopback_host("localhost.evil.example")
