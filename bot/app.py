"""The aiohttp application: ``POST /api/messages`` (Bot Framework) and ``GET /healthz``."""

from __future__ import annotations

import json
import logging

from aiohttp import web
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.schema import ActivityTypes
from msrest.exceptions import DeserializationError

from bot.clock import Clock
from bot.fast_activity import activity_from_json
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack import add_slack_routes

log = logging.getLogger(__name__)

RUNTIME_KEY: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)

# Activities that the bot answers need a serviceUrl to answer on.
_NEEDS_SERVICE_URL = {ActivityTypes.message, ActivityTypes.conversation_update, ActivityTypes.invoke, ActivityTypes.installation_update}


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def create_app(settings: Settings, *, clock: Clock | None = None, runtime: Runtime | None = None) -> web.Application:
    """Build the web application. The runtime is started (migrations) on startup."""
    runtime = runtime or build_runtime(settings, clock=clock)
    adapter = runtime.adapter
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[RUNTIME_KEY] = runtime

    async def messages(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _error(415, "Content-Type must be application/json")
        try:
            body = await request.json()
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "request body too large")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "invalid JSON")
        if not isinstance(body, dict):
            return _error(400, "an activity must be a JSON object")
        try:
            activity = activity_from_json(body)
        except (DeserializationError, TypeError, ValueError, AttributeError):
            return _error(400, "not a valid activity")
        if not activity.type:
            return _error(400, "the activity has no type")
        if activity.type in _NEEDS_SERVICE_URL and not activity.service_url:
            return _error(400, "the activity has no serviceUrl")
        if not activity.conversation or not activity.conversation.id:
            return _error(400, "the activity has no conversation")
        auth_header = request.headers.get("Authorization", "")
        try:
            invoke_response = await adapter.process_activity(auth_header, activity, runtime.bot.on_turn)
        except PermissionError:
            return _error(401, "unauthorized")
        if invoke_response:
            return web.json_response(serializer_helper(invoke_response.body), status=invoke_response.status)
        return web.Response(status=201)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def on_startup(_app: web.Application) -> None:
        await runtime.start()
        log.info("MED-bot started (profile %s, auth %s)", settings.org, "on" if settings.auth_enabled else "off")

    async def on_cleanup(_app: web.Application) -> None:
        await runtime.close()

    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    # Slack's routes register their own cleanup first, so that background Slack
    # turns finish before the database closes.
    add_slack_routes(app, runtime, runtime.slack_settings, api=runtime.slack_api)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
