"""Fixtures for the tests of ``bot/``.

* ``clock``: a :class:`~bot.clock.FakeClock` at Monday 2025-01-06 08:00 UTC.
* ``database_url``/``database``/``database_factory`` come from tests/conftest.py (once per
  backend, see tests/databases.py); here the SQLite file lives in ``tmp_path/data``, where
  the bot's default data folder would put it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.storage.db import default_database_url

CLOCK_START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(CLOCK_START)


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> str:
    return default_database_url(tmp_path / "data")
