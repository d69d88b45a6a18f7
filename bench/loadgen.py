"""The load generator of bench/turns.py (and bench/soak.py), run as its own process.

N conversations each post real Teams message JSON (tests/activities.py) to the bot in
a closed loop: send, wait until the reply has arrived at the fake connector (matched by
replyToId on the connector's /events WebSocket), send the next. A turn's latency is
from just before the POST to the reply's arrival at the connector (both read
CLOCK_MONOTONIC, which is one clock for every process on the machine). Turns that
finish inside the measured window count for turns/s.

Prints one JSON object on stdout.

    python bench/loadgen.py --target http://127.0.0.1:3978/api/messages \
        --connector http://127.0.0.1:3990/ --conversations 20 --duration 10 --mode questions
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._procs import percentile  # noqa: E402
from tests.activities import teams_message  # noqa: E402

log = logging.getLogger("loadgen")

REPLY_TIMEOUT = 30.0


def answered_questions(limit: int = 60) -> list[str]:
    """Questions the knowledge base answers with an entry (no fallback, no other dialog)."""
    from knowledge.intents import Intent, classify
    from knowledge.kb import KnowledgeBase
    from knowledge.search import Searcher

    kb = KnowledgeBase.load()
    searcher = Searcher(kb)
    candidates: list[str] = []
    for line in (ROOT / "tests" / "data" / "questions.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("question\t"):
            continue
        text, _, expected = line.partition("\t")
        if expected.strip() not in ("", "-"):
            candidates.append(text)
    chosen: list[str] = []
    for text in candidates:
        if classify(text).intent is not Intent.QUESTION:
            continue
        result = searcher.search(text)
        if result.entry is not None and not result.fallback:
            chosen.append(text)
        if len(chosen) >= limit:
            break
    return chosen


@dataclass
class Results:
    latencies_ms: list[float] = field(default_factory=list)
    turns_in_window: int = 0
    all_turns: int = 0
    cards: int = 0
    replies: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    records: list[tuple[int, int | None, int | None, str]] | None = None

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def record(self, started: int, answered: int | None, arrived: int | None, outcome: str) -> None:
        if self.records is not None:
            self.records.append((started, answered, arrived, outcome))


class Replies:
    """Futures by replyToId, resolved from the connector's event stream."""

    def __init__(self) -> None:
        self.pending: dict[str, asyncio.Future[tuple[int, bool]]] = {}
        self.unmatched = 0

    def expect(self, reply_to: str) -> asyncio.Future[tuple[int, bool]]:
        future: asyncio.Future[tuple[int, bool]] = asyncio.get_running_loop().create_future()
        self.pending[reply_to] = future
        return future

    async def listen(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            reply_to, arrived, card, _conversation = message.data.split(" ", 3)
            future = self.pending.pop(reply_to, None)
            if future is None or future.done():
                self.unmatched += 1
                continue
            future.set_result((int(arrived), card == "1"))


async def conversation(
    index: int,
    args: argparse.Namespace,
    session: aiohttp.ClientSession,
    replies: Replies,
    texts: list[str],
    window: tuple[int, int],
    stop_at: int,
    results: Results,
) -> None:
    conversation_id = f"a:bench-{args.run_id}-{index}"
    user_id = f"29:bench-{args.run_id}-user-{index}"
    turn = index
    # Paced (--rate): this conversation sends every `period` ns, starting at a staggered offset.
    period = int(args.conversations / args.rate * 1e9) if args.rate else 0
    next_send = time.monotonic_ns() + (period * index // max(args.conversations, 1))
    while time.monotonic_ns() < stop_at:
        if period:
            delay = next_send - time.monotonic_ns()
            if delay > 0:
                await asyncio.sleep(delay / 1e9)
            next_send = max(next_send + period, time.monotonic_ns() - period)
            if time.monotonic_ns() >= stop_at:
                break
        text = texts[turn % len(texts)]
        turn += 1
        activity = teams_message(args.connector, text, conversation_id=conversation_id, user_id=user_id)
        body = json.dumps(activity).encode()
        future = replies.expect(activity["id"])
        started = time.monotonic_ns()
        try:
            async with session.post(args.target, data=body, headers={"Content-Type": "application/json"}) as response:
                await response.read()
                status = response.status
            answered = time.monotonic_ns()
        except (TimeoutError, aiohttp.ClientError) as exc:
            results.error(type(exc).__name__)
            results.record(started, None, None, type(exc).__name__)
            replies.pending.pop(activity["id"], None)
            continue
        if status not in (200, 201, 202):
            results.error(f"HTTP {status}")
            results.record(started, answered, None, f"HTTP {status}")
            replies.pending.pop(activity["id"], None)
            continue
        try:
            arrived, card = await asyncio.wait_for(future, REPLY_TIMEOUT)
        except TimeoutError:
            results.error("no reply")
            results.record(started, answered, None, "no reply")
            replies.pending.pop(activity["id"], None)
            continue
        results.record(started, answered, arrived, "ok")
        results.all_turns += 1
        if window[0] <= started and arrived <= window[1]:
            results.latencies_ms.append((arrived - started) / 1e6)
            results.turns_in_window += 1
            results.replies += 1
            results.cards += int(card)


async def run(args: argparse.Namespace) -> dict[str, object]:
    texts = answered_questions() if args.mode == "questions" else [f"echo {i}" for i in range(50)]
    if not texts:
        raise SystemExit("no questions to ask")
    timeout = aiohttp.ClientTimeout(total=REPLY_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=max(args.conversations * 2, 10))
    replies = Replies()
    results = Results(records=[] if args.records else None)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        async with session.ws_connect(args.connector.rstrip("/") + "/events", heartbeat=None) as ws:
            listener = asyncio.create_task(replies.listen(ws))
            now = time.monotonic_ns()
            window = (now + int(args.warmup * 1e9), now + int((args.warmup + args.duration) * 1e9))
            stop_at = window[1]
            await asyncio.gather(
                *(conversation(i, args, session, replies, texts, window, stop_at, results) for i in range(args.conversations))
            )
            listener.cancel()
    if args.records and results.records is not None:
        with open(args.records, "w", encoding="utf-8") as out:
            for started, answered, arrived, outcome in results.records:
                out.write(f"{started} {answered if answered is not None else '-'} {arrived if arrived is not None else '-'} {outcome}\n")
    latencies = sorted(results.latencies_ms)
    return {
        "conversations": args.conversations,
        "duration_s": args.duration,
        "turns": results.turns_in_window,
        "all_turns": results.all_turns,
        "turns_per_s": results.turns_in_window / args.duration,
        "p50_ms": percentile(latencies, 50),
        "p90_ms": percentile(latencies, 90),
        "p99_ms": percentile(latencies, 99),
        "max_ms": latencies[-1] if latencies else None,
        "card_replies": results.cards,
        "errors": results.errors,
        "unmatched_replies": replies.unmatched,
        "questions": len(texts),
        "rate": args.rate,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="the bot's /api/messages URL")
    parser.add_argument("--connector", required=True, help="the fake connector's URL (becomes the serviceUrl)")
    parser.add_argument("--conversations", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured")
    parser.add_argument("--mode", choices=("questions", "echo"), default="questions")
    parser.add_argument("--run-id", default="r", help="makes the conversation ids of a run unique")
    parser.add_argument("--rate", type=float, default=0.0, help="paced: turns/s in total (0: closed loop, as fast as replies come)")
    parser.add_argument("--records", default="", help="one line per turn: start_ns http_answer_ns|- reply_arrival_ns|- outcome")
    return parser.parse_args(argv)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    args = parse_args()
    print(json.dumps(asyncio.run(run(args))), flush=True)


if __name__ == "__main__":
    main()
