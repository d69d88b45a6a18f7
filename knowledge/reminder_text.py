"""Reading reminder commands and subscription targets from Danish text (pure functions).

Commands (numbers are the positions in the user's list, »mine påmindelser«):

* ``udsæt 1 time`` / ``udsæt påmindelse 2 med 30 minutter`` / ``udsæt 2 til i morgen kl 9``
* ``flyt påmindelse 2 til fredag kl 10`` / ``flyt 2 til 5/12 kl. 13``
* ``slet påmindelse 3`` / ``slet 3`` / ``fjern 3``

or by what they are about (matched fuzzily, :func:`match_reminders`):

* ``slet den om Rikke`` / ``slet min påmindelse`` / ``kan påmindelsen om APV slettes``
* ``flyt den om AMR til fredag kl 10`` / ``flyt arbejdsmiljødrøftelsen til torsdag`` /
  ``kan den om Lise flyttes til kvart over ni`` / ``flyt den om AMR`` (no time: asked)
* ``fortryd`` right after a reminder was saved: that one

Subscription targets: ``abonnér på HovedMEDs møder`` -> the committee HovedMED;
``budgetfrister`` / ``budgettet`` -> :attr:`Topic.BUDGET`; ``MEDsamarbejdet`` ->
:attr:`Topic.MEDSAMARBEJDET`. Dates inside commands are left as text for the date layer
(:mod:`knowledge.dates`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz

from knowledge.calendar import Topic
from knowledge.dates import DateParseError, parse_when
from knowledge.normalize import clean_spaces, fold, tokens

__all__ = [
    "DeleteCommand",
    "ManageCommand",
    "MoveCommand",
    "SnoozeCommand",
    "SubscriptionRequest",
    "parse_duration",
    "parse_manage_command",
    "is_unsubscribe",
    "is_vague_what",
    "match_reminders",
    "parse_subscription",
    "resolve_target",
    "strip_reminder_lead",
    "strip_time_words",
]

_A = "(?:æ|ae|a)"
_AA = "(?:å|aa|a)"
_O = "(?:ø|oe|o)"
_REMINDER_WORD = rf"(?:p{_AA}mindelse(?:n|r|rne)?|reminders?)"
_NUMBER = r"(?:nr\.?\s*|nummer\s+|#)?(\d{1,3})"

_UNITS: dict[str, timedelta] = {
    "minut": timedelta(minutes=1),
    "minutter": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "m": timedelta(minutes=1),
    "kvarter": timedelta(minutes=15),
    "time": timedelta(hours=1),
    "timer": timedelta(hours=1),
    "t": timedelta(hours=1),
    "dag": timedelta(days=1),
    "dage": timedelta(days=1),
    "d": timedelta(days=1),
    "uge": timedelta(weeks=1),
    "uger": timedelta(weeks=1),
}
_AMOUNTS = {"en": 1.0, "et": 1.0, "1": 1.0, "to": 2.0, "tre": 3.0, "fire": 4.0, "halvanden": 1.5, "en halv": 0.5, "et halvt": 0.5, "halv": 0.5}
_DURATION_RX = re.compile(
    r"^(?:med\s+)?(\d+(?:[.,]\d+)?|en halv|et halvt|halvanden|en|et|to|tre|fire|halv)\s*("
    + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
    + r")\.?$"
)


@dataclass(frozen=True)
class SnoozeCommand:
    number: int | None  # None: the reminder that was just delivered (or the only one)
    delay: timedelta | None = None  # "udsæt 1 time"
    when_text: str | None = None  # "udsæt 2 til i morgen kl 9"


@dataclass(frozen=True)
class MoveCommand:
    number: int | None
    when_text: str  # "" when no time was given ("flyt den om AMR"): the dialog asks
    about: str | None = None  # "flyt den om AMR til …" -> "AMR"
    just_saved: bool = False  # "nej kl 10" right after a reminder was saved: that one


@dataclass(frozen=True)
class DeleteCommand:
    number: int | None
    about: str | None = None  # "slet den om Rikke" -> "Rikke"
    just_saved: bool = False  # "fortryd": the reminder that was saved a moment ago
    every: bool = False  # "slet alle mine påmindelser"


ManageCommand = SnoozeCommand | MoveCommand | DeleteCommand


def parse_duration(text: str) -> timedelta | None:
    """``"1 time"``, ``"30 minutter"``, ``"en halv time"``, ``"2 dage"`` -> timedelta."""
    match = _DURATION_RX.match(clean_spaces(text.lower()))
    if not match:
        return None
    raw, unit = match.group(1), match.group(2)
    amount = _AMOUNTS.get(raw)
    if amount is None:
        amount = float(raw.replace(",", "."))
    delay = _UNITS[unit] * amount
    return delay if delay > timedelta(0) else None


_SNOOZE_RX = re.compile(rf"^(?:uds{_A}t|snooze)(?:\s+{_REMINDER_WORD})?(?:\s+{_NUMBER})?\s+(.+)$")
_MOVE_RX = re.compile(rf"^(?:flyt|{_AA}ndr|ret)(?:\s+{_REMINDER_WORD})?(?:\s+{_NUMBER})?\s+(?:til\s+)(.+)$")
_DELETE_RX = re.compile(rf"^(?:slet|fjern|annuller|delete)(?:\s+{_REMINDER_WORD})?\s+{_NUMBER}$")
_DELETE_ONLY_RX = re.compile(rf"^(?:slet|fjern|delete)\s+(?:den|{_REMINDER_WORD})$")


def parse_manage_command(text: str) -> ManageCommand | None:
    """A snooze/move/delete command, or None when ``text`` is not one."""
    raw = clean_spaces(text.lower()).rstrip("!?. ")
    match = _CORRECTION_RX.match(raw)
    if match and _is_time(match.group("when")):
        return MoveCommand(None, _original_tail(text, match.group("when")), just_saved=True)
    lowered = _COMMAND_TAIL_RX.sub("", _COMMAND_LEAD_RX.sub("", raw, count=1))
    lowered = _ORDINAL_RX.sub(lambda m: f"{m.group(1)} {_ORDINALS[m.group(2)]}", lowered)  # »slet den første« -> »slet 1«
    if _UNDO_RX.match(lowered):
        return DeleteCommand(None, just_saved=True)
    asked = _ASKED_RX.match(lowered) or _PASSIVE_RX.match(lowered)
    if asked:
        # "kan du flytte den om Lise til …", "kan den om Lise flyttes til …": the plain command.
        verb = "flyt" if asked.group("verb").startswith(("flyt", "ryk")) else "slet"
        rest = clean_spaces(f"{asked.group('target')} {asked.group('tail') or ''}")
        command = parse_manage_command(f"{verb} {rest}")
        if isinstance(command, (MoveCommand, DeleteCommand)) and command.about:
            command = replace(command, about=_original_part(text, command.about))
        if isinstance(command, MoveCommand) and command.when_text:
            command = replace(command, when_text=_original_tail(text, command.when_text.lower()))
        return command
    match = _DELETE_RX.match(lowered)
    if match:
        return DeleteCommand(int(match.group(1)))
    if _DELETE_ONLY_RX.match(lowered):
        return DeleteCommand(None)
    match = _MOVE_RX.match(lowered)
    if match:
        number = int(match.group(1)) if match.group(1) else None
        return MoveCommand(number, _original_tail(text, match.group(2)))
    match = _DELETE_ABOUT_RX.match(lowered)
    if match:
        return DeleteCommand(None, about=_original_part(text, match.group(1)) if match.group(1) else None)
    if _DELETE_ALL_RX.match(lowered):
        return DeleteCommand(None, every=True)
    if _DELETE_WITH_REASON_RX.match(lowered):
        return DeleteCommand(None)  # »slet den igen, mødet er aflyst«, »glem påmindelsen helt, det er ikke mig …«
    match = _DELETE_NAMED_RX.match(lowered)
    if match and not _NOT_A_REMINDER.search(match.group(1)):
        # »slet apv«: the reminder by a word of its text
        return DeleteCommand(None, about=_original_part(text, match.group(1)))
    match = _MOVE_ABOUT_RX.match(lowered)
    if match:
        body = match.group(1)
        target, when = body, ""
        if " til " in f" {body} ":
            head, _sep, tail = f" {body}".rpartition(" til ")
            target, when = head.strip(), tail.strip()
        about = _about(target)
        if about is not False and (when or _ABOUT_RX.match(target)):
            named = _original_part(text, about) if isinstance(about, str) and about else None
            return MoveCommand(None, _original_tail(text, when) if when else "", about=named)
    match = _SNOOZE_RX.match(lowered)
    if match:
        number = int(match.group(1)) if match.group(1) else None
        rest = match.group(2).strip()
        delay = parse_duration(rest)
        if delay is None and number is not None and rest:
            # "udsæt 1 time" read as number 1 + "time": retry without the number.
            retry = parse_duration(f"{number} {rest}")
            if retry is not None:
                return SnoozeCommand(None, delay=retry)
        if delay is not None:
            return SnoozeCommand(number, delay=delay)
        if rest.startswith("til "):
            return SnoozeCommand(number, when_text=_original_tail(text, rest[4:]))
        if rest:
            return SnoozeCommand(number, when_text=_original_tail(text, rest))
    return _command_after_a_remark(text)


# »vi tager det på fredag i stedet, flyt den til kl 13 fredag«: a remark, then the command
_CLAUSE_BREAK = re.compile(r"(?<=[,.;!?:])\s+")
_COMMAND_VERB = re.compile(rf"^(?:flyt|ryk|slet|fjern|uds{_A}t|snooze)\b")


def _command_after_a_remark(text: str) -> ManageCommand | None:
    clauses = _CLAUSE_BREAK.split(text.strip())
    for index in range(len(clauses) - 1, 0, -1):
        clause = " ".join(clauses[index:])
        if _COMMAND_VERB.match(clause.lower()):
            return parse_manage_command(clause)
    return None


_ORDINALS = {"første": 1, "forste": 1, "foerste": 1, "anden": 2, "andet": 2, "tredje": 3, "fjerde": 4, "femte": 5}
_ORDINAL_RX = re.compile(r"^(slet|fjern|flyt|ryk) (?:den |nummer |nr )?(første|forste|foerste|anden|andet|tredje|fjerde|femte)\b")
_REFERENCE = rf"(?:(?:den|det|min|mine)(?:\s+|$))?(?:{_REMINDER_WORD}(?:\s+|$))?"
_COMMAND_LEAD_RX = re.compile(r"^(?:(?:ok|okay|og|men|hov|nå|så|saa|hej|jamen|nej|ja|jo|jep|yes)[,!]?\s+)+")
_COMMAND_TAIL_RX = re.compile(r"(?:[,\s]+(?:tak|please|lige|så|saa))+$")
_UNDO_RX = re.compile(r"^(?:fortryd|undo|annuller|annuler|anuller)(?:\s+(?:den|det|påmindelsen|paamindelsen|pamindelsen))?$")
# "nej kl 10", "nej, hellere på torsdag": a correction of the time just said.
_CORRECTION_RX = re.compile(
    r"^(?:(?:nej|hov|undskyld|ups|vent|øh|oh)[,.!]?\s+)+"
    r"(?:(?:hellere|den skal være|det skal være|til|men|gør det|gør den|lav det|lav den|sæt det|sæt den|flyt den|flyt det|ryk den|ryk det)\s+)*"
    r"(?P<when>.+?)(?:\s+i stedet)?$"
)
# Only the shape of a time is checked here (the dialog reads it with the real clock).
_SHAPE_NOW = datetime(2000, 1, 3, 12, 0, tzinfo=UTC)


def _is_time(text: str) -> bool:
    """True when ``text`` is nothing but a date/time (also a past or impossible one)."""
    try:
        parse_when(text, _SHAPE_NOW)
    except DateParseError as exc:
        return exc.code not in ("unparseable", "empty")
    return True

_DELETE_ABOUT_RX = re.compile(
    rf"^(?:slet|fjern|delete|annuller)\s+(?:(?:den|det|min|mine)\s+{_REMINDER_WORD}?|{_REMINDER_WORD}|den|det)"
    r"(?:\s+(?:om|med|til)\s+(.+))?$"
)
_MOVE_ABOUT_RX = re.compile(r"^(?:flyt|ryk)\s+(.+)$")
_DELETE_ALL_RX = re.compile(rf"^(?:slet|fjern|delete)\s+(?:alle|dem alle|all)(?:\s+(?:mine|de|dem))?(?:\s+{_REMINDER_WORD})?$")
_DELETE_WITH_REASON_RX = re.compile(
    rf"^(?:(?:slet|fjern)\s+(?:den|det|{_REMINDER_WORD})|(?:glem|drop)\s+(?:den|{_REMINDER_WORD}))"
    r"(?:\s+(?:igen|bare|helt|alligevel|nu|lige))*(?:\s*[,.!–-]\s*|\s+)(?!om\b|med\b|til\b|nr\b|\d)\S.*$"
    rf"|^(?:glem|drop)\s+(?:den|{_REMINDER_WORD})(?:\s+(?:igen|bare|helt|alligevel|nu))*$"
)
_DELETE_NAMED_RX = re.compile(r"^(?:slet|fjern)\s+(?:den\s+|det\s+)?(?:om\s+)?([^\d\s].{1,60})$")
# »slet min idé«, »slet mine data«: other things than reminders
_NOT_A_REMINDER = re.compile(r"\b(id[ée]\w*|ide|ideer|forslag\w*|kladde\w*|data|oplysninger|samtale\w*|konto|abonnement\w*|alt)\b")
_ASKED_RX = re.compile(
    rf"^(?:kan|vil|gider)\s+du\s+(?:lige\s+)?(?P<verb>flytte|rykke|slette|fjerne)\s+(?P<target>(?:den|min|mine|{_REMINDER_WORD})\b.*?)(?P<tail>\s+til\s+.+)?$"
)
_PASSIVE_RX = re.compile(
    rf"^(?:kan|skal|må)\s+(?P<target>(?:den|min|mine|{_REMINDER_WORD})\b.*?)\s+(?:lige\s+)?(?P<verb>flyttes|rykkes|slettes|fjernes)(?P<tail>\s+til\s+.+)?$"
)
_ABOUT_RX = re.compile(rf"^{_REFERENCE}(?:(?:om|med)\s+(.+))?$")
# Not a reminder's subject: "flyt mig til …", "flyt alt til …".
_NOT_ABOUT = frozenset({"mig", "os", "alt", "alle", "dem", "noget"})


def _about(target: str) -> str | None | bool:
    """What a move's target names: "den om AMR" -> "AMR", "den" -> None, "arbejdsmiljødrøftelsen"
    -> itself; False when it cannot be a reminder ("mig")."""
    target = target.strip()
    if not target:
        return None
    match = _ABOUT_RX.match(target)
    if match:
        return match.group(1).strip() if match.group(1) else None
    if target in _NOT_ABOUT or target.split()[0] in _NOT_ABOUT:
        return False
    return target


def _original_part(original: str, lowered_part: str) -> str:
    """``lowered_part`` as the user wrote it (case kept), found in ``original``."""
    cleaned = clean_spaces(original)
    index = cleaned.lower().find(lowered_part)
    return cleaned[index : index + len(lowered_part)] if index >= 0 else lowered_part


def _original_tail(original: str, lowered_tail: str) -> str:
    """The tail of ``original`` with its own case (the date layer may care about 'kl.')."""
    cleaned = clean_spaces(original)
    index = cleaned.lower().rfind(lowered_tail)
    return cleaned[index:] if index >= 0 else lowered_tail


# Words that say which reminder rather than what it is about ("den om …", "påmindelsen").
_REFERENCE_WORDS = frozenset(
    fold(w) for w in "den det om med min mine påmindelse påmindelsen påmindelser reminder reminders at til i på".split()
)
#: A word of the reminder's text matches at this score (rapidfuzz ratio, or a shared beginning).
MATCH_MIN = 80
#: Two reminders this close to the best are both meant: the dialog asks which.
MATCH_TIE = 8


def _word_score(word: str, candidates: list[str]) -> float:
    best = 0.0
    for other in candidates:
        if len(word) >= 3 and len(other) >= 3 and (other.startswith(word) or word.startswith(other)):
            # "arbejdsmiljø" ~ "arbejdsmiljødrøftelse", "arbejdsmiljødrøftelsen" ~ "…drøftelse"
            shorter = min(len(word), len(other))
            best = max(best, 100.0 if shorter >= 4 or len(word) == len(other) else 85.0)
        else:
            best = max(best, fuzz.ratio(word, other))
    return best


def match_reminders(about: str, reminder_texts: Iterable[str]) -> list[int]:
    """The positions in ``reminder_texts`` that ``about`` names ("Rikke" -> "ringe til Rikke").

    Words are compared folded (æ/ø/å, case, hyphens) and fuzzily (typos, endings); the
    best match is returned alone unless others are as good (then all of them, best first:
    the dialog asks which). Empty when nothing matches well enough.
    """
    wanted = [w for w in tokens(about) if w not in _REFERENCE_WORDS] or tokens(about)
    if not wanted:
        return []
    scored: list[tuple[float, int]] = []
    for index, text in enumerate(reminder_texts):
        words = tokens(text)
        if not words:
            continue
        score = sum(_word_score(w, words) for w in wanted) / len(wanted)
        whole = fuzz.partial_ratio(" ".join(wanted), fold(text)) if len(" ".join(wanted)) >= 4 else 0
        score = max(score, whole)
        if score >= MATCH_MIN:
            scored.append((score, index))
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[0][0]
    return [index for score, index in scored if score >= best - MATCH_TIE]


_LEAD_RX = re.compile(
    r"^(?:(?:ok|okay|og|men|så|saa|nå|naa|super|fint|jamen|hov|btw|hej|hey|hejsa)[,!.]?\s+)*"
    r"(?:kan du\s+|vil du\s+|gider du\s+)?(?:lige\s+)?(?:minde?|husk|p[åa]mind|remind)\s+(?:mig|os|me)\s+"
    r"(?:(?:lige|også|ogs[åa]a|osse|gerne)\s+)*(?:om\s+(?:at\s+)?|p[åa]\s+(?:at\s+)?|at\s+|to\s+)?",
    re.IGNORECASE,
)
# Words around the request that are no part of what to be reminded of: "… saa", "… tak".
_TAIL_FILLER_RX = re.compile(r"(?:[\s,]+(?:s[åa]|saa|tak|please|lige|ik|ikk?e?\?|tusind tak|mange tak))+$", re.IGNORECASE)
_LEAD_NEW_RX = re.compile(
    r"^(?:(?:jeg\s+)?(?:vil|vil\s+gerne|kunne\s+godt\s+tænke\s+mig\s+at)\s+(?:have|lave|oprette|sætte|saette|sate)\s+"
    r"|kan\s+(?:jeg|du)\s+(?:få|faa|fa|lave|oprette|sætte)\s+|(?:ny|lav|opret|s(?:æ|ae|a)t)\s+)"
    r"(?:en\s+)?(?:p(?:å|aa|a)mindelse|reminder)(?:\s+(?:om|til|på|paa|pa)(?:\s+at)?)?\s*[:,-]?\s*",
    re.IGNORECASE,
)


_INFINITIVE_RX = re.compile(r"^(?:om\s+)?at\s+(?=\S)", re.IGNORECASE)
# What is left when the date layer has already taken »mind mig« away: »også om at ringe til AMR«.
_LEFTOVER_RX = re.compile(r"^(?:(?:også|ogsaa|ogsa|osse|lige|gerne)\s+)+(?:om\s+(?:at\s+)?)?", re.IGNORECASE)


#: What people say before they say what: »mind mig om noget«, »kan du minde mig om det«.
_VAGUE_WHAT = frozenset(fold(w) for w in ("noget", "det", "den", "en ting", "noget vigtigt", "something", "it", "sth"))


# What is left of a request that says nothing of what: »(kan du sætte en påmindelse) op for mig«,
# »jeg skal have sat en påmindelse«.
_REQUEST_WORDS = frozenset(
    fold(w)
    for w in (
        "op for mig os til lige gerne please pls tak en et ny nyt påmindelse påmindelser reminder sat sæt sætte "
        "lave lav oprette opret have få skal jeg kan du vil gerne kunne godt tænke at me a set up"
    ).split()
)


def is_vague_what(what: str) -> bool:
    """»noget«, »det«, »op for mig«: not yet what to be reminded of."""
    folded = fold(what)
    return folded in _VAGUE_WHAT or (bool(folded) and all(w in _REQUEST_WORDS for w in folded.split()))


def strip_reminder_lead(text: str) -> str:
    """``"mind mig om at sende input"`` -> ``"sende input"`` (what to be reminded of)."""
    cleaned = clean_spaces(text)
    cleaned = _LEAD_RX.sub("", cleaned, count=1)
    cleaned = _LEAD_NEW_RX.sub("", cleaned, count=1)
    cleaned = _LEFTOVER_RX.sub("", cleaned, count=1)
    cleaned = _INFINITIVE_RX.sub("", cleaned, count=1)
    cleaned = _TAIL_FILLER_RX.sub("", cleaned.strip(" ,.:;-–?!"))
    return clean_spaces(cleaned.strip(" ,.:;-–?!"))


_TIME_WORDS = re.compile(
    r"\b(?:kl\.?|klokken)\s*\d{1,2}(?:[.:]\d{1,2})?(?![\d/])"
    r"|\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b"
    r"|\b\d{1,2}[.:]\d{2}\b",
    re.IGNORECASE,
)
_TRAILING_TIME_CONNECTOR = re.compile(
    r"(?:\s+|^)(?:om|p[åa]|kl\.?|klokken|den|d\.|ved|til|senest|inden)\s*$", re.IGNORECASE
)


def strip_time_words(text: str) -> str:
    """Take clock times and dates out of ``text``, also impossible ones.

    The date layer finds "kl 25" and "31/2" but, as they are no real moment, does not
    say where they were; they must not end up in the reminder text:
    ``"mind mig om mødet kl 25"`` -> ``"mind mig om mødet"``.
    """
    rest = clean_spaces(_TIME_WORDS.sub(" ", text))
    while True:
        shorter = _TRAILING_TIME_CONNECTOR.sub("", rest).strip(" ,.;:-–")
        if shorter == rest:
            return rest
        rest = shorter


# --- subscriptions ------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionRequest:
    target_text: str  # what the user named, cleaned ("HovedMEDs"), "" when nothing was named


_SUBSCRIBE_LEAD = re.compile(
    r"^(?:jeg vil gerne\s+|jeg vil\s+|kan jeg\s+|vil du\s+)?"
    r"(?:abonn[ée]?r\w*|tilmeld\w*|subscribe|f[åa]\s+p[åa]mindelser|stop|afmeld\w*|frav[æa]lg\w*|unsubscribe|opsig\w*)"
    r"(?:\s+(?:mig|os|kanalen|denne kanal|vores kanal|gruppen|teamet|vores team|this channel|the channel))?"
    r"(?:\s+(?:abonnement(?:et)?|p(?:aa|å|a)mindelser|nudges|notifikationer))?"
    r"(?:\s+(?:p(?:aa|å|a)|til|fra|om|to|from|for))?(?:\s+the)?\s*",
    re.IGNORECASE,
)
_TAIL_WORDS = re.compile(
    r"\s*\b(?:m[øo]der(?:ne)?|m[øo]deplan(?:en)?|m[øo]dekalender(?:en)?|kalender(?:en)?|frister(?:ne)?|deadlines?|"
    r"arrangementer(?:ne)?|datoer(?:ne)?|meetings?|p[åa]mindelser)\s*$",
    re.IGNORECASE,
)
# "afmeld møderne igen", "tilmeld mig budgetfristerne også tak"
_TAIL_FILLERS = re.compile(r"\s*\b(?:igen|ogs[åa]|tak|please|lige|nu)\s*$", re.IGNORECASE)

_TOPIC_WORDS: dict[str, str] = {
    "budget": Topic.BUDGET.value,
    "budgettet": Topic.BUDGET.value,
    "budgetfrister": Topic.BUDGET.value,
    "budgetfristerne": Topic.BUDGET.value,
    "budgetfaser": Topic.BUDGET.value,
    "budgetfaserne": Topic.BUDGET.value,
    "budgetaret": Topic.BUDGET.value,
    "budgetarets faser": Topic.BUDGET.value,
    "budgetarets frister": Topic.BUDGET.value,
    "budgetprocessen": Topic.BUDGET.value,
    "budgetlagningen": Topic.BUDGET.value,
    "medsamarbejdet": Topic.MEDSAMARBEJDET.value,
    "medsamarbejdets": Topic.MEDSAMARBEJDET.value,
    "med samarbejdet": Topic.MEDSAMARBEJDET.value,
    "kurser": Topic.MEDSAMARBEJDET.value,
    "temadage": Topic.MEDSAMARBEJDET.value,
}


_UNSUBSCRIBE_RX = re.compile(
    r"^(?:jeg vil gerne\s+|jeg vil\s+)?(?:afmeld\w*|frav[æa]lg\w*|opsig\w*|unsubscribe|stop\s+(?:abonnement\w*|p[åa]mindelser|nudges|notifikationer))\b",
    re.IGNORECASE,
)


def is_unsubscribe(text: str) -> bool:
    """»stop påmindelser«, »afmeld HovedMED«, »fravælg budgetfrister«."""
    return bool(_UNSUBSCRIBE_RX.match(clean_spaces(text)))


def parse_subscription(text: str) -> SubscriptionRequest:
    """What a (un)subscribe message names: ``"abonnér på HovedMEDs møder"`` -> ``"HovedMEDs"``."""
    cleaned = clean_spaces(text).strip(" .!?")
    cleaned = _SUBSCRIBE_LEAD.sub("", cleaned, count=1)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _TAIL_FILLERS.sub("", cleaned).strip(" .!?,")
        cleaned = _TAIL_WORDS.sub("", cleaned).strip(" .!?,")
    return SubscriptionRequest(target_text=cleaned)


def resolve_target(target_text: str, committees: Mapping[str, str] | Iterable[str]) -> str | None:
    """The canonical target for ``target_text``: a :class:`Topic` value or a committee name.

    ``committees`` maps every known name or alias to the committee's canonical name (an
    iterable of names maps each to itself). A genitive -s is accepted ("HovedMEDs").
    Returns None when nothing matches.
    """
    key = fold(target_text)
    if not key:
        return None
    if key in _TOPIC_WORDS:
        return _TOPIC_WORDS[key]
    if key.startswith("budget"):
        return Topic.BUDGET.value
    names = dict(committees) if isinstance(committees, Mapping) else {name: name for name in committees}
    folded = {fold(name): canonical for name, canonical in names.items() if fold(name)}
    for candidate in (key, key[:-1] if key.endswith("s") else None, key.replace(" ", "")):
        if candidate and candidate in folded:
            return folded[candidate]
    compact = {k.replace(" ", ""): v for k, v in folded.items()}
    for candidate in (key.replace(" ", ""), key.replace(" ", "")[:-1] if key.endswith("s") else None):
        if candidate and candidate in compact:
            return compact[candidate]
    return None
