"""Suite-wide test settings.

The scheduler loop is the one place that waits real time; tests call its ``tick``
with a fake clock instead, so the loop is off for every runtime a test builds: here
for settings read from the environment (``Settings.from_env``, as the command line
does), and in ``tests.harness.teams_http.make_settings`` and ``tests.harness.chat.ChatHarness``
for settings a test builds itself.
Slack credentials from a developer's shell must not reach the tests either.
"""

import os

os.environ["MEDBOT_SCHEDULER"] = "off"
for _name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "MEDBOT_SLACK_API_URL", "MicrosoftAppId", "MicrosoftAppPassword"):
    os.environ.pop(_name, None)


# -- databases (tests/databases.py) -------------------------------------------------
# ``database_url``: a fresh, empty database per test, once per backend (BACKENDS);
# ``database``: a Database on it, migrated to head (and checked to run on the driver its
# backend names); ``database_factory``: more Database objects on the same database (as
# other processes, or a restarted bot, would open), all disposed after the test.
# A package may override ``sqlite_database_url`` to put the SQLite file elsewhere.

from collections.abc import AsyncIterator, Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from bot.storage.db import Database  # noqa: E402
from tests.databases import BACKENDS, assert_backend_driver, backend_database_url, requested_backend  # noqa: E402


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}"


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, sqlite_database_url: str) -> AsyncIterator[str]:
    async with backend_database_url(request.param, sqlite_database_url) as url:
        yield url


@pytest.fixture
async def database_factory(database_url: str) -> AsyncIterator[Callable[[], Database]]:
    opened: list[Database] = []

    def open_database() -> Database:
        db = Database(database_url)
        opened.append(db)
        return db

    yield open_database
    for db in opened:
        await db.dispose()


@pytest.fixture
async def database(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    db = Database(database_url)
    backend = requested_backend(request)
    if backend is not None:
        assert_backend_driver(db, backend)
    await db.upgrade()
    try:
        yield db
    finally:
        await db.dispose()


# -- the Bot Framework implementations (bot/botframework) ----------------------------
# ``botframework``: each value of MEDBOT_BOTFRAMEWORK in turn, for tests that run the
# bot over HTTP (pass it to tests.harness.teams_http.make_settings).

from bot.settings import BOTFRAMEWORK_MODES  # noqa: E402


@pytest.fixture(params=BOTFRAMEWORK_MODES)
def botframework(request: pytest.FixtureRequest) -> str:
    return str(request.param)
