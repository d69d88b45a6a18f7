"""The Slack transport: the bot with its Slack routes in-process, signed requests, a fake
Slack Web API and a fake clock (tests/channels/fake_slack.py reads the Block Kit sent).

A test about what the bot says belongs on the chat harness (tests/harness/chat.py).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import FakeClock
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.routes import SlackChannel, add_slack_routes
from bot.slack.settings import SlackSettings
from tests.channels.fake_slack import FakeSlackApi
from tests.channels.slack_payloads import BOT_TOKEN, SIGNING_SECRET, interaction_body, sign
from tests.harness.chat import START


@dataclass
class SleepRecorder:
    """An injected ``sleep`` that advances the fake clock instead of waiting."""

    clock: FakeClock
    slept: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)


@dataclass
class SlackHarness:
    client: TestClient
    slack: FakeSlackApi
    clock: FakeClock
    runtime: Runtime
    channel: SlackChannel
    sleep: SleepRecorder

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    async def post_event(self, payload: dict[str, Any], *, timestamp: int | None = None, headers: dict[str, str] | None = None, drain: bool = True) -> web.Response:
        body = json.dumps(payload).encode()
        all_headers = {"Content-Type": "application/json", **sign(body, self.now() if timestamp is None else timestamp), **(headers or {})}
        response = await self.client.post("/api/slack/events", data=body, headers=all_headers)
        if drain:
            await self.channel.drain()
        return response

    async def click(self, payload: dict[str, Any]) -> web.Response:
        body = interaction_body(payload)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, self.now())}
        response = await self.client.post("/api/slack/interactive", data=body, headers=headers)
        await self.channel.drain()
        return response

    async def command(self, body: bytes) -> web.Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, self.now())}
        response = await self.client.post("/api/slack/commands", data=body, headers=headers)
        await self.channel.drain()
        return response


def slack_settings(api_url: str) -> SlackSettings:
    return SlackSettings(signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN, api_url=api_url)


@asynccontextmanager
async def running_slack_bot(settings: Settings, *, configured: bool = True, runtime: Runtime | None = None, clock: FakeClock | None = None) -> AsyncIterator[SlackHarness]:
    clock = clock or FakeClock(START)
    runtime = runtime or build_runtime(settings, clock=clock)
    async with FakeSlackApi() as slack:
        app = web.Application()
        sleep = SleepRecorder(clock)
        channel = add_slack_routes(app, runtime, slack_settings(slack.base_url) if configured else SlackSettings(), sleep=sleep)

        async def start(_app: web.Application) -> None:
            await runtime.start()

        app.on_startup.append(start)
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            yield SlackHarness(client=client, slack=slack, clock=clock, runtime=runtime, channel=channel, sleep=sleep)
        finally:
            await client.close()
            await runtime.close()
