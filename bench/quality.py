"""Answer quality of ``medbot ask`` and ``medbot level``: our own tables, then the blind sets.

    .venv/bin/python bench/quality.py

Runs the same functions as ``medbot ask`` / ``medbot level`` (the date table has its
own script, bench/dates.py, which also measures raw dateparser). Three kinds of figure,
printed apart because they mean different things:

* **tuning**: our own tables (tests/data/questions.tsv, level_cases.tsv), written from
  the seeds and tuned on; they say what the bot remembers, not how it meets new text;
* **dev**: blind sets (bench/sets/dev/) whose failures were studied;
* **held-out**: blind sets (bench/sets/heldout/) never studied; figures only.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.levels import decide_level  # noqa: E402
from knowledge.profiles import available_profiles, load_profile  # noqa: E402
from knowledge.search import Searcher  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = ROOT / "bench" / "sets"


def _rows(name: str) -> list[list[str]]:
    """The table's rows, without comments and without a header row."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = csv.reader((line for line in lines if line.strip() and not line.startswith("#")), delimiter="\t")
    return [row for row in rows if row[0] not in ("question", "case")]


def questions() -> None:
    searcher = Searcher(KnowledgeBase.load())
    inside = right = wrong = off = off_ok = 0
    for question, expected, *_ in _rows("questions.tsv"):
        result = searcher.search(question)
        if expected == "-":
            off += 1
            off_ok += result.fallback
            continue
        inside += 1
        got = None if result.fallback or result.entry is None else result.entry.id
        right += got == expected
        wrong += got is not None and got != expected
    print(f"medbot ask:   in-domain {right}/{inside} = {100 * right / inside:.1f} % correct "
          f"({wrong} confidently wrong, {inside - right - wrong} fell back); "
          f"off-topic fallback {off_ok}/{off} = {100 * off_ok / off:.1f} %")


def levels() -> None:
    total = ok = 0
    for org in available_profiles():
        profile = load_profile(org)
        for row in _rows("level_cases.tsv"):
            case, decider, level = row[0], row[1], row[2]
            if "=" in level:
                level = dict(part.split("=", 1) for part in level.split(";"))[profile.id]
            total += 1
            ok += decide_level(case, profile, None if decider == "-" else decider).level == level
    print(f"medbot level: {ok}/{total} = {100 * ok / total:.1f} % right level (cases x profiles)")


def blind_sets() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import blind

    for kind, title in (("dev", "dev (studied)"), ("heldout", "held-out (never studied)")):
        print(f"-- {title}")
        for path in sorted((SETS / kind).glob("questions_*.jsonl")):
            blind.questions(path, details=False)
        for path in sorted((SETS / kind).glob("cases_*.jsonl")):
            blind.cases(path, details=False)


if __name__ == "__main__":
    print("-- tuning (our own tables)")
    questions()
    levels()
    blind_sets()
