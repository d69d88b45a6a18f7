""".ics import (idempotent, recurring events) and export (round trip with æøå), and the CLI."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.clock import FakeClock
from bot.reminders import calendar_cli
from bot.reminders.ics import IcsError, parse_ics, to_ics
from bot.reminders.service import ReminderService
from bot.reminders.wiring import build_reminder_service
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from knowledge.calendar import EventKind
from knowledge.clock import COPENHAGEN

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
BEGIN:VTIMEZONE
TZID:Romance Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E0080000000010
DTSTART;TZID=Romance Standard Time:20270211T130000
DTEND;TZID=Romance Standard Time:20270211T150000
SUMMARY:Møde i HovedMED – økonomi og arbejdsmiljø
LOCATION:Byrådssalen\\, Åbybro
DESCRIPTION:Dagsorden: budgetopfølgning\\, trivselsmåling og årshjul.
END:VEVENT
BEGIN:VEVENT
UID:frist-2027-03-01@jammerbugt.dk
DTSTART;VALUE=DATE:20270301
DTEND;VALUE=DATE:20270302
SUMMARY:Frist for gode idéer til ForvaltningsMED
END:VEVENT
BEGIN:VEVENT
UID:aflyst@jammerbugt.dk
DTSTART:20270315T090000Z
SUMMARY:Aflyst møde
STATUS:CANCELLED
END:VEVENT
END:VCALENDAR
"""

RECURRING = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//DA
BEGIN:VEVENT
UID:lokalmed-serie@jammerbugt.dk
DTSTART;TZID=Europe/Copenhagen:20270301T140000
DTEND;TZID=Europe/Copenhagen:20270301T153000
RRULE:FREQ=MONTHLY;COUNT=4
EXDATE;TZID=Europe/Copenhagen:20270501T140000
SUMMARY:LokalMED-møde
END:VEVENT
BEGIN:VEVENT
UID:lokalmed-serie@jammerbugt.dk
RECURRENCE-ID;TZID=Europe/Copenhagen:20270401T140000
DTSTART;TZID=Europe/Copenhagen:20270402T100000
DTEND;TZID=Europe/Copenhagen:20270402T113000
SUMMARY:LokalMED-møde (flyttet)
END:VEVENT
END:VCALENDAR
"""


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


@pytest.fixture
def service(database: Database, clock: FakeClock, settings: Settings) -> ReminderService:
    return build_reminder_service(database, clock, settings, ConversationStore(database, clock))


async def test_import_is_idempotent(service: ReminderService) -> None:
    first = await service.import_ics(ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    assert (first.upsert.inserted, first.upsert.updated, first.upsert.unchanged) == (2, 0, 0)
    assert first.skipped == ("Aflyst møde: aflyst",)
    again = await service.import_ics(ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    assert (again.upsert.inserted, again.upsert.updated, again.upsert.unchanged) == (0, 0, 2)
    events = await service.events("HovedMED")
    assert [(e.title, e.local_start, e.all_day, e.committee) for e in events] == [
        ("Møde i HovedMED – økonomi og arbejdsmiljø", local(2027, 2, 11, 13, 0), False, "HovedMED"),
        ("Frist for gode idéer til ForvaltningsMED", local(2027, 3, 1, 0, 0), True, "HovedMED"),
    ]
    assert events[0].location == "Byrådssalen, Åbybro"
    assert "hovedmed.ics" in events[0].source


def test_recurring_events_are_expanded_with_exceptions() -> None:
    parsed = parse_ics(
        RECURRING, org="jammerbugt", committee="LokalMED", kind=EventKind.MEETING, source="test",
        expand_until=datetime(2028, 1, 1, tzinfo=UTC),
    )
    assert [(e.title, e.local_start) for e in parsed.events] == [
        ("LokalMED-møde", local(2027, 3, 1, 14, 0)),
        ("LokalMED-møde (flyttet)", local(2027, 4, 2, 10, 0)),  # moved occurrence, summer time
        ("LokalMED-møde", local(2027, 6, 1, 14, 0)),  # 1 May is an EXDATE
    ]
    assert len({e.uid for e in parsed.events}) == 3
    assert all(e.ends_at - e.starts_at == timedelta(minutes=90) for e in parsed.events)


def test_invalid_files_are_refused() -> None:
    with pytest.raises(IcsError):
        parse_ics(b"dette er ikke en kalender", org="x", committee=None, source="x", expand_until=datetime(2028, 1, 1, tzinfo=UTC))


async def test_export_round_trip_keeps_danish_letters(service: ReminderService, clock: FakeClock) -> None:
    await service.sync_seed_calendars()
    await service.import_ics(ICS.encode(), committee="HovedMED", source_name="hovedmed.ics")
    data = await service.export_ics()
    calendar = Calendar.from_ical(data)
    events = {str(e.get("UID")): e for e in calendar.walk("VEVENT")}
    meeting = events["040000008200E00074C5B7101A82E0080000000010"]
    assert str(meeting.get("SUMMARY")) == "Møde i HovedMED – økonomi og arbejdsmiljø"
    assert str(meeting.get("LOCATION")) == "Byrådssalen, Åbybro"
    assert meeting.decoded("DTSTART") == local(2027, 2, 11, 13, 0)
    deadline = events["frist-2027-03-01@jammerbugt.dk"]
    assert deadline.decoded("DTSTART") == date(2027, 3, 1)
    assert deadline.decoded("DTEND") == date(2027, 3, 2)
    # Seed events are exported with their source.
    phase = events["jammerbugt-budget-2026-udmoentning@medbot"]
    assert str(phase.get("SUMMARY")) == "Udmøntning og evaluering (november–december)"
    assert "Kilde: Jammerbugt Kommune: Drejebog" in str(phase.get("DESCRIPTION"))
    history = events["medsamarbejdet-2024-04-04-naestformandsmoede@medbot"]
    assert str(history.get("LOCATION")) == "Fredericia"

    # Importing the export again (elsewhere) gives the same events.
    reparsed = parse_ics(
        data, org="jammerbugt", committee="HovedMED", source="export", expand_until=clock.now() + timedelta(days=400)
    )
    by_uid = {e.uid: e for e in reparsed.events}
    assert by_uid["040000008200E00074C5B7101A82E0080000000010"].title == "Møde i HovedMED – økonomi og arbejdsmiljø"
    assert by_uid["040000008200E00074C5B7101A82E0080000000010"].starts_at == local(2027, 2, 11, 13, 0)
    assert by_uid["frist-2027-03-01@jammerbugt.dk"].all_day


def test_to_ics_is_valid_utf8(clock: FakeClock) -> None:
    data = to_ics([], now=clock.now(), name="MED-kalender – HovedMEDs møder")
    assert "HovedMEDs møder" in data.decode("utf-8")


async def test_cli_import_export_list(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "hovedmed.ics"
    source.write_text(ICS, encoding="utf-8")
    args = argparse.Namespace(action="import", file=source, committee="HovedMED", kind="meeting")
    assert await calendar_cli.main(args, settings) == 0
    assert "2 nye, 0 ændrede, 0 uændrede" in capsys.readouterr().out
    assert await calendar_cli.main(args, settings) == 0
    assert "0 nye, 0 ændrede, 2 uændrede" in capsys.readouterr().out

    assert await calendar_cli.main(argparse.Namespace(action="list", committee="HovedMED", all=False), settings) == 0
    listing = capsys.readouterr().out
    assert "torsdag 11. februar 2027 kl. 13.00: Møde i HovedMED – økonomi og arbejdsmiljø [HovedMED] – Byrådssalen, Åbybro" in listing

    output = tmp_path / "ud.ics"
    export = argparse.Namespace(action="export", committee="HovedMED", upcoming=True, output=output)
    assert await calendar_cli.main(export, settings) == 0
    exported = Calendar.from_ical(output.read_bytes())
    assert sorted(str(e.get("SUMMARY")) for e in exported.walk("VEVENT")) == [
        "Frist for gode idéer til ForvaltningsMED",
        "Møde i HovedMED – økonomi og arbejdsmiljø",
    ]
    assert await calendar_cli.main(argparse.Namespace(action="list", committee="medsamarbejdet", all=True), settings) == 0
    assert "Fredericia" in capsys.readouterr().out

    broken = tmp_path / "broken.ics"
    broken.write_text("ikke en kalender", encoding="utf-8")
    bad = argparse.Namespace(action="import", file=broken, committee="HovedMED", kind="meeting")
    assert await calendar_cli.main(bad, settings) == 1
