"""Danish text normalisation shared by search, the level rules and the date layer.

rapidfuzz compares code points, so "arbejdsmiljoe" scores 58 against "arbejdsmiljø".
Both sides of every comparison therefore go through :func:`fold`, which maps the
ways people type Danish letters without a Danish keyboard onto one skeleton:

* æ, ae, and a bare a all meet at "a"; ø, oe and o at "o"; å, aa and a at "a";
* accents are dropped (idé -> ide);
* case, NFKC compatibility forms, hyphens and punctuation are folded.

The mapping is deliberately lossy: it only has to make two spellings of the same
word equal, never to be read by a person.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "tokens", "clean_spaces", "stem"]

_LETTERS = str.maketrans({"æ": "a", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ß": "ss"})
_DIGRAPHS = re.compile(r"aa|ae|oe")
_DIGRAPH_MAP = {"aa": "a", "ae": "a", "oe": "o"}
_HYPHENS = re.compile(r"(?<=\w)[-\u2010\u2011\u2012\u2013\u00ad](?=\w)")
_NON_WORD = re.compile(r"[^\w§]+")
_SPACES = re.compile(r"\s+")


def clean_spaces(text: str) -> str:
    """Collapse runs of white space and strip the ends."""
    return _SPACES.sub(" ", text).strip()


#: A message is folded by the intents, the prompt reading, the search and the level rules on
#: its way through one turn; a pure function of a string, so the skeleton is kept for reuse.
_FOLD_CACHE_SIZE = 16384


@lru_cache(maxsize=_FOLD_CACHE_SIZE)
def fold(text: str) -> str:
    """Return the comparison skeleton of ``text`` (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_LETTERS)
    text = _DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group(0)], text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = _HYPHENS.sub("", text)
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return clean_spaces(text)


def tokens(text: str) -> list[str]:
    """The folded words of ``text``."""
    folded = fold(text)
    return folded.split() if folded else []


# Inflection endings stripped by stem(), longest first. Deliberately crude: stem() only
# has to send the inflected forms of one word to a shared key (both sides of a search go
# through it); fuzzy and prefix matching in knowledge.search absorb what it misses.
_STEM_SUFFIXES = (
    "ernes", "erens", "erne", "enes", "ende", "ene", "ere", "ets", "ens", "ers",
    "er", "en", "et", "e", "s",
)
_VOWELS = frozenset("aeiouy")


def stem(token: str) -> str:
    """A light Danish stem of one folded token: "udvalgene" -> "udvalg".

    Tokens of four letters or fewer and tokens with digits are returned unchanged, and at
    least three letters always remain. A doubled final consonant left by the cut is
    single ("budgettet" -> "budget").
    """
    if len(token) == 4 and token.isalpha() and token[3] == "e" and token[2] not in _VOWELS:
        # a short infinitive or plural: "lave" (laver, lavet), "dage" (dag), "gode" (god)
        return token[:3]
    if len(token) <= 4 or not token.isalpha():
        return token
    base = token
    for suffix in _STEM_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            base = token[: -len(suffix)]
            break
    if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in _VOWELS:
        base = base[:-1]
    return base
