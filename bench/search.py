"""Latency of the knowledge search: p50/p99 per query.

Run from the project root:  .venv/bin/python bench/search.py [--rounds N]

Two knowledge bases:

* the real one (knowledge/data/kb), and
* the real one scaled to 5,000 entries: synthetic entries made by varying the real ones
  (questions reshuffled, words dropped, swapped and borrowed from other entries, and
  new compound words, so the vocabulary grows as a real, larger knowledge base would).

Queries: every question in tests/data/questions.tsv plus every entry's title and
question variants. Each is timed twice: "cold" with the searcher's word cache emptied
before every query (the worst case: nothing is memoised) and "warm" (steady state, the
cache filled by earlier queries as in a running bot). Wall-clock time is what a user
waits; per-query CPU time (this thread's CPU clock) is also shown because it is not
inflated when other processes compete for the CPUs (the load average is printed). Not a
test; prints a table.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.kb import Entry, KnowledgeBase  # noqa: E402
from knowledge.search import Searcher, Synonyms  # noqa: E402

QUESTIONS = ROOT / "tests" / "data" / "questions.tsv"
SCALED_SIZE = 5000


def load_queries(kb: KnowledgeBase) -> list[str]:
    queries: list[str] = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("question\t"):
            queries.append(line.split("\t")[0])
    for entry in kb:
        queries.append(entry.title)
        queries.extend(entry.questions)
    return queries


def _vary(text: str, rng: random.Random, borrowed: Sequence[str], new_word: str) -> str:
    words = text.rstrip("?").split()
    if len(words) > 3 and rng.random() < 0.5:
        del words[rng.randrange(len(words))]
    if len(words) > 2 and rng.random() < 0.5:
        i, j = rng.sample(range(len(words)), 2)
        words[i], words[j] = words[j], words[i]
    if borrowed and rng.random() < 0.5:
        words.insert(rng.randrange(len(words) + 1), rng.choice(borrowed))
    if rng.random() < 0.6:
        words.append(new_word)
    return " ".join(words) + "?"


def scaled_kb(kb: KnowledgeBase, size: int, seed: int = 7) -> KnowledgeBase:
    """``kb`` plus synthetic variations of its entries, ``size`` entries in all."""
    rng = random.Random(seed)
    real = list(kb.entries)
    vocabulary = sorted({w.strip("?,.»«").lower() for e in real for q in e.questions for w in q.split() if len(w) > 4})
    entries: list[Entry] = list(real)
    for n in range(size - len(real)):
        base = real[n % len(real)]
        other = real[rng.randrange(len(real))]
        borrowed = [w for q in other.questions for w in q.rstrip("?").split() if len(w) > 4]
        # a made-up compound, so the vocabulary keeps growing (as a bigger KB's would)
        new_word = rng.choice(vocabulary) + rng.choice(vocabulary)
        questions = [_vary(q, rng, borrowed, new_word) for q in rng.sample(base.questions, k=min(len(base.questions), rng.randint(4, 8)))]
        entries.append(
            replace(
                base,
                id=f"{base.id}-s{n}",
                title=_vary(base.title, rng, borrowed, new_word),
                questions=tuple(questions),
                keywords=tuple(rng.sample(base.keywords, k=min(len(base.keywords), 5))),
                related=(),
            )
        )
    return KnowledgeBase(entries)


def measure(
    searcher: Searcher, queries: Sequence[str], rounds: int, cold: bool
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per query."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for query in queries:
            if cold:
                searcher._cache.clear()  # the bench wants the worst case
            start_cpu = time.thread_time()
            start = time.perf_counter()
            searcher.search(query)
            wall.append((time.perf_counter() - start) * 1000.0)
            cpu.append((time.thread_time() - start_cpu) * 1000.0)
    return wall, cpu


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the queries (default 3)")
    args = parser.parse_args(argv)

    synonyms = Synonyms.load()
    kb = KnowledgeBase.load()
    queries = load_queries(kb)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    out = sys.stdout
    out.write(
        f"queries: {len(queries)} distinct texts x {args.rounds} rounds per row; "
        f"{os.cpu_count()} CPUs, load average {load:.2f}\n"
    )
    out.write(
        f"{'knowledge base':<30}{'mode':<6}{'queries':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'max ms':>8}{'cpu p50':>9}{'cpu p99':>9}{'build s':>9}\n"
    )
    for label, base in (("real", kb), (f"scaled ({SCALED_SIZE:,})", None)):
        started = time.perf_counter()
        knowledge = base if base is not None else scaled_kb(kb, SCALED_SIZE)
        searcher = Searcher(knowledge, synonyms)
        build = time.perf_counter() - started
        name = f"{label}: {len(knowledge):,} entries"
        gc.collect()
        for cold in (True, False):
            searcher.search_many(queries[:50])  # warm up the interpreter either way
            wall, cpu = measure(searcher, queries, args.rounds, cold)
            out.write(
                f"{name:<30}{'cold' if cold else 'warm':<6}{len(wall):>8}"
                f"{statistics.median(wall):>8.3f}{percentile(wall, 99):>8.3f}{max(wall):>8.3f}"
                f"{statistics.median(cpu):>9.3f}{percentile(cpu, 99):>9.3f}{build:>9.2f}\n"
            )
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
