"""Tokens and vocabulary for the Danish date layer (see :mod:`knowledge.dates`).

The text is cut into tokens (runs of letters, runs of digits, single other
characters), each of which keeps its span in the original text. Every word is
folded (æ/ae -> a, ø/oe -> o, å/aa -> a, lower case: see :func:`knowledge.normalize.fold`)
and mapped onto one *canonical* spelling: "paa" and "på" both become "pa",
"imorgen" becomes "i morgen", "tirs", "tirsdg" and "Tirsdag" become "tirsdag".
The grammar in :mod:`knowledge.dates_grammar` then matches regular expressions
against the canonical string and maps each match back to original spans.

Typos: the full names of weekdays, months and a few key words also accept every
spelling one deletion, one insertion or one swap of neighbouring letters away
("tirsdg", "torsdga", "fredga", "novmber"), but not a changed letter, so that real
words like "mandat" are never read as "mandag". A typo spelling that two words
share is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from knowledge.normalize import fold

__all__ = [
    "Token",
    "tokenize",
    "canonical_string",
    "WEEKDAYS",
    "MONTHS",
    "NUMBER_WORDS",
    "WEAK_WORDS",
    "number_value",
]

WEEKDAYS: tuple[str, ...] = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lordag", "sondag")
MONTHS: tuple[str, ...] = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)

# Number words (folded). Danish first, then the English ones we need.
NUMBER_WORDS: Mapping[str, int] = MappingProxyType({
    "nul": 0, "en": 1, "et": 1, "een": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12,
    "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17,
    "atten": 18, "nitten": 19, "tyve": 20, "enogtyve": 21, "toogtyve": 22,
    "treogtyve": 23, "fireogtyve": 24, "femogtyve": 25, "tredive": 30,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30,
})

_WEEKDAY_ALIASES: dict[str, tuple[str, ...]] = {
    "mandag": ("monday",),
    "tirsdag": ("tuesday",),
    "onsdag": ("wednesday",),
    "torsdag": ("thursday",),
    "fredag": ("friday",),
    "lordag": ("saturday",),
    "sondag": ("sunday",),
}
# Abbreviations. These are "weak": several are ordinary words too ("man" = one,
# "søn" = son, "fri" = free, "sat" = set), so inside a longer sentence they only
# count next to another date part or with a dot ("man.").
_WEEKDAY_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "mandag": ("man", "mon"),
    "tirsdag": ("tir", "tirs", "tue", "tues"),
    "onsdag": ("ons", "wed"),
    "torsdag": ("tor", "tors", "thu", "thur", "thurs"),
    "fredag": ("fre", "fri"),
    "lordag": ("lor", "sat"),
    "sondag": ("son", "sun"),
}
_MONTH_ALIASES: dict[str, tuple[str, ...]] = {
    "januar": ("jan", "january"),
    "februar": ("feb", "february", "febr"),
    "marts": ("mar", "march", "mars"),
    "april": ("apr",),
    "maj": ("may",),
    "juni": ("jun", "june"),
    "juli": ("jul", "july"),
    "august": ("aug",),
    "september": ("sep", "sept"),
    "oktober": ("okt", "oct", "october"),
    "november": ("nov",),
    "december": ("dec",),
}

# Single words that stand for a phrase, and other spellings of key words.
_PHRASES: dict[str, str] = {
    "idag": "i dag",
    "imorgen": "i morgen",
    "imorgn": "i morgen",
    "imorn": "i morgen",
    "imoren": "i morgen",
    "imogen": "i morgen",
    "morn": "morgen",
    "morgn": "morgen",
    "iovermorgen": "i overmorgen",
    "iovermorn": "i overmorgen",
    "overmorn": "overmorgen",
    "overmorgn": "overmorgen",
    "igar": "i gar",
    "iforgars": "i forgars",
    "imorges": "i morges",
    "iaften": "i aften",
    "ieftermiddag": "i eftermiddag",
    "iformiddag": "i formiddag",
    "klokken": "kl",
    "kloken": "kl",
    "klokke": "kl",
    "klokka": "kl",
    "klok": "kl",
    "nste": "naste",
    "nast": "naste",
    "neste": "naste",
    "nasete": "naste",
    "kommende": "naste",
    "forstkommende": "naste",
    "forstkomne": "naste",
    "ugen": "uge",
    "mdr": "maned",
    "maneder": "maned",
    "mander": "maned",
    "maaned": "maned",
    "tomorow": "tomorrow",
    "tommorow": "tomorrow",
    "tommorrow": "tomorrow",
    "tonite": "tonight",
    "middagstid": "middag",
    "frokosttid": "frokost",
    "lunchtime": "lunch",
    "morgenen": "morgen",
    "formiddagen": "formiddag",
    "eftermiddagen": "eftermiddag",
    "aftenen": "aften",
    "natten": "nat",
    "maneden": "maned",
    "sankthans": "sankt hans",
    "newyears": "new years",
}

# Key words that also get the typo variants.
_TYPO_TARGETS: tuple[str, ...] = (
    *WEEKDAYS, *(m for m in MONTHS if len(m) >= 6),
    "morgen", "overmorgen", "eftermiddag", "formiddag", "juleaften", "nytarsaften",
    "tomorrow", "minutter", "ultimo",
)

# Month abbreviations that are ordinary words or names too ("Jan", "may").
_WEAK_MONTH_ALIASES: tuple[str, ...] = ("jan", "mar", "may", "jul")

# Words whose canonical form is a date/time word but which are ordinary words too.
WEAK_WORDS: frozenset[str] = frozenset(
    (*(a for abbreviations in _WEEKDAY_ABBREVIATIONS.values() for a in abbreviations),
     *_WEAK_MONTH_ALIASES)
)

_TOKEN = re.compile(r"(\d+)|([^\W\d_]+)|(\S)")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its span in the original text and its canonical spelling."""

    start: int
    end: int
    raw: str
    canon: str
    kind: str  # "num", "word" or "punct"
    space_before: bool
    weak: bool = False


def _typos(word: str) -> Iterable[str]:
    """Spellings one deletion, one insertion or one neighbour swap away."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]
    for i in range(len(word) - 1):
        yield word[:i] + word[i + 1] + word[i] + word[i + 2:]
    for i in range(len(word) + 1):
        for letter in letters:
            yield word[:i] + letter + word[i:]


def _build_lexicon() -> tuple[Mapping[str, str], frozenset[str]]:
    exact: dict[str, str] = {}
    for day in WEEKDAYS:
        exact[day] = day
        exact[day + "s"] = day + "s"  # "i mandags" = last Monday
        for alias in _WEEKDAY_ALIASES[day]:
            exact[alias] = day
    weak: set[str] = set(_WEAK_MONTH_ALIASES)
    for day, abbreviations in _WEEKDAY_ABBREVIATIONS.items():
        for abbreviation in abbreviations:
            exact[abbreviation] = day
            weak.add(abbreviation)
    for month in MONTHS:
        exact[month] = month
        for alias in _MONTH_ALIASES[month]:
            exact[alias] = month
    exact.update(_PHRASES)

    typo_map: dict[str, str] = {}
    clashes: set[str] = set()
    for target in _TYPO_TARGETS:
        for variant in _typos(target):
            if len(variant) < 4 or variant in exact or variant == target:
                continue
            if variant in typo_map and typo_map[variant] != target:
                clashes.add(variant)
            typo_map[variant] = target
    for variant in clashes:
        typo_map.pop(variant, None)
    # Never read these real words as typos.
    for word in ("mandat", "moren", "ordet", "fredage", "morgens", "august", "minut", "ultima"):
        typo_map.pop(word, None)
    merged = dict(typo_map)
    merged.update(exact)
    return MappingProxyType(merged), frozenset(weak)


_LEXICON, _WEAK = _build_lexicon()


def number_value(word: str) -> int | None:
    """The value of a digit string or a number word, else ``None``."""
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def tokenize(text: str) -> list[Token]:
    """Cut ``text`` into canonical tokens (see the module docstring)."""
    result: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        space_before = bool(result) and match.start() > previous_end
        previous_end = match.end()
        if match.group(1) is not None:
            result.append(Token(match.start(), match.end(), raw, raw, "num", space_before))
            continue
        if match.group(2) is not None:
            folded = fold(raw)
            canon = _LEXICON.get(folded, folded) if folded else raw.casefold()
            weak = folded in _WEAK
            result.append(Token(match.start(), match.end(), raw, canon, "word", space_before, weak))
            continue
        punct = raw.translate(_DASHES)
        result.append(Token(match.start(), match.end(), raw, punct, "punct", space_before))
    return result


def canonical_string(tokens: list[Token]) -> tuple[str, list[tuple[int, int]]]:
    """Join the canonical spellings (one space where the text had white space, and
    between a number and a word).

    Returns the string and, per token, its ``(start, end)`` in that string.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    previous: Token | None = None
    for token in tokens:
        # A number touching a word ("kl9", "27/11kl9", "3rd") is read as if spaced.
        touching = previous is not None and {previous.kind, token.kind} == {"num", "word"}
        previous = token
        if token.space_before or touching:
            parts.append(" ")
            position += 1
        parts.append(token.canon)
        spans.append((position, position + len(token.canon)))
        position += len(token.canon)
    return "".join(parts), spans
