from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness.chat import ChatHarness


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[ChatHarness]:
    """The whole bot in a personal Teams chat, Albertslund."""
    harness = await ChatHarness(tmp_path).start()
    yield harness
    await harness.stop()


@pytest.fixture
async def jammerbugt(tmp_path: Path) -> AsyncIterator[ChatHarness]:
    """The whole bot in a personal Teams chat, Jammerbugt (Den gode idé is theirs)."""
    harness = await ChatHarness(tmp_path, org="jammerbugt").start()
    yield harness
    await harness.stop()
