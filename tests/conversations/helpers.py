"""Shared bits of the conversation tests: the whole bot (tests/harness/chat.py),
typed the way people type (no æøå, typos, "?", "👍")."""

from __future__ import annotations

from datetime import datetime

from knowledge.clock import COPENHAGEN
from tests.harness.chat import ChatHarness

# A case the rules cannot place without asking who decides.
OPEN_CASE = "ny ferieplan for hele huset"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


def entry_title(bot: ChatHarness, entry_id: str) -> str:
    """The title of a knowledge entry (answers are checked by it, not by their wording)."""
    assert bot.runtime is not None
    entry = bot.runtime.knowledge.kb.get(entry_id)
    assert entry is not None, entry_id
    return entry.title


async def start_idea(bot: ChatHarness, title: str = "Faelles indkob af papir") -> None:
    await bot.say("ny ide")
    await bot.say(title)


async def answer_idea_up_to_summary(bot: ChatHarness, title: str = "Faelles indkob af papir") -> str:
    """A whole idea typed step by step (title, description, area); returns the summary."""
    await start_idea(bot, title)
    await bot.say("Vi kober papir ind sammen for hele kommunen i stedet for hver afdeling for sig")
    return await bot.say("bff")
