"""One turn at a time per conversation, within this process.

Teams and the Agents Playground send ``installationUpdate`` and
``conversationUpdate`` together; a user may double-click a card. Two turns of the
same conversation running at once would both read the same dialog state, so one
would be lost (an e-tag conflict) or both would act (two welcomes). Turns of one
conversation are therefore queued behind each other here; across replicas the
state's e-tags still refuse a lost update.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ConversationLocks:
    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            yield
