"""Process each Slack delivery once, although Slack retries (``X-Slack-Retry-Num``).

:meth:`SlackDeduplicator.first_time` answers True exactly once per key. A bounded
in-memory LRU answers repeats cheaply; the ``slack_events`` table makes the answer
hold across restarts and replicas (the first insert wins). If the database cannot
be reached the in-memory answer stands: a lost de-dup is better than a lost message.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.slack.models import SlackEventRow
from bot.storage.db import Database, affected_rows

log = logging.getLogger(__name__)

_table: sa.Table = SlackEventRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

KEEP_FOR = timedelta(days=1)
PRUNE_EVERY = 500
MEMORY_SIZE = 10_000
MAX_KEY_LENGTH = 128


class SlackDeduplicator:
    def __init__(self, database: Database | None, clock: Clock, memory_size: int = MEMORY_SIZE) -> None:
        self._db = database
        self._clock = clock
        self._memory_size = memory_size
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._inserts = 0

    def _remember(self, key: str) -> bool:
        """True when ``key`` is new to this process."""
        if key in self._seen:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = None
        while len(self._seen) > self._memory_size:
            self._seen.popitem(last=False)
        return True

    async def first_time(self, key: str) -> bool:
        key = key[:MAX_KEY_LENGTH]
        if not self._remember(key):
            return False
        if self._db is None:
            return True
        now = self._clock.now()
        statement = self._db.insert(_table).values(event_id=key, received_at=now).on_conflict_do_nothing(
            index_elements=[_table.c.event_id]
        )
        try:
            async with self._db.session() as session:
                result = await session.execute(statement)
                inserted = affected_rows(result) == 1
                self._inserts += 1
                if self._inserts % PRUNE_EVERY == 0:
                    await session.execute(sa.delete(_table).where(_table.c.received_at < now - KEEP_FOR))
        except SQLAlchemyError:
            log.exception("could not record Slack event %s; relying on memory", key)
            return True
        return inserted
