"""Startup and cleanup: each resource of the running bot is opened in order and closed in
the reverse order, and a resource that fails to open closes those opened before it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.cli.serve import _serve
from bot.clock import FakeClock
from bot.runtime import Runtime, build_runtime
from bot.slack.routes import SLACK_CHANNEL_KEY
from bot.slack.settings import SlackSettings
from tests.harness.chat import START
from tests.harness.teams_http import make_settings

# A configured Slack (no request is made): its Web API client is one of the resources.
SLACK = SlackSettings(signing_secret="secret", bot_token="xoxb-token", api_url="http://127.0.0.1:9/api/")

OPENED = ["database upgrade", "scheduler start"]
CLOSED = ["scheduler stop", "slack close", "connector close", "database dispose"]


class CalendarsUnavailable(Exception):
    """The seed calendars could not be synced: the scheduler does not start."""


def _record(monkeypatch: pytest.MonkeyPatch, events: list[str], target: object, name: str, label: str) -> None:
    original: Callable[..., Awaitable[Any]] = getattr(target, name)

    async def recorded(*args: Any, **kwargs: Any) -> Any:
        events.append(label)
        return await original(*args, **kwargs)

    monkeypatch.setattr(target, name, recorded)


def _recorded_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, events: list[str]) -> Runtime:
    runtime = build_runtime(make_settings(tmp_path, slack=SLACK), clock=FakeClock(START))
    assert runtime.slack_api is not None
    _record(monkeypatch, events, runtime.database, "upgrade", "database upgrade")
    _record(monkeypatch, events, runtime.database, "dispose", "database dispose")
    _record(monkeypatch, events, runtime.botframework, "close", "connector close")
    _record(monkeypatch, events, runtime.slack_api, "close", "slack close")
    _record(monkeypatch, events, runtime.delivery, "start", "scheduler start")
    _record(monkeypatch, events, runtime.delivery, "stop", "scheduler stop")
    return runtime


def _recorded_app(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, events: list[str]) -> web.Application:
    app = create_app(runtime.settings, clock=runtime.clock, runtime=runtime)
    _record(monkeypatch, events, app[SLACK_CHANNEL_KEY], "drain", "slack turns drain")
    return app


def _fail_scheduler_start(monkeypatch: pytest.MonkeyPatch, runtime: Runtime, events: list[str]) -> None:
    async def fail() -> None:
        events.append("scheduler start")
        raise CalendarsUnavailable

    monkeypatch.setattr(runtime.reminders, "start", fail)


async def test_the_app_opens_its_resources_in_order_and_closes_them_in_reverse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    runtime = _recorded_runtime(tmp_path, monkeypatch, events)
    server = TestServer(_recorded_app(runtime, monkeypatch, events))
    await server.start_server()
    assert events == OPENED
    await server.close()
    # Slack's turns under way finish first, then the scheduler stops, then what they used closes.
    assert events == [*OPENED, "slack turns drain", *CLOSED]


async def test_when_the_scheduler_fails_to_start_the_app_closes_what_was_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    runtime = _recorded_runtime(tmp_path, monkeypatch, events)
    _fail_scheduler_start(monkeypatch, runtime, events)
    server = TestServer(_recorded_app(runtime, monkeypatch, events))
    with pytest.raises(CalendarsUnavailable):
        await server.start_server()
    # The database was migrated before the scheduler failed ...
    assert events == OPENED
    # ... and aiohttp's cleanup closes it and the sessions, but stops no scheduler that never ran.
    await server.close()
    assert events == [*OPENED, "slack close", "connector close", "database dispose"]


async def test_when_the_scheduler_fails_to_start_the_runtime_closes_what_was_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    runtime = _recorded_runtime(tmp_path, monkeypatch, events)
    _fail_scheduler_start(monkeypatch, runtime, events)
    with pytest.raises(CalendarsUnavailable):
        await runtime.start()
    assert events == [*OPENED, "slack close", "connector close", "database dispose"]
    await runtime.close()  # nothing left open: nothing closes twice
    assert events == [*OPENED, "slack close", "connector close", "database dispose"]


async def test_the_runtime_closes_what_it_started_in_reverse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    runtime = _recorded_runtime(tmp_path, monkeypatch, events)
    await runtime.start()
    assert events == OPENED
    await runtime.close()
    assert events == OPENED + CLOSED


async def test_medbot_serve_closes_what_was_opened_when_the_startup_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    runtime = _recorded_runtime(tmp_path, monkeypatch, events)
    _fail_scheduler_start(monkeypatch, runtime, events)
    app = _recorded_app(runtime, monkeypatch, events)
    with pytest.raises(CalendarsUnavailable):
        await _serve(app, "127.0.0.1", 0, access_log=None, stop=asyncio.Event())
    assert events == [*OPENED, "slack close", "connector close", "database dispose"]


async def test_medbot_serve_closes_everything_when_told_to_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    runtime = _recorded_runtime(tmp_path, monkeypatch, events)
    stop = asyncio.Event()
    stop.set()  # as SIGTERM right after startup
    await _serve(_recorded_app(runtime, monkeypatch, events), "127.0.0.1", 0, access_log=None, stop=stop)
    assert events == [*OPENED, "slack turns drain", *CLOSED]
