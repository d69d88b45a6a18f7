"""Monday morning: reminders to a whole municipality fall due while people ask questions.

Run from the project root:  .venv/bin/python bench/monday.py [--reminders 10000 --conversations 2000]

1. A SQLite file (the default database) gets the conversations of one tenant (their
   serviceUrl is the fake connector) and the reminders (bench/fanout.py's plan: 1 % of
   the conversations answer 403, 20 get a burst of 25), due far in the future.
2. The fake connector (bench/fake_connector.py --teams) enforces the Teams windows per
   conversation and the ~50 sends/s per app and tenant, replies included; it reads the
   tenant of every send from its JSON as Teams does.
3. One ``medbot serve`` (default settings, scheduler tick 1 s). bench/loadgen.py asks
   knowledge questions at a steady rate (--rate turns/s from --users users, real Teams
   JSON of the same tenant): first alone (the first row), then the reminders are made
   due at once and the same load runs during the fan-out (the second row).
4. When every reminder is final the figures are printed: both rows (p50, p99, max,
   errors), reminders delivered per second, the bot's CPU per delivered reminder (its CPU
   during the fan-out minus what the questions and the idle service cost at the rates
   measured before), lost / duplicates / limit violations per conversation and per
   tenant (replies included), sends that named no tenant, and one summary line.

Exits 0 only when the targets hold: p99 during the fan-out ≤ 1.5 × the p99 alone and
≤ 15 ms; CPU per delivered reminder ≤ 2 ms; no second above 50 sends and no tenant or
conversation limit violation; every send names its tenant; 0 lost, 0 duplicates; the
tenant's sends (reminders and replies) during the fan-out at ≥ 80 % of its 50/s. A
benchmark, not a test: it prints its method and figures.

``--bot-root DIR`` runs the bot from another checkout (e.g. ``git archive`` of an earlier
commit) with this checkout's connector and load generator, to measure before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench._procs import (  # noqa: E402
    BENCH,
    PYTHON,
    cpu_seconds,
    free_port,
    load_average,
    medbot_serve_args,
    percentile,
    spawn,
    stop,
    wait_http,
)
from bench.fanout import BLOCKED, TENANT, get_json, plan, prepare  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.reminders.models import ReminderRow  # noqa: E402
from bot.storage.db import Database  # noqa: E402

_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
TEAMS_TENANT_PER_SECOND = 50
LAG_PROBE_MS = 5.0
#: "A few milliseconds": a loop held longer than this shows in the count of the lag line.
LAG_FEW_MS = 5.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=2_000)
    parser.add_argument("--hot-conversations", type=int, default=20)
    parser.add_argument("--hot-reminders", type=int, default=25)
    parser.add_argument("--blocked", type=float, default=0.01)
    parser.add_argument("--rate", type=float, default=20.0, help="questions per second (both rows)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--alone", type=float, default=30.0, help="seconds measured for the first row")
    parser.add_argument("--during", type=float, default=60.0, help="seconds measured for the second row (inside the fan-out)")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle CPU measured first")
    parser.add_argument("--interval", type=float, default=1.0, help="MEDBOT_SCHEDULER_INTERVAL (s)")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--bot-root", default="", help="run the bot from this checkout (default: this one)")
    parser.add_argument("--bot-wrapper", default="", help="a Python script that runs the bot's CLI (arguments: serve ...)")
    parser.add_argument("--no-loop-probe", action="store_true", help="run the bot without bench/loop_probe.py")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


async def make_due(url: str) -> None:
    database = Database(url)
    try:
        now = SystemClock().now()
        async with database.session() as session:
            await session.execute(sa.update(_reminders).values(due_at=now, next_attempt_at=now))
    finally:
        await database.dispose()


async def status_counts(database: Database) -> Counter[str]:
    async with database.session() as session:
        rows = await session.execute(sa.select(_reminders.c.status, sa.func.count()).group_by(_reminders.c.status))
        return Counter({str(status): int(n) for status, n in rows})


def start_loadgen(args: argparse.Namespace, bot_port: int, connector_url: str, duration: float, run_id: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PYTHON, str(BENCH / "loadgen.py"), "--target", f"http://127.0.0.1:{bot_port}/api/messages",
         "--connector", connector_url, "--conversations", str(args.users), "--rate", str(args.rate),
         "--warmup", str(args.warmup), "--duration", str(duration), "--mode", "questions", "--run-id", run_id],
        cwd=str(ROOT), stdout=subprocess.PIPE,
    )


def loadgen_result(proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    out, _ = proc.communicate()
    return json.loads(out.decode().strip().splitlines()[-1])


def read_lags(path: Path) -> list[tuple[float, float]]:
    """(monotonic time, lag in seconds) as bench/loop_probe.py wrote them; empty without a probe."""
    if not path.exists():
        return []
    pairs = (line.split() for line in path.read_text(encoding="utf-8").splitlines())
    return [(float(t), float(lag)) for t, lag in (pair for pair in pairs if len(pair) == 2)]


def lag_line(lags: list[tuple[float, float]], start: float, end: float) -> str:
    values = sorted(max(lag, 0.0) * 1000 for t, lag in lags if start <= t <= end)
    if not values:
        return "no samples"
    over = sum(v > LAG_FEW_MS for v in values)
    return (f"p50 {percentile(values, 50):.2f} / p99 {percentile(values, 99):.2f} / max {values[-1]:.1f} ms, "
            f"{over} of {len(values)} samples over {LAG_FEW_MS:g} ms")


def row(name: str, result: dict[str, Any]) -> str:
    errors = sum(result.get("errors", {}).values())
    return (f"| {name:<30} | {result['p50_ms']:6.1f} ms | {result['p99_ms']:6.1f} ms | {result['max_ms']:6.1f} ms | "
            f"{errors:6d} | {result['turns']:6d} |")


def main() -> int:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="medbot-bench-monday-"))
    try:
        return asyncio.run(run(args, tmp))
    finally:
        if args.keep:
            print(f"logs in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


async def run(args: argparse.Namespace, tmp: Path) -> int:
    bot_root = Path(args.bot_root).resolve() if args.bot_root else ROOT
    conversations, owners = plan(args)
    connector_port = free_port()
    connector_url = f"http://127.0.0.1:{connector_port}/"
    url = f"sqlite+aiosqlite:///{tmp / 'monday.sqlite3'}"
    print(f"bench/monday.py: {len(owners)} reminders in {len(conversations)} conversations of one tenant "
          f"({sum(c.endswith(BLOCKED) for c in conversations)} answer 403); questions at {args.rate:g}/s from {args.users} users; "
          f"bot from {'this checkout' if bot_root == ROOT else bot_root}; load average {load_average()}")
    connector = spawn([PYTHON, str(BENCH / "fake_connector.py"), "--port", str(connector_port), "--teams",
                       f"--blocked-suffixes={BLOCKED}", "--seed", str(args.seed)], log_path=tmp / "connector.log")
    bot = None
    try:
        wait_http(connector_url + "healthz", proc=connector)
        started = time.monotonic()
        far = SystemClock().now() + timedelta(days=30)
        token_conversation = await prepare(url, connector_url, conversations, owners, due=far)
        print(f"prepared in {time.monotonic() - started:.1f} s")
        reachable = {n for n, c in token_conversation.items() if not c.endswith(BLOCKED)}
        bot_port = free_port()
        env = {"MEDBOT_DATABASE_URL": url, "MEDBOT_DATA_DIR": str(tmp / "data"), "MEDBOT_SCHEDULER": "on",
               "MEDBOT_SCHEDULER_INTERVAL": str(args.interval), "MicrosoftAppId": "", "MicrosoftAppPassword": ""}
        if bot_root != ROOT:
            env["PYTHONPATH"] = str(bot_root)
        serve = medbot_serve_args(bot_port)
        lag_file = tmp / "loop-lag.txt"
        if args.bot_wrapper:  # e.g. a script that runs bot.cli.main under a profiler
            serve = [PYTHON, args.bot_wrapper, *serve[3:]]
        elif not args.no_loop_probe:
            serve = [PYTHON, str(BENCH / "loop_probe.py"), str(lag_file), *serve[3:]]
        bot = spawn(serve, env=env, log_path=tmp / "bot.log", cwd=bot_root)
        wait_http(f"http://127.0.0.1:{bot_port}/healthz", timeout=120, proc=bot)

        # Idle CPU (the scheduler ticking over nothing due).
        time.sleep(1.0)
        cpu0, t0 = cpu_seconds(bot.pid), time.monotonic()
        await asyncio.sleep(args.idle)
        idle_rate = (cpu_seconds(bot.pid) - cpu0) / (time.monotonic() - t0)

        # Row 1: the questions alone.
        cpu0, t0 = cpu_seconds(bot.pid), time.monotonic()
        alone = loadgen_result(start_loadgen(args, bot_port, connector_url, args.alone, "alone"))
        alone_span = (t0, time.monotonic())
        questions_rate = (cpu_seconds(bot.pid) - cpu0) / (alone_span[1] - t0)
        before = get_json(connector_url + "stats")
        print(f"row 1 done: bot CPU {questions_rate:.3f} cores with the questions, {idle_rate:.3f} idle; load average {load_average()}")

        # Row 2: the reminders fall due at once, the same questions meanwhile.
        database = Database(url)
        try:
            cpu_start, fanout_start = cpu_seconds(bot.pid), time.monotonic()
            await make_due(url)
            during_proc = start_loadgen(args, bot_port, connector_url, args.during, "during")
            questions_until: float | None = None
            last_print = 0.0
            while True:
                await asyncio.sleep(1.0)
                now = time.monotonic()
                if questions_until is None and during_proc.poll() is not None:
                    questions_until = now
                counts = await status_counts(database)
                open_rows = counts.get("pending", 0) + counts.get("claimed", 0)
                if now - last_print >= 10:
                    print(f"  {now - fanout_start:6.1f} s: statuses {dict(counts)}; load average {load_average()}")
                    last_print = now
                if open_rows == 0:
                    break
                if now - fanout_start > args.timeout:
                    print(f"TIMEOUT after {args.timeout:.0f} s with {open_rows} reminders open")
                    break
            fanout_end = time.monotonic()
            cpu_fanout = cpu_seconds(bot.pid) - cpu_start
            during = loadgen_result(during_proc)
            if questions_until is None:
                questions_until = time.monotonic()
            statuses = await status_counts(database)
        finally:
            await database.dispose()
        stats = get_json(connector_url + "stats")
        deliveries = get_json(connector_url + "deliveries")
        exit_code, _ = stop(bot, signal.SIGTERM, timeout=30)
        bot = None
    finally:
        if bot is not None:
            stop(bot, signal.SIGKILL)
        stop(connector)

    arrivals: dict[int, list[int]] = {}
    for token, _conversation, arrived_ns in deliveries:
        arrivals.setdefault(int(token), []).append(int(arrived_ns))
    delivered = set(arrivals) & reachable
    lost = sorted(reachable - set(arrivals))
    duplicates = sorted(t for t, times in arrivals.items() if len(times) > 1)
    to_blocked = len(set(arrivals) - reachable)
    last = max((min(times) for t, times in arrivals.items() if t in reachable), default=int(fanout_start * 1e9))
    span = max(last / 1e9 - fanout_start, 1e-9)
    per_second = len(delivered) / span
    questions_s = min(questions_until, fanout_end) - fanout_start
    overhead = questions_rate * questions_s + idle_rate * max(span - questions_s, 0.0)
    cpu_per_reminder_ms = (cpu_fanout - overhead) / max(len(delivered), 1) * 1000
    tenant_sends = stats.get("accepted", 0) - before.get("accepted", 0)
    tenant_rate = tenant_sends / span
    tenants: dict[str, dict[str, int]] = stats.get("tenants", {})

    print()
    print(f"| {'':<30} | {'p50':>9} | {'p99':>9} | {'max':>9} | {'errors':>6} | {'turns':>6} |")
    print(row("questions alone", alone))
    print(row("questions during the fan-out", during))
    print(f"reminders: {len(delivered)} of {len(reachable)} reachable delivered in {span:.1f} s ({per_second:.1f}/s); "
          f"{to_blocked} to blocked conversations; statuses {dict(statuses)}")
    print(f"tenant sends during the fan-out (reminders and replies): {tenant_sends} in {span:.1f} s ({tenant_rate:.1f}/s)")
    print(f"bot CPU during the fan-out: {cpu_fanout:.1f} s ({cpu_fanout / span:.2f} cores); minus questions "
          f"({questions_rate:.3f} cores for {questions_s:.0f} s) and idle ({idle_rate:.3f} cores): "
          f"{cpu_per_reminder_ms:.2f} ms per delivered reminder")
    print(f"lost {len(lost)}, duplicates {len(duplicates)}; per-conversation limit violations {stats.get('limit_violations', 0)}, "
          f"per-tenant violations {stats.get('tenant_limit_violations', 0)}; sends naming no tenant {stats.get('sends_without_tenant', 0)}")
    for tenant, figures in sorted(tenants.items()):
        print(f"  tenant {tenant}: accepted {figures.get('accepted', 0)} (replies and other {figures.get('other', 0)}), "
              f"peak {figures.get('peak_per_second', 0)}/s, seconds over 50: {figures.get('seconds_over_50', 0)}, "
              f"violations {figures.get('violations', 0)}")
    lags = read_lags(lag_file)
    if lags:
        print(f"event loop lag (a {LAG_PROBE_MS:g} ms timer on the bot's loop, bench/loop_probe.py): "
              f"questions alone {lag_line(lags, *alone_span)}; during the fan-out {lag_line(lags, fanout_start, fanout_end)}")
    print(f"bot exit on SIGTERM: {exit_code}; load average after: {load_average()}")

    errors = sum(alone.get("errors", {}).values()) + sum(during.get("errors", {}).values())
    checks = {
        "p99 ≤ 1.5× alone": during["p99_ms"] <= 1.5 * alone["p99_ms"],
        "p99 ≤ 15 ms": during["p99_ms"] <= 15.0,
        "CPU ≤ 2 ms/reminder": cpu_per_reminder_ms <= 2.0,
        "no tenant second over 50": all(f.get("seconds_over_50", 0) == 0 and f.get("violations", 0) == 0 for f in tenants.values()),
        "no conversation violation": not stats.get("limit_violations"),
        "every send names its tenant": not stats.get("sends_without_tenant") and set(tenants) <= {TENANT},
        "0 lost, 0 duplicates": not lost and not duplicates,
        "tenant rate ≥ 80 %": tenant_rate >= 0.8 * TEAMS_TENANT_PER_SECOND,
        "no question errors": errors == 0,
    }
    ok = all(checks.values())
    print(f"SUMMARY: {'OK' if ok else 'NOT OK'} — p99 {alone['p99_ms']:.1f} → {during['p99_ms']:.1f} ms, "
          f"{per_second:.1f} reminders/s, {cpu_per_reminder_ms:.2f} ms CPU/reminder, lost {len(lost)}, dup {len(duplicates)}, "
          f"violations {stats.get('limit_violations', 0)}+{stats.get('tenant_limit_violations', 0)}"
          + ("" if ok else "; failed: " + ", ".join(name for name, good in checks.items() if not good)))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
