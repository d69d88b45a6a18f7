"""iCalendar (.ics) import and export of MED calendars, with the ``icalendar`` library.

Import reads every VEVENT: UID (or a stable hash of summary and start when a file has
none), SUMMARY, DTSTART/DTEND or DURATION, LOCATION, DESCRIPTION. Dates without a
time are all-day events; times without a zone ("floating") are Danish time.
Recurring events (RRULE, with EXDATE and RECURRENCE-ID overrides) are expanded into
single events up to ``expand_until``, each with the uid ``<UID>#<start in UTC>`` –
so importing the same file twice changes nothing. Cancelled events are skipped.

A file is imported whole or not at all: an event that cannot be read (an impossible
date, a year outside 1900–2200, ``RRULE:FREQ=BOGUS``, a bad UNTIL or EXDATE, INTERVAL=0,
a rule more frequent than daily) refuses the file with :class:`IcsError`, whose text is
a Danish sentence naming the event and the problem; so does a file larger than
:data:`MAX_ICS_BYTES`, one that would give more than :data:`MAX_EVENTS` events once its
recurrences are expanded, and one whose recurrences cannot be worked out within
:data:`EXPAND_SECONDS` (a rule whose BY-parts never match a date).

Export writes one VEVENT per event (all-day events as DATE values), the source in
the description, so the calendar can be opened in Outlook.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any

from dateutil.rrule import rrulebase, rrulestr
from icalendar import Calendar, Component, Event, vRecur

from dialogs import texts
from knowledge.calendar import CalendarEvent, EventKind
from knowledge.clock import COPENHAGEN

__all__ = ["IcsError", "IcsImport", "parse_ics", "to_ics"]

log = logging.getLogger(__name__)

MAX_OCCURRENCES = 500  # of one recurring series (more are left out, with a note)
#: Events one import may give, recurrences counted; a file that gives more is refused.
MAX_EVENTS = 2000
#: The largest .ics file read at all.
MAX_ICS_BYTES = 10 * 1024 * 1024
#: Dates outside these years are refused (year 0001 or 9999 is a broken export, not a meeting).
FIRST_YEAR = 1900
LAST_YEAR = 2200
#: Recurrence frequencies a MED calendar can have (HOURLY and finer are refused).
FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_TOO_FREQUENT = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
#: Seconds one import may spend expanding recurrences (a legitimate file needs far less).
EXPAND_SECONDS = 5.0
PRODID = "-//MED-bot//MED-kalender//DA"

_VEVENT = re.compile(rb"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)
_UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")
#: What a broken file can make icalendar or dateutil raise while it is read.
_READ_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError, AttributeError)


class IcsError(ValueError):
    """The file cannot be imported; ``str()`` is a Danish sentence for the person importing it."""


class _Problem(Exception):
    """One property of one event cannot be used (a :mod:`dialogs.texts` phrase)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


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


def _in_range(moment: date | datetime) -> None:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise _Problem(texts.ics_year_out_of_range(moment.year, FIRST_YEAR, LAST_YEAR))


def _moment(component: Component, name: str, problem: str) -> tuple[datetime, bool]:
    """The aware start of a date/date-time property; :class:`_Problem` when it is not one."""
    try:
        value = component.decoded(name)
    except _READ_ERRORS as exc:
        raise _Problem(problem) from exc
    if not isinstance(value, date):  # icalendar keeps an unreadable value as text
        raise _Problem(problem)
    _in_range(value)
    try:
        return _aware(value)
    except _READ_ERRORS as exc:
        raise _Problem(problem) from exc


def _text(component: Component, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def _uid(component: Component, title: str, start: datetime) -> str:
    uid = _text(component, "UID")
    if uid:
        return uid[:200]
    digest = hashlib.sha1(f"{title}|{start.astimezone(UTC).isoformat()}".encode(), usedforsecurity=False).hexdigest()[:24]
    return f"ics-{digest}@medbot"


def _occurrence_uid(uid: str, start: datetime) -> str:
    return f"{uid}#{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _rule_text(value: Any) -> str:
    """The RRULE as written: icalendar keeps a rule it could not parse as text (vBroken)."""
    if isinstance(value, vRecur):
        return value.to_ical().decode()
    return str(value)


def _local_until(raw: str) -> datetime:
    """UNTIL as naive Danish wall-clock time (dateutil cannot mix a UTC UNTIL with a naive start)."""
    match = _UNTIL.match(raw)
    if match is None:
        raise _Problem(texts.ICS_BAD_UNTIL)
    day, clock, utc = match.groups()
    try:
        moment = datetime.strptime(day + (clock or "235959"), "%Y%m%d%H%M%S")  # noqa: DTZ007 - naive wall-clock time, as the docstring says
    except ValueError as exc:
        raise _Problem(texts.ICS_BAD_UNTIL) from exc
    _in_range(moment)
    if utc:
        moment = moment.replace(tzinfo=UTC).astimezone(COPENHAGEN).replace(tzinfo=None)
    return moment


def _positive(raw: str, problem: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise _Problem(problem)
    return int(raw)


_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _numbers(raw: str) -> list[int]:
    try:
        return [int(item) for item in raw.split(",")]
    except ValueError as exc:
        raise _Problem(texts.ICS_BAD_RRULE) from exc


def _check_month_days(parts: dict[str, str]) -> None:
    """Refuse BYMONTHDAY values no month of BYMONTH has (``BYMONTH=2;BYMONTHDAY=30``):
    such a rule matches no date, and dateutil would search for one until the year 9999."""
    if "BYMONTHDAY" not in parts:
        return
    months = _numbers(parts["BYMONTH"]) if "BYMONTH" in parts else list(range(1, 13))
    days = _numbers(parts["BYMONTHDAY"])
    if any(not 1 <= month <= 12 for month in months):
        raise _Problem(texts.ICS_BAD_RRULE)
    if not any(day != 0 and abs(day) <= _MONTH_LENGTHS[month - 1] for month in months for day in days):
        raise _Problem(texts.ICS_RULE_NO_DATES)


def _bounded_rule(text: str, local_start: datetime, limit: datetime) -> tuple[rrulebase, int | None]:
    """The rule with UNTIL no later than ``limit``, and its COUNT (which the caller
    applies); :class:`_Problem` for a rule that cannot be read."""
    parts: dict[str, str] = {}
    for part in text.strip().split(";"):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        if not sep:
            raise _Problem(texts.ICS_BAD_RRULE)
        parts[name.strip().upper()] = raw.strip()
    frequency = parts.get("FREQ", "").upper()
    if frequency in _TOO_FREQUENT:
        raise _Problem(texts.ics_too_frequent(frequency))
    if frequency not in FREQUENCIES or "BYEASTER" in parts:
        raise _Problem(texts.ICS_BAD_RRULE)
    if "INTERVAL" in parts:
        _positive(parts["INTERVAL"], texts.ICS_BAD_INTERVAL)
    _check_month_days(parts)
    count = _positive(parts.pop("COUNT"), texts.ICS_BAD_COUNT) if "COUNT" in parts else None
    until = limit
    if "UNTIL" in parts:
        until = min(until, _local_until(parts.pop("UNTIL")))
    rule_text = ";".join([*(f"{k}={v}" for k, v in parts.items()), f"UNTIL={until:%Y%m%dT%H%M%S}"])
    try:
        return rrulestr(rule_text, dtstart=local_start), count
    except _READ_ERRORS as exc:
        raise _Problem(texts.ICS_BAD_RRULE) from exc


def _collect(rule: rrulebase, count: int | None, excluded: set[datetime], starts: set[datetime]) -> bool:
    """Add the rule's occurrences to ``starts`` (at most :data:`MAX_OCCURRENCES` in all);
    True when the series had more."""
    for index, occurrence in enumerate(rule):
        if count is not None and index >= count:
            return False
        if occurrence in excluded:
            continue
        if len(starts) >= MAX_OCCURRENCES:
            return True
        starts.add(occurrence)
    return False


def _collect_in_time(rule: rrulebase, count: int | None, excluded: set[datetime], starts: set[datetime], deadline: float) -> bool:
    """:func:`_collect`, given up at ``deadline`` (``monotonic()``).

    UNTIL bounds a rule only on the dates it matches: a rule whose BY-parts never match
    (``FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6``) makes dateutil search up to the year 9999,
    seconds of CPU per rule. The search runs in a daemon thread; past the deadline the
    file is refused and the thread is left to end by itself.
    """
    found: set[datetime] = set(starts)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["truncated"] = _collect(rule, count, excluded, found)
        except _READ_ERRORS as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="ics-expand", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - monotonic()))
    if worker.is_alive():
        raise _Problem(texts.ICS_RULE_TOO_SLOW)
    if "error" in outcome:
        raise _Problem(texts.ICS_BAD_RRULE) from outcome["error"]
    starts.update(found)
    return bool(outcome["truncated"])


def _expand(component: Component, start: datetime, until: datetime, deadline: float) -> tuple[list[datetime], bool]:
    """Occurrence starts of a recurring event in Danish wall-clock time (DST-safe), at most
    :data:`MAX_OCCURRENCES`; and whether the series had more."""
    local_start = start.astimezone(COPENHAGEN).replace(tzinfo=None)
    limit = until.astimezone(COPENHAGEN).replace(tzinfo=None)
    excluded: set[datetime] = set()
    for exdate in _as_list(component.get("EXDATE")):
        try:
            items = [item.dt for item in exdate.dts]
        except _READ_ERRORS as exc:
            raise _Problem(texts.ICS_BAD_EXDATE) from exc
        for item in items:
            if not isinstance(item, date):
                raise _Problem(texts.ICS_BAD_EXDATE)
            _in_range(item)
            moment, _ = _aware(item)
            excluded.add(moment.astimezone(COPENHAGEN).replace(tzinfo=None))
    starts: set[datetime] = set()
    truncated = False
    for value in _as_list(component.get("RRULE")):
        rule, count = _bounded_rule(_rule_text(value), local_start, limit)
        truncated = _collect_in_time(rule, count, excluded, starts, deadline) or truncated
    return [moment.replace(tzinfo=COPENHAGEN) for moment in sorted(starts)], truncated


def parse_ics(
    data: bytes | str,
    *,
    org: str,
    committee: str | None,
    kind: EventKind = EventKind.MEETING,
    topic: str | None = None,
    source: str,
    expand_until: datetime,
    expand_seconds: float = EXPAND_SECONDS,
) -> IcsImport:
    """Read the events of an .ics file (see the module docstring).

    All or nothing: a file with an event that cannot be read (an impossible date, a year
    outside :data:`FIRST_YEAR`–:data:`LAST_YEAR`, a broken RRULE, UNTIL or EXDATE), or
    one that gives more than :data:`MAX_EVENTS` events, raises :class:`IcsError` with a
    Danish sentence that names the event and the problem.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_ICS_BYTES:
        raise IcsError(texts.ics_too_large(MAX_ICS_BYTES // (1024 * 1024)))
    if len(_VEVENT.findall(raw)) > MAX_EVENTS:
        raise IcsError(texts.ics_too_many_events(MAX_EVENTS))
    try:
        calendar = Calendar.from_ical(raw)
        components = list(calendar.walk("VEVENT")) if isinstance(calendar, Calendar) else None
    except _READ_ERRORS as exc:
        raise IcsError(texts.ICS_NOT_A_CALENDAR) from exc
    if components is None:
        raise IcsError(texts.ICS_NOT_A_CALENDAR)
    result = IcsImport()
    deadline = monotonic() + expand_seconds
    overrides: dict[str, Component] = {}
    for component in components:
        if component.get("RECURRENCE-ID") is not None:
            title = _text(component, "SUMMARY") or texts.CALENDAR_UNTITLED
            try:
                recurrence, _ = _moment(component, "RECURRENCE-ID", texts.ICS_BAD_RECURRENCE_ID)
            except _Problem as problem:
                raise IcsError(texts.ics_event_unreadable(title, problem.problem)) from None
            overrides[_occurrence_uid(_text(component, "UID"), recurrence)] = component
    for component in components:
        if component.get("RECURRENCE-ID") is not None:
            continue
        title = _text(component, "SUMMARY") or texts.CALENDAR_UNTITLED
        try:
            _read_event(
                component, title, overrides, result, org=org, committee=committee, kind=kind, topic=topic,
                source=source, expand_until=expand_until, deadline=deadline,
            )
        except _Problem as problem:
            raise IcsError(texts.ics_event_unreadable(title, problem.problem)) from None
        if len(result.events) > MAX_EVENTS:
            raise IcsError(texts.ics_too_many_events(MAX_EVENTS))
    return result


def _read_event(
    component: Component,
    title: str,
    overrides: dict[str, Component],
    result: IcsImport,
    *,
    org: str,
    committee: str | None,
    kind: EventKind,
    topic: str | None,
    source: str,
    expand_until: datetime,
    deadline: float,
) -> None:
    """Add one VEVENT (all its occurrences) to ``result``; :class:`_Problem` when it cannot be read."""
    if _text(component, "STATUS").upper() == "CANCELLED":
        result.skipped.append(f"{title}: aflyst")
        return
    if component.get("DTSTART") is None:
        result.skipped.append(f"{title}: intet starttidspunkt")
        return
    start, all_day = _moment(component, "DTSTART", texts.ICS_BAD_START)
    duration = _duration(component, start, all_day)
    uid = _uid(component, title, start)
    base: dict[str, Any] = {
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
        return
    occurrences, truncated = _expand(component, start, expand_until, deadline)
    if truncated:
        result.skipped.append(texts.ics_series_truncated(title, MAX_OCCURRENCES))
    for occurrence in occurrences:
        occurrence_uid = _occurrence_uid(uid, occurrence)
        override = overrides.get(occurrence_uid)
        if override is not None:
            if _text(override, "STATUS").upper() == "CANCELLED":
                continue
            moved, moved_all_day = _moment(override, "DTSTART", texts.ICS_BAD_START)
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


def _duration(component: Component, start: datetime, all_day: bool) -> timedelta | None:
    if component.get("DTEND") is not None:
        end, _ = _moment(component, "DTEND", texts.ICS_BAD_END)
        return end - start if end > start else None
    if component.get("DURATION") is not None:
        try:
            value = component.decoded("DURATION")
        except _READ_ERRORS as exc:
            raise _Problem(texts.ICS_BAD_DURATION) from exc
        if not isinstance(value, timedelta):
            raise _Problem(texts.ICS_BAD_DURATION)
        return value if value > timedelta(0) else None
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
