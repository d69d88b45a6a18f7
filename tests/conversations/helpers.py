"""Shared bits of the conversation tests: the whole bot (tests/dialogs/bot_harness.py),
typed the way people type (no æøå, typos, "?", "👍")."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.ideas.models import IdeaDraftRow
from bot.ideas.views import ideas
from knowledge.clock import COPENHAGEN
from tests.dialogs.bot_harness import BotHarness

# A case the rules cannot place without asking who decides.
OPEN_CASE = "ny ferieplan for hele huset"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


def entry_title(bot: BotHarness, entry_id: str) -> str:
    """The title of a knowledge entry (answers are checked by it, not by their wording)."""
    assert bot.runtime is not None
    entry = bot.runtime.knowledge.kb.get(entry_id)
    assert entry is not None, entry_id
    return entry.title


async def idea_count(bot: BotHarness) -> int:
    assert bot.runtime is not None
    async with bot.runtime.database.session() as session:
        return int((await session.execute(sa.select(sa.func.count()).select_from(ideas))).scalar_one())


async def idea_titles(bot: BotHarness) -> list[str]:
    assert bot.runtime is not None
    async with bot.runtime.database.session() as session:
        return [r.title for r in (await session.execute(sa.select(ideas.c.title).order_by(ideas.c.id))).all()]


async def draft(bot: BotHarness) -> dict[str, object] | None:
    """The stored idea draft of the harness user (None when there is none)."""
    assert bot.runtime is not None
    table: sa.Table = IdeaDraftRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
    async with bot.runtime.database.session() as session:
        row = (await session.execute(sa.select(table.c.data).where(table.c.user_id == "29:user-1"))).one_or_none()
    return dict(row.data) if row is not None else None


async def start_idea(bot: BotHarness, title: str = "Faelles indkob af papir") -> None:
    await bot.say("ny ide")
    await bot.say(title)


async def answer_idea_up_to_summary(bot: BotHarness, title: str = "Faelles indkob af papir") -> str:
    """A whole idea typed step by step (title, description, area); returns the summary."""
    await start_idea(bot, title)
    await bot.say("Vi kober papir ind sammen for hele kommunen i stedet for hver afdeling for sig")
    return await bot.say("bff")
