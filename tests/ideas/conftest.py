"""Fixtures for the Den gode idé tests.

``database`` (and ``database_url``/``database_factory``) come from ``tests/conftest.py``:
a migrated SQLite file per test, plus PostgreSQL when ``MEDBOT_TEST_POSTGRES_URL`` is set.
The clock starts on Monday 2 March 2026, 10:00 Danish time: ideas are for budget 2027.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from botbuilder.schema import ChannelAccount

from bot.clock import FakeClock
from bot.ideas.config import IdeaConfig
from bot.ideas.service import IdeaService
from bot.ideas.wiring import IdeaComponents, build_idea_components
from bot.storage.db import Database
from dialogs.idea_port import Person
from knowledge.profiles import Profile, load_profile
from tests.harness.chat import IDEAS_START, ChatHarness

START = IDEAS_START
CONFIG = IdeaConfig(stale_after=timedelta(days=14))
METTE = ChannelAccount(id="29:mette", name="Mette Jensen")
#: ``await chat_factory(**options)``: a started ChatHarness (see the fixture).
ChatFactory = Callable[..., Awaitable[ChatHarness]]


def account(person: Person) -> ChannelAccount:
    """The Teams user of ``person`` (for ``chat_factory(user=…)``)."""
    return ChannelAccount(id=person.user_id, name=person.user_name)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile("jammerbugt")


@pytest.fixture
def components(database: Database, clock: FakeClock, profile: Profile) -> IdeaComponents:
    return build_idea_components(database, clock, profile, CONFIG)


@pytest.fixture
def service(components: IdeaComponents) -> IdeaService:
    return components.service


@pytest.fixture
async def chat_factory(database: Database, database_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[ChatFactory]:
    """Start a chat with the whole bot (tests/harness/chat.py) on the test's database, clock
    and Jammerbugt: ``await chat_factory(user=…, conversation_id=…, channel_id=…)``. The chat
    is a console (text, no cards) unless ``channel_id`` says otherwise."""
    started: list[ChatHarness] = []

    async def make(**kwargs: Any) -> ChatHarness:
        kwargs.setdefault("channel_id", "console")
        kwargs.setdefault("user", METTE)
        kwargs.setdefault("conversation_id", f"conv-{kwargs['user'].id}")
        chat = ChatHarness(tmp_path, clock, "jammerbugt", database_url=database_url, ideas=CONFIG, **kwargs)
        started.append(await chat.start())
        return chat

    yield make
    for chat in started:
        await chat.stop()


@pytest.fixture
def mette() -> Person:
    return Person(channel_id="msteams", user_id="29:mette", user_name="Mette Jensen", conversation_id="a:mette", conversation_type="personal")


@pytest.fixture
def jonas() -> Person:
    return Person(channel_id="msteams", user_id="29:jonas", user_name="Jonas Holm", conversation_id="a:jonas", conversation_type="personal")


@pytest.fixture
def secretary() -> Person:
    """The MED secretary of ForvaltningsMED BFF (made admin in tests that need it)."""
    return Person(channel_id="msteams", user_id="29:jette", user_name="Jette Søgaard Hansen", conversation_id="a:jette", conversation_type="personal")
