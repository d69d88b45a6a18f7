"""Graceful shutdown: on application cleanup the scheduler finishes the send in flight,
takes nothing more and hands back the leases of the rest of its batch, which another
replica then delivers at once (not after the lease has run out) — each message once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from aiohttp import web

from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.reminders.models import ReminderRow
from bot.reminders.store import ReminderStore
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from tests.fakes import FakeConnector
from tests.load.replicas import replicas
from tests.reminders.helpers import store_conversation, texts_of

_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


class GatedConnector(FakeConnector):
    """Holds the first send until ``gate`` is set (a send in flight at shutdown)."""

    def __init__(self) -> None:
        super().__init__()
        self.first_arrived = asyncio.Event()
        self.gate = asyncio.Event()

    async def _post(self, request: web.Request) -> web.Response:
        if not self.first_arrived.is_set():
            self.first_arrived.set()
            await self.gate.wait()
        return await super()._post(request)


async def _rows(database: Database) -> list[sa.Row[object]]:
    async with database.session() as session:
        return list((await session.execute(sa.select(_reminders).order_by(_reminders.c.id))).all())


async def test_cleanup_finishes_the_send_in_flight_and_releases_the_other_leases(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    texts = [f"påmindelse {n}" for n in range(5)]
    setup = Database(database_url)
    await setup.upgrade()
    async with GatedConnector() as connector:
        try:
            conversations = ConversationStore(setup, clock)
            store = ReminderStore(setup, clock)
            for n, text in enumerate(texts):
                conversation = await store_conversation(conversations, connector.url, f"a:shutdown-{n}", f"29:user-{n}")
                await store.create(conversation, f"29:user-{n}", text, clock.now() - timedelta(minutes=1))

            # Replica A runs its scheduler loop: the first tick (at startup) claims all five
            # and blocks in the first send.
            loop_config = DeliveryConfig(run_loop=True, tick_interval=timedelta(hours=1))
            async with replicas(database_url, tmp_path, clock, names=("A",), delivery_config=loop_config) as (a,):
                try:
                    await asyncio.wait_for(connector.first_arrived.wait(), timeout=30)  # a bound, not a pause
                    claimed = [row for row in await _rows(setup) if row.status == "claimed"]
                    assert len(claimed) == 5
                    assert {row.lease_owner for row in claimed} == {a.runtime.delivery.scheduler.owner_id}

                    # SIGTERM's path: aiohttp's cleanup closes the app's contexts while the send is in flight.
                    closing = asyncio.create_task(a.client.close())
                    for _ in range(1000):  # let the cleanup start: yield to the loop, no waiting on time
                        if a.runtime.delivery.scheduler.stop_requested:
                            break
                        await asyncio.sleep(0)
                    assert a.runtime.delivery.scheduler.stop_requested
                    assert not closing.done()  # it waits for the send in flight …
                    connector.gate.set()
                    await closing  # … which completes; nothing else is sent
                finally:
                    connector.gate.set()  # never leave the send hanging (a failed assertion above)

            assert len(connector.sent) == 1
            rows = await _rows(setup)
            assert Counter(row.status for row in rows) == {"sent": 1, "pending": 4}
            assert all(row.lease_owner is None and row.lease_until is None for row in rows if row.status == "pending")

            # Replica B (no loop) takes the released rows at once: the leases did not have to expire.
            async with replicas(database_url, tmp_path, clock, names=("B",)) as (b,):
                report = await b.runtime.delivery.scheduler.tick()
                assert report.sent == 4
            delivered = Counter(text for text in texts for sent in texts_of(connector.sent) if text in sent)
            assert delivered == Counter({text: 1 for text in texts})
        finally:
            connector.gate.set()
            await setup.dispose()
