"""A fake Bot Framework connector (the bot's serviceUrl) as its own process on 127.0.0.1.

It accepts ``POST /v3/conversations/{id}/activities[/{replyToId}]`` like the real
connector and answers ``{"id": ...}``. What it received is observable:

* ``GET /events`` (WebSocket): one text frame per accepted activity,
  ``"<replyToId> <monotonic_ns> <card 0|1> <conversation id>"`` — the load generator of
  bench/turns.py correlates replies with its requests by replyToId. ``monotonic_ns`` is
  ``time.monotonic_ns()`` on arrival (CLOCK_MONOTONIC is one clock for every process on
  the machine, so it can be compared with the load generator's).
* ``GET /stats``: counters (JSON), with the peak of accepted sends in one second, and
  per tenant (``tenants``): accepted sends, replies among them, the peak in one second,
  the seconds above 50 and the tenant limit violations. The tenant of a send is read
  from its JSON as Teams does: ``conversation.tenantId`` (or the SDK's ``tenantID``),
  else ``channelData.tenant.id``; a send naming none counts under ``-``
  (``sends_without_tenant``).
* ``GET /deliveries``: for bench/fanout.py, every accepted activity that carried a
  token ``FANOUT-<n>`` as ``[[n, conversation, monotonic_ns], ...]``.

With ``--teams`` it behaves like Teams under load (bench/fanout.py):

* it enforces the per-bot, per-conversation windows (7/1 s, 8/2 s, 60/30 s,
  1800/h): a send over a window is a *limit violation*, counted and answered 429 with
  Retry-After; likewise more than 50 sends within one second into one tenant (replies
  and proactive sends alike, as Teams counts per app and tenant) is a *tenant limit
  violation*;
* a seeded share of sends is answered 429 + Retry-After (``--p429``) or 502 (``--p502``)
  without being delivered;
* the conversations whose id ends in one of ``--blocked-suffixes`` answer 403 (the bot was
  blocked or removed): what is sent there is not delivered, and the bot should stop.

    python bench/fake_connector.py --port 3990 [--teams --p429 0.02 --p502 0.02 --seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import random
import re
import time
import weakref
from collections import defaultdict, deque

from aiohttp import WSMsgType, web

log = logging.getLogger("fake_connector")

TOKEN = re.compile(rb"FANOUT-(\d+)")
CARD = b"application/vnd.microsoft.card.adaptive"
# Teams, per bot and conversation (Microsoft's published limits): (limit, seconds)
TEAMS_WINDOWS: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
# Teams, per app and tenant: about 50 requests per second.
TEAMS_TENANT_PER_SECOND = 50
TENANT = re.compile(rb'"tenantI[Dd]"\s*:\s*"([^"]+)"')
CHANNEL_DATA_TENANT = re.compile(rb'"tenant"\s*:\s*\{\s*"id"\s*:\s*"([^"]+)"')
NO_TENANT = "-"


def _tenant(body: bytes) -> str:
    match = TENANT.search(body) or CHANNEL_DATA_TENANT.search(body)
    return match.group(1).decode() if match else NO_TENANT


class Connector:
    def __init__(self, args: argparse.Namespace) -> None:
        self.teams = bool(args.teams)
        self.delay = float(args.delay_ms) / 1000
        self.p429 = float(args.p429)
        self.p502 = float(args.p502)
        self.retry_after = int(args.retry_after)
        self.blocked_suffixes = tuple(s for s in (args.blocked_suffixes or "").split(",") if s)
        self.rng = random.Random(args.seed)
        self.ids = itertools.count(1)
        self.listeners: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()
        self.sends: dict[str, deque[float]] = defaultdict(deque)
        self.tenant_sends: dict[str, deque[float]] = defaultdict(deque)
        self.deliveries: list[tuple[int, str, int]] = []
        self.stats: dict[str, int] = defaultdict(int)
        self.per_second: dict[int, int] = defaultdict(int)  # accepted sends by wall-clock second
        # per tenant: accepted sends by wall-clock second, and counters
        self.tenant_per_second: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.tenant_stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def _violates(self, conversation: str, now: float) -> bool:
        log_ = self.sends[conversation]
        while log_ and log_[0] <= now - TEAMS_WINDOWS[-1][1]:
            log_.popleft()
        for limit, seconds in TEAMS_WINDOWS:
            if sum(1 for t in log_ if t > now - seconds) >= limit:
                return True
        return False

    async def post(self, request: web.Request) -> web.Response:
        arrived = time.monotonic_ns()
        body = await request.read()
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow channel: the bot's turns stay in flight longer
        conversation = request.match_info["conversation_id"]
        self.stats["requests"] += 1
        tenant = _tenant(body)
        if self.teams:
            if conversation.endswith(self.blocked_suffixes) if self.blocked_suffixes else False:
                self.stats["403"] += 1
                return web.json_response({"error": {"code": "BotNotInConversationRoster"}}, status=403)
            now = time.monotonic()
            if self._violates(conversation, now):
                self.stats["limit_violations"] += 1
                return web.json_response(
                    {"error": {"code": "TooManyRequests"}}, status=429, headers={"Retry-After": str(self.retry_after)}
                )
            tenant_log = self.tenant_sends[tenant]
            while tenant_log and tenant_log[0] <= now - 1.0:
                tenant_log.popleft()
            if len(tenant_log) >= TEAMS_TENANT_PER_SECOND:
                self.stats["tenant_limit_violations"] += 1
                self.tenant_stats[tenant]["violations"] += 1
                return web.json_response({"error": {"code": "TooManyRequests"}}, status=429, headers={"Retry-After": "1"})
            roll = self.rng.random()
            if roll < self.p429:
                self.stats["429"] += 1
                return web.json_response(
                    {"error": {"code": "TooManyRequests"}}, status=429, headers={"Retry-After": str(self.retry_after)}
                )
            if roll < self.p429 + self.p502:
                self.stats["502"] += 1
                return web.json_response({"error": {"code": "BadGateway"}}, status=502)
            self.sends[conversation].append(now)
            tenant_log.append(now)
        try:
            activity = json.loads(body)
        except ValueError:
            self.stats["bad_json"] += 1
            return web.json_response({"error": {"code": "BadSyntax"}}, status=400)
        self.stats["accepted"] += 1
        second = int(time.time())
        self.per_second[second] += 1
        self.tenant_per_second[tenant][second] += 1
        counters = self.tenant_stats[tenant]
        counters["accepted"] += 1
        if tenant == NO_TENANT:
            self.stats["sends_without_tenant"] += 1
        reply_to = request.match_info.get("activity_id") or activity.get("replyToId") or "-"
        card = CARD in body
        if card:
            self.stats["cards"] += 1
        if conversation.startswith("a:flood-"):  # bench/soak.py's floods from one user
            self.stats["flood_cards" if card else "flood_texts"] += 1
        match = TOKEN.search(body)
        if match:
            self.deliveries.append((int(match.group(1)), conversation, arrived))
        else:
            counters["other"] += 1  # replies to turns (the benchmarks' proactive sends carry a token)
        if self.listeners:
            frame = f"{reply_to} {arrived} {int(card)} {conversation}"
            for ws in list(self.listeners):
                if not ws.closed:
                    await ws.send_str(frame)
        return web.json_response({"id": f"reply-{next(self.ids)}"})

    async def events(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self.listeners.add(ws)
        async for message in ws:
            if message.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                break
        return ws

    async def get_stats(self, _request: web.Request) -> web.Response:
        stats: dict[str, int] = dict(self.stats)
        stats["peak_accepted_per_second"] = max(self.per_second.values(), default=0)
        stats["seconds_over_50_per_second"] = sum(1 for n in self.per_second.values() if n > 50)
        tenants: dict[str, dict[str, int]] = {}
        for tenant in set(self.tenant_per_second) | set(self.tenant_stats):
            seconds = self.tenant_per_second.get(tenant, {})
            tenants[tenant] = {
                **self.tenant_stats.get(tenant, {}),
                "peak_per_second": max(seconds.values(), default=0),
                "seconds_over_50": sum(1 for n in seconds.values() if n > TEAMS_TENANT_PER_SECOND),
            }
        return web.json_response({**stats, "tenants": tenants})

    async def get_deliveries(self, _request: web.Request) -> web.Response:
        return web.json_response(self.deliveries)

    async def reset(self, _request: web.Request) -> web.Response:
        self.stats.clear()
        self.deliveries.clear()
        self.sends.clear()
        self.tenant_sends.clear()
        self.per_second.clear()
        self.tenant_per_second.clear()
        self.tenant_stats.clear()
        return web.json_response({"ok": True})

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})


def create_app(args: argparse.Namespace) -> web.Application:
    connector = Connector(args)
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_post("/v3/conversations/{conversation_id}/activities", connector.post)
    app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", connector.post)
    app.router.add_put("/v3/conversations/{conversation_id}/activities/{activity_id}", connector.post)
    app.router.add_get("/events", connector.events)
    app.router.add_get("/stats", connector.get_stats)
    app.router.add_get("/deliveries", connector.get_deliveries)
    app.router.add_post("/reset", connector.reset)
    app.router.add_get("/healthz", connector.healthz)
    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--teams", action="store_true", help="enforce the Teams limits and inject failures")
    parser.add_argument("--p429", type=float, default=0.0)
    parser.add_argument("--p502", type=float, default=0.0)
    parser.add_argument("--retry-after", type=int, default=2)
    parser.add_argument("--blocked-suffixes", default="", help="comma-separated conversation id suffixes that answer 403")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="answer every send this much later")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=logging.WARNING)
    web.run_app(create_app(args), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
