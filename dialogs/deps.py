"""What the dialogs need from the outside, as small protocols.

``bot/`` (the composition root) provides the concrete objects; dialogs never build
databases, clients or clocks themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from knowledge.kb import KnowledgeBase
from knowledge.profiles import Profile
from knowledge.search import Searcher


class Clock(Protocol):
    def now(self) -> datetime: ...


class UnansweredSink(Protocol):
    async def add(self, text: str, score: float, suggestions: list[str], channel_id: str) -> None: ...


@dataclass(frozen=True)
class DialogDeps:
    kb: KnowledgeBase
    searcher: Searcher
    profile: Profile
    unanswered: UnansweredSink
    clock: Clock
