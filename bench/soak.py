"""Soak: a steady load on one ``medbot serve`` for a long time, then SIGTERM under load.

Run from the project root:  .venv/bin/python bench/soak.py [--duration 600] [--rate 50]

* ``medbot serve`` on a fresh SQLite file (or --database-url / PostgreSQL with --postgres),
  scheduler on (1 s tick), with reminders falling due all through the run, so proactive
  sends go out next to the turns;
* the load generator (bench/loadgen.py, paced: --rate turns/s over --conversations
  conversations, real Teams JSON, replies on the fake connector), with the default
  per-user rate limit in force;
* bad input next to it: malformed JSON, oversized bodies, a wrong content type, and
  floods of 40 messages from one user (--bad-every);
* every --every seconds: the server's RSS, open file descriptors, sockets, established
  TCP connections and threads (from /proc), printed as a table; growth is judged from
  the first sample after the warm-up to the last;
* at the end SIGTERM is sent *while the load is still on*: turns already in progress
  must finish (their replies arrive), the process must exit 0 within aiohttp's shutdown
  timeout, and no reminder may stay ``claimed`` (the scheduler hands its leases back).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference  # noqa: E402

from bench._procs import (  # noqa: E402
    BENCH,
    PYTHON,
    ProcStats,
    free_port,
    load_average,
    medbot_serve_args,
    proc_stats,
    spawn,
    wait_http,
)
from bot.clock import SystemClock  # noqa: E402
from bot.reminders.models import ReminderRow  # noqa: E402
from bot.reminders.store import ReminderStore  # noqa: E402
from bot.storage.conversations import ConversationStore  # noqa: E402
from bot.storage.db import Database, normalize_database_url  # noqa: E402

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


async def seed_reminders(url: str, connector: str, duration: float, every: float) -> int:
    """Reminders in 10 conversations, one falling due every ``every`` seconds through the run."""
    database = Database(url)
    clock = SystemClock()
    try:
        await database.upgrade()
        conversations = ConversationStore(database, clock)
        ids = []
        for n in range(10):
            reference = ConversationReference(
                channel_id="msteams", service_url=connector,
                conversation=ConversationAccount(id=f"a:soak-reminders-{n}", conversation_type="personal", tenant_id=TENANT),
                user=ChannelAccount(id=f"29:soak-{n}"), bot=ChannelAccount(id="28:medbot"),
            )
            ids.append(await conversations.upsert_from_activity(reference, "personal", TENANT))
        store = ReminderStore(database, clock)
        start = clock.now()
        count = int(duration / every)
        for k in range(count):
            await store.create(ids[k % 10], f"29:soak-{k % 10}", f"soak-påmindelse {k}", start + timedelta(seconds=5 + k * every))
        return count
    finally:
        await database.dispose()


async def reminder_statuses(url: str) -> dict[str, int]:
    database = Database(url)
    try:
        async with database.session() as session:
            rows = await session.execute(sa.select(_reminders.c.status, sa.func.count()).group_by(_reminders.c.status))
            return {str(s): int(n) for s, n in rows}
    finally:
        await database.dispose()


async def make_postgres_database(server: str) -> tuple[str, str]:
    from sqlalchemy.ext.asyncio import create_async_engine

    url = normalize_database_url(server)
    name = f"medbot_soak_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False), name


async def drop_postgres_database(server: str, name: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    admin = create_async_engine(normalize_database_url(server), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


MALFORMED = b'{"type": "message", "text": '
OVERSIZED = b'{"type": "message", "text": "' + b"x" * 300_000 + b'"}'


class BadTraffic(threading.Thread):
    """Bad input next to the steady load: every ``every`` s one of malformed JSON (400), an
    oversized body (413), a wrong content type (415), or a flood of 40 messages in a row
    from one user (30 a minute are answered, the rest get the polite Danish "slow down").
    Records the status codes; the flood's replies are counted on the connector."""

    def __init__(self, target: str, connector: str, every: float) -> None:
        super().__init__(daemon=True)
        self.target = target
        self.connector = connector
        self.every = every
        self.stop = threading.Event()
        self.statuses: Counter[str] = Counter()
        self.floods = 0

    def _post(self, body: bytes, content_type: str = "application/json") -> int:
        request = urllib.request.Request(self.target, data=body, method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # loopback only
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except (urllib.error.URLError, OSError):
            return -1

    def run(self) -> None:
        from tests.activities import teams_message

        kinds = ("malformed", "oversized", "content-type", "flood")
        n = 0
        while not self.stop.wait(self.every):
            kind = kinds[n % len(kinds)]
            n += 1
            if kind == "malformed":
                status = self._post(MALFORMED)
                self.statuses[f"malformed JSON -> {status}"] += 1
            elif kind == "oversized":
                status = self._post(OVERSIZED)
                self.statuses[f"300 KB body -> {status}"] += 1
            elif kind == "content-type":
                status = self._post(b"hej", "text/plain")
                self.statuses[f"text/plain -> {status}"] += 1
            else:
                self.floods += 1
                user = f"29:flood-user-{self.floods}"
                for _ in range(40):
                    activity = teams_message(self.connector, "hvad er en amr", conversation_id=f"a:flood-{self.floods}", user_id=user)
                    self.statuses[f"flood message -> {self._post(json.dumps(activity).encode())}"] += 1


def fmt(elapsed: float, stats: ProcStats) -> str:
    return f"{elapsed:8.0f} {stats.rss_mb:8.1f} {stats.fds:5d} {stats.sockets:7d} {stats.tcp_established:5d} {stats.threads:7d}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load before the SIGTERM (default 600)")
    parser.add_argument("--rate", type=float, default=50.0, help="turns/s in total (default 50)")
    parser.add_argument("--conversations", type=int, default=200,
                        help="default 200: each user then writes 15 times a minute, under the per-user limit of 30")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between samples (default 30)")
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds before the baseline sample (default 30)")
    parser.add_argument("--reminder-every", type=float, default=2.0, help="a reminder falls due every N s (default 2)")
    parser.add_argument("--connector-delay-ms", type=float, default=0.0,
                        help="the fake connector answers this much later (keeps turns in flight at the SIGTERM)")
    parser.add_argument("--bad-every", type=float, default=2.0, help="seconds between bad-input probes (0: none)")
    parser.add_argument("--postgres", action="store_true", help="a fresh database on MEDBOT_TEST_POSTGRES_URL instead of SQLite")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="medbot-bench-soak-"))
    server = os.environ.get("MEDBOT_TEST_POSTGRES_URL", "").strip()
    pg_name = ""
    if args.postgres:
        if not server:
            raise SystemExit("--postgres needs MEDBOT_TEST_POSTGRES_URL (see .ci/start-postgres.sh)")
        url, pg_name = asyncio.run(make_postgres_database(server))
    else:
        url = f"sqlite+aiosqlite:///{tmp / 'soak.sqlite3'}"

    connector_port = free_port()
    connector_url = f"http://127.0.0.1:{connector_port}/"
    connector = spawn(
        [PYTHON, str(BENCH / "fake_connector.py"), "--port", str(connector_port), "--delay-ms", str(args.connector_delay_ms)],
        log_path=tmp / "connector.log",
    )
    port = free_port()
    bot = None
    load = None
    try:
        wait_http(connector_url + "healthz", proc=connector)
        seeded = asyncio.run(seed_reminders(url, connector_url, args.duration, args.reminder_every))
        env = {
            "MEDBOT_DATABASE_URL": url,
            "MEDBOT_DATA_DIR": str(tmp / "data"),
            "MEDBOT_SCHEDULER": "on",
            "MEDBOT_SCHEDULER_INTERVAL": "1",
            "MicrosoftAppId": "",
            "MicrosoftAppPassword": "",
        }
        bot = spawn(medbot_serve_args(port), env=env, log_path=tmp / "medbot.log")
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120, proc=bot)
        backend = normalize_database_url(url).get_backend_name()
        print(f"bench/soak.py: {args.duration:.0f} s at {args.rate:.0f} turns/s over {args.conversations} conversations, "
              f"{seeded} reminders falling due, medbot serve on {backend} (pid {bot.pid}); load average {load_average()}")
        records = tmp / "turns.txt"
        tail = 5.0  # the load goes on this long after the SIGTERM
        load = subprocess.Popen(
            [PYTHON, str(BENCH / "loadgen.py"), "--target", f"http://127.0.0.1:{port}/api/messages", "--connector", connector_url,
             "--conversations", str(args.conversations), "--rate", str(args.rate), "--warmup", "0",
             "--duration", str(args.duration + tail), "--mode", "questions", "--run-id", "soak", "--records", str(records)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        bad = BadTraffic(f"http://127.0.0.1:{port}/api/messages", connector_url, args.bad_every) if args.bad_every else None
        if bad is not None:
            bad.start()
        started = time.monotonic()
        print(f"{'t (s)':>8} {'RSS MB':>8} {'fds':>5} {'sockets':>7} {'tcp':>5} {'threads':>7}")
        samples: list[tuple[float, ProcStats]] = []
        next_sample = 0.0
        while time.monotonic() - started < args.duration:
            elapsed = time.monotonic() - started
            if elapsed >= next_sample:
                stats = proc_stats(bot.pid)
                samples.append((elapsed, stats))
                print(fmt(elapsed, stats), flush=True)
                next_sample += args.every
            if bot.poll() is not None:
                print(f"medbot serve died with {bot.returncode}")
                return 1
            time.sleep(min(1.0, max(0.05, next_sample - elapsed)))
        final = proc_stats(bot.pid)
        samples.append((time.monotonic() - started, final))
        print(fmt(samples[-1][0], final))

        if bad is not None:
            bad.stop.set()
            bad.join(timeout=60)

        # SIGTERM under load.
        sigterm_ns = time.monotonic_ns()
        bot.send_signal(signal.SIGTERM)
        try:
            code = bot.wait(timeout=60)
        except subprocess.TimeoutExpired:
            bot.kill()
            code = bot.wait()
            print("medbot serve did not exit within 60 s of SIGTERM (killed)")
        exit_s = (time.monotonic_ns() - sigterm_ns) / 1e9
        out, err = load.communicate(timeout=120)
        summary = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"error": err[-2000:]}
        statuses = asyncio.run(reminder_statuses(url))
        sent_proactive = json.loads(__import__("urllib.request").request.urlopen(connector_url + "stats").read())

        # A turn was in flight at the SIGTERM when it was sent before it and answered after it.
        in_flight_ok = in_flight_lost = refused_after = 0
        ok_total = 0
        for line in records.read_text().splitlines():
            started_ns, answered, _arrived, outcome = line.split(" ", 3)
            began = int(started_ns)
            if outcome == "ok":
                ok_total += 1
                if began < sigterm_ns < int(answered):
                    in_flight_ok += 1
            elif began < sigterm_ns:
                in_flight_lost += 1
            else:
                refused_after += 1

        base_elapsed, base = next(((t, s) for t, s in samples if t >= args.warmup), samples[0])
        last_elapsed, last = samples[-1]
        print()
        print(f"load: {ok_total} turns answered, p50 {summary.get('p50_ms', float('nan')):.1f} ms, p99 {summary.get('p99_ms', float('nan')):.1f} ms, "
              f"errors {summary.get('errors')}")
        print(f"growth from t={base_elapsed:.0f} s to t={last_elapsed:.0f} s: RSS {base.rss_mb:.1f} -> {last.rss_mb:.1f} MB "
              f"({last.rss_mb - base.rss_mb:+.1f} MB), fds {base.fds} -> {last.fds}, sockets {base.sockets} -> {last.sockets}, "
              f"established TCP {base.tcp_established} -> {last.tcp_established}, threads {base.threads} -> {last.threads}")
        peak = max(s.rss_mb for _, s in samples)
        print(f"peak RSS {peak:.1f} MB")
        print(f"SIGTERM under load: exit code {code} after {exit_s:.2f} s; turns in flight at the signal that finished: {in_flight_ok}, "
              f"that failed: {in_flight_lost}; refused after it (listener closed): {refused_after}")
        print(f"reminders after shutdown: {statuses} (claimed must be 0: leases handed back); connector accepted {sent_proactive.get('accepted')}")
        if bad is not None:
            print(f"bad input during the run: {dict(sorted(bad.statuses.items()))}")
            print(f"  {bad.floods} floods of 40 messages from one user: replies {sent_proactive.get('flood_cards', 0)} answers (cards) "
                  f"and {sent_proactive.get('flood_texts', 0)} plain texts (the polite »slow down«: the per-user bucket holds 30 and refills one every 2 s)")
        print(f"load average after: {load_average()}")
        return 0 if code == 0 and in_flight_lost == 0 and statuses.get("claimed", 0) == 0 else 1
    finally:
        for proc in (load, bot):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        connector.send_signal(signal.SIGTERM)
        connector.wait(timeout=20)
        if pg_name:
            asyncio.run(drop_postgres_database(server, pg_name))
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"logs in {tmp}")




if __name__ == "__main__":
    raise SystemExit(main())
