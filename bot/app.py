"""The aiohttp application: ``POST /api/messages`` (Bot Framework) and ``GET /healthz``."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.schema import ActivityTypes, AdaptiveCardInvokeResponse
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from bot import loopback
from bot.clock import Clock
from bot.fast_activity import activity_from_json
from bot.json_body import JsonBodyError, parse_json_body
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack import add_slack_routes

log = logging.getLogger(__name__)

RUNTIME_KEY: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)

# Activities that the bot answers need a serviceUrl to answer on.
_NEEDS_SERVICE_URL = {ActivityTypes.message, ActivityTypes.conversation_update, ActivityTypes.invoke, ActivityTypes.installation_update}


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _invoke_body(body: Any) -> Any:
    """An invoke response body as JSON. botbuilder 4.17.1 puts an ``Exception(code,
    message)`` in the value of its own Adaptive Card error responses, which msrest cannot
    serialise; the Universal Actions error format wants ``{"code", "message"}`` there."""
    if isinstance(body, AdaptiveCardInvokeResponse) and isinstance(body.value, Exception):
        args = [str(arg) for arg in body.value.args] + ["", ""]
        body = AdaptiveCardInvokeResponse(
            status_code=body.status_code, type=body.type, value={"code": args[0], "message": args[1]}
        )
    if isinstance(body, Model):
        return serializer_helper(body)
    return body  # already JSON (or None)


def _log_unauthenticated_mode(settings: Settings) -> None:
    if settings.auth_enabled:
        return
    if settings.loopback_only:
        log.info(
            "no MicrosoftAppId: unauthenticated mode, activities are taken only from this machine and answered "
            "only on a serviceUrl on this machine; set MicrosoftAppId and MicrosoftAppPassword for Teams "
            "(or MEDBOT_UNAUTHENTICATED=anywhere to take unauthenticated activities from other machines)"
        )
    else:
        log.warning(
            "no MicrosoftAppId and MEDBOT_UNAUTHENTICATED=anywhere: activities are taken from anyone who can "
            "reach this port, without any check, and answered on whatever serviceUrl they name"
        )


def create_app(settings: Settings, *, clock: Clock | None = None, runtime: Runtime | None = None) -> web.Application:
    """Build the web application. The runtime is started (migrations) on startup."""
    runtime = runtime or build_runtime(settings, clock=clock)
    adapter = runtime.adapter
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[RUNTIME_KEY] = runtime
    local_only = loopback.LoopbackOnly()

    async def messages(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _error(415, "Content-Type must be application/json")
        try:
            body = parse_json_body(await request.read())
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "request body too large")
        except JsonBodyError as exc:
            return _error(400, exc.reason)
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
        if settings.loopback_only:
            refused = local_only.refusal(request.remote, request.headers, activity.service_url)
            if refused:
                log.info("refused an unauthenticated activity: %s", refused)
                return _error(403, refused)
        auth_header = request.headers.get("Authorization", "")
        try:
            invoke_response = await adapter.process_activity(auth_header, activity, runtime.gate.on_turn)
        except PermissionError:
            return _error(401, "unauthorized")
        if invoke_response:
            return web.json_response(_invoke_body(invoke_response.body), status=invoke_response.status)
        return web.Response(status=201)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def on_startup(_app: web.Application) -> None:
        await runtime.start()
        log.info("MED-bot started (profile %s, auth %s)", settings.org, "on" if settings.auth_enabled else "off")
        _log_unauthenticated_mode(settings)

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
