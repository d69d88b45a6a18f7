"""The grammar of the Danish date layer: canonical text -> date/time *components*.

Each rule is a regular expression over the canonical string of
:mod:`knowledge.dates_lexicon` plus a handler that turns a match into one or more
components (a day, a clock time, a part of the day, an offset, ...). Rules run in
order; a rule may only use tokens no earlier rule has taken. The components are
combined and resolved against "now" in :mod:`knowledge.dates`.

Nothing here knows the current time: components are descriptions ("the next
Tuesday", "day 3 of some month"), not dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.dates_lexicon import MONTHS, NUMBER_WORDS, WEEKDAYS, Token, canonical_string, number_value

__all__ = [
    "Comp",
    "RelDay",
    "Weekday",
    "Week",
    "DayMonth",
    "DayOfMonth",
    "MonthPart",
    "NthWeekday",
    "Holiday",
    "Offset",
    "Duration",
    "Clock",
    "Period",
    "Ambiguous",
    "BareHour",
    "MonthOnly",
    "Invalid",
    "DAY_SPECS",
    "find_components",
]


# --- component specs ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RelDay:
    """Today plus ``days`` ("i dag" 0, "i morgen" 1, "i går" -1)."""

    days: int


@dataclass(frozen=True, slots=True)
class Weekday:
    """A weekday (0 = Monday). ``mode``: next, this_or_next, next_week, this_week, past."""

    weekday: int
    mode: str


@dataclass(frozen=True, slots=True)
class Week:
    """ISO week ``week`` (optionally of ``year``), or the week ``relative`` weeks from now."""

    week: int | None
    year: int | None
    relative: int | None


@dataclass(frozen=True, slots=True)
class DayMonth:
    """A calendar date; ``year`` None means the next occurrence."""

    day: int
    month: int
    year: int | None


@dataclass(frozen=True, slots=True)
class DayOfMonth:
    """"den 3.": day ``day`` of this month, or of the next month that has it; with
    ``relative_months`` ("den 1. i næste måned"): of the month that many months ahead."""

    day: int
    relative_months: int | None = None


@dataclass(frozen=True, slots=True)
class MonthPart:
    """primo (1st), medio (15th) or ultimo (last day) of a month."""

    part: str
    month: int | None
    year: int | None
    relative_months: int | None


@dataclass(frozen=True, slots=True)
class NthWeekday:
    """"første mandag i december", "sidste fredag i måneden": the ``n``th weekday of a
    month (``n`` -1: the last), of ``month`` (next occurrence unless ``year``) or of the
    month ``relative_months`` from this one."""

    n: int
    weekday: int
    month: int | None
    year: int | None
    relative_months: int | None


@dataclass(frozen=True, slots=True)
class Holiday:
    name: str


@dataclass(frozen=True, slots=True)
class Offset:
    """A calendar offset ("om 3 dage", "om en måned"); ``needs_base`` for "fredag 14 dage"."""

    days: int
    months: int
    needs_base: bool


@dataclass(frozen=True, slots=True)
class Duration:
    """An exact span from now ("om 2 timer")."""

    minutes: float


@dataclass(frozen=True, slots=True)
class Clock:
    """A clock time. ``literal``: a 24-hour reading was explicit (leading zero, 13-23)."""

    hour: int
    minute: int
    literal: bool
    ampm: str | None


@dataclass(frozen=True, slots=True)
class Period:
    """A part of the day: morning, early, forenoon, noon, afternoon, evening, night."""

    name: str


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """"12.10": a time (12:10) or a date (12 October), decided by the other components."""

    a: int
    b: int
    b_text: str


@dataclass(frozen=True, slots=True)
class BareHour:
    """A bare number after a day ("i morgen 9"): an hour."""

    hour: int


@dataclass(frozen=True, slots=True)
class MonthOnly:
    """A month with no day ("i maj"): not precise enough for a reminder."""

    month: int


@dataclass(frozen=True, slots=True)
class Invalid:
    """Something date-shaped that cannot be a date (hour 25, minute 75)."""

    reason: str


DAY_SPECS = (RelDay, Weekday, Week, DayMonth, DayOfMonth, MonthPart, NthWeekday, Holiday)

Spec = (
    RelDay | Weekday | Week | DayMonth | DayOfMonth | MonthPart | NthWeekday | Holiday | Offset | Duration
    | Clock | Period | Ambiguous | BareHour | MonthOnly | Invalid
)


@dataclass(frozen=True, slots=True)
class Comp:
    """A component found in the text: its spec and the tokens it covers (inclusive)."""

    spec: Spec
    first: int
    last: int
    weak: bool = False


# --- regular expression building blocks ----------------------------------------

_B = r"(?<![a-z0-9])"
_E = r"(?![a-z0-9])"
_NUMW = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUM = rf"(?:\d{{1,2}}|{_NUMW})"
_WD = "(?P<wd>" + "|".join(WEEKDAYS) + ")"
_WDS = "(?P<wds>" + "|".join(d + "s" for d in WEEKDAYS) + ")"
_MON = "(?P<mon>" + "|".join(MONTHS) + ")"
_DEN = r"(?:(?:den|d)\.? ?)?"
_ORD = r"(?:\.| ?(?:st|nd|rd|th))"
_NEXT_WEEK = r"(?:(?:i|in) )?(?:naste|next) (?:uge|week)"
_THIS_WEEK = r"(?:(?:i|in) )?(?:denne|this) (?:uge|week)"
_RANGE = r"(?: ?(?:-|til|to) ?\d{1,2}(?:[:.]\d{2})?)?"
_AMPM = r"(?P<ap>am|pm|a\.m\.|p\.m\.)"

_PERIOD_NAMES = {
    "morgen": "morning", "morning": "morning", "tidlig": "early", "early": "early",
    "formiddag": "forenoon", "middag": "noon", "frokost": "noon", "noon": "noon",
    "midday": "noon", "lunch": "noon", "eftermiddag": "afternoon", "afternoon": "afternoon",
    "aften": "evening", "evening": "evening", "nat": "night", "night": "night",
}

_HOLIDAY_WORDS = [
    (r"lille ?juleaften", "lillejuleaften"),
    (r"juleaften|christmas eve|xmas eve", "juleaften"),
    (r"(?:2\.?|anden) ?juledag|boxing day", "2. juledag"),
    (r"(?:(?:1\.?|forste) ?)?juledag|christmas day|christmas|xmas", "juledag"),
    (r"nytarsaften|new years?'?s? eve", "nytarsaften"),
    (r"nytarsdag|new years?'?s? day", "nytarsdag"),
    (r"grundlovsdag", "grundlovsdag"),
    (r"sankt ?hans(?: ?aften)?|sankthansaften", "sankthansaften"),
    (r"mortensaften", "mortensaften"),
    (r"valentinsdag|valentines? day", "valentinsdag"),
    (r"fastelavn(?:ssondag)?", "fastelavn"),
    (r"palmesondag", "palmesondag"),
    (r"skartorsdag", "skartorsdag"),
    (r"langfredag", "langfredag"),
    (r"(?:2\.?|anden) ?paskedag", "2. paskedag"),
    (r"(?:(?:1\.?|forste) ?)?paskedag|paskesondag|easter sunday|easter", "paskedag"),
    (r"(?:kristi |kr\.? ?)?himmelfart(?:sdag)?", "kristi himmelfartsdag"),
    (r"(?:2\.?|anden) ?pinsedag", "2. pinsedag"),
    (r"(?:(?:1\.?|forste) ?)?pinsedag|pinsesondag", "pinsedag"),
]

_MONTH_PART = {
    "primo": "primo", "starten af": "primo", "i starten af": "primo", "begyndelsen af": "primo",
    "i begyndelsen af": "primo", "forst i": "primo", "beginning of": "primo",
    "medio": "medio", "midt i": "medio", "midten af": "medio", "i midten af": "medio",
    "ultimo": "ultimo", "sidst i": "ultimo", "slutningen af": "ultimo",
    "i slutningen af": "ultimo", "udgangen af": "ultimo", "ved udgangen af": "ultimo",
    "end of": "ultimo", "sidst pa": "ultimo", "forst pa": "primo", "midt pa": "medio",
    "start of": "primo", "middle of": "medio", "the end of": "ultimo", "at the end of": "ultimo",
}
_MONTH_PART_RE = "|".join(sorted((re.escape(k) for k in _MONTH_PART), key=len, reverse=True))

Handler = Callable[[re.Match[str], list[Token]], list[tuple[Spec, bool]] | None]


def _num(text: str | None) -> int | None:
    return None if text is None else number_value(text)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _month(name: str) -> int:
    return MONTHS.index(name) + 1


# --- handlers --------------------------------------------------------------------

_UNIT_MINUTES = {
    "timer": 60.0, "time": 60.0, "t": 60.0, "timers": 60.0, "hours": 60.0, "hour": 60.0,
    "hrs": 60.0, "hr": 60.0, "minutter": 1.0, "minut": 1.0, "min": 1.0, "mins": 1.0,
    "minutes": 1.0, "minute": 1.0, "kvarter": 15.0, "quarter": 15.0,
    "sekunder": 1 / 60, "sekund": 1 / 60, "sek": 1 / 60, "seconds": 1 / 60, "second": 1 / 60,
    "secs": 1 / 60,
}


def _amount(text: str) -> float | None:
    text = text.strip()
    if text in ("en halv", "et halvt", "half an", "half a"):
        return 0.5
    if text in ("halvanden", "halvandet", "one and a half"):
        return 1.5
    if text in ("a", "an"):
        return 1.0
    if re.fullmatch(r"\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    value = number_value(text)
    return None if value is None else float(value)


def _duration(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    amount = _amount(m["n"])
    if amount is None:
        return None
    minutes = amount * _UNIT_MINUTES[m["u"]]
    if m["n2"]:
        extra = _amount(m["n2"])
        if extra is None:
            return None
        minutes += extra * _UNIT_MINUTES.get(m["u2"], 1.0)
    return [(Duration(minutes), False)]


_OFFSET_DAYS = {"dage": 1, "dag": 1, "dogn": 1, "days": 1, "day": 1, "uger": 7, "uge": 7,
                "weeks": 7, "week": 7}
_OFFSET_MONTHS = {"maned": 1, "months": 1, "month": 1, "ar": 12, "years": 12, "year": 12}


def _offset(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    amount = _amount(m["n"])
    if amount is None:
        return None
    unit = m["u"]
    if unit in _OFFSET_DAYS:
        days = amount * _OFFSET_DAYS[unit]
        if days != int(days):
            return None
        return [(Offset(int(days), 0, False), False)]
    if amount != int(amount):
        return None
    return [(Offset(0, int(amount) * _OFFSET_MONTHS[unit], False), False)]


def _offset_weak(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    """"i dag otte dage" is a week from today (Danish counts both ends); "14 dage" is 14."""
    days = number_value(m["n"])
    if days is None:
        return None
    return [(Offset(7 if days == 8 else days, 0, True), True)]


def _hour_word(text: str) -> int | None:
    value = number_value(text)
    if value is None or value > 24:
        return None
    return value


def _twelve(hour: int) -> tuple[int, bool]:
    """An hour counted back from ``hour`` in 12-hour reading, and whether it is literal."""
    if hour > 12:
        return hour, True
    return (12 if hour == 0 else hour), False


def _half(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    hour = _hour_word(m["h"])
    if hour is None or hour == 0:
        return None
    base, literal = _twelve(hour - 1)
    return [(Clock(base, 30, literal, None), False)]


def _quarter(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    hour = _hour_word(m["h"])
    if hour is None:
        return None
    if m["dir"] in ("over", "past"):
        base, literal = _twelve(hour)
        return [(Clock(base, 15, literal, None), False)]
    if hour == 0:
        return None
    base, literal = _twelve(hour - 1)
    return [(Clock(base, 45, literal, None), False)]


def _minutes_to(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    """"ti over tre", "fem i tolv", "fem over halv ti", "ten to nine"."""
    minutes = number_value(m["n"])
    hour = _hour_word(m["h"])
    if minutes is None or hour is None or hour == 0:
        return None
    if not m["mw"] and (minutes not in (5, 10, 20, 25) or (m["n"].isdigit() and not m["kl"])):
        return None
    if minutes <= 0 or minutes >= 30:
        return None
    after = m["dir"] in ("over", "past")
    if m["half"]:
        total = (hour - 1) * 60 + 30 + (minutes if after else -minutes)
    else:
        total = hour * 60 + (minutes if after else -minutes)
    base, literal = _twelve(total // 60)
    return [(Clock(base, total % 60, literal, None), False)]


def _half_past(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    hour = _hour_word(m["h"])
    if hour is None:
        return None
    base, literal = _twelve(hour)
    return [(Clock(base, 30, literal, None), False)]


def _ampm(text: str | None) -> str | None:
    if not text:
        return None
    return "am" if text.startswith("a") else "pm"


def _clock(hour_text: str, minute_text: str | None, ap: str | None) -> Spec:
    hour = int(hour_text)
    minute = int(minute_text) if minute_text is not None else 0
    if hour > 23 or minute > 59 or (ap and (hour > 12 or hour == 0)):
        return Invalid(f"{hour_text}:{minute_text or '00'}")
    literal = (len(hour_text) == 2 and hour_text.startswith("0")) or hour == 0 or hour >= 13
    return Clock(hour, minute, literal, _ampm(ap))


def _kl_time(m: re.Match[str], tokens: list[Token]) -> list[tuple[Spec, bool]] | None:
    weak = m["pre"] == "at" and not (m["m"] or m["ap"])
    return [(_clock(m["h"], m["m"], m["ap"]), weak)]


def _kl_compact(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    digits = m["hm"]
    return [(_clock(digits[:-2], digits[-2:], None), False)]


def _kl_word(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    hour = _hour_word(m["hw"])
    if hour is None or hour == 0 or hour > 12:
        return None
    return [(Clock(hour, 0, False, None), False)]


def _colon(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(_clock(m["h"], m["m"], m["ap"]), False)]


def _ampm_time(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(_clock(m["h"], m["m"], m["ap"]), False)]


def _tiden(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    hour = _hour_word(m["h"])
    if hour is None:
        return None
    if hour > 23:
        return [(Invalid(m["h"]), False)]
    return [(Clock(hour, 0, hour >= 13 or hour == 0, None), False)]


_COMPOUNDS = {
    "i aften": (0, "evening"), "tonight": (0, "evening"), "this evening": (0, "evening"),
    "i eftermiddag": (0, "afternoon"), "this afternoon": (0, "afternoon"),
    "i formiddag": (0, "forenoon"), "i morges": (0, "morning"), "this morning": (0, "morning"),
    "i nat": (0, "night"), "i gar aftes": (-1, "evening"),
}


def _compound(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    days, period = _COMPOUNDS[m.group(0)]
    return [(RelDay(days), False), (Period(period), False)]


_RELDAYS = [
    (r"(?:i )?overmorgen|(?:the )?day after tomorrow", 2),
    (r"i morgen|tomorrow", 1),
    (r"i dag|today", 0),
    (r"(?:i )?forgars|(?:the )?day before yesterday", -2),
    (r"i gar|yesterday", -1),
]


def _relday(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    text = m.group(0)
    for pattern, days in _RELDAYS:
        if re.fullmatch(pattern, text):
            return [(RelDay(days), False)]
    return None


def _holiday(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    text = m.group(0)
    for pattern, name in _HOLIDAY_WORDS:
        if re.fullmatch(pattern, text):
            weak = name == "juledag" and text in ("christmas", "xmas")
            return [(Holiday(name), weak)]
    return None


def _week(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    week = int(m["w"])
    if not 1 <= week <= 53:
        return [(Invalid(f"uge {week}"), False)]
    return [(Week(week, _year(m["y"]), None), False)]


def _weekday_in_week(mode: str) -> Handler:
    def handler(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
        return [(Weekday(WEEKDAYS.index(m["wd"]), mode), False)]

    return handler


def _relative_week(weeks: int) -> Handler:
    def handler(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
        return [(Week(None, None, weeks), False)]

    return handler


def _past_weekday(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    groups = m.groupdict()
    name = groups["wds"][:-1] if groups.get("wds") else groups["wd"]
    return [(Weekday(WEEKDAYS.index(name), "past"), False)]


def _weekday(m: re.Match[str], tokens: list[Token]) -> list[tuple[Spec, bool]] | None:
    qualifier = m["q"]
    mode = "this_or_next" if qualifier in ("denne", "this", "nu pa") else "next"
    weak = qualifier is None and m["dot"] is None and any(t.weak for t in tokens)
    return [(Weekday(WEEKDAYS.index(m["wd"]), mode), weak)]


def _date(m: re.Match[str], tokens: list[Token]) -> list[tuple[Spec, bool]] | None:
    groups = m.groupdict()
    day = int(groups["d"]) if groups.get("d") else 1
    if groups.get("mon"):
        month = _month(groups["mon"])
    else:
        month = int(groups["m"])
    year = _year(groups.get("y"))
    weak = bool(groups.get("mon")) and m.group(0).startswith(groups["mon"]) and any(
        t.weak for t in tokens
    )
    return [(DayMonth(day, month, year), weak)]


def _day_of_month(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    groups = m.groupdict()
    day = 1 if groups.get("dw") else int(groups["d"])
    weak = not groups.get("dot") and not groups.get("dw") and not m.group(0).startswith("the")
    return [(DayOfMonth(day), weak)]


def _day_of_next_month(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(DayOfMonth(int(m["d"]), 1), False)]


def _nth_weekday(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    weekday = WEEKDAYS.index(m["wd"])
    if m["mon"]:
        return [(NthWeekday(_NTH[m["nth"]], weekday, _month(m["mon"]), _year(m["y"]), None), False)]
    relative = 1 if m["rel"] and m["rel"].startswith(("naste", "next")) else 0
    return [(NthWeekday(_NTH[m["nth"]], weekday, None, None, relative), False)]


def _weekend(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(Weekday(5, "this_or_next"), False)]


def _before_weekend(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(Weekday(4, "this_or_next"), False)]


def _month_part(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    part = _MONTH_PART[m["part"]]
    if m["mon"]:
        return [(MonthPart(part, _month(m["mon"]), _year(m["y"]), None), False)]
    relative = 1 if m["rel"] and m["rel"].startswith(("naste", "next")) else 0
    return [(MonthPart(part, None, None, relative), False)]


def _month_only(m: re.Match[str], tokens: list[Token]) -> list[tuple[Spec, bool]] | None:
    if any(t.weak for t in tokens):
        return None
    month = m.groupdict().get("mon")
    return [(MonthOnly(_month(month) if month else 0), False)]


def _date_dash(m: re.Match[str], tokens: list[Token]) -> list[tuple[Spec, bool]] | None:
    """"29-11": a date, but weak without "den" (in a sentence "3-4" is rather a range)."""
    return [(DayMonth(int(m["d"]), int(m["m"]), None), m["den"] is None)]


def _ambiguous(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(Ambiguous(int(m["a"]), int(m["b"]), m["b"]), False)]


def _period(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(Period(_PERIOD_NAMES[m["p"]]), True)]


def _bare_hour(m: re.Match[str], _: list[Token]) -> list[tuple[Spec, bool]] | None:
    return [(BareHour(int(m["h"])), True)]


# --- the rules, in order ---------------------------------------------------------

_HOURW = rf"(?:\d{{1,2}}|{_NUMW})"
_DURATION_UNITS = (
    r"timer|timers|time|t|minutter|minut|mins|min|minutes|minute|hours|hour|hrs|hr|kvarter|"
    r"quarter|sekunder|sekund|sek|seconds|second|secs"
)
# An amount and the space before its unit (digits may touch the unit: "30min", "2t").
_AMOUNT = (
    rf"\d{{1,3}}(?:[.,]\d+)? ?|(?:en halv|et halvt|half an|half a|halvanden|halvandet|"
    rf"one and a half|{_NUMW}|an|a) "
)
_PERIOD_WORDS = "|".join(sorted(_PERIOD_NAMES, key=len, reverse=True))

_NTH = {"forste": 1, "first": 1, "anden": 2, "andet": 2, "second": 2, "tredje": 3, "third": 3,
        "fjerde": 4, "fourth": 4, "sidste": -1, "last": -1}

_RULES: list[tuple[str, Handler]] = [
    # "første mandag i december", "sidste fredag i måneden", "the last friday of next month"
    (rf"(?:the )?(?P<nth>{'|'.join(_NTH)}) {_WD}\.? (?:i|in|of) (?:(?:{_MON}\.?(?:,? ?(?P<y>\d{{4}}))?)|"
     r"(?P<rel>(?:denne |naste |next |this |the )?(?:maneden|maned|month)))", _nth_weekday),
    # the weekend: its Saturday; "inden weekenden": the Friday before
    (r"(?:(?:inden|for|before|op til) (?:the )?)weekend(?:en)?", _before_weekend),
    (r"(?:(?:i|til|this|the|on the|pa|in the) )?weekend(?:en)?", _weekend),
    # "om 2 timer", "om en halv time", "in 30 minutes", "om 2 timer og 15 minutter"
    (rf"(?:om|in) (?:ca\.? |cirka |about )?(?P<n>{_AMOUNT})(?P<u>{_DURATION_UNITS})"
     rf"(?: (?:og|and) (?P<n2>{_AMOUNT})(?P<u2>minutter|minut|min|minutes|minute|kvarter))?",
     _duration),
    (rf"(?P<n>{_AMOUNT})(?P<u>{_DURATION_UNITS})(?P<n2>)(?P<u2>) (?:fra nu|from now)", _duration),
    # "om 3 dage", "om en uge", "om 2 måneder", "in 3 days"
    (rf"(?:om|in) (?P<n>\d{{1,3}}|{_NUMW}|halvanden|halvandet|an|a) "
     rf"(?P<u>dage|dag|dogn|uger|uge|maned|ar|days|day|weeks|week|months|month|years|year)",
     _offset),
    (rf"(?P<n>\d{{1,3}}|{_NUMW}) (?P<u>dage|days|uger|weeks) (?:fra nu|from now)", _offset),
    # word times: "halv ti", "kvart i ti", "fem over halv ti", "ten to nine"
    (rf"(?:kl\.? ?)?(?:(?:et|a) )?(?:kvart|quarter) (?P<dir>over|i|past|to) (?P<h>{_HOURW})",
     _quarter),
    (rf"(?P<kl>kl\.? ?)?(?P<n>{_NUM})(?: (?P<mw>minutter|minut|min|minutes))? "
     rf"(?P<dir>over|i|past|to) (?P<half>halv )?(?P<h>{_HOURW})", _minutes_to),
    (rf"(?:kl\.? ?)?halv (?P<h>{_HOURW})", _half),
    (rf"half past (?P<h>{_HOURW})", _half_past),
    # clock times
    (rf"(?:(?:ca|cirka|omkring|around|ved)\.? )?(?P<pre>kl|at|@)\.? ?:? ?(?P<h>\d{{1,2}})"
     rf"(?:(?: ?[:.,] ?)(?P<m>\d{{2}}))?(?: ?{_AMPM})?{_RANGE}(?![0-9])", _kl_time),
    (r"(?:(?:ca|cirka|omkring|ved)\.? )?kl\.? ?:? ?(?P<hm>\d{3,4})", _kl_compact),
    (rf"(?:(?:ca|cirka|omkring|ved)\.? )?kl\.? ?(?P<hw>{_NUMW})", _kl_word),
    (rf"(?P<h>\d{{1,2}}) ?: ?(?P<m>\d{{2}})(?: ?{_AMPM})?{_RANGE}(?![0-9])", _colon),
    (rf"(?P<h>\d{{1,2}})(?:[.:](?P<m>\d{{2}}))? ?{_AMPM}", _ampm_time),
    (rf"(?:(?:ved|omkring|around) )?(?P<h>{_HOURW}) ?-? ?tiden", _tiden),
    # days
    ("|".join(re.escape(k) for k in sorted(_COMPOUNDS, key=len, reverse=True)), _compound),
    ("|".join(p for p, _ in _RELDAYS), _relday),
    ("|".join(p for p, _ in _HOLIDAY_WORDS), _holiday),
    (r"(?:(?:i|in) )?(?:uge|week|wk)\.? ?(?:nr\.? ?)?(?P<w>\d{1,2})"
     r"(?:(?: ?[,/-] ?| | i | in )(?P<y>\d{4}))?(?![0-9])", _week),
    (rf"(?:(?:pa|on) )?{_WD}\.?,? {_NEXT_WEEK}", _weekday_in_week("next_week")),
    (rf"{_NEXT_WEEK},? (?:(?:pa|on) )?{_WD}\.?", _weekday_in_week("next_week")),
    (rf"(?:(?:pa|on) )?{_WD}\.?,? {_THIS_WEEK}", _weekday_in_week("this_week")),
    (rf"{_THIS_WEEK},? (?:(?:pa|on) )?{_WD}\.?", _weekday_in_week("this_week")),
    (_NEXT_WEEK, _relative_week(1)),
    (_THIS_WEEK, _relative_week(0)),
    (rf"(?:i )?{_WDS}", _past_weekday),
    (rf"(?:sidste|forrige|last) {_WD}\.?", _past_weekday),
    (rf"(?:(?P<q>pa naste|pa denne|nu pa|pa|on|naste|next|denne|this|on the) )?{_WD}(?P<dot>\.)?",
     _weekday),
    # dates with a year
    (r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![0-9])", _date),
    (rf"{_DEN}(?P<d>\d{{1,2}}) ?[./-] ?(?P<m>\d{{1,2}}) ?[./-] ?(?P<y>\d{{4}}|\d{{2}})(?![0-9])",
     _date),
    (rf"{_DEN}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}}),? (?P<y>\d{{4}})(?![0-9])", _date),
    # primo/medio/ultimo
    (rf"(?P<part>{_MONTH_PART_RE}) (?:(?:{_MON}\.?(?:,? ?(?P<y>\d{{4}}))?)|"
     r"(?P<rel>(?:denne |naste |next |this |the )?(?:maneden|maned|month)))", _month_part),
    # dates with a month name
    (rf"{_DEN}(?P<d>\d{{1,2}}){_ORD}? ?(?:(?:af|of|i) )?{_MON}\.?(?:,? ?(?P<y>\d{{4}}))?", _date),
    (rf"{_DEN}(?P<dw>forste|first) (?:(?:af|of) )?{_MON}\.?(?:,? ?(?P<y>\d{{4}}))?", _date),
    (rf"{_MON}\.? ?(?:den |d\.? ?|the )?(?P<d>\d{{1,2}}){_ORD}?(?![0-9])(?:,? ?(?P<y>\d{{4}}))?",
     _date),
    # numeric dates without a year
    (rf"{_DEN}(?P<d>\d{{1,2}}) ?/ ?(?P<m>\d{{1,2}})(?! ?[/.-] ?\d)(?![0-9])", _date),
    (rf"{_DEN}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?![0-9])", _date),
    (rf"{_DEN}(?P<d>\d{{1,2}})\.(?P<m>\d)(?![0-9.:])", _date),
    (r"(?:den|d)\.? ?(?P<d>\d{1,2})\.(?P<m>\d{2})(?![0-9.:])", _date),
    (r"(?P<den>(?:den|d)\.? ?)?(?P<d>\d{1,2})-(?P<m>\d{1,2})(?![0-9])(?! ?[/.:-] ?\d)", _date_dash),
    # "den 1. i næste måned", "the 1st of next month"
    (r"(?:(?:den|d)\.? ?|(?:on )?the )?(?P<d>\d{1,2})(?:\.| ?(?:st|nd|rd|th))? (?:i |of |in )?(?P<rel>naste|next) "
     r"(?:maned|month)", _day_of_next_month),
    # "den 3.", "d. 3", "the 3rd"
    (r"(?:den|d)\.? ?(?P<d>\d{1,2})(?P<dot>\.| ?(?:st|nd|rd|th))?(?![0-9])(?! ?[/:-]\d)(?!\.\d)",
     _day_of_month),
    (r"(?:den )?(?P<dw>forste)(?! ?[a-z])", _day_of_month),
    (r"(?:on )?the (?P<d>\d{1,2})(?P<dot> ?(?:st|nd|rd|th))", _day_of_month),
    # a month alone is not enough
    (rf"(?:(?:i|in) )?{_MON}(?: (?P<y>\d{{4}}))?", _month_only),
    (r"(?:(?:i|in) )?(?:naste|next|denne|this) (?:maned|month)", _month_only),
    # "12.10": a time or a date
    (r"(?P<a>\d{1,2})\.(?P<b>\d{2})(?![0-9])(?!\.\d)", _ambiguous),
    # parts of the day
    (rf"(?:(?:om|i|til|ved|in the|this|at|on) )?(?P<p>{_PERIOD_WORDS})", _period),
    # "otte dage", "14 dage" after a day ("i dag otte dage", "fredag 14 dage")
    (r"(?P<n>otte|8|fjorten|14) dage", _offset_weak),
    # "i morgen 9"
    (r"(?P<h>\d{1,2})(?![0-9])(?! ?[./:]\d)", _bare_hour),
]

_COMPILED: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(_B + "(?:" + pattern + ")" + _E), handler) for pattern, handler in _RULES
]


def find_components(tokens: list[Token]) -> list[Comp]:
    """All date/time components in ``tokens``, sorted by position."""
    text, spans = canonical_string(tokens)
    starts = {start: i for i, (start, _) in enumerate(spans)}
    ends = {end: i for i, (_, end) in enumerate(spans)}
    taken = [False] * len(tokens)
    found: list[Comp] = []
    for pattern, handler in _COMPILED:
        position = 0
        while position <= len(text):
            m = pattern.search(text, position)
            if m is None:
                break
            first = starts.get(m.start())
            last = ends.get(m.end())
            if first is None or last is None or any(taken[first:last + 1]):
                position = m.start() + 1
                continue
            specs = handler(m, tokens[first:last + 1])
            if not specs:
                position = m.start() + 1
                continue
            for i in range(first, last + 1):
                taken[i] = True
            for spec, weak in specs:
                found.append(Comp(spec, first, last, weak))
            position = m.end()
    found.sort(key=lambda c: (c.first, c.last))
    return found
