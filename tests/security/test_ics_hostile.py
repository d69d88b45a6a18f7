""".ics files that cannot be imported are refused whole, with a Danish sentence, never a traceback.

Issue 13, point 10: impossible dates, ``RRULE:FREQ=BOGUS``, a bad UNTIL or EXDATE and the
year 0001 ended in a Python traceback; nothing capped the expansion (400 daily-recurring
events did not finish in 60 s; 60,000 events took 40 s and 347 MB).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.reminders import calendar_cli
from bot.reminders.ics import MAX_EVENTS, IcsError, parse_ics
from bot.reminders.models import CalendarEventRow
from bot.settings import Settings
from bot.storage.db import Database
from dialogs import texts

UNTIL = datetime(2028, 1, 1, tzinfo=UTC)


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DA\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


def event(uid: str, *lines: str, summary: str = "Møde i HovedMED") -> str:
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{summary}\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"


GOOD = event("god@test", "DTSTART:20270211T130000", "DTEND:20270211T150000", summary="Et godt møde")

HOSTILE = {
    "30 February": (["DTSTART:20270230T100000"], texts.ICS_BAD_START),
    "month 13": (["DTSTART:20271301T100000"], texts.ICS_BAD_START),
    "hour 25": (["DTSTART:20270101T250000"], texts.ICS_BAD_START),
    "year 0001": (["DTSTART:00010101T100000"], texts.ics_year_out_of_range(1, 1900, 2200)),
    "year 0001 as a date": (["DTSTART;VALUE=DATE:00010101"], texts.ics_year_out_of_range(1, 1900, 2200)),
    "year 9999 in UTC": (["DTSTART:99991231T230000Z"], texts.ics_year_out_of_range(9999, 1900, 2200)),
    "impossible end": (["DTSTART:20270101T100000", "DTEND:20270132T100000"], texts.ICS_BAD_END),
    "broken duration": (["DTSTART:20270101T100000", "DURATION:PXYZ"], texts.ICS_BAD_DURATION),
    "FREQ=BOGUS": (["DTSTART:20270101T100000", "RRULE:FREQ=BOGUS"], texts.ICS_BAD_RRULE),
    "no FREQ": (["DTSTART:20270101T100000", "RRULE:COUNT=3"], texts.ICS_BAD_RRULE),
    "bad BYDAY": (["DTSTART:20270101T100000", "RRULE:FREQ=WEEKLY;BYDAY=XX"], texts.ICS_BAD_RRULE),
    "bad UNTIL": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;UNTIL=2027XX01"], texts.ICS_BAD_UNTIL),
    "impossible UNTIL": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;UNTIL=20271340T000000Z"], texts.ICS_BAD_UNTIL),
    "UNTIL in year 0001": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;UNTIL=00010101"], texts.ics_year_out_of_range(1, 1900, 2200)),
    "bad COUNT": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;COUNT=-1"], texts.ICS_BAD_COUNT),
    "INTERVAL=0 (dateutil would loop for ever)": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;INTERVAL=0"], texts.ICS_BAD_INTERVAL),
    "every second": (["DTSTART:20270101T100000", "RRULE:FREQ=SECONDLY"], texts.ics_too_frequent("SECONDLY")),
    "30 February every year": (["DTSTART:19000101T100000", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"], texts.ICS_RULE_NO_DATES),
    "impossible EXDATE": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE:20271399T100000"], texts.ICS_BAD_EXDATE),
    "EXDATE in year 0001": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE:00010101T100000"], texts.ics_year_out_of_range(1, 1900, 2200)),
    "garbage EXDATE": (["DTSTART:20270101T100000", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE:garbage"], texts.ICS_BAD_EXDATE),
    "impossible RECURRENCE-ID": (["DTSTART:20270101T100000", "RECURRENCE-ID:2027"], texts.ICS_BAD_RECURRENCE_ID),
}


@pytest.mark.parametrize("lines, problem", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_broken_event_refuses_the_file_with_a_danish_sentence(lines: list[str], problem: str) -> None:
    with pytest.raises(IcsError) as refused:
        parse_ics(calendar(GOOD, event("ond@test", *lines)), org="jammerbugt", committee=None, source="x", expand_until=UNTIL)
    assert str(refused.value) == texts.ics_event_unreadable("Møde i HovedMED", problem)


def test_four_hundred_daily_series_are_refused_at_the_cap() -> None:
    data = calendar(*(event(f"serie-{i}@test", "DTSTART:20270101T100000", "RRULE:FREQ=DAILY") for i in range(400)))
    with pytest.raises(IcsError) as refused:
        parse_ics(data, org="jammerbugt", committee=None, source="x", expand_until=UNTIL)
    assert str(refused.value) == texts.ics_too_many_events(MAX_EVENTS)


def test_sixty_thousand_events_are_refused_before_they_are_parsed() -> None:
    data = calendar(*(event(f"e{i}@test", "DTSTART:20270101T100000") for i in range(60_000)))
    with pytest.raises(IcsError) as refused:
        parse_ics(data, org="jammerbugt", committee=None, source="x", expand_until=UNTIL)
    assert str(refused.value) == texts.ics_too_many_events(MAX_EVENTS)


def test_a_rule_that_never_matches_is_given_up_in_time() -> None:
    """Monday number six of a month never comes: dateutil would search until the year 9999."""
    data = calendar(event("aldrig@test", "DTSTART:19000101T100000", "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6"))
    with pytest.raises(IcsError) as refused:
        parse_ics(data, org="jammerbugt", committee=None, source="x", expand_until=UNTIL, expand_seconds=0.01)
    assert str(refused.value) == texts.ics_event_unreadable("Møde i HovedMED", texts.ICS_RULE_TOO_SLOW)


def test_a_long_series_is_cut_with_a_note() -> None:
    parsed = parse_ics(
        calendar(event("dagligt@test", "DTSTART:20200101T100000", "RRULE:FREQ=DAILY")),
        org="jammerbugt", committee=None, source="x", expand_until=UNTIL,
    )
    assert len(parsed.events) == 500
    assert parsed.skipped == [texts.ics_series_truncated("Møde i HovedMED", 500)]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}", data_dir=tmp_path, org="jammerbugt")


async def _imported(settings: Settings, source_name: str) -> int:
    database = Database(settings.db_url)
    try:
        async with database.session() as session:
            table = CalendarEventRow.__table__
            return int(
                (
                    await session.execute(
                        sa.select(sa.func.count()).select_from(table).where(table.c.source.contains(source_name))
                    )
                ).scalar_one()
            )
    finally:
        await database.dispose()


async def test_the_cli_says_why_and_imports_nothing(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "hovedmed.ics"
    bad.write_bytes(calendar(GOOD, event("ond@test", "DTSTART:20270101T100000", "RRULE:FREQ=BOGUS")))
    args = argparse.Namespace(action="import", file=bad, committee="HovedMED", kind="meeting")
    assert await calendar_cli.main(args, settings) == 1
    err = capsys.readouterr().err
    reason = texts.ics_event_unreadable("Møde i HovedMED", texts.ICS_BAD_RRULE)
    assert err.strip() == texts.calendar_import_refused("hovedmed.ics", reason)
    assert "Traceback" not in err
    assert await _imported(settings, "hovedmed.ics") == 0  # not even the good event

    bad.write_bytes(b"\xff\xfe garbage \x00\x01")
    assert await calendar_cli.main(args, settings) == 1
    assert texts.ICS_NOT_A_CALENDAR in capsys.readouterr().err
