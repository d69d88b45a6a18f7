"""MED calendars as data, and when to nudge about them (pure: no I/O besides the data files).

A :class:`CalendarEvent` is a meeting, a deadline, a phase of the budget year or an
event (a course, a webinar). Events come from the seed calendars shipped in
``knowledge/data/calendars/*.toml`` (each entry names the seed it comes from), from
``.ics`` files a MED secretary imports, or from chat.

When a nudge goes out (:func:`nudge_time`), documented once here:

1. Start from the event minus the rule's offset, in Danish wall-clock time
   (Europe/Copenhagen, so a 7-day nudge for a 10:00 meeting is at 10:00 also across a
   daylight-saving change). An all-day event (or a phase) counts from 09:00 that day.
2. Quiet hours: no nudges between 20:00 and 07:00.
   * 20:00–24:00 moves *earlier*, to 09:00 the same day – a nudge never comes later
     (closer to the event) than asked for;
   * 00:00–07:00 moves to 07:00 the same day, if that is still before the event;
     otherwise to 09:00 the day before.
3. A nudge that lands on a Saturday, a Sunday or a Danish public holiday (the
   ``holidays`` package, category "public") moves to the previous working day at
   09:00. Christmas Eve, New Year's Eve and Constitution Day are not public holidays
   there; pass ``closed_categories=("public", "optional")`` to skip them too.

Phases of the budget year are recurring month ranges; the seed gives only months
("januar–marts"), never exact dates, so a phase is materialised as an all-day event
from the first day of its first month to the end of its last month, and its one nudge
("phase start") is at the start of the first month under the rules above.
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import holidays

from knowledge.clock import COPENHAGEN
from knowledge.normalize import fold
from knowledge.sources import source_line

__all__ = [
    "DEFAULT_RULES",
    "NATIONAL_ORG",
    "BudgetPhase",
    "CalendarDataError",
    "CalendarEvent",
    "EventKind",
    "NudgeKind",
    "NudgePolicy",
    "NudgeRule",
    "PlannedNudge",
    "Topic",
    "WorkingDays",
    "calendar_orgs",
    "calendars_dir",
    "event_matches_target",
    "load_budget_phases",
    "load_seed_events",
    "next_send_time",
    "nudge_time",
    "org_key",
    "parse_offset",
    "phase_events",
    "plan_nudges",
]

WORKDAY_NUDGE: Final = time(9, 0)
QUIET_START: Final = time(20, 0)
QUIET_END: Final = time(7, 0)

#: Calendars that every municipality sees (MEDsamarbejdet is national).
NATIONAL_ORG: Final = "national"

MONTHS_DA: Final = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)


class CalendarDataError(ValueError):
    """A calendar file or an event is invalid."""


class EventKind(enum.StrEnum):
    MEETING = "meeting"
    DEADLINE = "deadline"
    PHASE = "phase"
    EVENT = "event"


class Topic(enum.StrEnum):
    """Subscription targets that are not a committee."""

    BUDGET = "budget"
    MEDSAMARBEJDET = "medsamarbejdet"


class NudgeKind(enum.StrEnum):
    AHEAD = "ahead"  # "the meeting is in 7 days"
    MATERIAL = "material"  # "agenda items and material must be in on time" (seed 000)
    PHASE_START = "phase_start"  # "the budget year's next phase begins"


@dataclass(frozen=True)
class CalendarEvent:
    """One entry in a MED calendar. ``starts_at``/``ends_at`` are aware datetimes."""

    uid: str
    org: str
    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime | None = None
    all_day: bool = False
    committee: str | None = None
    topic: str | None = None
    location: str = ""
    description: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("starts_at", "ends_at"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or value.utcoffset() is None):
                raise CalendarDataError(f"{self.uid}: {name} must be timezone-aware")
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise CalendarDataError(f"{self.uid}: ends before it starts")

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(COPENHAGEN)

    @property
    def local_date(self) -> date:
        return self.local_start.date()


@dataclass(frozen=True)
class NudgeRule:
    """Nudge ``offset`` before events of the given kinds; ``key`` is stored with the nudge."""

    kind: NudgeKind
    offset: timedelta
    applies_to: frozenset[EventKind]

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{format_offset(self.offset)}"


DEFAULT_RULES: Final[tuple[NudgeRule, ...]] = (
    NudgeRule(NudgeKind.AHEAD, timedelta(days=7), frozenset({EventKind.MEETING, EventKind.DEADLINE, EventKind.EVENT})),
    NudgeRule(NudgeKind.AHEAD, timedelta(days=1), frozenset({EventKind.MEETING, EventKind.DEADLINE, EventKind.EVENT})),
    # A configuration default, not a seed fact: seed 000 only says "i så god tid inden møderne".
    NudgeRule(NudgeKind.MATERIAL, timedelta(days=10), frozenset({EventKind.MEETING})),
    NudgeRule(NudgeKind.PHASE_START, timedelta(0), frozenset({EventKind.PHASE})),
)


@dataclass(frozen=True)
class NudgePolicy:
    rules: tuple[NudgeRule, ...] = DEFAULT_RULES
    tz: ZoneInfo = COPENHAGEN
    workday_nudge: time = WORKDAY_NUDGE
    quiet_start: time = QUIET_START
    quiet_end: time = QUIET_END

    @classmethod
    def with_offsets(cls, ahead: Sequence[timedelta], material: timedelta | None) -> NudgePolicy:
        """The default policy with other 'ahead' offsets and material offset (None: no material nudge)."""
        kinds = frozenset({EventKind.MEETING, EventKind.DEADLINE, EventKind.EVENT})
        rules = [NudgeRule(NudgeKind.AHEAD, offset, kinds) for offset in ahead]
        if material is not None:
            rules.append(NudgeRule(NudgeKind.MATERIAL, material, frozenset({EventKind.MEETING})))
        rules.append(NudgeRule(NudgeKind.PHASE_START, timedelta(0), frozenset({EventKind.PHASE})))
        return cls(rules=tuple(rules))


@dataclass(frozen=True)
class PlannedNudge:
    rule: NudgeRule
    due_at: datetime  # aware, UTC


_OFFSET_RX = re.compile(r"^\s*(\d+)\s*([dhm])\s*$", re.IGNORECASE)


def parse_offset(text: str) -> timedelta:
    """``"7d"`` / ``"36h"`` / ``"90m"`` -> timedelta (for configuration)."""
    match = _OFFSET_RX.match(text)
    if not match:
        raise CalendarDataError(f"not an offset like 7d, 36h or 90m: {text!r}")
    amount, unit = int(match.group(1)), match.group(2).lower()
    return {"d": timedelta(days=amount), "h": timedelta(hours=amount), "m": timedelta(minutes=amount)}[unit]


def format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


# --- working days ------------------------------------------------------------------


class WorkingDays:
    """Danish working days: Monday–Friday that are not public holidays."""

    def __init__(self, closed_categories: Sequence[str] = ("public",)) -> None:
        self._categories = tuple(closed_categories)
        self._cache: dict[int, frozenset[date]] = {}

    def _closed(self, year: int) -> frozenset[date]:
        if year not in self._cache:
            days = holidays.country_holidays("DK", years=year, categories=self._categories)
            self._cache[year] = frozenset(days.keys())
        return self._cache[year]

    def holiday_name(self, day: date) -> str | None:
        if day not in self._closed(day.year):
            return None
        return holidays.country_holidays("DK", years=day.year, categories=self._categories).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._closed(day.year)

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        candidate = day - timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate -= timedelta(days=1)
        return candidate


@lru_cache(maxsize=4)
def _default_working_days() -> WorkingDays:
    return WorkingDays()


# --- nudge times --------------------------------------------------------------------


def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def nudge_time(
    event: CalendarEvent,
    rule: NudgeRule,
    policy: NudgePolicy | None = None,
    working_days: WorkingDays | None = None,
) -> datetime:
    """When the nudge of ``rule`` for ``event`` goes out (aware, UTC). See the module docstring."""
    policy = policy or NudgePolicy()
    working_days = working_days or _default_working_days()
    tz = policy.tz
    start_local = event.starts_at.astimezone(tz)
    if event.all_day or event.kind is EventKind.PHASE:
        # Whole days: the offset counts in days from the event's date, at 09:00.
        base = _local(start_local.date(), policy.workday_nudge, tz)
        event_moment = base
    else:
        base = start_local
        event_moment = start_local
    # Wall-clock arithmetic: subtract on the naive local time, then attach the zone again.
    naive = base.replace(tzinfo=None) - rule.offset
    candidate = naive.replace(tzinfo=tz)
    candidate = _apply_quiet_hours(candidate, event_moment, policy)
    if not working_days.is_working_day(candidate.date()):
        candidate = _local(working_days.previous_working_day(candidate.date()), policy.workday_nudge, tz)
    return candidate.astimezone(UTC)


def _apply_quiet_hours(candidate: datetime, event_moment: datetime, policy: NudgePolicy) -> datetime:
    clock = candidate.timetz().replace(tzinfo=None)
    tz = policy.tz
    if clock >= policy.quiet_start:
        return _local(candidate.date(), policy.workday_nudge, tz)
    if clock < policy.quiet_end:
        morning = _local(candidate.date(), policy.quiet_end, tz)
        if morning < event_moment:
            return morning
        return _local(candidate.date() - timedelta(days=1), policy.workday_nudge, tz)
    return candidate


def plan_nudges(
    event: CalendarEvent,
    now: datetime,
    policy: NudgePolicy | None = None,
    working_days: WorkingDays | None = None,
    horizon: timedelta | None = None,
) -> list[PlannedNudge]:
    """The nudges still to come for ``event``: never for a past event, never in the past.

    With ``horizon`` only nudges due before ``now + horizon`` are returned (the
    scheduler creates nudge rows a while ahead, not for years to come).
    """
    policy = policy or NudgePolicy()
    if event.starts_at <= now:
        return []
    planned: list[PlannedNudge] = []
    for rule in policy.rules:
        if event.kind not in rule.applies_to:
            continue
        due = nudge_time(event, rule, policy, working_days)
        if due < now:
            continue
        if event.kind is not EventKind.PHASE and due >= event.starts_at:
            continue
        if horizon is not None and due > now + horizon:
            continue
        planned.append(PlannedNudge(rule=rule, due_at=due))
    return sorted(planned, key=lambda p: p.due_at)


def next_send_time(now: datetime, policy: NudgePolicy | None = None) -> datetime:
    """``now`` if it is outside quiet hours, else 07:00 (Danish time) next (aware, UTC).

    For a nudge that is sent late (the service was down): it still never goes out at night.
    """
    policy = policy or NudgePolicy()
    local = now.astimezone(policy.tz)
    clock = local.timetz().replace(tzinfo=None)
    if clock >= policy.quiet_start:
        return _local(local.date() + timedelta(days=1), policy.quiet_end, policy.tz).astimezone(UTC)
    if clock < policy.quiet_end:
        return _local(local.date(), policy.quiet_end, policy.tz).astimezone(UTC)
    return now


# --- subscriptions ------------------------------------------------------------------


def event_matches_target(event: CalendarEvent, target: str) -> bool:
    """Does a subscription to ``target`` (a committee name or a :class:`Topic`) cover ``event``?"""
    key = fold(target)
    if key == Topic.BUDGET.value:
        return event.topic == Topic.BUDGET.value or event.kind is EventKind.PHASE
    if key == Topic.MEDSAMARBEJDET.value:
        return event.topic == Topic.MEDSAMARBEJDET.value
    return bool(event.committee) and fold(event.committee or "") == key


# --- the seed calendars ---------------------------------------------------------------


def calendars_dir() -> Path:
    return Path(__file__).resolve().parent / "data" / "calendars"


@dataclass(frozen=True)
class BudgetPhase:
    """A phase of the budget year as the seed states it: month ranges, no exact dates."""

    key: str
    title: str
    start_month: int
    end_month: int
    months_text: str
    summary: str
    source: str
    org: str

    def __post_init__(self) -> None:
        if not (1 <= self.start_month <= 12 and 1 <= self.end_month <= 12 and self.start_month <= self.end_month):
            raise CalendarDataError(f"phase {self.key}: months must be 1..12 and in order")

    def starts_on(self, year: int) -> date:
        return date(year, self.start_month, 1)

    def ends_before(self, year: int) -> date:
        """The first day after the phase (exclusive end)."""
        if self.end_month == 12:
            return date(year + 1, 1, 1)
        return date(year, self.end_month + 1, 1)

    def contains(self, day: date) -> bool:
        return self.start_month <= day.month <= self.end_month


@dataclass(frozen=True)
class _CalendarFile:
    org: str
    phases: tuple[BudgetPhase, ...] = ()
    events: tuple[CalendarEvent, ...] = field(default_factory=tuple)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CalendarDataError(f"{path}: {exc}") from exc


def _source_text(entry: dict[str, Any], default_seed: str, where: str) -> str:
    seed = str(entry.get("seed", default_seed)).strip()
    section = str(entry.get("section", "")).strip()
    if not seed:
        raise CalendarDataError(f"{where}: every entry needs a seed (or seed = 'config')")
    if seed == "config":
        return f"Kommunens egen konfiguration – {section}" if section else "Kommunens egen konfiguration"
    return source_line(seed, section)


def _event_times(entry: dict[str, Any], where: str) -> tuple[datetime, datetime | None, bool]:
    if "date" in entry:
        day = entry["date"]
        if not isinstance(day, date) or isinstance(day, datetime):
            raise CalendarDataError(f"{where}: 'date' must be a TOML date")
        end_day = entry.get("end_date", day)
        start = datetime.combine(day, time(0), tzinfo=COPENHAGEN)
        end: datetime | None = datetime.combine(end_day + timedelta(days=1), time(0), tzinfo=COPENHAGEN)
        return start, end, True
    start_value = entry.get("start")
    if not isinstance(start_value, datetime):
        raise CalendarDataError(f"{where}: needs 'date' or 'start' (a local date-time)")
    start = start_value if start_value.tzinfo else start_value.replace(tzinfo=COPENHAGEN)
    end_value = entry.get("end")
    end = None
    if isinstance(end_value, datetime):
        end = end_value if end_value.tzinfo else end_value.replace(tzinfo=COPENHAGEN)
    return start, end, False


def _parse_file(path: Path) -> _CalendarFile:
    data = _read(path)
    org = str(data.get("org", "")).strip()
    if not org:
        raise CalendarDataError(f"{path}: missing 'org'")
    default_seed = str(data.get("seed", "")).strip()
    phases: list[BudgetPhase] = []
    for i, entry in enumerate(data.get("phases", [])):
        where = f"{path.name}: phases[{i}]"
        try:
            phases.append(
                BudgetPhase(
                    key=str(entry["key"]),
                    title=str(entry["title"]),
                    start_month=int(entry["start_month"]),
                    end_month=int(entry["end_month"]),
                    months_text=str(entry["months"]),
                    summary=str(entry.get("summary", "")).strip(),
                    source=_source_text(entry, default_seed, where),
                    org=org,
                )
            )
        except KeyError as exc:
            raise CalendarDataError(f"{where}: missing {exc}") from exc
    events: list[CalendarEvent] = []
    for i, entry in enumerate(data.get("events", [])):
        where = f"{path.name}: events[{i}]"
        try:
            start, end, all_day = _event_times(entry, where)
            events.append(
                CalendarEvent(
                    uid=str(entry["uid"]),
                    org=org,
                    title=str(entry["title"]),
                    kind=EventKind(entry.get("kind", "event")),
                    starts_at=start,
                    ends_at=end,
                    all_day=all_day,
                    committee=entry.get("committee"),
                    topic=entry.get("topic", data.get("topic")),
                    location=str(entry.get("location", "")),
                    description=str(entry.get("description", "")).strip(),
                    source=_source_text(entry, default_seed, where),
                )
            )
        except KeyError as exc:
            raise CalendarDataError(f"{where}: missing {exc}") from exc
        except ValueError as exc:
            raise CalendarDataError(f"{where}: {exc}") from exc
    uids = [e.uid for e in events]
    if len(uids) != len(set(uids)):
        raise CalendarDataError(f"{path}: duplicate uid")
    return _CalendarFile(org=org, phases=tuple(phases), events=tuple(events))


def _files(directory: Path | None) -> list[_CalendarFile]:
    directory = directory or calendars_dir()
    return [_parse_file(path) for path in sorted(directory.glob("*.toml"))]


def org_key(org: str) -> str:
    """The form an org is stored and compared in: ``"Albertslund"`` -> ``"albertslund"``."""
    return fold(org).replace(" ", "")


def calendar_orgs(org: str) -> tuple[str, str]:
    """The calendars a municipality sees: its own and the national ones."""
    return (org_key(org), NATIONAL_ORG)


def _orgs_for(org: str) -> set[str]:
    return set(calendar_orgs(org))


def load_budget_phases(org: str, directory: Path | None = None) -> list[BudgetPhase]:
    """The budget-year phases the seed calendars give for ``org`` (empty if none)."""
    wanted = _orgs_for(org)
    return [p for f in _files(directory) if f.org in wanted for p in f.phases]


def phase_events(phases: Iterable[BudgetPhase], years: Iterable[int]) -> list[CalendarEvent]:
    """The phases as all-day events of the given years (uid per org, year and phase)."""
    events: list[CalendarEvent] = []
    for year in years:
        for phase in phases:
            events.append(
                CalendarEvent(
                    uid=f"{phase.org}-budget-{year}-{phase.key}@medbot",
                    org=phase.org,
                    title=f"{phase.title} ({phase.months_text})",
                    kind=EventKind.PHASE,
                    starts_at=datetime.combine(phase.starts_on(year), time(0), tzinfo=COPENHAGEN),
                    ends_at=datetime.combine(phase.ends_before(year), time(0), tzinfo=COPENHAGEN),
                    all_day=True,
                    topic=Topic.BUDGET.value,
                    description=phase.summary,
                    source=phase.source,
                )
            )
    return events


def load_seed_events(org: str, years: Iterable[int], directory: Path | None = None) -> list[CalendarEvent]:
    """Every seed calendar entry for ``org`` (plus the national ones) and its phases in ``years``."""
    wanted = _orgs_for(org)
    files = [f for f in _files(directory) if f.org in wanted]
    events = [e for f in files for e in f.events]
    events.extend(phase_events([p for f in files for p in f.phases], years))
    return sorted(events, key=lambda e: (e.starts_at, e.uid))


def month_name(month: int) -> str:
    return MONTHS_DA[month - 1]
