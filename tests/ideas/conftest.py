"""Fixtures for the Den gode idé tests.

``database`` (and ``database_url``/``database_factory``) come from ``tests/conftest.py``:
a migrated SQLite file per test, plus PostgreSQL when ``MEDBOT_TEST_POSTGRES_URL`` is set.
The clock starts on Monday 2 March 2026, 10:00 Danish time: ideas are for budget 2027.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.ideas.config import IdeaConfig
from bot.ideas.service import IdeaService
from bot.ideas.wiring import IdeaComponents, build_idea_components
from bot.storage.db import Database
from dialogs.idea_port import Person
from knowledge.kb import KnowledgeBase
from knowledge.profiles import Profile, load_profile
from knowledge.search import Searcher
from tests.ideas.helpers import Chat, load_knowledge

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CONFIG = IdeaConfig(stale_after=timedelta(days=14), base_backoff=timedelta(seconds=30))


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


@pytest.fixture(scope="session")
def knowledge() -> tuple[KnowledgeBase, Searcher]:
    return load_knowledge()


@pytest.fixture
def chat_factory(
    database: Database, clock: FakeClock, profile: Profile, components: IdeaComponents, knowledge: tuple[KnowledgeBase, Searcher]
) -> Callable[..., Chat]:
    def make(**kwargs: Any) -> Chat:
        kwargs.setdefault("knowledge", knowledge)
        return Chat(database, clock, profile, kwargs.pop("components", components), **kwargs)

    return make


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
