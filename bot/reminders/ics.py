"""iCalendar (.ics) import and export of MED calendars, with the ``icalendar`` library.

Import reads every VEVENT: UID (or a stable hash of summary and start when a file has
none), SUMMARY, DTSTART/DTEND or DURATION, LOCATION, DESCRIPTION. Dates without a
time are all-day events; times without a zone ("floating") are Danish time.
Recurring events (RRULE, with EXDATE and RECURRENCE-ID overrides) are expanded into
single events up to ``expand_until``, each with the uid ``<UID>#<start in UTC>`` –
so importing the same file twice changes nothing. Cancelled events are skipped.

Export writes one VEVENT per event (all-day events as DATE values), the source in
the description, so the calendar can be opened in Outlook.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar, Event

from dialogs import texts
from knowledge.calendar import COPENHAGEN, CalendarEvent, EventKind

__all__ = ["IcsError", "IcsImport", "parse_ics", "to_ics"]

log = logging.getLogger(__name__)

MAX_OCCURRENCES = 500
PRODID = "-//MED-bot//MED-kalender//DA"


class IcsError(ValueError):
    """The file is not an iCalendar file MED-bot can read."""


@dataclass
class IcsImport:
    events: list[CalendarEvent] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _aware(value: date | datetime) -> tuple[datetime, bool]:
    """(aware datetime, all_day) for a DTSTART/DTEND value."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return value.replace(tzinfo=COPENHAGEN), False
        return value, False
    return datetime.combine(value, time(0), tzinfo=COPENHAGEN), True


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def _uid(component: Any, title: str, start: datetime) -> str:
    uid = _text(component, "UID")
    if uid:
        return uid[:200]
    digest = hashlib.sha1(f"{title}|{start.astimezone(UTC).isoformat()}".encode()).hexdigest()[:24]
    return f"ics-{digest}@medbot"


def _occurrence_uid(uid: str, start: datetime) -> str:
    return f"{uid}#{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _expand(component: Any, start: datetime, all_day: bool, until: datetime) -> list[datetime]:
    """Occurrence starts of a recurring event, in Danish wall-clock time (DST-safe)."""
    local_start = start.astimezone(COPENHAGEN).replace(tzinfo=None)
    rules = rruleset()
    rrule_values = component.get("RRULE")
    for value in rrule_values if isinstance(rrule_values, list) else [rrule_values]:
        text = value.to_ical().decode()
        if "UNTIL=" in text:
            # UNTIL in UTC ("...Z") cannot be mixed with a naive dtstart: make it local.
            parts = []
            for part in text.split(";"):
                if part.startswith("UNTIL="):
                    raw = part[6:]
                    if raw.endswith("Z"):
                        moment = datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                        raw = moment.astimezone(COPENHAGEN).strftime("%Y%m%dT%H%M%S")
                    elif len(raw) == 8:
                        raw = raw + "T235959"
                    part = f"UNTIL={raw}"
                parts.append(part)
            text = ";".join(parts)
        rules.rrule(rrulestr(text, dtstart=local_start))  # type: ignore[arg-type]
    exdates = component.get("EXDATE")
    for exdate in exdates if isinstance(exdates, list) else ([exdates] if exdates is not None else []):
        for item in exdate.dts:
            moment, _ = _aware(item.dt)
            rules.exdate(moment.astimezone(COPENHAGEN).replace(tzinfo=None))
    limit = until.astimezone(COPENHAGEN).replace(tzinfo=None)
    starts: list[datetime] = []
    for occurrence in rules:
        if occurrence > limit or len(starts) >= MAX_OCCURRENCES:
            break
        starts.append(occurrence.replace(tzinfo=COPENHAGEN))
    return starts


def parse_ics(
    data: bytes | str,
    *,
    org: str,
    committee: str | None,
    kind: EventKind = EventKind.MEETING,
    topic: str | None = None,
    source: str,
    expand_until: datetime,
) -> IcsImport:
    """Read the events of an .ics file (see the module docstring)."""
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise IcsError(f"not a valid iCalendar file: {exc}") from exc
    if not isinstance(calendar, Calendar):
        raise IcsError("not a valid iCalendar file")
    result = IcsImport()
    overrides: dict[str, Any] = {}
    components = list(calendar.walk("VEVENT"))
    for component in components:
        if component.get("RECURRENCE-ID") is not None:
            recurrence, _ = _aware(component.decoded("RECURRENCE-ID"))
            overrides[_occurrence_uid(_text(component, "UID"), recurrence)] = component
    for component in components:
        if component.get("RECURRENCE-ID") is not None:
            continue
        title = _text(component, "SUMMARY") or texts.CALENDAR_UNTITLED
        if _text(component, "STATUS").upper() == "CANCELLED":
            result.skipped.append(f"{title}: aflyst")
            continue
        if component.get("DTSTART") is None:
            result.skipped.append(f"{title}: intet starttidspunkt")
            continue
        start, all_day = _aware(component.decoded("DTSTART"))
        duration = _duration(component, start, all_day)
        uid = _uid(component, title, start)
        base = {
            "org": org,
            "kind": kind,
            "committee": committee,
            "topic": topic,
            "location": _text(component, "LOCATION"),
            "description": _text(component, "DESCRIPTION"),
            "source": source,
            "all_day": all_day,
        }
        if component.get("RRULE") is None:
            result.events.append(
                CalendarEvent(uid=uid, title=title, starts_at=start, ends_at=start + duration if duration else None, **base)
            )
            continue
        for occurrence in _expand(component, start, all_day, expand_until):
            occurrence_uid = _occurrence_uid(uid, occurrence)
            override = overrides.get(occurrence_uid)
            if override is not None:
                if _text(override, "STATUS").upper() == "CANCELLED":
                    continue
                moved, moved_all_day = _aware(override.decoded("DTSTART"))
                moved_duration = _duration(override, moved, moved_all_day) or duration
                result.events.append(
                    CalendarEvent(
                        uid=occurrence_uid,
                        title=_text(override, "SUMMARY") or title,
                        starts_at=moved,
                        ends_at=moved + moved_duration if moved_duration else None,
                        **{**base, "all_day": moved_all_day, "location": _text(override, "LOCATION") or base["location"]},
                    )
                )
                continue
            result.events.append(
                CalendarEvent(
                    uid=occurrence_uid,
                    title=title,
                    starts_at=occurrence,
                    ends_at=occurrence + duration if duration else None,
                    **base,
                )
            )
    return result


def _duration(component: Any, start: datetime, all_day: bool) -> timedelta | None:
    if component.get("DTEND") is not None:
        end, _ = _aware(component.decoded("DTEND"))
        return end - start if end > start else None
    if component.get("DURATION") is not None:
        value = component.decoded("DURATION")
        return value if isinstance(value, timedelta) and value > timedelta(0) else None
    return timedelta(days=1) if all_day else None


def to_ics(events: Iterable[CalendarEvent], *, now: datetime, name: str) -> bytes:
    """An .ics file with ``events`` (UTF-8; Outlook and Google read it)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now.astimezone(UTC))
        event.add("summary", item.title)
        if item.all_day:
            first = item.starts_at.astimezone(COPENHAGEN).date()
            end = item.ends_at.astimezone(COPENHAGEN).date() if item.ends_at else first + timedelta(days=1)
            event.add("dtstart", first)
            event.add("dtend", max(end, first + timedelta(days=1)))
        else:
            event.add("dtstart", item.starts_at.astimezone(UTC))
            if item.ends_at is not None:
                event.add("dtend", item.ends_at.astimezone(UTC))
        if item.location:
            event.add("location", item.location)
        description = "\n\n".join(part for part in (item.description, f"{texts.SOURCE_PREFIX}: {item.source}" if item.source else "") if part)
        if description:
            event.add("description", description)
        categories = [c for c in (item.committee, item.kind.value) if c]
        if categories:
            event.add("categories", categories)
        calendar.add_component(event)
    return calendar.to_ical()
