"""The aiohttp application: ``POST /api/messages`` (Bot Framework) and ``GET /healthz``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot import loopback
from bot.botframework import InvalidActivity
from bot.clock import Clock
from bot.json_body import JsonBodyError, parse_json_body
from bot.runtime import Resource, Runtime, build_runtime
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


def _cleanup_context(resource: Resource) -> Callable[[web.Application], AsyncIterator[None]]:
    """``resource`` as an aiohttp cleanup context: opened on startup, closed on cleanup."""

    async def context(_app: web.Application) -> AsyncIterator[None]:
        async with resource():
            yield

    return context


def create_app(settings: Settings, *, clock: Clock | None = None, runtime: Runtime | None = None) -> web.Application:
    """Build the web application.

    Each of the runtime's resources (:meth:`~bot.runtime.Runtime.resources`: the migrated
    database, the connector's and Slack's HTTP sessions, the scheduler) is an aiohttp
    cleanup context of its own, opened on startup in that order and closed in the reverse
    order on cleanup. When one fails to open, aiohttp's cleanup closes those already open.
    """
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
        # After every cleanup context has opened (aiohttp runs those first).
        log.info("MED-bot started (profile %s, auth %s)", settings.org, "on" if settings.auth_enabled else "off")
        _log_unauthenticated_mode(settings)

    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    for resource in runtime.resources():
        app.cleanup_ctx.append(_cleanup_context(resource))
    # Slack's routes add their cleanup context after the runtime's, so that background
    # Slack turns finish before the scheduler stops and the sessions and database close.
    add_slack_routes(app, runtime, settings.slack, api=runtime.slack_api)
    app.on_startup.append(on_startup)
    return app
