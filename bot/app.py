"""The aiohttp application: ``POST /api/messages`` (Bot Framework) and ``GET /healthz``."""

from __future__ import annotations

import logging

from aiohttp import web

from bot import loopback
from bot.botframework import InvalidActivity
from bot.clock import Clock
from bot.json_body import JsonBodyError, parse_json_body
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.routes import add_slack_routes

log = logging.getLogger(__name__)

RUNTIME_KEY: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


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
    botframework = runtime.botframework
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
            activity = botframework.parse_activity(body)
        except InvalidActivity as exc:
            return _error(400, str(exc))
        if settings.loopback_only:
            refused = local_only.refusal(request.remote, request.headers, activity.service_url)
            if refused:
                log.info("refused an unauthenticated activity: %s", refused)
                return _error(403, refused)
        auth_header = request.headers.get("Authorization", "")
        try:
            invoke_reply = await botframework.process(auth_header, activity, runtime.gate.on_turn)
        except PermissionError:
            return _error(401, "unauthorized")
        if invoke_reply is not None:
            return web.json_response(invoke_reply.body, status=invoke_reply.status)
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
    add_slack_routes(app, runtime, settings.slack, api=runtime.slack_api)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
