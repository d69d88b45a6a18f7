"""The Slack endpoints on the bot's aiohttp app.

* ``POST /api/slack/events``: the Events API (messages to the bot, mentions, the app
  home being opened, the bot joining a channel) and ``url_verification``;
* ``POST /api/slack/interactive``: button clicks (``block_actions``);
* ``POST /api/slack/commands``: the ``/med`` slash command.

Every request is verified (``v0`` signature, 5-minute window), answered at once
(Slack wants an answer within 3 seconds) and its turn run in the background, one turn
at a time per conversation. Retried events (``X-Slack-Retry-Num``) whose
``event_id`` was already taken are acknowledged and dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Protocol
from urllib.parse import parse_qs

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.clock import Clock
from bot.json_body import JsonBodyError, parse_json_body
from bot.slack.adapter import SlackAdapter
from bot.slack.dedup import SlackDeduplicator
from bot.slack.inbound import (
    SlackContext,
    bot_user_id_of,
    command_to_activity,
    event_to_activity,
    interaction_to_activity,
)
from bot.slack.settings import SlackSettings
from bot.slack.signature import SlackRequestVerifier, SlackSignatureError
from bot.slack.webapi import SlackWebApi, Sleep
from bot.storage.db import Database
from bot.turn_speaker import TurnSpeaker

log = logging.getLogger(__name__)

EVENTS_PATH = "/api/slack/events"
INTERACTIVE_PATH = "/api/slack/interactive"
COMMANDS_PATH = "/api/slack/commands"
RETRY_NUM_HEADER = "X-Slack-Retry-Num"
RETRY_REASON_HEADER = "X-Slack-Retry-Reason"

MAX_CONCURRENT_TURNS = 32
TURN_TIMEOUT_SECONDS = 120.0
DRAIN_TIMEOUT_SECONDS = 10.0


class _Bot(Protocol):
    async def on_turn(self, turn_context: TurnContext) -> None: ...


class _Runtime(Protocol):
    """What the Slack channel needs from :class:`bot.runtime.Runtime`."""

    @property
    def gate(self) -> _Bot: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def database(self) -> Database: ...

    @property
    def speaker(self) -> TurnSpeaker: ...


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class SlackChannel:
    """Owns the Slack channel's state: verifier, de-dup, adapter and background turns."""

    def __init__(
        self,
        bot: _Bot,
        settings: SlackSettings,
        clock: Clock,
        database: Database | None,
        api: SlackWebApi | None,
        *,
        max_concurrent_turns: int = MAX_CONCURRENT_TURNS,
        turn_timeout: float = TURN_TIMEOUT_SECONDS,
    ) -> None:
        self._bot = bot
        self._settings = settings
        self._verifier = SlackRequestVerifier(settings.signing_secret, clock) if settings.signing_secret else None
        self._dedup = SlackDeduplicator(database, clock)
        self._adapter = SlackAdapter(api) if api is not None else None
        self._context = SlackContext(api_url=settings.api_url)
        self._turn_timeout = turn_timeout
        self._semaphore = asyncio.Semaphore(max_concurrent_turns)
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def adapter(self) -> SlackAdapter | None:
        return self._adapter

    # -- HTTP -------------------------------------------------------------------

    async def _verified_body(self, request: web.Request) -> bytes | web.Response:
        if self._verifier is None or self._adapter is None:
            missing = ", ".join(self._settings.missing)
            return _error(503, f"Slack is not configured on this bot: set {missing}")
        body = await request.read()
        try:
            self._verifier.verify(body, request.headers)
        except SlackSignatureError as exc:
            log.warning("rejected a Slack request: %s", exc.reason)
            return _error(401, "invalid Slack signature")
        return body

    async def events(self, request: web.Request) -> web.StreamResponse:
        body = await self._verified_body(request)
        if isinstance(body, web.Response):
            return body
        try:
            envelope = parse_json_body(body)
        except JsonBodyError as exc:
            return _error(400, exc.reason)
        if not isinstance(envelope, dict):
            return _error(400, "an event envelope must be a JSON object")
        kind = envelope.get("type")
        if kind == "url_verification":
            challenge = envelope.get("challenge")
            return web.json_response({"challenge": challenge if isinstance(challenge, str) else ""})
        if kind != "event_callback":
            log.info("Slack envelope of type %.40r ignored", kind)
            return web.Response(status=200)
        event_id = envelope.get("event_id")
        event_id = event_id if isinstance(event_id, str) else ""
        retry = request.headers.get(RETRY_NUM_HEADER)
        if event_id and not await self._dedup.first_time(f"event:{event_id}"):
            log.info(
                "dropping Slack event %s already taken (retry %s, %s)",
                event_id, retry, request.headers.get(RETRY_REASON_HEADER, "-"),
            )
            return web.Response(status=200, headers={"X-Slack-No-Retry": "1"})
        if self._context.bot_user_id is None and bot_user_id_of(envelope):
            # Learnt once: button clicks and /med do not say who the bot is.
            self._context = SlackContext(api_url=self._context.api_url, bot_user_id=bot_user_id_of(envelope))
        activity = event_to_activity(envelope, self._context)
        if activity is not None:
            self._schedule(activity)
        return web.Response(status=200)

    async def interactive(self, request: web.Request) -> web.StreamResponse:
        body = await self._verified_body(request)
        if isinstance(body, web.Response):
            return body
        form = parse_qs(body.decode("utf-8", errors="replace"))
        try:
            payload = parse_json_body(form.get("payload", [""])[0])
        except JsonBodyError:
            return _error(400, "invalid interaction payload")
        if not isinstance(payload, dict):
            return _error(400, "invalid interaction payload")
        activity = interaction_to_activity(payload, self._context)
        if activity is not None:
            self._schedule(activity)
        return web.Response(status=200)

    async def commands(self, request: web.Request) -> web.StreamResponse:
        body = await self._verified_body(request)
        if isinstance(body, web.Response):
            return body
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items()}
        activity = command_to_activity(form, self._context)
        if activity is None:
            return _error(400, "not a slash command")
        self._schedule(activity)
        # "in_channel" with no text: Slack shows the user's command, the answer follows.
        return web.json_response({"response_type": "in_channel"})

    # -- background turns ---------------------------------------------------------

    def _schedule(self, activity: Activity) -> None:
        task = asyncio.get_running_loop().create_task(self._run(activity))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, activity: Activity) -> None:
        assert self._adapter is not None
        key = activity.conversation.id if activity.conversation else ""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._semaphore:
                await asyncio.wait_for(self._adapter.process_activity(activity, self._bot.on_turn), self._turn_timeout)
        except TimeoutError:
            log.error("Slack turn in %s took longer than %ss", key, self._turn_timeout)
        except Exception:  # a background turn must not die silently
            log.exception("Slack turn in %s failed", key)
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                self._locks.pop(key, None)

    async def drain(self, timeout: float = DRAIN_TIMEOUT_SECONDS) -> None:
        """Wait for the turns under way (tests; shutdown); cancel those still running after ``timeout``."""
        while self._tasks:
            pending = list(self._tasks)
            done, not_done = await asyncio.wait(pending, timeout=timeout)
            if not_done:
                log.warning("%d Slack turns still running after %ss", len(not_done), timeout)
                for task in not_done:
                    task.cancel()
                return


SLACK_CHANNEL_KEY: web.AppKey[SlackChannel] = web.AppKey("slack_channel", SlackChannel)


def build_slack_api(settings: SlackSettings, clock: Clock, *, sleep: Sleep | None = None) -> SlackWebApi | None:
    """The Web API client for ``settings`` (``None`` when Slack is not configured)."""
    if not settings.configured:
        return None
    if sleep is None:
        return SlackWebApi(settings.bot_token, settings.api_url, clock)
    return SlackWebApi(settings.bot_token, settings.api_url, clock, sleep=sleep)


def add_slack_routes(
    app: web.Application,
    runtime: _Runtime,
    slack_settings: SlackSettings,
    *,
    api: SlackWebApi | None = None,
    sleep: Sleep | None = None,
) -> SlackChannel:
    """Add the Slack endpoints to ``app``. Pass ``api`` to share one Web API client with
    :class:`~bot.slack.sender.SlackSender` (whoever built it closes it); otherwise one is
    built here and closed on the app's cleanup.

    The turns under way finish on cleanup (:meth:`SlackChannel.drain`) before anything
    whose cleanup context was added earlier closes: add these routes after the runtime's
    contexts (:func:`bot.app.create_app` does).
    """
    owned_api = None if api is not None else build_slack_api(slack_settings, runtime.clock, sleep=sleep)
    api = api or owned_api
    # The turn gate (bot/turn_gate.py), not the bot itself: flood control holds in Slack too.
    channel = SlackChannel(runtime.gate, slack_settings, runtime.clock, runtime.database, api)
    if channel.adapter is not None:
        # Unanswered questions asked in Slack know who asked, for `medbot privacy`.
        channel.adapter.use(runtime.speaker)
    app[SLACK_CHANNEL_KEY] = channel
    app.router.add_post(EVENTS_PATH, channel.events)
    app.router.add_post(INTERACTIVE_PATH, channel.interactive)
    app.router.add_post(COMMANDS_PATH, channel.commands)

    async def web_api_session(_app: web.Application) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if owned_api is not None:
                await owned_api.close()

    async def background_turns(_app: web.Application) -> AsyncIterator[None]:
        yield
        await channel.drain()

    # Closed in the reverse order: the turns finish, then the client they send with closes.
    app.cleanup_ctx.append(web_api_session)
    app.cleanup_ctx.append(background_turns)
    if slack_settings.configured:
        log.info("Slack channel enabled (%s)", EVENTS_PATH)
    return channel


__all__ = [
    "COMMANDS_PATH",
    "EVENTS_PATH",
    "INTERACTIVE_PATH",
    "SLACK_CHANNEL_KEY",
    "SlackChannel",
    "add_slack_routes",
    "build_slack_api",
]
