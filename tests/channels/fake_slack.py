"""A fake Slack Web API on 127.0.0.1 that records the bot's calls (``chat.postMessage`` …).

slack-sdk's AsyncWebClient is pointed at it with ``base_url``. ``script`` queues
failures (a 429 with Retry-After, ``channel_not_found`` …) returned before calls
succeed again; ``gate`` (an Event), when set up, holds every call until released.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class SlackReply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)


def rate_limited(retry_after: int) -> SlackReply:
    return SlackReply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})


def slack_error(error: str) -> SlackReply:
    return SlackReply(200, {"ok": False, "error": error})


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    authorization: str


class FakeSlackApi:
    def __init__(self) -> None:
        #: ``conversations.open``: the DM channel per user (default ``D`` + the user id).
        self.direct_messages: dict[str, str] = {}
        self.calls: list[Call] = []
        self.script: deque[SlackReply] = deque()
        self.gate: asyncio.Event | None = None
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def __aenter__(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # a started site has a server
        self.base_url = f"http://127.0.0.1:{port}/api/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.gate is not None:
            self.gate.set()
        if self._runner:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if self.gate is not None:
            await self.gate.wait()
        method = request.match_info["method"]
        if request.content_type == "application/json":
            body = await request.json()
        else:
            body = dict(await request.post())
        self.calls.append(Call(method, body, request.headers.get("Authorization", "")))
        if self.script:
            reply = self.script.popleft()
            return web.json_response(reply.body, status=reply.status, headers=reply.headers)
        if method == "conversations.open":
            user = str(body.get("users") or "")
            channel = self.direct_messages.get(user, f"D{user}")
            return web.json_response({"ok": True, "channel": {"id": channel}})
        ts = f"1764000000.{next(self._ts):06d}"
        return web.json_response({"ok": True, "channel": body.get("channel"), "ts": ts, "message": {"ts": ts}})

    # -- reading what the bot did -------------------------------------------------

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The bodies of the chat.postMessage calls that succeeded or were attempted (into ``channel``)."""
        return [c.body for c in self.calls if c.method == "chat.postMessage" and channel in (None, c.body.get("channel"))]

    def clear(self) -> None:
        self.calls.clear()

    def texts(self) -> list[str]:
        return [str(p.get("text") or "") for p in self.posts()]

    def all_text(self) -> str:
        """Everything posted, blocks flattened to their texts."""
        parts: list[str] = []
        for post in self.posts():
            parts.append(str(post.get("text") or ""))
            parts.extend(block_texts(post.get("blocks") or []))
        return "\n".join(parts)

    def buttons(self) -> list[dict[str, Any]]:
        """Every button of every posted message, in order."""
        return [
            element
            for post in self.posts()
            for block in post.get("blocks") or []
            if block.get("type") == "actions"
            for element in block.get("elements", [])
            if element.get("type") == "button"
        ]


def block_texts(blocks: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            out.append(str(text.get("text", "")))
        for f in block.get("fields", []) or []:
            out.append(str(f.get("text", "")))
        if block.get("type") == "context":
            out.extend(str(e.get("text", "")) for e in block.get("elements", []))
        if block.get("type") == "actions":
            out.extend(str(e.get("text", {}).get("text", "")) for e in block.get("elements", []))
    return out
