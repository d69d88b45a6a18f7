"""Danish date phrases: our layer against raw dateparser, on tests/data/date_phrases.tsv.

    .venv/bin/python bench/dates.py            # prints "raw dateparser: X % / ours: Y %"
    .venv/bin/python bench/dates.py --failures # also list the rows we get wrong

Raw dateparser gets its fairest settings: Danish and English, day-month order, the same
"now" as ours and a preference for future dates. It scores a row as right when

* the row expects an error and dateparser returns nothing;
* the row expects a date and dateparser's result is on that date (its time is ignored);
* the row expects a date and time and dateparser's result is that minute.

Ours is scored strictly: the same value *and* the same has_time, or the same error code.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge.clock import COPENHAGEN  # noqa: E402
from knowledge.dates import DateParseError, local_datetime, parse_when  # noqa: E402

TABLE = ROOT / "tests" / "data" / "date_phrases.tsv"


@dataclass(frozen=True)
class Row:
    text: str
    expected: str
    core: bool
    now: datetime
    line: int


def load_rows(path: Path = TABLE) -> list[Row]:
    """Read the table: "@now<TAB>ISO" lines set the reference time for the rows below."""
    rows: list[Row] = []
    now: datetime | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if columns[0] == "@now":
            naive = datetime.fromisoformat(columns[1])
            now = local_datetime(naive.date(), naive.time())
            continue
        if now is None or len(columns) < 2:
            raise ValueError(f"{path}:{number}: bad row {line!r}")
        core = len(columns) > 2 and columns[2].strip() == "core"
        rows.append(Row(columns[0], columns[1].strip(), core, now, number))
    return rows


def ours(row: Row) -> str:
    """Our answer for a row, in the table's notation."""
    try:
        parsed = parse_when(row.text, row.now)
    except DateParseError as error:
        return f"ERROR:{error.code}"
    if isinstance(parsed.value, datetime):
        return parsed.value.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")
    return parsed.value.isoformat()


def raw_dateparser_right(row: Row) -> bool:
    import dateparser  # type: ignore[import-untyped]  # dateparser ships no type hints

    result = dateparser.parse(
        row.text,
        languages=["da", "en"],
        settings={
            "RELATIVE_BASE": row.now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
        },
    )
    if row.expected.startswith("ERROR:"):
        return result is None
    if result is None:
        return False
    if "T" in row.expected:
        return bool(result.strftime("%Y-%m-%dT%H:%M") == row.expected)
    return bool(result.date() == date.fromisoformat(row.expected))


def score(rows: list[Row]) -> tuple[float, float, list[tuple[Row, str]]]:
    """(raw dateparser accuracy, our accuracy, our failures)."""
    failures = [(row, got) for row in rows if (got := ours(row)) != row.expected]
    ours_accuracy = 1 - len(failures) / len(rows)
    raw_accuracy = sum(raw_dateparser_right(row) for row in rows) / len(rows)
    return raw_accuracy, ours_accuracy, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--failures", action="store_true", help="list the rows we get wrong")
    args = parser.parse_args(argv)
    rows = load_rows()
    raw, ours_accuracy, failures = score(rows)
    print(f"{len(rows)} phrases ({TABLE.relative_to(ROOT)})")
    print(f"raw dateparser: {raw * 100:.1f} % / ours: {ours_accuracy * 100:.1f} %")
    if args.failures:
        for row, got in failures:
            print(f"  line {row.line}: {row.text!r} expected {row.expected} got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
