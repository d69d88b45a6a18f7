"""Answer quality on question and case sets written blind from the seeds.

    .venv/bin/python bench/blind.py questions FILE.jsonl [--details]
    .venv/bin/python bench/blind.py cases FILE.jsonl [--details]

The sets are written by people who read only the seed documents, never the knowledge
base, the synonyms or the rules, the way staff type. Each line is one JSON object:

* questions: ``{"id", "org", "text", "answerable", "must": [[alt, ...], ...],
  "must_not": [...]}``. An answerable question is right when the answer (title and
  text) contains one alternative of every ``must`` group and no ``must_not`` word; an
  unanswerable one is right when the bot says it does not know.
* cases: ``{"id", "org", "text", "decider": str | null, "expected"}`` with expected one
  of top, middle, local, not_med, ask.

Without ``--details`` only the figures are printed, so a held-out set can be measured
without its failures being read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.levels import decide_level  # noqa: E402
from knowledge.normalize import fold  # noqa: E402
from knowledge.profiles import load_profile  # noqa: E402
from knowledge.search import Searcher, Synonyms  # noqa: E402

TODAY = datetime.now(ZoneInfo("Europe/Copenhagen")).date()


def _load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _contains(haystack: str, needle: str) -> bool:
    return fold(needle) in haystack


def _searcher_for(org: str, cache: dict[str, Any]) -> Any:
    if org not in cache:
        kb = KnowledgeBase.load()
        try:
            cache[org] = Searcher(kb, Synonyms.load(), org=org)
        except TypeError:  # a searcher that does not know municipalities
            cache[org] = Searcher(kb, Synonyms.load())
    return cache[org]


def questions(path: Path, details: bool) -> int:
    rows = _load(path)
    cache: dict[str, Any] = {}
    inside = right = off = off_ok = wrong_confident = 0
    for row in rows:
        searcher = _searcher_for(row.get("org") or "albertslund", cache)
        try:
            result = searcher.search(row["text"], TODAY)  # as `medbot ask` does
        except TypeError:  # a searcher that does not take a date
            result = searcher.search(row["text"])
        answered = result.entry is not None and not result.fallback and not getattr(result, "unknown_detail", False)
        if not row.get("answerable", True):
            off += 1
            off_ok += not answered
            if details and answered:
                print(f"  ANSWERED {row['id']} [{row.get('org')}] {row['text']!r} -> {result.entry.id}")
            continue
        inside += 1
        text = ""
        if result.entry is not None and not result.fallback:
            text = fold(f"{result.entry.title} {result.entry.answer} {result.entry.municipality or ''}")
        ok = bool(text) and all(any(_contains(text, alt) for alt in group) for group in row.get("must", []))
        ok = ok and not any(_contains(text, word) for word in row.get("must_not", []))
        right += ok
        wrong_confident += bool(text) and not ok
        if details and not ok:
            got = result.entry.id if result.entry is not None and not result.fallback else "FALLBACK"
            print(f"  WRONG {row['id']} [{row.get('org')}] {row['text']!r} -> {got} "
                  f"(must {row.get('must')}, must_not {row.get('must_not')}); fact: {row.get('fact')}")
    print(f"questions {path.name}: answerable {right}/{inside} = {100 * right / max(inside, 1):.1f} % right "
          f"({wrong_confident} confidently wrong); unanswerable {off_ok}/{off} fell back")
    return 0


def cases(path: Path, details: bool) -> int:
    rows = _load(path)
    ok = 0
    by_expected: Counter[str] = Counter()
    ok_by_expected: Counter[str] = Counter()
    for row in rows:
        profile = load_profile(row.get("org") or "albertslund")
        decision = decide_level(row["text"], profile, row.get("decider"))
        good = decision.level == row["expected"]
        ok += good
        by_expected[row["expected"]] += 1
        ok_by_expected[row["expected"]] += good
        if details and not good:
            print(f"  WRONG {row['id']} [{row.get('org')}] {row['text']!r} decider={row.get('decider')!r} -> "
                  f"{decision.level} ({decision.rule}); expected {row['expected']}: {row.get('why')}")
    parts = ", ".join(f"{k} {ok_by_expected[k]}/{v}" for k, v in sorted(by_expected.items()))
    print(f"cases {path.name}: {ok}/{len(rows)} = {100 * ok / max(len(rows), 1):.1f} % right level ({parts})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("questions", "cases"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--details", action="store_true", help="print every miss (never for a held-out set)")
    args = parser.parse_args()
    if args.details and "heldout" in args.file.resolve().parts:
        parser.error("--details would show a held-out set's failures; print its figures only")
    return questions(args.file, args.details) if args.kind == "questions" else cases(args.file, args.details)


if __name__ == "__main__":
    raise SystemExit(main())
