"""Local fakes of the services the bot talks to (used by tests and benchmarks)."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.harness.chat import card_lines, card_text


@dataclass
class Scripted:
    """A response the fake connector gives instead of success."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeConnector:
    """A Bot Framework connector (serviceUrl) on 127.0.0.1 that records what the bot sends.

    ``script`` queues failures (e.g. 429 with Retry-After, 502, 403) returned in order
    before sends succeed again. ``POST /v3/conversations`` (create_conversation, e.g. a
    1:1 chat) is recorded in ``created`` and answered with ``created_id``, or with the
    next scripted failure.
    """

    def __init__(self) -> None:
        self.created: list[dict[str, Any]] = []
        self.created_id = "a:1on1-created-chat"
        self.sent: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.script: deque[Scripted] = deque()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._event = asyncio.Event()

    async def __aenter__(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._post)
        app.router.add_put("/v3/conversations/{conversation_id}/activities/{activity_id}", self._post)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # a started site has a server
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _create(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        if self.script:
            scripted = self.script.popleft()
            return web.json_response({"error": {"code": str(scripted.status)}}, status=scripted.status, headers=scripted.headers)
        self.created.append(await request.json())
        return web.json_response({"id": self.created_id})

    def sent_to(self, conversation_id: str) -> list[dict[str, Any]]:
        """The activities sent into one conversation."""
        return [a for a in self.sent if a.get("_conversation_id") == conversation_id]

    async def _post(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        if self.script:
            scripted = self.script.popleft()
            return web.json_response({"error": {"code": str(scripted.status)}}, status=scripted.status, headers=scripted.headers)
        body = await request.json()
        body["_conversation_id"] = request.match_info["conversation_id"]
        self.sent.append(body)
        self._event.set()
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    def clear(self) -> None:
        self.sent.clear()
        self.requests.clear()

    def texts(self) -> list[str]:
        return [a.get("text") or "" for a in self.sent]

    def said(self) -> list[str]:
        """Per message: its text, or its card's text lines joined by newlines."""
        out: list[str] = []
        for activity in self.sent:
            cards = [
                att["content"]
                for att in (activity.get("attachments") or [])
                if att.get("contentType") == "application/vnd.microsoft.card.adaptive"
            ]
            if cards:
                out.append("\n".join(card_lines(cards[0].get("body", []))))
            else:
                out.append(activity.get("text") or "")
        return out

    def cards(self) -> list[dict[str, Any]]:
        return [
            att["content"]
            for a in self.sent
            for att in (a.get("attachments") or [])
            if att.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    def all_text(self) -> str:
        """Everything the bot said, cards flattened to their text blocks."""
        parts = list(self.texts())
        for card in self.cards():
            parts.extend(card_text(card))
        return "\n".join(p for p in parts if p)

