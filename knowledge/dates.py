"""Danish date and time understanding: "på tirsdag kl. 9", "uge 34", "ultimo maj".

dateparser alone gets about a quarter of Danish reminder phrases right (``bench/dates.py``),
so this module has its own grammar (:mod:`knowledge.dates_lexicon` for words and typos,
:mod:`knowledge.dates_grammar` for the patterns) and uses dateparser only as a last,
sanity-checked fallback (:mod:`knowledge.dates_fallback`). "Now" is always passed in.

API
---
* :func:`parse_when` - the whole text is a date/time expression.
* :func:`find_when` - find the date/time expression inside a sentence such as
  "mind mig om at sende input til KommuneMED i morgen kl. 9" and return it plus the
  rest of the text, without the expression and without a leading reminder command
  ("mind mig om (at)", "husk (at)", "påmind mig om", "remind me to").
* :func:`format_when` - "tirsdag 24. november 2026 kl. 09.00".

Results are aware datetimes in Europe/Copenhagen when a time was given, plain
``date`` objects otherwise. Errors are :class:`DateParseError` with a machine
``code``: ``empty``, ``unparseable``, ``past``, ``invalid_date``, ``ambiguous``,
``weekday_mismatch``, ``recurring`` (the user-facing Danish sentences live in ``dialogs.texts``).

Interpretation rules (the bot always echoes back what it understood)
--------------------------------------------------------------------
1. Weekdays: "mandag", "på mandag", "næste mandag", "kommende mandag", "on/next monday"
   all mean the first Monday *after* today (never today). "denne mandag"/"this monday"
   is the first Monday from today, today included.
2. "tirsdag i næste uge", "næste uge tirsdag": Tuesday of the next ISO week (Monday to
   Sunday). "næste uge" alone: Monday of the next ISO week. "tirsdag i denne uge":
   Tuesday of this ISO week (may be in the past). "i mandags", "sidste mandag": the
   last Monday before today (so: past).
3. Dates without a year ("26. aug", "1/9", "5/6" -- always day/month, never
   month/day), "uge 34", "primo/medio/ultimo maj", holidays: the next occurrence whose
   *day* is today or later. If that day is today and the time has passed, the result
   is "past" (not next year).
4. "uge 34": Monday of ISO week 34; "onsdag i uge 34": that Wednesday. Without a
   year, the next year in which that day is today or later.
5. primo = the 1st, medio = the 15th, ultimo = the last day of the month.
6. "den 3." (no month): the 3rd of this month if that is today or later, else of the
   next month that has that day ("den 31." in November -> 31 December).
7. A time without a day ("kl 9", "halv ti"): today if still to come, else tomorrow.
8. Hours 1-6 written without a leading zero, am/pm or part of day are afternoon
   ("kl 3" = 15:00, "ti over tre" = 15:10, "halv seks" = 17:30); 7-12 are as written
   ("kl 9" = 09:00, "kl 12" = noon); 0 and 13-23 are 24-hour; a leading zero is
   literal ("kl 02.30", "06:30"). "om morgenen/natten" and "am" give the morning hour,
   "om eftermiddagen/aftenen" and "pm" the afternoon/evening hour.
9. "halv ti" = 09.30 (Danish "halv" is half *before*), "kvart over ni" = 09.15,
   "kvart i ti" = 09.45, "fem over halv ti" = 09.35, "fem minutter i tolv" = 11.55.
10. Parts of the day: morgen 08.00, tidlig 07.00, formiddag 10.00, middag/frokost/
    noon 12.00 ("til middag" is read as noon, not dinner), eftermiddag 14.00,
    aften/tonight 19.00. "nat" needs a clock time ("kl 2 om natten").
11. "om 2 timer", "om 30 minutter", "om en halv time": that exact span from now
    (across a DST change too), seconds dropped. "om 3 dage", "om en uge", "om en måned":
    a calendar date without a time. "tirsdag om en uge", "fredag 14 dage", "i dag otte
    dage": that day plus the offset.
12. A bare "12.10" is a time if the text has a day but no time ("i morgen 12.10"),
    a date if it has a time but no day; alone it is a time when the second number
    cannot be a month (> 12, or "00"), else a date (12 October). "9.30" is a time.
13. DST: a wall time that does not exist (02.00-02.59 on the last Sunday of March) is
    moved forward by the gap (02.30 -> 03.30 summer time); a time that occurs twice
    (last Sunday of October) is the first one (summer time).
14. "jul" alone is never a date (it is both July and Christmas); "26. jul" is 26 July,
    "juleaften" 24 December, "nytårsaften" 31 December. A month alone ("i maj") is
    ``ambiguous``.
15. Past results raise ``past`` unless ``allow_past``; "i dag kl 14" at 10.00 is fine.
16. "første mandag i december", "sidste fredag i måneden", "anden tirsdag i næste
    måned": that weekday of that month (a named month: its next occurrence). "i
    weekenden"/"til weekend": the weekend's Saturday (this one, or the next once it has
    passed); "inden/før weekenden": its Friday. "sidst/først/midt på måneden" are
    ultimo/primo/medio; "den 1. i næste måned" is that day of next month.
17. A repeating time ("hver mandag", "every day at 9", "ugentligt") raises
    ``recurring``: a reminder is sent once, and saying so beats silently keeping only
    the first occurrence.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from knowledge.clock import COPENHAGEN
from knowledge.dates_fallback import fallback_parse
from knowledge.dates_grammar import (
    DAY_SPECS,
    Ambiguous,
    BareHour,
    Clock,
    Comp,
    DayMonth,
    DayOfMonth,
    Duration,
    Holiday,
    Invalid,
    MonthOnly,
    MonthPart,
    NthWeekday,
    Offset,
    Period,
    RelDay,
    Week,
    Weekday,
    find_components,
)
from knowledge.dates_lexicon import Token, tokenize

__all__ = [
    "ERROR_CODES",
    "DateParseError",
    "ParsedWhen",
    "parse_when",
    "find_when",
    "format_when",
    "local_datetime",
]

ERROR_CODES = ("empty", "unparseable", "past", "invalid_date", "ambiguous", "weekday_mismatch", "recurring")

# "hver mandag", "every day", "ugentligt": a repeating time, which a one-off reminder cannot
# be; said rather than silently turned into the first occurrence.
_EVERY = frozenset({"hver", "hvert", "every", "each"})
_REPEAT_UNITS = frozenset({"dag", "day", "morgen", "morning", "aften", "evening", "uge", "week", "maned", "month", "ar", "year"})
_RECURRING = _EVERY | frozenset({"dagligt", "ugentligt", "manedligt", "arligt", "daily", "weekly", "monthly", "yearly"})

_WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
_MONTH_NAMES = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
_PERIOD_TIMES = {
    "morning": time(8, 0), "early": time(7, 0), "forenoon": time(10, 0), "noon": time(12, 0),
    "afternoon": time(14, 0), "evening": time(19, 0),
}
# Tokens that may sit between or around the parts of a date expression.
_INNER_FILLER = frozenset({
    ",", ".", "-", "den", "d", "pa", "at", "on", "the", "ved", "omkring", "ca", "cirka",
    "around", "til", "senest", "inden", "@",
})
_PREFIX_FILLER = frozenset({
    "pa", "on", "the", "senest", "inden", "ved", "omkring", "ca", "cirka", "around",
})
# Words that may follow a bare hour in a sentence ("mind mig i morgen 9 om at ringe").
_AFTER_BARE_HOUR = frozenset({"om", "at", "og", "til", "for", "med", "and", "to"})
_TIME_SPECS = (Clock, Period, BareHour, Ambiguous)
# Tokens parse_when tolerates besides the expression itself.
_TOLERATED = _INNER_FILLER | frozenset({
    "tak", "please", "gerne", "!", "?", ":", ";", "»", "«", '"', "'", "(", ")", "/",
})
_MAX_YEARS_AHEAD = 10


class DateParseError(ValueError):
    """The text could not be turned into a usable date; ``code`` says why.

    For ``past`` errors ``parsed`` holds what was understood, so the caller can say
    which date has passed.
    """

    code: str
    detail: str
    parsed: ParsedWhen | None

    def __init__(self, code: str, detail: str = "", parsed: ParsedWhen | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.parsed = parsed


@dataclass(frozen=True)
class ParsedWhen:
    """A parsed date expression.

    ``value`` is an aware Europe/Copenhagen datetime when ``has_time``, else a date.
    ``matched`` is the part of the text that was the expression. ``explicit_year`` is
    true when the text named the year ("1/9-2027", "uge 2 2027").
    """

    value: datetime | date
    has_time: bool
    matched: str
    explicit_year: bool = False

    def at(self, default_time: time) -> datetime:
        """The moment as an aware datetime, using ``default_time`` when no time was given."""
        if isinstance(self.value, datetime):
            return self.value.astimezone(COPENHAGEN)
        return local_datetime(self.value, default_time)


# --- time helpers ----------------------------------------------------------------


def local_datetime(day: date, wall: time) -> datetime:
    """``day`` at wall-clock ``wall`` in Copenhagen, following rule 13 of the module doc."""
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=COPENHAGEN, fold=0)
    # A non-existent wall time round-trips to a different wall time: the one after the gap.
    return first.astimezone(UTC).astimezone(COPENHAGEN)


def _local_now(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.astimezone(COPENHAGEN)


def _easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


_FIXED_HOLIDAYS = {
    "lillejuleaften": (12, 23), "juleaften": (12, 24), "juledag": (12, 25), "2. juledag": (12, 26),
    "nytarsaften": (12, 31), "nytarsdag": (1, 1), "grundlovsdag": (6, 5),
    "sankthansaften": (6, 23), "mortensaften": (11, 10), "valentinsdag": (2, 14),
}
_EASTER_HOLIDAYS = {
    "fastelavn": -49, "palmesondag": -7, "skartorsdag": -3, "langfredag": -2, "paskedag": 0,
    "2. paskedag": 1, "kristi himmelfartsdag": 39, "pinsedag": 49, "2. pinsedag": 50,
}


def _holiday(name: str, year: int) -> date:
    if name in _FIXED_HOLIDAYS:
        month, day = _FIXED_HOLIDAYS[name]
        return date(year, month, day)
    return _easter(year) + timedelta(days=_EASTER_HOLIDAYS[name])


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- resolving the components --------------------------------------------------------


def _resolve_weekday(spec: Weekday, today: date) -> date:
    delta = (spec.weekday - today.weekday()) % 7
    if spec.mode == "next":
        return today + timedelta(days=delta or 7)
    if spec.mode == "this_or_next":
        return today + timedelta(days=delta)
    monday = today - timedelta(days=today.weekday())
    if spec.mode == "next_week":
        return monday + timedelta(days=7 + spec.weekday)
    if spec.mode == "this_week":
        return monday + timedelta(days=spec.weekday)
    back = (today.weekday() - spec.weekday) % 7
    return today - timedelta(days=back or 7)


def _resolve_week(spec: Week, weekday: int, today: date) -> date:
    if spec.relative is not None:
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 * spec.relative + weekday)
    assert spec.week is not None
    if spec.year is not None:
        try:
            return date.fromisocalendar(spec.year, spec.week, weekday + 1)
        except ValueError as error:
            raise DateParseError("invalid_date", f"week {spec.week} of {spec.year}") from error
    iso_year = today.isocalendar().year
    for year in range(iso_year, iso_year + 8):
        try:
            candidate = date.fromisocalendar(year, spec.week, weekday + 1)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise DateParseError("invalid_date", f"week {spec.week}")


def _resolve_day_month(spec: DayMonth, today: date) -> date:
    if not (1 <= spec.month <= 12 and 1 <= spec.day <= 31):
        raise DateParseError("invalid_date", f"{spec.day}/{spec.month}")
    if spec.year is not None:
        try:
            return date(spec.year, spec.month, spec.day)
        except ValueError as error:
            raise DateParseError("invalid_date", f"{spec.day}/{spec.month}-{spec.year}") from error
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, spec.month, spec.day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise DateParseError("invalid_date", f"{spec.day}/{spec.month}")


def _resolve_day_of_month(spec: DayOfMonth, today: date) -> date:
    if not 1 <= spec.day <= 31:
        raise DateParseError("invalid_date", f"day {spec.day}")
    first = today.replace(day=1)
    if spec.relative_months is not None:
        month = _add_months(first, spec.relative_months)
        if spec.day > calendar.monthrange(month.year, month.month)[1]:
            raise DateParseError("invalid_date", f"day {spec.day}")
        return month.replace(day=spec.day)
    for months in range(13):
        month = _add_months(first, months)
        if spec.day <= calendar.monthrange(month.year, month.month)[1]:
            candidate = month.replace(day=spec.day)
            if candidate >= today:
                return candidate
    raise DateParseError("invalid_date", f"day {spec.day}")  # pragma: no cover


def _month_part_day(part: str, year: int, month: int) -> date:
    if part == "primo":
        return date(year, month, 1)
    if part == "medio":
        return date(year, month, 15)
    return date(year, month, calendar.monthrange(year, month)[1])


def _resolve_month_part(spec: MonthPart, today: date) -> date:
    if spec.relative_months is not None:
        month = _add_months(today.replace(day=1), spec.relative_months)
        return _month_part_day(spec.part, month.year, month.month)
    assert spec.month is not None
    if spec.year is not None:
        return _month_part_day(spec.part, spec.year, spec.month)
    for year in (today.year, today.year + 1):
        candidate = _month_part_day(spec.part, year, spec.month)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _nth_weekday_of(year: int, month: int, n: int, weekday: int) -> date:
    if n < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    if day.month != month:  # a fifth one that does not exist (n is at most 4: never)
        raise DateParseError("invalid_date", f"weekday {weekday} number {n} of {year}-{month}")
    return day


def _resolve_nth_weekday(spec: NthWeekday, today: date) -> date:
    if spec.relative_months is not None:
        month = _add_months(today.replace(day=1), spec.relative_months)
        return _nth_weekday_of(month.year, month.month, spec.n, spec.weekday)
    assert spec.month is not None
    if spec.year is not None:
        return _nth_weekday_of(spec.year, spec.month, spec.n, spec.weekday)
    this_year = _nth_weekday_of(today.year, spec.month, spec.n, spec.weekday)
    return this_year if this_year >= today else _nth_weekday_of(today.year + 1, spec.month, spec.n, spec.weekday)


def _resolve_holiday(spec: Holiday, today: date) -> date:
    for year in (today.year, today.year + 1):
        candidate = _holiday(spec.name, year)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _resolve_day(specs: Sequence[object], today: date) -> date | None:
    weekdays = [s for s in specs if isinstance(s, Weekday)]
    weeks = [s for s in specs if isinstance(s, Week)]
    others = [s for s in specs if not isinstance(s, (Weekday, Week))]
    if len({(w.weekday, w.mode) for w in weekdays}) > 1 and len({w.weekday for w in weekdays}) > 1:
        raise DateParseError("ambiguous", "two weekdays")
    if len(set(weeks)) > 1:
        raise DateParseError("ambiguous", "two weeks")
    dates: list[date] = []
    if weeks:
        weekday = weekdays[0].weekday if weekdays else 0
        dates.append(_resolve_week(weeks[0], weekday, today))
        weekdays = []
    for spec in others:
        if isinstance(spec, RelDay):
            dates.append(today + timedelta(days=spec.days))
        elif isinstance(spec, DayMonth):
            dates.append(_resolve_day_month(spec, today))
        elif isinstance(spec, DayOfMonth):
            dates.append(_resolve_day_of_month(spec, today))
        elif isinstance(spec, MonthPart):
            dates.append(_resolve_month_part(spec, today))
        elif isinstance(spec, NthWeekday):
            dates.append(_resolve_nth_weekday(spec, today))
        elif isinstance(spec, Holiday):
            dates.append(_resolve_holiday(spec, today))
    if len(set(dates)) > 1:
        raise DateParseError("ambiguous", "two different days")
    if weekdays:
        if dates:
            if dates[0].weekday() != weekdays[0].weekday:
                raise DateParseError("weekday_mismatch", f"{dates[0]} is not weekday {weekdays[0].weekday}")
            return dates[0]
        return _resolve_weekday(weekdays[0], today)
    return dates[0] if dates else None


def _apply_period(clock: Clock, period: str) -> tuple[int, int]:
    hour = clock.hour
    if clock.ampm is not None or clock.literal:
        return _clock_hour(clock), clock.minute
    if period in ("morning", "early", "forenoon"):
        hour = 0 if hour == 12 and period != "forenoon" else hour
    elif period in ("afternoon", "evening"):
        hour = hour + 12 if hour < 12 else hour
    elif period == "night":
        hour = hour + 12 if 6 <= hour <= 11 else (0 if hour == 12 else hour)
    return hour, clock.minute


def _clock_hour(clock: Clock) -> int:
    hour = clock.hour
    if clock.ampm == "am":
        return 0 if hour == 12 else hour
    if clock.ampm == "pm":
        return hour if hour == 12 else hour + 12
    if not clock.literal and 1 <= hour <= 6:
        return hour + 12
    return hour


def _resolve_time(clocks: list[Clock], periods: list[Period]) -> time | None:
    if len(set(clocks)) > 1:
        raise DateParseError("ambiguous", "two clock times")
    names = {p.name for p in periods}
    if len(names) > 1:
        raise DateParseError("ambiguous", "two parts of the day")
    period = next(iter(names), None)
    if clocks:
        clock = clocks[0]
        if clock.hour > 23 or clock.minute > 59:
            raise DateParseError("invalid_date", f"{clock.hour}:{clock.minute:02d}")
        if period is None:
            return time(_clock_hour(clock), clock.minute)
        hour, minute = _apply_period(clock, period)
        return time(hour, minute)
    if period is None:
        return None
    if period == "night":
        raise DateParseError("ambiguous", "night without a clock time")
    return _PERIOD_TIMES[period]


@dataclass(frozen=True)
class _Resolved:
    value: datetime | date
    has_time: bool
    explicit_year: bool
    is_duration: bool


def _resolve(comps: list[Comp], now: datetime) -> _Resolved:
    """Turn the components of one expression into a value (no past check)."""
    today = now.date()
    specs = [c.spec for c in comps]
    for spec in specs:
        if isinstance(spec, Invalid):
            raise DateParseError("invalid_date", spec.reason)
        if isinstance(spec, MonthOnly):
            raise DateParseError("ambiguous", "a month without a day")
    durations = [s for s in specs if isinstance(s, Duration)]
    if durations:
        if len(durations) != len(specs):
            raise DateParseError("ambiguous", "a duration together with a day or time")
        total = sum(d.minutes for d in durations)
        moment = (now.astimezone(UTC) + timedelta(minutes=total)).astimezone(COPENHAGEN)
        return _Resolved(moment.replace(second=0, microsecond=0), True, False, True)

    day_specs = [s for s in specs if isinstance(s, DAY_SPECS)]
    clocks = [s for s in specs if isinstance(s, Clock)]
    periods = [s for s in specs if isinstance(s, Period)]
    offsets = [s for s in specs if isinstance(s, Offset)]
    for spec in specs:
        if isinstance(spec, Ambiguous):
            as_time = Clock(spec.a, spec.b, spec.a == 0 or spec.a >= 13, None)
            if clocks and not day_specs:
                day_specs.append(DayMonth(spec.a, spec.b, None))
            elif day_specs and not clocks:
                clocks.append(as_time)
            elif spec.b > 12 or spec.b_text == "00" or spec.a > 31:
                clocks.append(as_time)
            else:
                day_specs.append(DayMonth(spec.a, spec.b, None))
        elif isinstance(spec, BareHour):
            if (not day_specs and not offsets) or clocks or spec.hour > 23:
                raise DateParseError("ambiguous", "a bare number")
            clocks.append(Clock(spec.hour, 0, spec.hour == 0 or spec.hour >= 13, None))

    base = _resolve_day(day_specs, today)
    if offsets:
        if base is None and any(o.needs_base for o in offsets):
            raise DateParseError("unparseable", "an offset without a day")
        base = base or today
        for offset in offsets:
            base = _add_months(base, offset.months) + timedelta(days=offset.days)
    wall = _resolve_time(clocks, periods)
    explicit_year = any(getattr(s, "year", None) is not None for s in day_specs)
    if base is not None and base.year > today.year + _MAX_YEARS_AHEAD:
        raise DateParseError("invalid_date", f"{base} is too far ahead")
    if wall is None:
        if base is None:
            raise DateParseError("unparseable", "no day and no time")
        return _Resolved(base, False, explicit_year, False)
    if base is None:
        moment = local_datetime(today, wall)
        if moment < now.replace(second=0, microsecond=0):
            moment = local_datetime(today + timedelta(days=1), wall)
        return _Resolved(moment, True, False, False)
    return _Resolved(local_datetime(base, wall), True, explicit_year, False)


def _is_past(value: datetime | date, now: datetime) -> bool:
    if isinstance(value, datetime):
        return value < now.replace(second=0, microsecond=0)
    return value < now.date()


def _checked(resolved: _Resolved, matched: str, now: datetime, allow_past: bool) -> ParsedWhen:
    parsed = ParsedWhen(resolved.value, resolved.has_time, matched, resolved.explicit_year)
    if not allow_past and _is_past(resolved.value, now):
        raise DateParseError("past", f"{resolved.value} is before {now}", parsed)
    return parsed


# --- public API ------------------------------------------------------------------


def _span_start(tokens: list[Token], first: int) -> int:
    """Extend an expression backwards over prepositions ("på", "senest")."""
    while first > 0 and tokens[first - 1].canon in _PREFIX_FILLER:
        first -= 1
    return first


def parse_when(text: str, now: datetime, *, allow_past: bool = False) -> ParsedWhen:
    """Parse ``text``, which should be nothing but a date/time expression.

    Raises :class:`DateParseError`. ``now`` is any aware datetime.
    """
    now_local = _local_now(now)
    stripped = text.strip()
    if not stripped:
        raise DateParseError("empty")
    tokens = tokenize(stripped)
    if any(t.canon in _RECURRING for t in tokens):
        raise DateParseError("recurring", stripped)
    comps = find_components(tokens)
    covered = {i for c in comps for i in range(c.first, c.last + 1)}
    leftover = [t for i, t in enumerate(tokens) if i not in covered and t.canon not in _TOLERATED]
    if comps and not leftover:
        first = _span_start(tokens, min(c.first for c in comps))
        last = max(c.last for c in comps)
        matched = stripped[tokens[first].start:tokens[last].end]
        return _checked(_resolve(comps, now_local), matched, now_local, allow_past)
    fallback = fallback_parse(stripped, now_local)
    if fallback is not None:
        day, wall = fallback
        if wall is None:
            resolved = _Resolved(day, False, False, False)
        else:
            resolved = _Resolved(local_datetime(day, wall), True, False, False)
        return _checked(resolved, stripped, now_local, allow_past)
    raise DateParseError("unparseable", stripped)


_REMINDER_PREFIX = re.compile(
    r"""^\s*
    (?:(?:hej|hey|hi|hello)\b[\s,!.]*)?
    (?:(?:kan|vil)\s+du\s+(?:lige\s+)?|please\s+|venligst\s+)?
    (?:
        (?:mind|minde|remind)\s+(?:mig|me)(?:\s+lige)?(?:\s+(?:om|på|paa|pa|about|of))?
      | (?:på|paa|pa)minde?\s+mig(?:\s+om)?
      | husk\s+mig(?:\s+(?:på|paa|pa))?
      | husk
      | jeg\s+skal\s+huske
      | (?:sæt|saet|lav|opret)\s+(?:en\s+)?(?:påmindelse|paamindelse|pamindelse|reminder)
        (?:\s+(?:om|til|for))?
      | (?:påmindelse|paamindelse|pamindelse|reminder)(?:\s+(?:om|til|for))?
    )\b[\s:,]*
    (?:(?:at|to)\s+)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TRAILING_CONNECTOR = re.compile(
    r"(?:\s+|^)(?:om|på|paa|pa|kl\.?|klokken|den|d\.|at|ved|til|senest|inden|on|at|by)\s*$",
    re.IGNORECASE,
)
_EDGE = " \t\n,.;:-–—!"


def _remainder(text: str) -> str:
    rest = re.sub(r"\s+", " ", text)
    rest = re.sub(r" (?=[,.;:!?])", "", rest).strip(_EDGE)
    rest = _REMINDER_PREFIX.sub("", rest, count=1).strip(_EDGE)
    while True:
        shorter = _TRAILING_CONNECTOR.sub("", rest).strip(_EDGE)
        if shorter == rest:
            break
        rest = shorter
    return rest


def _clusters(tokens: list[Token], comps: list[Comp]) -> list[list[Comp]]:
    clusters: list[list[Comp]] = []
    for comp in comps:
        if clusters:
            last = max(c.last for c in clusters[-1])
            gap = tokens[last + 1:comp.first]
            if comp.first <= last or all(t.canon in _INNER_FILLER for t in gap):
                clusters[-1].append(comp)
                continue
        clusters.append([comp])
    return clusters


def _in_compound_word(tokens: list[Token], comp: Comp) -> bool:
    """"1/9-rapporten", "14.00-mødet": part of a hyphenated word, not a date."""
    after = comp.last + 1
    if after + 1 < len(tokens) and tokens[after].canon == "-" and tokens[after + 1].kind == "word":
        return not tokens[after].space_before and not tokens[after + 1].space_before
    return False


def _plausible(tokens: list[Token], comps: list[Comp]) -> list[Comp]:
    """Drop the components that only count right after a day (bare hours, "14 dage")."""
    kept: list[Comp] = []
    for comp in comps:
        if _in_compound_word(tokens, comp):
            continue
        needs_day = isinstance(comp.spec, BareHour) or (
            isinstance(comp.spec, Offset) and comp.spec.needs_base
        )
        if needs_day:
            before = [c for c in kept if c.last == comp.first - 1]
            if not any(isinstance(c.spec, DAY_SPECS) for c in before):
                continue
            if isinstance(comp.spec, BareHour):
                after = tokens[comp.last + 1] if comp.last + 1 < len(tokens) else None
                if after is not None and after.kind != "punct" and after.canon not in _AFTER_BARE_HOUR:
                    continue
        kept.append(comp)
    return kept


def find_when(
    text: str, now: datetime, *, allow_past: bool = False
) -> tuple[ParsedWhen, str] | None:
    """Find a date/time expression inside ``text``.

    Returns ``(parsed, rest)`` where ``rest`` is the text without the expression and
    without a leading reminder command, or ``None`` when there is no expression.
    Raises :class:`DateParseError` when the expression found is past, invalid or
    ambiguous. When there are several separate expressions the one with the most
    parts wins, the first one on a tie. dateparser is not used here.
    """
    now_local = _local_now(now)
    tokens = tokenize(text)
    comps = _plausible(tokens, find_components(tokens))
    # A weak word ("fri", "man", "morgen") only counts next to a strong part of the
    # *other* kind: "man kl 9" is Monday, "fri fredag" is just Friday.
    # The clusters are formed before the weak words are dropped, so that a dropped word
    # still joins its neighbours: "næste fredag d 18 kl 17" is one expression.
    clusters: list[list[Comp]] = []
    for cluster in _clusters(tokens, comps):
        kept: list[Comp] = []
        for comp in cluster:
            kind = isinstance(comp.spec, _TIME_SPECS)
            if comp.weak and any(
                not other.weak and isinstance(other.spec, _TIME_SPECS) == kind for other in cluster
            ) and not (isinstance(comp.spec, DayOfMonth) and any(isinstance(o.spec, Weekday) for o in cluster)):
                continue  # ("fredag d 18": the day of the month goes with the weekday)
            kept.append(comp)
        if any(isinstance(c.spec, Duration) for c in kept) and all(isinstance(c.spec, (Duration, Period)) for c in kept):
            # »mind mig om frokost om 30 min«: the duration is the time, the part of the day the subject
            kept = [c for c in kept if isinstance(c.spec, Duration)]
        if kept and not all(comp.weak for comp in kept):
            clusters.append(kept)
    if not clusters:
        return None
    best = max(clusters, key=lambda c: (len({(x.first, x.last) for x in c}), -c[0].first))
    first = _span_start(tokens, min(c.first for c in best))
    last = max(c.last for c in best)
    every = next((i for i in (first - 1, first - 2) if i >= 0 and tokens[i].canon in _EVERY), None)
    if every is not None and (every == first - 1 or tokens[first - 1].canon in _REPEAT_UNITS):
        first = every
        recurring = True
    else:
        recurring = last + 1 < len(tokens) and tokens[last + 1].canon in _RECURRING - _EVERY
        last += 1 if recurring else 0
    start, end = tokens[first].start, tokens[last].end
    if recurring:
        # the repeating expression, so that the caller can take it out of the reminder text
        raise DateParseError("recurring", text, ParsedWhen(now_local, True, text[start:end]))
    parsed = _checked(_resolve(best, now_local), text[start:end], now_local, allow_past)
    return parsed, _remainder(text[:start] + " " + text[end:])


def format_when(value: datetime | date, has_time: bool) -> str:
    """Danish: "tirsdag 24. november 2026 kl. 09.00" or "tirsdag 24. november 2026"."""
    if isinstance(value, datetime):
        moment = value.astimezone(COPENHAGEN) if value.tzinfo is not None else value
        day: date = moment.date()
    else:
        moment = None
        day = value
    text = f"{_WEEKDAY_NAMES[day.weekday()]} {day.day}. {_MONTH_NAMES[day.month - 1]} {day.year}"
    if has_time and moment is not None:
        text += f" kl. {moment.hour:02d}.{moment.minute:02d}"
    return text
