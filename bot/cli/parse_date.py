"""``medbot parse-date``: what MED-bot understands by a Danish date/time phrase.

    medbot parse-date "på tirsdag kl. 9" --now 2026-11-22T10:00:00 --json
    {"iso": "2026-11-24T09:00:00", "has_time": true}

    printf 'i morgen\\nuge 34\\n' | medbot parse-date --json     # one JSON line per input line

Output with ``--json``: ``{"iso": "YYYY-MM-DDTHH:MM:SS", "has_time": true}`` (local
Copenhagen wall time, no offset), ``{"iso": "YYYY-MM-DD", "has_time": false}`` when the
phrase names no time, or ``{"iso": null, "error": "<Danish message>"}``. Without
``--json`` the understood moment is printed in Danish ("tirsdag 24. november 2026 kl.
09.00"). With no TEXT, one phrase per line is read from stdin and one result line is
printed (and flushed) per input line, blank lines included.

``--now`` is the reference time: a naive ISO time is read as Copenhagen wall time
(``2026-11-22T10:00:00``), or give an offset (``2026-11-22T09:00:00Z``). Default: the
current time.

Past dates (a choice, see knowledge.dates for all interpretation rules): phrases without
a year are always resolved to their next occurrence ("26. aug", "uge 34", "mandag"), so
they are never in the past; a phrase that still lands in the past ("i går", "i dag kl. 8"
at 10.00, "i mandags") is an error, as it would be for a reminder. The one exception is
a phrase that names an explicit year ("1/9-2025", "uge 2 2025", "2025-03-01"): the
user said exactly which day, so that date is returned even when it has passed. Use
``--allow-past`` to get every past result instead of an error.

Exit code: 0 when the phrase was understood, 1 when not; 0 in stdin mode (each line
carries its own result).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import TextIO

from bot.clock import SystemClock
from dialogs.texts import date_error
from knowledge.clock import COPENHAGEN
from knowledge.dates import DateParseError, ParsedWhen, format_when, local_datetime, parse_when

__all__ = ["register", "run", "parse_now", "understand"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "parse-date",
        help="vis hvordan botten forstår en dansk dato/tid (fx »på tirsdag kl. 9«)",
        description="Vis hvordan MED-bot forstår en dato eller et tidspunkt skrevet på dansk. "
        "Uden TEKST læses én sætning pr. linje fra stdin.",
    )
    parser.add_argument("text", nargs="*", metavar="TEKST", help="fx »i morgen kl. 9« eller »uge 34«")
    parser.add_argument(
        "--now",
        type=parse_now,
        default=None,
        help="referencetid, fx 2026-11-22T10:00:00 (lokal tid) eller med offset; standard: nu",
    )
    parser.add_argument("--json", action="store_true", help="skriv JSON")
    parser.add_argument(
        "--allow-past", action="store_true", help="returnér også tidspunkter, der er passeret"
    )
    parser.set_defaults(handler=run)


def parse_now(value: str) -> datetime:
    """``--now``: naive = Copenhagen wall time, else converted to Copenhagen."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"ugyldig --now: {value!r} (brug fx 2026-11-22T10:00:00)"
        ) from error
    if moment.tzinfo is None:
        return local_datetime(moment.date(), moment.time())
    return moment.astimezone(COPENHAGEN)


def _iso(parsed: ParsedWhen) -> str:
    value = parsed.value
    if isinstance(value, datetime):
        return value.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M:%S")
    assert isinstance(value, date)
    return value.isoformat()


def understand(text: str, now: datetime, *, allow_past: bool = False) -> ParsedWhen:
    """Parse one phrase with the CLI's past-date rule (see the module docstring)."""
    try:
        return parse_when(text, now, allow_past=allow_past)
    except DateParseError as error:
        if error.code == "past" and error.parsed is not None and error.parsed.explicit_year:
            return error.parsed
        raise


def _result(text: str, now: datetime, allow_past: bool) -> tuple[dict[str, object], str, bool]:
    """The JSON object, the human line and whether it was understood."""
    try:
        parsed = understand(text, now, allow_past=allow_past)
    except DateParseError as error:
        message = date_error(error.code)
        return {"iso": None, "error": message}, message, False
    payload: dict[str, object] = {"iso": _iso(parsed), "has_time": parsed.has_time}
    return payload, format_when(parsed.value, parsed.has_time), True


def _emit(out: TextIO, payload: dict[str, object], line: str, as_json: bool) -> None:
    out.write((json.dumps(payload, ensure_ascii=False) if as_json else line) + "\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    clock = SystemClock()

    def now() -> datetime:
        return args.now if args.now is not None else clock.now().astimezone(COPENHAGEN)

    out = sys.stdout
    if args.text:
        payload, line, ok = _result(" ".join(args.text), now(), args.allow_past)
        if ok or args.json:
            _emit(out, payload, line, args.json)
        else:
            sys.stderr.write(line + "\n")
        return 0 if ok else 1
    for raw in iter(sys.stdin.readline, ""):
        payload, line, _ok = _result(raw.rstrip("\r\n"), now(), args.allow_past)
        _emit(out, payload, line, args.json)
    return 0
