"""The Danish date layer (knowledge.dates): the phrase table, find_when, format_when, DST."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from knowledge.clock import COPENHAGEN
from knowledge.dates import (
    ERROR_CODES,
    DateParseError,
    ParsedWhen,
    find_when,
    format_when,
    local_datetime,
    parse_when,
)
from knowledge.dates_fallback import fallback_parse

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "tests" / "data" / "date_phrases.tsv"

SUNDAY = datetime(2026, 11, 22, 10, 0, tzinfo=COPENHAGEN)  # ISO week 47
WEDNESDAY = datetime(2027, 3, 24, 16, 30, tzinfo=COPENHAGEN)  # DST starts Sunday 28 March


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_dates", ROOT / "bench" / "dates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_dates", module)
    spec.loader.exec_module(module)
    return module


def _iso(parsed: ParsedWhen) -> str:
    if isinstance(parsed.value, datetime):
        return parsed.value.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")
    return parsed.value.isoformat()


# --- the phrase table ----------------------------------------------------------------


def test_table_is_big_enough_and_well_formed() -> None:
    rows = _bench().load_rows(TABLE)
    assert len(rows) >= 150
    assert len({row.now for row in rows}) >= 2
    for row in rows:
        if row.expected.startswith("ERROR:"):
            assert row.expected[6:] in ERROR_CODES, row
        elif "T" in row.expected:
            datetime.strptime(row.expected, "%Y-%m-%dT%H:%M")  # noqa: DTZ007 - only the format is checked
        else:
            date.fromisoformat(row.expected)


def test_table_accuracy_at_least_97_percent() -> None:
    bench = _bench()
    rows = bench.load_rows(TABLE)
    failures = [(row, got) for row in rows if (got := bench.ours(row)) != row.expected]
    for row, got in failures:
        print(f"line {row.line}: {row.text!r} expected {row.expected} got {got}")
    accuracy = 1 - len(failures) / len(rows)
    assert accuracy >= 0.97, f"{accuracy:.1%} on {len(rows)} phrases"


def test_core_phrases_all_right() -> None:
    bench = _bench()
    core = [row for row in bench.load_rows(TABLE) if row.core]
    assert len(core) >= 40
    wrong = [(row.text, row.expected, got) for row in core if (got := bench.ours(row)) != row.expected]
    assert wrong == []


def test_we_beat_raw_dateparser_by_far() -> None:
    raw, ours, _ = _bench().score(_bench().load_rows(TABLE))
    print(f"raw dateparser: {raw:.1%} / ours: {ours:.1%}")
    assert ours - raw >= 0.5


# --- single rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("på tirsdag", "2026-11-24"),
        ("næste tirsdag", "2026-11-24"),  # the first Tuesday after today
        ("næste søndag", "2026-11-29"),  # never today
        ("denne søndag", "2026-11-22"),  # today included
        ("tirsdag i næste uge", "2026-11-24"),  # next ISO week
        ("halv ti i morgen", "2026-11-23T09:30"),  # halv = half *before*
        ("kl 3 i morgen", "2026-11-23T15:00"),  # 1-6 means afternoon
        ("kl 03 i morgen", "2026-11-23T03:00"),  # a leading zero is literal
        ("kl 3 om natten i morgen", "2026-11-23T03:00"),
        ("5/6", "2027-06-05"),  # day/month, never month/day
        ("den 31.", "2026-12-31"),  # November has no 31st
        ("ultimo februar", "2027-02-28"),
        ("uge 53", "2026-12-28"),
    ],
)
def test_documented_rules(text: str, expected: str) -> None:
    assert _iso(parse_when(text, SUNDAY)) == expected


def test_result_types_and_zone() -> None:
    with_time = parse_when("i morgen kl. 9", SUNDAY)
    assert with_time.has_time and isinstance(with_time.value, datetime)
    assert with_time.value.tzinfo is COPENHAGEN
    day_only = parse_when("i morgen", SUNDAY)
    assert not day_only.has_time and type(day_only.value) is date
    assert day_only.at(time(9, 0)) == datetime(2026, 11, 23, 9, 0, tzinfo=COPENHAGEN)
    assert with_time.at(time(12, 0)) == with_time.value


def test_now_in_another_zone_is_converted() -> None:
    utc_now = SUNDAY.astimezone(UTC)  # 09:00 UTC
    assert _iso(parse_when("i dag kl 14", utc_now)) == "2026-11-22T14:00"
    # 23:30 UTC on Saturday is already Sunday 00:30 in Copenhagen.
    late = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    assert _iso(parse_when("i morgen", late)) == "2026-11-23"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_when("i morgen", datetime(2026, 11, 22, 10, 0))  # noqa: DTZ001 - the naive datetime is what is refused


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, SUNDAY)
    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/2", "invalid_date"),
        ("30/2-2028", "invalid_date"),
        ("25:00", "invalid_date"),
        ("i morgen kl 24", "invalid_date"),
        ("kl 9.75", "invalid_date"),
        ("uge 54", "invalid_date"),
        ("uge 53 2027", "invalid_date"),  # 2027 has 52 ISO weeks
        ("i maj", "ambiguous"),
        ("næste måned", "ambiguous"),
        ("fredag 27", "ambiguous"),
        ("i nat", "ambiguous"),
        ("fredag den 28. november", "weekday_mismatch"),
        ("hvornår det passer dig", "unparseable"),
        ("jul", "unparseable"),  # neither July nor Christmas
    ],
)
def test_error_codes(text: str, code: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, SUNDAY)
    assert caught.value.code == code


def test_dateparser_fallback_is_sanity_checked() -> None:
    # dateparser reads "5/6 kl. 13" as the year 2113 and "i morgen kl. 9" without
    # its time; neither may come through the fallback.
    assert fallback_parse("5/6 kl. 13", SUNDAY) is None
    assert fallback_parse("i morgen kl. 9", SUNDAY) is None
    # dateparser reads "en" as the 1st of the month and fills a missing day with today's.
    for text in ("en", "of 13", "jul 14:00", "12.10 december", "tomorrow 3rd", "24 hour"):
        assert fallback_parse(text, SUNDAY) is None, text
    # ... and a sane answer does come through.
    assert fallback_parse("14 December 2026", SUNDAY) == (date(2026, 12, 14), None)
    assert fallback_parse("dec 3, 2026 3pm", SUNDAY) == (date(2026, 12, 3), time(15, 0))


def test_parse_when_uses_the_fallback_last() -> None:
    assert _iso(parse_when("a week from tomorrow", SUNDAY)) == "2026-11-30"
    with pytest.raises(DateParseError) as caught:
        parse_when("jul 14:00", SUNDAY)
    assert caught.value.code == "unparseable"


# --- past --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["i går", "i dag kl. 9", "i mandags", "1/9-2025", "22/11 kl 8"])
def test_past_is_refused(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, SUNDAY)
    assert caught.value.code == "past"
    assert caught.value.parsed is not None  # what was understood, for the message


def test_past_allowed_on_request() -> None:
    assert _iso(parse_when("i går", SUNDAY, allow_past=True)) == "2026-11-21"
    assert _iso(parse_when("i dag kl. 9", SUNDAY, allow_past=True)) == "2026-11-22T09:00"
    parsed = parse_when("1/9-2025", SUNDAY, allow_past=True)
    assert parsed.explicit_year and _iso(parsed) == "2025-09-01"


def test_later_today_and_the_current_minute_are_not_past() -> None:
    assert _iso(parse_when("i dag 14:00", SUNDAY)) == "2026-11-22T14:00"
    assert _iso(parse_when("i dag kl 10", SUNDAY + timedelta(seconds=30))) == "2026-11-22T10:00"
    assert _iso(parse_when("i dag", SUNDAY.replace(hour=23, minute=59))) == "2026-11-22"


def test_yearless_dates_roll_to_next_year_but_today_with_passed_time_is_past() -> None:
    assert _iso(parse_when("21/11", SUNDAY)) == "2027-11-21"
    assert _iso(parse_when("22/11", SUNDAY)) == "2026-11-22"
    with pytest.raises(DateParseError) as caught:
        parse_when("22/11 kl 9", SUNDAY)
    assert caught.value.code == "past"


# --- DST ---------------------------------------------------------------------------


def test_spring_forward_gap_moves_forward() -> None:
    saturday = datetime(2027, 3, 27, 12, 0, tzinfo=COPENHAGEN)
    parsed = parse_when("i morgen kl. 02.30", saturday)
    assert isinstance(parsed.value, datetime)
    assert parsed.value == datetime(2027, 3, 28, 3, 30, tzinfo=COPENHAGEN)
    assert parsed.value.utcoffset() == timedelta(hours=2)
    # Without the leading zero, 2.30 is afternoon (rule 8), which exists.
    assert _iso(parse_when("i morgen kl. 2.30", saturday)) == "2027-03-28T14:30"
    assert _iso(parse_when("i morgen kl. 2.30 om natten", saturday)) == "2027-03-28T03:30"


def test_local_datetime_never_returns_a_nonexistent_time() -> None:
    day = date(2027, 3, 28)
    for minute in range(0, 60, 15):
        moment = local_datetime(day, time(2, minute))
        round_trip = moment.astimezone(UTC).astimezone(COPENHAGEN)
        assert round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)
        assert moment == datetime(2027, 3, 28, 3, minute, tzinfo=COPENHAGEN)


def test_durations_are_real_elapsed_time_across_dst() -> None:
    before_jump = datetime(2027, 3, 28, 1, 30, tzinfo=COPENHAGEN)  # 00:30 UTC
    parsed = parse_when("om 2 timer", before_jump)
    assert isinstance(parsed.value, datetime)
    assert parsed.value.astimezone(UTC) == datetime(2027, 3, 28, 2, 30, tzinfo=UTC)
    assert _iso(parsed) == "2027-03-28T04:30"
    before_fallback = datetime(2026, 10, 25, 1, 30, tzinfo=COPENHAGEN)  # 23:30 UTC
    parsed = parse_when("om 2 timer", before_fallback)
    assert isinstance(parsed.value, datetime)
    assert parsed.value.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert _iso(parsed) == "2026-10-25T02:30"


def test_repeated_autumn_hour_is_the_first_one() -> None:
    saturday = datetime(2026, 10, 24, 12, 0, tzinfo=COPENHAGEN)
    parsed = parse_when("i morgen kl 02:30", saturday)
    assert isinstance(parsed.value, datetime)
    assert parsed.value.utcoffset() == timedelta(hours=2)  # still summer time
    assert parsed.value.fold == 0


def test_at_uses_the_dst_rule() -> None:
    parsed = parse_when("28/3", WEDNESDAY)
    assert parsed.at(time(2, 30)) == datetime(2027, 3, 28, 3, 30, tzinfo=COPENHAGEN)
    assert parsed.at(time(9, 0)).utcoffset() == timedelta(hours=2)


# --- find_when ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected", "matched", "rest"),
    [
        (
            "mind mig om at sende input til KommuneMED i morgen kl. 9",
            "2026-11-23T09:00", "i morgen kl. 9", "sende input til KommuneMED",
        ),
        ("mind mig om det på tirsdag kl. 9", "2026-11-24T09:00", "på tirsdag kl. 9", "det"),
        ("Mind mig om MED-mødet på tirsdag kl. 9", "2026-11-24T09:00", "på tirsdag kl. 9", "MED-mødet"),
        ("mind mig i morgen kl 9 om at ringe til Lise", "2026-11-23T09:00", "i morgen kl 9", "ringe til Lise"),
        ("husk at bestille lokale til AMR-mødet fredag", "2026-11-27", "fredag", "bestille lokale til AMR-mødet"),
        ("påmind mig om budgetfristen d. 3/12 kl 12", "2026-12-03T12:00", "d. 3/12 kl 12", "budgetfristen"),
        ("mind mig om 10 minutter", "2026-11-22T10:10", "om 10 minutter", ""),
        ("mind mig om 2 timer at tage kaffe", "2026-11-22T12:00", "om 2 timer", "tage kaffe"),
        ("remind me to call Bob tomorrow at 9", "2026-11-23T09:00", "tomorrow at 9", "call Bob"),
        ("kan du minde mig om at læse referatet i overmorgen", "2026-11-24", "i overmorgen", "læse referatet"),
        ("mind mig om at læse side 12 i morgen", "2026-11-23", "i morgen", "læse side 12"),
        ("mind mig i morgen 9 om at ringe", "2026-11-23T09:00", "i morgen 9", "ringe"),
        ("mind mig om at forberede mødet uge 34", "2027-08-23", "uge 34", "forberede mødet"),
        ("mind mig ultimo maj om regnskab", "2027-05-31", "ultimo maj", "regnskab"),
        ("sæt en påmindelse om MED-møde næste tirsdag kl 10", "2026-11-24T10:00", "næste tirsdag kl 10", "MED-møde"),
        ("Mind mig om at sende referat til AMR senest fredag kl. 12", "2026-11-27T12:00",
         "senest fredag kl. 12", "sende referat til AMR"),
        ("Ring til HR. I morgen kl 9!", "2026-11-23T09:00", "I morgen kl 9", "Ring til HR"),
        ("mind mig om det halv ti i morgen", "2026-11-23T09:30", "halv ti i morgen", "det"),
        ("mind mig om julefrokosten juleaften", "2026-12-24", "juleaften", "julefrokosten"),
        ("paamind mig om moedet pa torsdag kl 13", "2026-11-26T13:00", "pa torsdag kl 13", "moedet"),
    ],
)
def test_find_when_in_reminder_sentences(sentence: str, expected: str, matched: str, rest: str) -> None:
    found = find_when(sentence, SUNDAY)
    assert found is not None
    parsed, remainder = found
    assert (_iso(parsed), parsed.matched, remainder) == (expected, matched, rest)


@pytest.mark.parametrize(
    "sentence",
    [
        "hvad skal jeg huske",
        "mind mig om mandatet for udvalget",  # "mandat" is not "mandag"
        "mind mig om at man skal huske kaffe",  # "man" alone is not Monday
        "mind mig om at holde pause i 2 timer",  # "i 2 timer" is a duration, not a time
        "mind mig om at ringe til Jan 5 gange",  # "Jan" is a name here
        "mind mig om at det er 3 uger til jul",
        "mind mig om at bestille 5 over 10 pizzaer",
        "mind mig om frokost",
        "mind mig om at sende 1/9-rapporten",
        "husk mødet med Søn af Lise",
    ],
)
def test_find_when_finds_nothing(sentence: str) -> None:
    assert find_when(sentence, SUNDAY) is None


def test_find_when_raises_for_past_and_invalid_and_vague() -> None:
    for sentence, code in [
        ("mind mig om det i går", "past"),
        ("mind mig om det 31/2", "invalid_date"),
        ("mind mig om at søge midler i maj", "ambiguous"),
    ]:
        with pytest.raises(DateParseError) as caught:
            find_when(sentence, SUNDAY)
        assert caught.value.code == code, sentence


def test_find_when_weak_words_count_next_to_a_strong_part() -> None:
    found = find_when("mind mig om budget man kl 9", SUNDAY)
    assert found is not None and _iso(found[0]) == "2026-11-23T09:00"
    found = find_when("jeg har fri fredag, mind mig om at søge ferie", SUNDAY)
    assert found is not None and found[0].matched == "fredag"


# --- format_when -------------------------------------------------------------------


def test_format_when() -> None:
    moment = datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN)
    assert format_when(moment, True) == "tirsdag 24. november 2026 kl. 09.00"
    assert format_when(moment, False) == "tirsdag 24. november 2026"
    assert format_when(date(2027, 3, 28), False) == "søndag 28. marts 2027"
    assert format_when(datetime(2026, 11, 28, 17, 5, tzinfo=UTC), True) == (
        "lørdag 28. november 2026 kl. 18.05"
    )
    assert format_when(date(2027, 6, 5), True) == "lørdag 5. juni 2027"


# --- house rules -------------------------------------------------------------------


def test_date_modules_never_read_the_clock_or_print() -> None:
    for path in (ROOT / "knowledge").glob("dates*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\.now\(|utcnow|\btoday\(\)|\bprint\(", source), path.name
        assert not re.search(r"^\s*(?:from|import)\s+(?:dialogs|bot|botbuilder)\b", source, re.M), path.name


@pytest.mark.parametrize(
    ("text", "repeating"),
    [
        ("mind mig om at sende referat hver mandag kl 9", "hver mandag kl 9"),
        ("remind me to get coffee every day at 9:30", "every day at 9:30"),
        ("tjek postkassen fredag kl 12 ugentligt", "fredag kl 12 ugentligt"),
    ],
)
def test_a_repeating_time_is_refused_and_located(text: str, repeating: str) -> None:
    now = datetime(2026, 11, 22, 10, tzinfo=UTC)
    with pytest.raises(DateParseError) as raised:
        find_when(text, now)
    assert raised.value.code == "recurring"
    assert raised.value.parsed is not None and raised.value.parsed.matched == repeating


def test_a_one_off_time_next_to_hver_elsewhere_is_still_a_time() -> None:
    found = find_when("mind mig om at tjekke hver mappe i morgen kl 9", datetime(2026, 11, 22, 10, tzinfo=UTC))
    assert found is not None and found[0].has_time
