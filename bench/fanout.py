"""Proactive fan-out under failure: many due reminders, two replicas, one of them SIGKILLed.

Run from the project root:  .venv/bin/python bench/fanout.py [--reminders 10000 --conversations 2000]

1. A database is prepared: PostgreSQL (a fresh database on the server named by
   MEDBOT_TEST_POSTGRES_URL, or --database-url) or, without one, a SQLite file. It gets
   the conversations (their serviceUrl is the fake connector) and the reminders, all due
   now; each reminder's text carries a token ``FANOUT-<n>``.
2. A fake connector (bench/fake_connector.py --teams) enforces the Teams windows per
   conversation (7/1 s, 8/2 s, 60/30 s, 1800/h: a send over one is a *limit violation*,
   answered 429) and the ~50/s per tenant (all conversations here are in one tenant, as
   one municipality's are), answers a share of sends 429 + Retry-After and 502, and
   answers 403 for the conversations marked blocked.
3. Two ``medbot serve`` replicas with their schedulers on deliver them. When a share of
   the reminders has arrived (--kill-at), replica A gets SIGKILL, mid-batch, holding
   leases; it is restarted --restart-after seconds later.
4. When no reminder is pending or claimed any more, the replicas get SIGTERM and the
   figures are printed: time to deliver, lost (a reminder of a reachable conversation
   that never arrived; must be 0), duplicates (a token that arrived twice; must be 0
   beyond the documented at-least-once window — a send the connector accepted in the
   instant before the SIGKILL, before its ``sent`` was committed), limit violations
   per conversation and per tenant (must be 0), and what the blocked conversations got.

The scheduler runs with a 1 s tick and a 15 s lease here (MEDBOT_SCHEDULER_INTERVAL,
MEDBOT_REMINDER_LEASE; defaults 30 s and 2 min), so the killed replica's leases run out
within the run. Not a test; prints a report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bench._procs import BENCH, PYTHON, free_port, load_average, medbot_serve_args, spawn, stop, wait_http  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.reminders.models import ReminderRow  # noqa: E402
from bot.reminders.store import new_reminder_key  # noqa: E402
from bot.storage.conversations import ConversationStore  # noqa: E402
from bot.storage.db import Database, normalize_database_url  # noqa: E402
from bot.storage.models_delivery import DeliveryLogRow  # noqa: E402

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BLOCKED = "-blocked"
_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_log: sa.Table = DeliveryLogRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


@asynccontextmanager
async def bench_database(args: argparse.Namespace, tmp: Path) -> AsyncIterator[str]:
    """The URL of an empty database for the run (dropped afterwards when it was made here)."""
    if args.database_url:
        yield args.database_url
        return
    server = os.environ.get("MEDBOT_TEST_POSTGRES_URL", "").strip()
    if not server or args.sqlite:
        yield f"sqlite+aiosqlite:///{tmp / 'fanout.sqlite3'}"
        return
    url = normalize_database_url(server)
    name = f"medbot_fanout_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def plan(args: argparse.Namespace) -> tuple[list[str], list[int]]:
    """Conversation ids, and for each reminder the index of its conversation."""
    rng = random.Random(args.seed)
    conversations = [f"a:fanout-{i:05d}" for i in range(args.conversations)]
    for i in rng.sample(range(args.conversations), int(round(args.blocked * args.conversations))):
        conversations[i] += BLOCKED
    # Hot conversations first, each one's reminders together (a burst into one chat, which
    # the scheduler meets in one batch); the rest spread evenly and shuffled.
    hot = [c for c in rng.sample(range(args.conversations), args.hot_conversations) if not conversations[c].endswith(BLOCKED)]
    owners = [c for c in hot for _ in range(args.hot_reminders)]
    rest = [i % args.conversations for i in range(args.reminders - len(owners))]
    rng.shuffle(rest)
    return conversations, owners + rest


async def prepare(
    url: str, connector: str, conversations: list[str], owners: list[int], due: datetime | None = None
) -> dict[int, str]:
    """Migrate, store the conversations and the reminders (due now, or at ``due``). Returns token -> conversation id."""
    database = Database(url)
    clock = SystemClock()
    try:
        await database.upgrade()
        store = ConversationStore(database, clock)
        ids: list[int] = []
        for n, conversation_id in enumerate(conversations):
            reference = ConversationReference(
                channel_id="msteams",
                service_url=connector,
                conversation=ConversationAccount(id=conversation_id, conversation_type="personal", tenant_id=TENANT),
                user=ChannelAccount(id=f"29:fanout-user-{n}", name=f"Bruger {n}"),
                bot=ChannelAccount(id="28:medbot", name="MED-bot"),
            )
            ids.append(await store.upsert_from_activity(reference, "personal", TENANT))
        now = clock.now()
        due = due or now
        rows = [
            {
                "conversation_ref_id": ids[owner],
                "user_id": f"29:fanout-user-{owner}",
                "text": f"Husk punkt FANOUT-{n} til MED-mødet",
                "due_at": due,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": due,
                "dedupe_key": new_reminder_key(),
                "created_at": now,
                "updated_at": now,
            }
            for n, owner in enumerate(owners)
        ]
        for start in range(0, len(rows), 1000):
            async with database.session() as session:
                await session.execute(sa.insert(_reminders), rows[start : start + 1000])
        return {n: conversations[owner] for n, owner in enumerate(owners)}
    finally:
        await database.dispose()


async def status_counts(url: str) -> Counter[str]:
    database = Database(url)
    try:
        async with database.session() as session:
            rows = await session.execute(sa.select(_reminders.c.status, sa.func.count()).group_by(_reminders.c.status))
            return Counter({str(status): int(n) for status, n in rows})
    finally:
        await database.dispose()


async def final_state(url: str) -> tuple[list[sa.Row[Any]], Counter[str]]:
    database = Database(url)
    try:
        async with database.session() as session:
            rows = list((await session.execute(sa.select(_reminders.c.id, _reminders.c.text, _reminders.c.status, _reminders.c.last_error, _reminders.c.attempts))).all())
            owners = Counter(
                {str(owner): int(n) for owner, n in await session.execute(sa.select(_log.c.owner, sa.func.count()).where(_log.c.status == "sent").group_by(_log.c.owner))}
            )
        return rows, owners
    finally:
        await database.dispose()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:  # loopback only
        return json.loads(response.read())


@dataclass
class Replica:
    name: str
    port: int
    proc: Any
    log: Path


def start_replica(name: str, url: str, tmp: Path, args: argparse.Namespace) -> Replica:
    port = free_port()
    log = tmp / f"replica-{name}.log"
    env = {
        "MEDBOT_DATABASE_URL": url,
        "MEDBOT_DATA_DIR": str(tmp / f"data-{name}"),
        "MEDBOT_SCHEDULER": "on",
        "MEDBOT_SCHEDULER_INTERVAL": str(args.interval),
        "MEDBOT_REMINDER_LEASE": str(args.lease),
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
    }
    proc = spawn(medbot_serve_args(port), env=env, log_path=log)
    return Replica(name=name, port=port, proc=proc, log=log)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=2_000)
    parser.add_argument("--hot-conversations", type=int, default=20, help="conversations that get --hot-reminders each, in a burst")
    parser.add_argument("--hot-reminders", type=int, default=25)
    parser.add_argument("--blocked", type=float, default=0.01, help="share of conversations that answer 403")
    parser.add_argument("--p429", type=float, default=0.02, help="share of sends answered 429 + Retry-After")
    parser.add_argument("--p502", type=float, default=0.02, help="share of sends answered 502")
    parser.add_argument("--kill-at", type=float, default=0.3, help="SIGKILL replica A when this share has arrived")
    parser.add_argument("--restart-after", type=float, default=3.0, help="seconds until A is started again")
    parser.add_argument("--interval", type=float, default=1.0, help="MEDBOT_SCHEDULER_INTERVAL (s)")
    parser.add_argument("--lease", type=float, default=15.0, help="MEDBOT_REMINDER_LEASE (s)")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--database-url", default="", help="default: a fresh database on MEDBOT_TEST_POSTGRES_URL, else SQLite")
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file even when MEDBOT_TEST_POSTGRES_URL is set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="medbot-bench-fanout-"))
    try:
        return asyncio.run(run(args, tmp))
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"logs in {tmp}")


async def run(args: argparse.Namespace, tmp: Path) -> int:
    conversations, owners = plan(args)
    connector_port = free_port()
    connector_url = f"http://127.0.0.1:{connector_port}/"
    connector = spawn(
        [PYTHON, str(BENCH / "fake_connector.py"), "--port", str(connector_port), "--teams", "--p429", str(args.p429),
         "--p502", str(args.p502), f"--blocked-suffixes={BLOCKED}", "--seed", str(args.seed)],
        log_path=tmp / "connector.log",
    )
    replicas: dict[str, Replica] = {}
    try:
        wait_http(connector_url + "healthz", proc=connector)
        async with bench_database(args, tmp) as url:
            backend = normalize_database_url(url).get_backend_name()
            print(f"bench/fanout.py: {len(owners)} reminders, {len(conversations)} conversations "
                  f"({sum(c.endswith(BLOCKED) for c in conversations)} answer 403), 2 replicas on {backend}; "
                  f"p429 {args.p429}, p502 {args.p502}; load average {load_average()}")
            prepared = time.monotonic()
            token_conversation = await prepare(url, connector_url, conversations, owners)
            print(f"prepared in {time.monotonic() - prepared:.1f} s")
            reachable = {n for n, c in token_conversation.items() if not c.endswith(BLOCKED)}

            started = time.monotonic()
            for name in ("A", "B"):
                replicas[name] = start_replica(name, url, tmp, args)
            for replica in replicas.values():
                wait_http(f"http://127.0.0.1:{replica.port}/healthz", timeout=120, proc=replica.proc)
            killed_at: float | None = None
            restarted_at: float | None = None
            last_print = 0.0
            while True:
                stats = get_json(connector_url + "stats")
                accepted = int(stats.get("accepted", 0))
                now = time.monotonic()
                if killed_at is None and accepted >= args.kill_at * len(reachable):
                    killed_at = time.monotonic()
                    replicas["A"].proc.send_signal(signal.SIGKILL)
                    replicas["A"].proc.wait()
                    print(f"  {killed_at - started:6.1f} s: SIGKILL replica A at {accepted} accepted sends")
                if killed_at is not None and restarted_at is None and now - killed_at >= args.restart_after:
                    replicas["A2"] = start_replica("A2", url, tmp, args)
                    restarted_at = time.monotonic()
                    print(f"  {restarted_at - started:6.1f} s: replica A started again")
                counts = await status_counts(url)
                open_rows = counts.get("pending", 0) + counts.get("claimed", 0)
                if now - last_print >= 5:
                    print(f"  {now - started:6.1f} s: accepted {accepted}, statuses {dict(counts)}")
                    last_print = now
                if open_rows == 0 and restarted_at is not None:
                    break
                if now - started > args.timeout:
                    print(f"TIMEOUT after {args.timeout:.0f} s with {open_rows} reminders still open")
                    break
                await asyncio.sleep(0.5)
            finished = time.monotonic()

            shutdowns = {}
            for name, replica in replicas.items():
                if replica.proc.poll() is None:
                    shutdowns[name] = stop(replica.proc, signal.SIGTERM, timeout=30)
            stats = get_json(connector_url + "stats")
            deliveries = get_json(connector_url + "deliveries")
            rows, sent_by_owner = await final_state(url)
    finally:
        for replica in replicas.values():
            if replica.proc.poll() is None:
                stop(replica.proc, signal.SIGKILL)
        stop(connector)

    arrivals: dict[int, list[int]] = {}
    for token, _conversation, arrived_ns in deliveries:
        arrivals.setdefault(int(token), []).append(int(arrived_ns))
    delivered = set(arrivals)
    lost = sorted(reachable - delivered)
    to_blocked = sorted(delivered - reachable)
    duplicates = {token: sorted(times) for token, times in arrivals.items() if len(times) > 1}
    kill_ns = int(killed_at * 1e9) if killed_at is not None else None
    in_window = {t: times for t, times in duplicates.items() if kill_ns is not None and 0 <= kill_ns - times[0] <= 2_000_000_000}
    last_arrival = max((times[0] for t, times in arrivals.items() if t in reachable), default=int(started * 1e9))
    statuses = Counter(row.status for row in rows)
    failed_reachable = [row for row in rows if row.status == "failed" and BLOCKED not in token_conversation[_token(row.text)]]
    resends = sum(_count(r.log, "unknown outcome; sending again") for r in replicas.values())

    print()
    print(f"time to deliver: {(last_arrival / 1e9) - started:.1f} s from the replicas' start to the last reminder's arrival "
          f"({len(reachable)} reachable reminders; all final after {finished - started:.1f} s)")
    print(f"messages lost: {len(lost)}" + (f"  e.g. {lost[:10]}" if lost else ""))
    print(f"duplicates: {len(duplicates)}, of which within the at-least-once window (first copy ≤2 s before the SIGKILL): {len(in_window)}"
          + "".join(f"\n    FANOUT-{t}: first copy {(kill_ns - times[0]) / 1e6:.1f} ms before SIGKILL, again {(times[1] - times[0]) / 1e9:.1f} s later" for t, times in in_window.items())
          + (f"\n    beyond the window: {sorted(set(duplicates) - set(in_window))}" if len(duplicates) > len(in_window) else ""))
    print(f"resends logged as 'unknown outcome' by the replicas: {resends}")
    print(f"limit violations: per-conversation windows {stats.get('limit_violations', 0)}, "
          f"per-tenant 50/s {stats.get('tenant_limit_violations', 0)}")
    print(f"connector answers: accepted {stats.get('accepted', 0)}, 429 injected {stats.get('429', 0)}, 502 injected {stats.get('502', 0)}, "
          f"403 {stats.get('403', 0)}; peak {stats.get('peak_accepted_per_second', 0)} accepted/s in the one tenant "
          f"({stats.get('seconds_over_50_per_second', 0)} s above Teams' ~50/s per tenant)")
    print(f"reminder statuses: {dict(statuses)}; failed in reachable conversations: {len(failed_reachable)}"
          + "".join(f"\n    {row.id}: {row.last_error}" for row in failed_reachable[:5]))
    print(f"delivered to blocked conversations: {len(to_blocked)} (the 403s end them as failed/unreachable)")
    names = {str(r.proc.pid): name for name, r in replicas.items()}
    by_name = {names.get(owner.split(":")[-2], owner) if owner.count(":") >= 2 else owner: n for owner, n in sent_by_owner.items()}
    print(f"sent per replica (delivery_log owners; A2 is A restarted): {by_name}")
    print("SIGTERM at the end: " + ", ".join(f"{name}: exit {code} in {seconds:.1f} s" for name, (code, seconds) in shutdowns.items()))
    print(f"load average after: {load_average()}")
    ok = (
        not lost
        and len(duplicates) == len(in_window)
        and not stats.get("limit_violations")
        and not stats.get("tenant_limit_violations")
        and not failed_reachable
    )
    print("RESULT:", "OK" if ok else "NOT OK")
    return 0 if ok else 1


def _token(text: str) -> int:
    return int(text.split("FANOUT-")[1].split()[0])


def _count(path: Path, needle: str) -> int:
    try:
        return path.read_text(errors="replace").count(needle)
    except OSError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
