"""Fixtures for the replica and shutdown tests of tests/load.

* ``database_url``: one database that two replicas share: a SQLite file in ``tmp_path``
  and, as a second parameter marked ``postgres``, a fresh database on the server in
  ``MEDBOT_TEST_POSTGRES_URL`` (skipped when it is not set; see .ci/start-postgres.sh).
* ``clock``: one FakeClock for both replicas (they run at the same time).
* ``connector``: the local fake Bot Framework connector both replicas answer on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from tests.fakes import FakeConnector

# Monday 23 November 2026, 10:00 UTC (11:00 in Copenhagen): a working day, daytime.
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        yield fake
