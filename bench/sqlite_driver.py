"""The SQLite driver's cost per turn-shaped unit of work: inline (sqlite3 on the loop) vs thread (aiosqlite).

Run from the project root:  .venv/bin/python bench/sqlite_driver.py [-n 5000] [--repeat 2]

One unit is what a knowledge turn does to the database, as three units of work through
``Database.session()`` on a fresh, migrated SQLite file (WAL, the usual PRAGMAs):

1. read the dialog state by key (``SELECT key, data, etag FROM bot_state WHERE key IN (...)``);
2. upsert the conversation reference (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING id``);
3. write the state back if nobody else did (``UPDATE bot_state ... WHERE key = ? AND etag = ?``).

Units rotate over 50 conversations. ``--concurrency`` runs that many units at once (they
queue on the process-wide SQLite lock, as concurrent turns do). Per driver it prints the
wall time and the CPU time (``time.process_time``: every thread of the process, so the
aiosqlite worker's share is included) per unit. The drivers alternate within each round
and the best round is kept; other work on the machine skews figures (load average shown).
Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bot.storage.db import Database, affected_rows  # noqa: E402
from bot.storage.inline_sqlite import SQLITE_DRIVERS  # noqa: E402
from bot.storage.models import BotStateRow, ConversationRef  # noqa: E402

CONVERSATIONS = 50
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
_state: sa.Table = BotStateRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_refs: sa.Table = ConversationRef.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


def _document(n: int, turn: int) -> dict[str, object]:
    return {
        "DialogState": {"dialogStack": [{"id": "main", "state": {"turn": turn, "options": {"n": n}}}]},
        "ConversationState": {"lastIntent": "knowledge", "turns": turn},
    }


def _reference(n: int) -> dict[str, object]:
    return {
        "activity_id": uuid.uuid4().hex,
        "bot": {"id": "28:medbot", "name": "MED-bot"},
        "channel_id": "msteams",
        "conversation": {"id": f"a:bench-{n}", "conversation_type": "personal", "tenant_id": "t"},
        "service_url": SERVICE_URL,
        "user": {"id": f"29:user-{n}"},
    }


class Workload:
    def __init__(self, database: Database) -> None:
        self.db = database
        insert = database.insert(_refs).values({name: sa.bindparam(name) for name in (
            "channel_id", "conversation_id", "service_url", "tenant_id", "bot_id", "user_id",
            "conversation_type", "reference", "unreachable", "created_at", "updated_at",
        )})
        self.upsert = insert.on_conflict_do_update(
            index_elements=[_refs.c.channel_id, _refs.c.conversation_id],
            set_={
                "service_url": insert.excluded.service_url,
                "tenant_id": sa.func.coalesce(insert.excluded.tenant_id, _refs.c.tenant_id),
                "user_id": sa.func.coalesce(insert.excluded.user_id, _refs.c.user_id),
                "reference": insert.excluded.reference,
                "unreachable": insert.excluded.unreachable,
                "updated_at": insert.excluded.updated_at,
            },
        ).returning(_refs.c.id)
        self.conflicts = 0

    async def seed(self) -> None:
        now = datetime.now(UTC)
        async with self.db.session() as session:
            for n in range(CONVERSATIONS):
                await session.execute(
                    sa.insert(_state).values(key=f"msteams/conversations/a:bench-{n}", data=_document(n, 0), etag="0", updated_at=now)
                )

    async def unit(self, i: int) -> None:
        n = i % CONVERSATIONS
        key = f"msteams/conversations/a:bench-{n}"
        now = datetime.now(UTC)
        async with self.db.session() as session:  # 1. state read by key
            row = (await session.execute(
                sa.select(_state.c.key, _state.c.data, _state.c.etag).where(_state.c.key.in_([key]))
            )).one()
        async with self.db.session() as session:  # 2. conversation upsert
            (await session.execute(self.upsert, {
                "channel_id": "msteams", "conversation_id": f"a:bench-{n}", "service_url": SERVICE_URL,
                "tenant_id": "t", "bot_id": "28:medbot", "user_id": f"29:user-{n}", "conversation_type": "personal",
                "reference": _reference(n), "unreachable": False, "created_at": now, "updated_at": now,
            })).scalar_one()
        async with self.db.session() as session:  # 3. conditional state write
            result = await session.execute(
                sa.update(_state)
                .where(_state.c.key == key, _state.c.etag == row.etag)
                .values(data=_document(n, i), etag=uuid.uuid4().hex, updated_at=now)
            )
            if affected_rows(result) != 1:
                self.conflicts += 1


async def measure(driver: str, units: int, concurrency: int, directory: Path) -> tuple[float, float, int]:
    """(wall µs per unit, CPU µs per unit, etag conflicts) for one fresh database."""
    path = directory / f"{driver}-{uuid.uuid4().hex[:8]}.sqlite3"
    database = Database(f"sqlite+aiosqlite:///{path}", sqlite_driver=driver)
    try:
        await database.upgrade()
        work = Workload(database)
        await work.seed()
        for i in range(min(200, units)):  # warm-up: statement caches, pool, page cache
            await work.unit(i)
        work.conflicts = 0
        queue = iter(range(units))

        async def worker() -> None:
            for i in queue:
                await work.unit(i)

        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return wall / units * 1e6, cpu / units * 1e6, work.conflicts
    finally:
        await database.dispose()


async def run(args: argparse.Namespace) -> None:
    best: dict[tuple[str, int], tuple[float, float, int]] = {}
    with tempfile.TemporaryDirectory(prefix="medbot-sqlite-driver-") as tmp:
        for round_no in range(args.repeat):
            for concurrency in args.concurrency:
                for driver in (SQLITE_DRIVERS if round_no % 2 == 0 else tuple(reversed(SQLITE_DRIVERS))):
                    figures = await measure(driver, args.units, concurrency, Path(tmp))
                    print(
                        f"round {round_no + 1} c={concurrency:<3} {driver:<6} "
                        f"{figures[0]:8.0f} µs/unit wall {figures[1]:8.0f} µs/unit CPU  conflicts {figures[2]}",
                        flush=True,
                    )
                    key = (driver, concurrency)
                    if key not in best or figures[1] < best[key][1]:
                        best[key] = figures
    print()
    print(f"best of {args.repeat} round(s), {args.units} units each (3 units of work per unit), loop {args.loop}:")
    print(f"{'concurrency':>11} {'driver':<7} {'wall µs/unit':>13} {'CPU µs/unit':>12}")
    for concurrency in args.concurrency:
        for driver in SQLITE_DRIVERS:
            wall, cpu, _ = best[(driver, concurrency)]
            print(f"{concurrency:>11} {driver:<7} {wall:>13.0f} {cpu:>12.0f}")
        inline, thread = best[("inline", concurrency)], best[("thread", concurrency)]
        print(
            f"{concurrency:>11} {'inline/thread':<7} wall {inline[0] / thread[0]:.2f}x, CPU {inline[1] / thread[1]:.2f}x "
            f"({(1 - inline[1] / thread[1]) * 100:.0f} % less CPU)"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--units", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop")
    args = parser.parse_args()
    loop_factory = None
    if args.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            args.loop = "asyncio"
        else:
            loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(run(args))


if __name__ == "__main__":
    main()
