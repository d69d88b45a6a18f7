"""Idle memory of ``medbot serve``: RSS after start-up, and again after some traffic.

Run from the project root:  .venv/bin/python bench/rss.py [--repeat 3]

``medbot serve`` is started as in production (default settings, the scheduler on, a
fresh SQLite file); RSS (VmRSS from /proc) is read once it answers /healthz and has
been idle for --settle seconds, then after --turns knowledge-question turns (real Teams
JSON, replies on a local fake connector) and the same idle time again. Target: under
150 MB. Not a test; prints a table.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._procs import BENCH, PYTHON, free_port, load_average, medbot_serve_args, proc_stats, spawn, stop, wait_http  # noqa: E402

TARGET_MB = 150.0


def one_run(args: argparse.Namespace, tmp: Path, run: int, connector: str) -> tuple[float, float, float, int]:
    port = free_port()
    env = {
        "MEDBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / f'rss-{run}.sqlite3'}",
        "MEDBOT_DATA_DIR": str(tmp / f"data-{run}"),
        "MEDBOT_USER_RATE_PER_MINUTE": "100000",
        "MEDBOT_SEND_BUDGET": "100000",  # one tenant: measure the bot, not the Teams limit
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
    }
    proc = spawn(medbot_serve_args(port), env=env, log_path=tmp / f"medbot-{run}.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120, proc=proc)
        time.sleep(args.settle)
        idle = proc_stats(proc.pid).rss_mb
        done = subprocess.run(
            [PYTHON, str(BENCH / "loadgen.py"), "--target", f"http://127.0.0.1:{port}/api/messages", "--connector", connector,
             "--conversations", "20", "--warmup", "0", "--duration", str(args.load_seconds), "--mode", "questions", "--run-id", f"rss{run}"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )
        turns = int(json.loads(done.stdout.strip().splitlines()[-1])["all_turns"])
        busy = proc_stats(proc.pid).rss_mb
        time.sleep(args.settle)
        after = proc_stats(proc.pid).rss_mb
        return idle, busy, after, turns
    finally:
        stop(proc, signal.SIGTERM)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--settle", type=float, default=5.0, help="idle seconds before each reading (default 5)")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="seconds of traffic between the readings (default 10)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="medbot-bench-rss-"))
    connector_port = free_port()
    connector = f"http://127.0.0.1:{connector_port}/"
    connector_proc = spawn([PYTHON, str(BENCH / "fake_connector.py"), "--port", str(connector_port)], log_path=tmp / "connector.log")
    print(f"bench/rss.py: medbot serve, default settings (scheduler on), SQLite; load average {load_average()}")
    rows = []
    try:
        wait_http(connector + "healthz", proc=connector_proc)
        for run in range(1, args.repeat + 1):
            idle, busy, after, turns = one_run(args, tmp, run, connector)
            rows.append((idle, busy, after))
            print(f"  run {run}: idle after start {idle:6.1f} MB | right after {turns} turns {busy:6.1f} MB | idle again {after:6.1f} MB")
    finally:
        stop(connector_proc)
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    idle_after_start = [r[0] for r in rows]
    idle_after_load = [r[2] for r in rows]
    worst = max(idle_after_start + idle_after_load)
    print(f"idle RSS after start: median {statistics.median(idle_after_start):.1f} MB (range {min(idle_after_start):.1f}–{max(idle_after_start):.1f})")
    print(f"idle RSS after traffic: median {statistics.median(idle_after_load):.1f} MB (range {min(idle_after_load):.1f}–{max(idle_after_load):.1f})")
    print(f"target < {TARGET_MB:.0f} MB: {'met' if worst < TARGET_MB else 'NOT met'} (worst {worst:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
