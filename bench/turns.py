"""Turns per second and latency of a whole bot turn, MED-bot against the stock SDK echo bot.

Run from the project root:  .venv/bin/python bench/turns.py [--duration 10] [--repeat 3]

Every part is its own process (the machine has 2 cores, so they compete for them, as
they would on a small VM):

* a fake connector (bench/fake_connector.py): the serviceUrl every activity names; it
  accepts the replies and streams "reply to <id> arrived at <t>" to the load generator;
* the bot under test:
  (a) the baseline, botbuilder's stock echo bot (bench/echo_bot.py: CloudAdapter +
      ConfigurationBotFrameworkAuthentication + an ActivityHandler that echoes), and
  (b) MED-bot, ``python -m bot serve`` on a fresh SQLite file with MEDBOT_SCHEDULER=off;
      every turn is a knowledge question: intent, search, an Adaptive Card, the
      conversation reference and dialog state saved in SQLite, the reply posted;
* the load generator (bench/loadgen.py): N conversations in a closed loop, real Teams
  message JSON; a turn ends when its reply (matched by replyToId) reaches the connector.

Measured at 1 and at 20 concurrent conversations; each round runs the baseline and
MED-bot back to back, and ``--repeat`` rounds give a range. The user rate limit
(30 messages a minute per user) is raised for the run (MEDBOT_USER_RATE_PER_MINUTE),
or a closed loop would be measuring the polite "slow down" answer; so is the per-tenant
send budget (MEDBOT_SEND_BUDGET, Teams' ~50 requests/s), as every conversation here is in
one tenant and the budget would otherwise be what is measured (bench/monday.py measures it). Not a test; prints
a table, the ratio and the load average (other work on the machine skews figures).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._procs import BENCH, PYTHON, cpu_seconds, free_port, load_average, medbot_serve_args, spawn, stop, wait_http  # noqa: E402

PACED = -1  # the key of the paced point in the result dicts
TARGET_RATIO = 10.0
TARGET_P99_MS = 50.0


def run_load(
    target: str, connector: str, conversations: int, args: argparse.Namespace, mode: str, run_id: str, server_pid: int,
    rate: float = 0.0,
) -> dict[str, object]:
    command = [
        PYTHON, str(BENCH / "loadgen.py"),
        "--target", target, "--connector", connector,
        "--conversations", str(conversations), "--warmup", str(args.warmup), "--duration", str(args.duration),
        "--mode", mode, "--run-id", run_id, "--rate", str(rate),
    ]
    cpu_before = cpu_seconds(server_pid)
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    cpu = cpu_seconds(server_pid) - cpu_before
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    # The server's CPU over the whole load run (warm-up included), per turn answered in it.
    # Less sensitive to other work on the machine than turns/s.
    result["server_cpu_share"] = cpu / elapsed
    result["server_cpu_ms_per_turn"] = 1000 * cpu / max(int(result["all_turns"]), 1)
    return result


def run_points(
    target: str, connector: str, args: argparse.Namespace, mode: str, run_id: str, server_pid: int
) -> dict[int, dict[str, object]]:
    """Every closed-loop point (``--conversations``), then the paced one."""
    results = {n: run_load(target, connector, n, args, mode, f"{run_id}n{n}", server_pid) for n in args.conversations}
    if args.paced_rate:
        results[PACED] = run_load(target, connector, 20, args, mode, f"{run_id}p", server_pid, args.paced_rate)
    return results


def measure_echo(connector: str, args: argparse.Namespace, tmp: Path, round_no: int) -> dict[int, dict[str, object]]:
    port = free_port()
    proc = spawn([PYTHON, str(BENCH / "echo_bot.py"), "--port", str(port)], log_path=tmp / "echo.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc=proc)
        return run_points(f"http://127.0.0.1:{port}/api/messages", connector, args, "echo", f"e{round_no}", proc.pid)
    finally:
        stop(proc)


def measure_medbot(connector: str, args: argparse.Namespace, tmp: Path, round_no: int) -> dict[int, dict[str, object]]:
    port = free_port()
    data = tmp / f"medbot-{round_no}"
    env = {
        "MEDBOT_DATABASE_URL": f"sqlite+aiosqlite:///{data / 'medbot.sqlite3'}",
        "MEDBOT_DATA_DIR": str(data),
        "MEDBOT_SCHEDULER": "off",
        "MEDBOT_USER_RATE_PER_MINUTE": "100000000",
        # All conversations here are in one tenant; the per-tenant send budget (Teams'
        # ~50 requests/s) would otherwise measure that limit instead of the bot.
        "MEDBOT_SEND_BUDGET": "100000",
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
    }
    proc = spawn(medbot_serve_args(port), env=env, log_path=tmp / "medbot.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120, proc=proc)
        return run_points(f"http://127.0.0.1:{port}/api/messages", connector, args, "questions", f"m{round_no}", proc.pid)
    finally:
        code, seconds = stop(proc)
        if code not in (0, -15):
            print(f"  (medbot serve exited with {code} after SIGTERM, {seconds:.1f} s; see {tmp / 'medbot.log'})")


def fmt(result: dict[str, object]) -> str:
    errors = result["errors"] or {}
    extra = f"  errors {errors}" if errors else ""
    return (
        f"{result['turns_per_s']:8.1f} turns/s  p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms"
        f"  ({result['turns']} turns; server CPU {result['server_cpu_ms_per_turn']:.2f} ms/turn,"
        f" {100 * float(result['server_cpu_share']):.0f}% of a core){extra}"
    )


def span(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.median(values):.1f} (range {min(values):.1f}–{max(values):.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per point (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (each: baseline, then MED-bot)")
    parser.add_argument("--conversations", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--paced-rate", type=float, default=50.0,
                        help="also: 20 conversations at this steady total rate (turns/s), for latency without queueing (0: off)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, database)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="medbot-bench-turns-"))
    print(f"bench/turns.py: {args.repeat} round(s), {args.duration:.0f} s per point after {args.warmup:.0f} s warm-up; load average before: {load_average()}")
    connector_port = free_port()
    connector_proc = spawn([PYTHON, str(BENCH / "fake_connector.py"), "--port", str(connector_port)], log_path=tmp / "connector.log")
    connector = f"http://127.0.0.1:{connector_port}/"
    points = [*args.conversations, *([PACED] if args.paced_rate else [])]
    echo: dict[int, list[dict[str, object]]] = {n: [] for n in points}
    ours: dict[int, list[dict[str, object]]] = {n: [] for n in points}
    try:
        wait_http(connector + "healthz", proc=connector_proc)
        for round_no in range(1, args.repeat + 1):
            print(f"round {round_no}:")
            for n, result in measure_echo(connector, args, tmp, round_no).items():
                echo[n].append(result)
                print(f"  stock echo bot, {label(n, args)}: {fmt(result)}")
            for n, result in measure_medbot(connector, args, tmp, round_no).items():
                ours[n].append(result)
                cards = f"  cards {result['card_replies']}/{result['turns']}"
                print(f"  MED-bot (question), {label(n, args)}: {fmt(result)}{cards}")
    finally:
        stop(connector_proc)
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"logs and databases in {tmp}")

    print()
    print(f"summary (median over {args.repeat} round(s); load average after: {load_average()})")
    ok = True
    for n in args.conversations:
        base = [float(r["turns_per_s"]) for r in echo[n]]
        mine = [float(r["turns_per_s"]) for r in ours[n]]
        ratios = [m / b for m, b in zip(mine, base, strict=True) if b]
        p99 = [float(r["p99_ms"]) for r in ours[n]]
        print(f"  {n:2d} conversation(s):")
        print(f"     baseline (stock CloudAdapter echo): {span(base)} turns/s, p50 {span([float(r['p50_ms']) for r in echo[n]])} ms, p99 {span([float(r['p99_ms']) for r in echo[n]])} ms")
        print(f"     MED-bot knowledge question turn:   {span(mine)} turns/s, p50 {span([float(r['p50_ms']) for r in ours[n]])} ms, p99 {span(p99)} ms")
        print(f"     ratio MED-bot / baseline:          {span(ratios)}×   (target ≥ {TARGET_RATIO:.0f}×)")
        if n == 20:
            ok &= min(ratios) >= TARGET_RATIO and max(p99) < TARGET_P99_MS
            print(f"     p99 target < {TARGET_P99_MS:.0f} ms at 20 conversations: {'met' if max(p99) < TARGET_P99_MS else 'NOT met'}")
    if args.paced_rate:
        print(f"  20 conversations paced at {args.paced_rate:.0f} turns/s in total (latency without queueing):")
        for name, results in (("baseline (stock CloudAdapter echo)", echo[PACED]), ("MED-bot knowledge question turn", ours[PACED])):
            print(f"     {name + ':':36s} {span([float(r['turns_per_s']) for r in results])} turns/s, "
                  f"p50 {span([float(r['p50_ms']) for r in results])} ms, p99 {span([float(r['p99_ms']) for r in results])} ms")
    if 20 in args.conversations:
        print(f"targets at 20 conversations (closed loop): {'met' if ok else 'NOT met'}")
    return 0


def label(n: int, args: argparse.Namespace) -> str:
    return f"20 conv paced at {args.paced_rate:.0f}/s" if n == PACED else f"{n:2d} conv"


if __name__ == "__main__":
    raise SystemExit(main())
