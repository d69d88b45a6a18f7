"""dateparser as the last fallback of the Danish date layer, with sanity checks.

dateparser on its own gets about a quarter of Danish reminder phrases right (see
``bench/dates.py``): it drops "kl.", reads "5/6 kl. 13" as the year
2113 and keeps the current clock time for phrases that name no time. So a result
from here is only accepted when

* dateparser reports a day or a time (not a week, month or year) period;
* it lies within :data:`MAX_DISTANCE` of now;
* whether it has a time agrees with the text: a "time" result needs a time-looking
  part in the text, and a "day" result is rejected if the text has one (the time
  would have been lost);
* every word of the text is an (English) date word and there is at least one digit or
  date name: dateparser happily reads "en" as the 1st of the month;
* the day does not depend on dateparser's guesses: parsing again with the opposite
  ``PREFER_DAY_OF_MONTH`` gives the same date, and a clock time does not move when
  "now" moves (unless the text is relative: "in 2 hours");
* the text names a month, a weekday or a relative day, or is relative ("in 3 days"),
  and the numbers explain the result: without a relative word the result's day (and,
  without a month name, its month) must be a number in the text, and a clock time's
  hour must be a number in the text or a word like "noon" ("jul 14:00" is not read as
  22 July because today is the 22nd); and every number in the text must be one of the
  result's day, month, year, hour or minute (or the amount of a relative phrase).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

__all__ = ["fallback_parse", "MAX_DISTANCE"]

MAX_DISTANCE = timedelta(days=730)

_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_DAY_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun today tomorrow yesterday tonight noon midnight midnat midday fortnight"
).split()
_GLUE_WORDS = (
    "next last this coming in at on the of by before after from ago and a an day days week "
    "weeks month months year years hour hours minute minutes min mins hr hrs morning afternoon "
    "evening night am pm st nd rd th o clock"
).split()
_NAMES = frozenset(_MONTH_WORDS) | frozenset(_DAY_WORDS)
_ALLOWED = _NAMES | frozenset(_GLUE_WORDS)
_WORD = re.compile(r"[^\W\d_]+")
_RELATIVE_DAY_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun today tomorrow yesterday tonight fortnight next last this ago".split()
)
_HOUR_WORDS = frozenset("noon midnight midnat midday".split())
_RELATIVE = re.compile(
    r"\b(?:in\s+(?:\d+|an?|one|two|three|half\s+an?)\s+(?:hours?|minutes?|mins?|hrs?|days?|weeks?)|"
    r"\d+\s+(?:hours?|minutes?|mins?|hrs?|days?|weeks?)\s+(?:ago|from\s+now))\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+")


def _explained(text: str, words: list[str], value: datetime, has_time: bool) -> bool:
    """Do the text's numbers and words account for ``value`` (see the module docstring)?"""
    relative = bool(_RELATIVE.search(text))
    numbers = {int(n) for n in _NUMBER.findall(_RELATIVE.sub(" ", text))}
    accounted = {value.day, value.month, value.year, value.year % 100}
    if has_time:
        accounted |= {value.hour, value.hour % 12, value.minute, 12 if value.hour in (0, 12) else 0}
    if numbers - accounted:
        return False
    has_month = any(w in _MONTH_WORDS for w in words)
    if not (relative or has_month or any(w in _NAMES for w in words)):
        return False
    if not relative and not any(w in _RELATIVE_DAY_WORDS for w in words):
        if value.day not in numbers:
            return False
        if not has_month and value.month not in numbers:
            return False
    if has_time and not relative and not any(w in _HOUR_WORDS for w in words):
        hours = {value.hour, value.hour % 12, 12 if value.hour in (0, 12) else value.hour % 12}
        if not hours & numbers:
            return False
    return True

_TIME_EVIDENCE = re.compile(
    r"\d{1,2}\s*[:.]\s*\d{2}(?!\s*[./-]?\d)|\d\s*(?:am|pm|a\.m\.|p\.m\.)\b|\b(?:kl|klokken|at|noon|"
    r"midnight|midnat|middag|aften|morgen|morning|evening|afternoon|tonight|o'clock|hours?|"
    r"minutes?|timer?|minutter)\b",
    re.IGNORECASE,
)


def fallback_parse(text: str, now_local: datetime) -> tuple[date, time | None] | None:
    """Parse ``text`` with dateparser; ``(date, time or None)`` or ``None`` if unsure.

    ``now_local`` is an aware Europe/Copenhagen datetime. The caller builds the aware
    result (so DST is handled in one place).
    """
    try:
        from dateparser.date import DateDataParser
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    words = [w.casefold() for w in _WORD.findall(text)]
    if any(w not in _ALLOWED for w in words):
        return None
    if not any(ch.isdigit() for ch in text) and not any(w in _NAMES for w in words):
        return None
    base = now_local.replace(tzinfo=None, second=0, microsecond=0)

    def parse(relative_base: datetime, day_of_month: str) -> tuple[datetime | None, str | None]:
        settings = {
            "RELATIVE_BASE": relative_base,
            "PREFER_DATES_FROM": "future",
            "PREFER_DAY_OF_MONTH": day_of_month,
            "DATE_ORDER": "DMY",
            "RETURN_TIME_AS_PERIOD": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
        }
        try:
            data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
        except Exception:  # noqa: BLE001 - dateparser raises many types on odd input
            return None, None
        value = data.date_obj
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return (value if isinstance(value, datetime) else None), data.period

    value, period = parse(base, "first")
    if value is None or period not in ("day", "time"):
        return None
    if abs(value - base) > MAX_DISTANCE:
        return None
    other, _ = parse(base, "last")
    if other is None or other.date() != value.date():
        return None
    has_time_words = bool(_TIME_EVIDENCE.search(text))
    if period == "time":
        if not has_time_words:
            return None
        shift = timedelta(minutes=13)
        moved, _ = parse(base + shift, "first")
        if moved is None:
            return None
        if moved != value and not (moved - value == shift and _RELATIVE.search(text)):
            return None
        if not _explained(text, words, value, True):
            return None
        return value.date(), value.time().replace(second=0, microsecond=0)
    if has_time_words or not _explained(text, words, value, False):
        return None
    return value.date(), None
