"""Fuzzy search over the curated MED knowledge base.

How a question is matched (the knowledge entries and the question go through the same
:class:`Analyzer`, so both sides are normalised alike):

1. **Analyse.** A lowercase "med" that is the preposition ("problemer med min løn") is
   dropped; MED the system ("hvad siger MED om løn", "MED-udvalget") is kept. The text
   is folded (:func:`knowledge.normalize.fold`: æ/ae/a, ø/oe/o, å/aa/a, accents,
   hyphens, case), "§ 21"/"paragraf 21" become one token, synonym phrases become one
   canonical token (AMR ≈ arbejdsmiljørepræsentant ≈ "health and safety rep";
   KommuneMED ≈ HovedMED ≈ MED-hovedudvalget ...), stop words are dropped and the rest is
   stemmed (:func:`knowledge.normalize.stem`). The result is a list of :class:`Slot`,
   one per content word, with its alternatives (a loose synonym adds its canonical word
   at a lower weight) and a weight (question words like "hvornår" count less).
2. **Match words.** Each word is matched against the vocabulary of the knowledge base:
   exactly, as an inflection (shared prefix), with a typo (rapidfuzz ``ratio``) or as
   part of a compound ("stressretningslinje" ~ "stress", "retningslinje"). Typos of
   synonym terms are matched too ("arbejdsmiljorepresentant" ~ AMR).
3. **Score entries**, 0..100, as the mean of two parts:

   * *coverage*: the share of the question's words (IDF-weighted) found in the entry,
     where a word counts more the more central it is to the entry (how many of its
     question variants use it; title and keywords count). Words no entry uses
     ("kantine", "password") weigh in as unmatched, so off-topic questions score low.
   * *closest phrasing*: the best IDF-weighted F1 between the question and one of the
     entry's question variants (or, scaled down, one of its keywords). It rewards the
     entry that has a phrasing like the question, not just the same words somewhere.

   BM25 over the whole entry, answer included (:mod:`knowledge.search_bm25`), then
   closes a fifth of the gap between that mean and 100 in proportion to its normalised
   score: a paraphrase that reuses several of an entry's words is lifted, a perfect
   phrasing stays at 100.

4. **Domain anchor.** An answer needs a matched word that is not "weak". Weak words are
   everyday workplace words ("løn", "ferie", "møde", "leder", months, numbers, question
   words) that also appear in off-topic questions; a match on weak words alone has its
   score halved. So "hvad siger MED om løn" is answered, "hvornår kommer lønnen" is not.
   An entry that belongs to one municipality gets a 3 % discount unless the question
   names that municipality, so a general entry wins a near tie. A searcher built for
   one municipality (``org``) keeps its own entries at full score and discounts the
   other municipality's by 15 % unless the question names it.
6. **Details.** When the best entry is on the right topic but the question asks for a
   detail it does not give (a person's name, a date for another year, an amount,
   another municipality), the result says so (:mod:`knowledge.details`).
5. **Thresholds.** At or above :data:`ANSWER_THRESHOLD` the best entry is the answer;
   otherwise the result is a fallback with up to three suggestions: entries with a domain
   anchor scoring at least :data:`SUGGEST_THRESHOLD` (see ``tests/knowledge/test_search.py`` for the
   calibration data).

Everything that does not depend on the question is computed once in
:class:`Searcher.__init__`; word matches are memoised per searcher (bounded).
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from knowledge.details import Detail, missing_detail, named_municipality, uncovered_topic
from knowledge.kb import Entry, KnowledgeBase
from knowledge.normalize import fold, stem
from knowledge.search_bm25 import EntryBM25
from knowledge.situations import situation_entry

__all__ = [
    "ANSWER_THRESHOLD",
    "DEFAULT_SYNONYMS_PATH",
    "MAX_SUGGESTIONS",
    "SUGGEST_THRESHOLD",
    "Analyzer",
    "SearchResult",
    "Searcher",
    "Slot",
    "SynonymError",
    "SynonymGroup",
    "Synonyms",
]

DEFAULT_SYNONYMS_PATH = Path(__file__).resolve().parent / "data" / "synonyms.toml"

#: Scores (0..100) at or above this give an answer. Calibrated on tests/data/questions.tsv
#: (see tests/knowledge/test_search.py): a weak-only match scores at most 50, the highest
#: off-topic question scores about 40, the lowest correctly ranked in-domain questions
#: score from about 55 upwards.
ANSWER_THRESHOLD = 55.0
#: On a fallback, entries with a domain anchor scoring at least this are offered as
#: "Mente du ...?" (near misses of in-domain questions score 40-55).
SUGGEST_THRESHOLD = 40.0
#: Between this and ANSWER_THRESHOLD, an anchored best entry that leads the next one by
#: at least TENTATIVE_MARGIN is answered tentatively: the answer says it may not be what
#: was asked, and the question is logged for the MED secretary as well.
TENTATIVE_THRESHOLD = 47.0
#: The named municipality's own entry answers instead of the best one when it scores at most this much less.
_NAMED_PLACE_MARGIN = 10.0
TENTATIVE_MARGIN = 5.0
MAX_SUGGESTIONS = 3
#: A situation told in everyday words (knowledge.situations) overrides the best entry when its own
#: entry is among the next ones this deep in the ranking.
_SITUATION_RIVALS = 3
#: A tentative answer needs a word of MED's own: "hvornår har kantinen åbent" scores as high
#: as a clumsy MED question, but is not one.
_MED_WORDS = re.compile(
    r"\b(\w+med|med ?udvalg\w*|\w*udvalg\w*|amr|tr|arbejdsmiljo\w*|tillidsrep\w*|retningslin\w*|budget\w*|"
    r"forslag\w*|ide|ideen|ideer|ideerne|medindflydelse|medbestemmelse|informationspligt\w*|horing\w*|drof\w*|"
    r"kursus|kurser|kurset|grundkurs\w*|grunduddannelse\w*|temadag\w*|konference\w*|medsamarbejde\w*|"
    r"lokalaftale\w*|rammeaftale\w*|\w*politik\w*|referat\w*|trivsel\w*|apv|sygefrav\w*|formand\w*|"
    r"naestformand\w*|nastformand\w*|tjenestefri|personalesag\w*|klagesag\w*|direktion\w*|kommunaldirektor\w*)\b"
)

# -- tuning constants ----------------------------------------------------------------

_COVERAGE_WEIGHT = 0.5  # the rest is the closest phrasing (variant F1)
# BM25 over the whole entry (knowledge.search_bm25) closes this share of the gap to 100
_BM25_WEIGHT = 0.2
_CENTRALITY_FLOOR = 0.55  # a word used once in an entry still counts this much
_CENTRAL_SHARE = 0.5  # a word in half of an entry's phrasings is fully central to it
_TITLE_CENTRALITY = 0.85  # a word in the title is at least this central
_KEYWORD_CENTRALITY = 0.6  # a keyword is as central as a word in 30 % of the phrasings
_KEYWORD_VARIANT_SCALE = 0.85  # a keyword as "phrasing" is worth less than a question
_WEAK_ONLY_PENALTY = 0.5  # so a match on weak words alone scores at most 50
# a municipality's own entry loses ties against a general one unless the question names
# the municipality ("formålet med MED" -> MED-idéen, not Albertslund's § 1)
_OTHER_PLACE_PENALTY = 0.97
# under one municipality's profile, the other municipality's entry answers only when
# nothing of the user's own municipality or in general comes close (and then says so)
_FOREIGN_PLACE_PENALTY = 0.85
_ANCHOR_SIM = 0.7
_SIM_PREFIX = 0.92
_SIM_COMPOUND = 0.72
_SIM_FUZZY_SCALE = 0.92
_CANDIDATES = 12  # entries re-ranked by closest phrasing
_ROUNDING_MARGIN = 1.0 + 1e-9  # bounds are raised by this, so float rounding never prunes a true best
_POOL = 40  # entries scored exactly after candidate generation
# candidate generation reads each word's max(200, N/8) most central postings
_CHAMPIONS_MIN = 200
_CHAMPIONS_DIVISOR = 8
_MAX_COMPOUND_HITS = 40
_GENERATE_SHARE = 0.85  # candidates come from a word's best matches only
_MAX_SLOTS = 40
_LIGHT_WEIGHT = 0.35  # a light word ("hvornår", "hvem") weighs about a third
_OOV_FACTOR = 0.5  # an unknown word weighs half a median known word
_ALSO_FACTOR = 0.9  # a group's "also" tokens (KommuneMED also matches HovedMED)
# what may differ between two forms of one word after stemming ("budg"/"budget")
_TAILS = frozenset(
    "e n r s t en er et es te de ne ns rs ts ge ede ene ens ere ers ets nde ste get ing "
    "ning else ende".split()
)
_SUFFIXES = (
    "e", "n", "r", "s", "en", "er", "et", "es", "ne", "ns", "rs", "ts", "ens", "ers", "ets",
    "ene", "rne", "nes", "erne", "enes", "ende", "ernes", "erens",
)
_SUFFIXES_LONGEST_FIRST = tuple(sorted(_SUFFIXES, key=len, reverse=True))

# "§ 21", "paragraf 21", "stk. 3" -> one token each
_PARAGRAPH = re.compile(r"(?:§|\bparagraf|\bparagraph|\bpar)\s*(\d+)")
_CLAUSE = re.compile(r"\bstk\s*(\d+)")
_ANNEX = re.compile(r"\bbilag\s+([a-z]|\d+)\b")

# "jan-marts", "aug.-sep." -> two months (fold would glue them into one word)
_MONTH_RANGE = re.compile(
    r"\b((?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-zæøå]*)\.?\s*[-–/]\s*(?=(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec))",
    re.IGNORECASE,
)

# "MED-udvalget" -> "MED udvalget" (fold would glue it to "medudvalget", and
# "MED-arbejdet" to "medarbejdet", which looks like "medarbejder")
_MED_PREFIX = re.compile(r"(?<![\w-])(med)-(?=[^\W\d_])", re.IGNORECASE)

# "med" the preposition vs MED the system: words that follow / precede the preposition.
_MED_WORD = re.compile(r"(?<![\w-])med(?![\w-])", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
_PREV_WORD = re.compile(r"([^\W\d_]+)\s*$")
_MED_FOLLOWERS = frozenset(
    fold(w)
    for w in (
        "min mit mine din dit dine sin sit sine vores jeres deres hans hendes dens dets den det "
        "de dem denne dette disse en et at mig dig os jer sig ham hende hinanden i til på fra "
        "alle nogle nogen noget mange flere andre hensyn henblik sådan hvad hvem hvilke hvilket "
        "hvilken hvordan hvor og eller fordi så ind ud op hjem ned rundt videre"
    ).split()
)
_MED_PRECEDERS = frozenset(
    fold(w)
    for w in (
        "problem problemer sammen hjælp hjælpe arbejde arbejder arbejdet gøre gør gjort gik "
        "går gå kom komme kommer følge følger enig enige uenig uenige tale taler snakke snakker "
        "leg lege spise spiser rejse rejser køre kører tage tager tog sker skete sket ske"
    ).split()
)


# "med livet", "med bilen": a definite noun after a lowercase "med" makes it the
# preposition, unless the noun is what people write after MED ("med udvalget").
_DEFINITE = re.compile(r"[a-z]{2,}(et|en|ene|erne)$")
_MED_HEADS = tuple(
    fold(w)
    for w in (
        "udvalg system aftale møde niveau organisation struktur samarbejde repræsentant sekretær "
        "formand uddannelse kursus arbejde regi sag idé budget hovedudvalg område retningslinje"
    ).split()
)


_PLURAL_IDEAS = frozenset({"ideerne", "ideernes"})


class SynonymError(ValueError):
    """synonyms.toml is malformed."""


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """Terms that mean the same; see ``knowledge/data/synonyms.toml``."""

    canonical: str
    terms: tuple[str, ...]
    expand: bool = False
    factor: float = 0.85
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Synonyms:
    """The search lexicon: synonym groups, stop, light and weak words (raw text)."""

    groups: tuple[SynonymGroup, ...] = ()
    stopwords: frozenset[str] = frozenset()
    light: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> Synonyms:
        """Read a synonyms TOML file (default: the packaged ``knowledge/data/synonyms.toml``)."""
        file = DEFAULT_SYNONYMS_PATH if path is None else Path(path)
        try:
            with file.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SynonymError(f"{file.name}: {exc}") from exc
        return cls.from_mapping(data, origin=file.name)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], origin: str = "<data>") -> Synonyms:
        """Build from an already-parsed TOML document; raises :class:`SynonymError`."""
        unknown = set(data) - {"group", "stopwords", "light", "weak"}
        if unknown:
            raise SynonymError(f"{origin}: unknown keys {sorted(unknown)}")
        groups: list[SynonymGroup] = []
        for n, raw in enumerate(data.get("group", []), 1):
            if not isinstance(raw, Mapping):
                raise SynonymError(f"{origin}: group #{n} must be a table")
            bad = set(raw) - {"canonical", "terms", "mode", "factor", "also"}
            if bad:
                raise SynonymError(f"{origin}: group #{n}: unknown keys {sorted(bad)}")
            canonical = fold(str(raw.get("canonical", "")))
            if not canonical or " " in canonical:
                raise SynonymError(f"{origin}: group #{n}: canonical must be one word")
            terms = raw.get("terms", [])
            if not isinstance(terms, list) or not terms or not all(
                isinstance(t, str) and fold(t) for t in terms
            ):
                raise SynonymError(
                    f"{origin}: group #{n} ({canonical}): terms must be non-empty strings"
                )
            mode = raw.get("mode", "replace")
            if mode not in ("replace", "expand"):
                raise SynonymError(f"{origin}: group #{n}: mode must be 'replace' or 'expand'")
            factor = float(raw.get("factor", 0.85))
            if not 0.0 < factor <= 1.0:
                raise SynonymError(f"{origin}: group #{n}: factor must be in (0, 1]")
            also = raw.get("also", [])
            if not isinstance(also, list) or not all(
                isinstance(a, str) and fold(a) and " " not in fold(a) for a in also
            ):
                raise SynonymError(f"{origin}: group #{n}: also must be a list of single words")
            groups.append(
                SynonymGroup(
                    canonical, tuple(terms), mode == "expand", factor, tuple(fold(a) for a in also)
                )
            )
        return cls(
            groups=tuple(groups),
            stopwords=frozenset(_strings(data.get("stopwords", []), "stopwords", origin)),
            light=frozenset(_strings(data.get("light", []), "light", origin)),
            weak=frozenset(_strings(data.get("weak", []), "weak", origin)),
        )


def _strings(value: object, name: str, origin: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SynonymError(f"{origin}: {name} must be a list of strings")
    return value


# -- analysis ------------------------------------------------------------------------


class Slot(NamedTuple):
    """One content word: its alternatives as (token, similarity factor), best first,
    and how much the word weighs in the question (1.0, or less for light words)."""

    alternatives: tuple[tuple[str, float], ...]
    weight: float = 1.0

    @property
    def token(self) -> str:
        return self.alternatives[0][0]


class Analyzer:
    """Turns text into :class:`Slot` lists (see the module docstring). Stateless after
    construction, so one analyzer can be shared."""

    def __init__(self, synonyms: Synonyms) -> None:
        self._stopwords = frozenset(fold(w) for w in synonyms.stopwords)
        self._light = frozenset(fold(w) for w in synonyms.light)
        # term (folded) -> its group; the first group to list a term wins
        self._terms: dict[str, SynonymGroup] = {}
        canonicals: set[str] = set()
        for group in synonyms.groups:
            if not group.expand:
                canonicals.add(group.canonical)
            for term in group.terms:
                for key in {_prepare(term), fold(term)}:
                    if key and key not in self._terms:
                        self._terms[key] = group
        self.canonicals: frozenset[str] = frozenset(canonicals)
        #: one-word terms of replace groups -> canonical. A typo of "arbejdsmiljøgruppe"
        #: never reaches the index (the word is replaced by "amg"), so word matching also
        #: tries these aliases.
        self.aliases: dict[str, str] = {
            key: group.canonical
            for key, group in self._terms.items()
            if not group.expand and " " not in key and len(key) >= 5 and key != group.canonical
        }
        self.weak: frozenset[str] = frozenset(
            {fold(w) for w in synonyms.weak}
            | {stem(fold(w)) for w in synonyms.weak}
            | self._light
            | {stem(w) for w in self._light}
        )
        parts = []
        for key in sorted(self._terms, key=len, reverse=True):
            suffix = "" if len(key) <= 3 else "(?:" + "|".join(_SUFFIXES_LONGEST_FIRST) + ")?"
            parts.append(re.escape(key) + suffix)
        self._phrases = (
            re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)") if parts else None
        )

    def slots(self, text: str) -> list[Slot]:
        """The content words of ``text`` (at most 40)."""
        folded = _PARAGRAPH.sub(r" §\1 ", _prepare(text))
        folded = _ANNEX.sub(r"bilag\1", _CLAUSE.sub(r"stk\1", folded))
        result: list[Slot] = []
        pos = 0
        if self._phrases is not None:
            for match in self._phrases.finditer(folded):
                self._plain(folded[pos : match.start()], result)
                group = self._lookup(match.group(0))
                if group is not None:
                    weight = _LIGHT_WEIGHT if group.canonical in self._light else 1.0
                    if group.expand:
                        own = self._word(match.group(0).replace(" ", ""))
                        extra = ((group.canonical, group.factor),)
                        result.append(Slot(((own, 1.0), *extra) if own else extra, weight))
                    else:
                        also = tuple((a, _ALSO_FACTOR) for a in group.also)
                        result.append(Slot(((group.canonical, 1.0), *also), weight))
                pos = match.end()
        self._plain(folded[pos:], result)
        return result[:_MAX_SLOTS]

    def tokens(self, text: str) -> list[str]:
        """The main token of each slot (handy for debugging and tests)."""
        return [slot.token for slot in self.slots(text)]

    def is_weak(self, token: str) -> bool:
        """Weak tokens never anchor an answer on their own (see the module docstring)."""
        return token.isdigit() or token in self.weak

    def _lookup(self, matched: str) -> SynonymGroup | None:
        found = self._terms.get(matched)
        if found is not None:
            return found
        for suffix in _SUFFIXES_LONGEST_FIRST:
            if matched.endswith(suffix):
                found = self._terms.get(matched[: -len(suffix)])
                if found is not None:
                    return found
        return None

    def _plain(self, text: str, out: list[Slot]) -> None:
        for word in text.split():
            token = self._word(word)
            if token:
                out.append(Slot(((token, 1.0),), _LIGHT_WEIGHT if word in self._light else 1.0))

    def _word(self, word: str) -> str:
        if word in self._stopwords or (len(word) == 1 and not word.isdigit()):
            return ""
        if word in self.canonicals or word in self._light:
            return word
        return stem(word)


def _prepare(text: str) -> str:
    """Split "MED-" compounds, drop the preposition "med", fold. Used for the text and
    for the synonym terms alike, so both meet."""
    text = _APOSTROPHE_ENDING.sub("", text)
    return fold(_drop_preposition_med(_MED_PREFIX.sub(r"\1 ", _MONTH_RANGE.sub(r"\1 ", text))))


# »afdelingsMED'erne«, »TR's«: the ending is part of the word (the stemmer takes it off)
_APOSTROPHE_ENDING = re.compile(r"(?<=\w)['’´`](?=(?:erne|ernes|er|ers|en|ens|et|ets|e|s)\b)", re.IGNORECASE)


def _typo_cutoff(size: int) -> float:
    """The rapidfuzz ratio a word of ``size`` letters needs to count as a typo: one
    changed letter up to 9 letters ("tavshedsplikt"), two from 10 letters on, so that
    "parkering" does not become "sparring"."""
    edits = 1 if size <= 9 else 2
    return 100.0 * (size - edits) / size - 0.5


def _drop_preposition_med(text: str) -> str:
    """Remove "med" where it is the preposition, keep it where it means MED."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        if word == "MED":
            return word
        after = _NEXT_WORD.match(text, match.end())
        if after is not None:
            following = fold(after.group(1))
            if following in _MED_FOLLOWERS or after.group(1).lower() == "med":
                return " "
            if _DEFINITE.fullmatch(following) and (not following.startswith(_MED_HEADS) or following in _PLURAL_IDEAS):
                return " "  # "med ideerne": the ideas, not MED-idéen
        before = _PREV_WORD.search(text, 0, match.start())
        if before is not None and fold(before.group(1)) in _MED_PRECEDERS:
            return " "
        if before is not None and fold(before.group(1)) == "der":
            # "hvad sker der med idéen": the verb sits one word further back
            earlier = _PREV_WORD.search(text, 0, before.start())
            if earlier is not None and fold(earlier.group(1)) in _MED_PRECEDERS:
                return " "
        return word

    return _MED_WORD.sub(replace, text)


# -- search --------------------------------------------------------------------------


_SENTENCE_END = re.compile(r"(?<=[?.!])\s+|\n+")
#: A sentence searched alone needs this many words (»ok.« is no question).
_SENTENCE_MIN_WORDS = 3


def _other_sentences(text: str) -> list[str]:
    """The questions (sentences ending in »?«) of a message of several sentences, and a question
    after a comma that ends the message; empty for a message of one plain question."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if len(p.split()) >= _SENTENCE_MIN_WORDS]
    # Only a sentence marked as a question is asked alone: a case told in two sentences is one
    # case, and a question the knowledge cannot answer is not answered by the sentence beside it.
    questions = [p for p in parts if p.endswith("?")] if len(parts) >= 2 else []
    # »jeg er lige startet som pædagog, hvad er det der MED for noget?«: the question after the comma
    trailing = _TRAILING_QUESTION.search(text)
    if trailing is not None and len(trailing.group(1).split()) >= _SENTENCE_MIN_WORDS and trailing.group(1) not in questions:
        questions.append(trailing.group(1))
    # »ok jeg prøver på dansk. hvad er MED«: the last sentence asks, without its question mark
    if len(parts) >= 2 and parts[-1] not in questions and _ASKS_PLAINLY.match(parts[-1]) and not _POINTS_BACK.search(parts[-1]):
        questions.append(parts[-1])
    return questions


# »… det er hende der beslutter det. hvor skal det drøftes«: a question about what was just told
_POINTS_BACK = re.compile(r"\b(det|den|dem|dette|sagen|it|this|that)\b", re.IGNORECASE)


_ASKS_PLAINLY = re.compile(r"^(hvad|hvem|hvor|hvordan|hvornår|hvornaar|hvilke\w*|what|who|how|when|where)\b", re.IGNORECASE)


_TRAILING_QUESTION = re.compile(
    r",\s*((?:hvad|hvem|hvor\w*|hvilke\w*|hvornår|hvornaar|hvornar|hvorfor|kan|skal|er|har|må|maa)\b[^,.!?]*\?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The outcome of one question.

    ``entry`` is the answer (``None`` on a fallback); ``score`` (0..100) is the best
    entry's score, also on a fallback; ``suggestions`` are near matches offered on a
    fallback (always empty when there is an answer).
    """

    entry: Entry | None
    score: float
    fallback: bool
    suggestions: tuple[Entry, ...]
    #: The question asks for a specific fact (a name, a date for another year, an amount,
    #: another municipality) that ``entry`` does not give: say so, then show what it says.
    unknown_detail: Detail | None = None
    #: A near miss answered anyway (see TENTATIVE_THRESHOLD): say it may not be what was asked.
    tentative: bool = False


def _combine(base: float, bm25: float) -> float:
    """The score (0..100) from coverage and phrasing (``base``, 0..1) and BM25 (0..1).

    BM25 closes a share of the gap between ``base`` and 1, so it lifts a question that
    reuses an entry's words but matches none of its phrasings, never lifts a perfect match
    above 100, and grows with ``base`` (which the pruning bounds in ``_rank`` rely on).
    """
    return 100.0 * (base + _BM25_WEIGHT * bm25 * (1.0 - base))


def _f1(precision: float, recall: float) -> float:
    return 2.0 * precision * recall / (precision + recall) if precision + recall > 0.0 else 0.0


class _Variant(NamedTuple):
    """One phrasing of an entry, as vocabulary ids per slot."""

    slots: tuple[tuple[tuple[int, float], ...], ...]  # per slot: (token id, factor)
    idf: tuple[float, ...]  # per slot: the IDF of its main token (times its weight)
    total: float
    scale: float
    flat: dict[int, float]  # token id -> best factor anywhere in the phrasing


class Searcher:
    """Answers free-text questions from a :class:`KnowledgeBase`.

    Build one per knowledge base (it precomputes its index) and reuse it. ``search`` only
    reads the index; the one thing it writes is a bounded memo of word matches (a plain
    dict), so concurrent callers at worst compute a word twice.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        synonyms: Synonyms | None = None,
        *,
        answer_threshold: float = ANSWER_THRESHOLD,
        suggest_threshold: float = SUGGEST_THRESHOLD,
        cache_size: int = 8192,
        org: str | None = None,
    ) -> None:
        if not 0.0 <= suggest_threshold <= answer_threshold <= 100.0:
            raise ValueError("need 0 <= suggest_threshold <= answer_threshold <= 100")
        self.kb = kb
        self.analyzer = Analyzer(synonyms if synonyms is not None else Synonyms.load())
        self.answer_threshold = answer_threshold
        self.suggest_threshold = suggest_threshold
        self._cache_size = cache_size
        self._cache: dict[str, tuple[tuple[int, float], ...]] = {}
        self._entries: tuple[Entry, ...] = kb.entries
        self.org = fold(org) if org else None
        self._places: list[str | None] = [
            fold(e.municipality) if e.municipality else None for e in self._entries
        ]
        self._index_by_id = {entry.id: index for index, entry in enumerate(self._entries)}
        self._build()

    # -- index -------------------------------------------------------------------------

    def _build(self) -> None:
        analyzer = self.analyzer
        vocab: dict[str, int] = {}

        def token_id(token: str) -> int:
            return vocab.setdefault(token, len(vocab))

        analysed: list[tuple[list[list[Slot]], list[list[Slot]]]] = []
        postings: dict[int, dict[int, float]] = {}
        documents: list[list[str]] = []
        for index, entry in enumerate(self._entries):
            texts = [analyzer.slots(t) for t in (entry.title, *entry.questions)]
            keywords = [analyzer.slots(k) for k in entry.keywords]
            analysed.append((texts, keywords))
            documents.append(
                [slot.token for slots in (*texts, *keywords) for slot in slots]
                + analyzer.tokens(entry.answer)
            )
            counts: dict[str, float] = {}
            for slots in texts:
                seen: dict[str, float] = {}
                for slot in slots:
                    for token, factor in slot.alternatives:
                        seen[token] = max(seen.get(token, 0.0), factor)
                for token, factor in seen.items():
                    counts[token] = counts.get(token, 0.0) + factor
            full = _CENTRAL_SHARE * len(texts)
            centrality = {t: min(1.0, c / full) for t, c in counts.items()}
            for slot in texts[0]:
                for token, factor in slot.alternatives:
                    value = _TITLE_CENTRALITY * factor
                    if centrality.get(token, 0.0) < value:
                        centrality[token] = value
            for slots in keywords:
                for slot in slots:
                    for token, factor in slot.alternatives:
                        value = _KEYWORD_CENTRALITY * factor
                        if centrality.get(token, 0.0) < value:
                            centrality[token] = value
            for token, cent in centrality.items():
                postings.setdefault(token_id(token), {})[index] = (
                    _CENTRALITY_FLOOR + (1.0 - _CENTRALITY_FLOOR) * cent
                )

        self._bm25 = EntryBM25(documents)
        n = max(1, len(self._entries))
        self._vocab: dict[str, int] = vocab
        self._vocab_list: list[str] = sorted(vocab, key=vocab.__getitem__)
        # postings, most central entry first
        self._postings: list[tuple[tuple[int, float], ...]] = [
            tuple(sorted(postings[i].items(), key=lambda item: (-item[1], item[0])))
            for i in range(len(vocab))
        ]
        self._idf: list[float] = [math.log(1.0 + n / len(p)) for p in self._postings]
        # champion lists: candidate generation reads at most this many postings per word
        self._champions_size = max(_CHAMPIONS_MIN, n // _CHAMPIONS_DIVISOR)
        self._champions: list[tuple[tuple[int, float], ...]] = [
            p[: self._champions_size] for p in self._postings
        ]
        self._entry_tokens: list[dict[int, float]] = [{} for _ in self._entries]
        for tid, posting in enumerate(self._postings):
            for entry_index, centrality in posting:
                self._entry_tokens[entry_index][tid] = centrality
        self._weak: list[bool] = [analyzer.is_weak(t) for t in self._vocab_list]
        ordered_idf = sorted(self._idf)
        median = ordered_idf[len(ordered_idf) // 2] if ordered_idf else 1.0
        self._oov_weight = _OOV_FACTOR * median

        # the phrasings of every entry, and which phrasings use which word
        self._variants: list[tuple[_Variant, ...]] = []
        self._variant_index: list[dict[int, tuple[int, ...]]] = []
        self._entry_flat: list[dict[int, float]] = []
        self._entry_scale: list[float] = []
        for texts, keywords in analysed:
            variants: list[_Variant] = []
            for scale, group in ((1.0, texts), (_KEYWORD_VARIANT_SCALE, keywords)):
                for slots in group:
                    if not slots:
                        continue
                    ids = tuple(
                        tuple((vocab[t], f) for t, f in slot.alternatives) for slot in slots
                    )
                    idf = tuple(self._idf[vocab[slot.token]] * slot.weight for slot in slots)
                    flat: dict[int, float] = {}
                    for slot_ids in ids:
                        for tid, factor in slot_ids:
                            if factor > flat.get(tid, 0.0):
                                flat[tid] = factor
                    variants.append(_Variant(ids, idf, sum(idf), scale, flat))
            by_token: dict[int, set[int]] = {}
            for number, variant in enumerate(variants):
                for slot_ids in variant.slots:
                    for tid, _ in slot_ids:
                        by_token.setdefault(tid, set()).add(number)
            self._variants.append(tuple(variants))
            self._variant_index.append({t: tuple(sorted(v)) for t, v in by_token.items()})
            # for the bound in _rank: every word of any phrasing (best factor), largest scale
            entry_flat: dict[int, float] = {}
            for variant in variants:
                for tid, factor in variant.flat.items():
                    if factor > entry_flat.get(tid, 0.0):
                        entry_flat[tid] = factor
            self._entry_flat.append(entry_flat)
            self._entry_scale.append(max((v.scale for v in variants), default=0.0))

        # words to match against: the vocabulary plus the synonym aliases, each mapped to
        # the vocabulary id of its canonical token
        self._words: list[str] = list(self._vocab_list)
        self._target: list[int] = list(range(len(self._vocab_list)))
        for alias, canonical in sorted(analyzer.aliases.items()):
            target = vocab.get(canonical)
            if target is not None and alias not in vocab:
                self._words.append(alias)
                self._target.append(target)
        self._word_ids: dict[str, int] = {w: i for i, w in enumerate(self._words)}
        # typo candidates: words sharing the first or the last two letters
        buckets: dict[str, list[int]] = {}
        for word_id, word in enumerate(self._words):
            if len(word) >= 4 and word.isalpha():
                buckets.setdefault("<" + word[:2], []).append(word_id)
                buckets.setdefault(">" + word[-2:], []).append(word_id)
        self._buckets: dict[str, tuple[list[str], list[int]]] = {
            key: ([self._words[i] for i in ids], ids) for key, ids in buckets.items()
        }
        self._sorted_words: list[str] = sorted(self._words)
        self._joined = "\n" + "\n".join(self._words) + "\n"
        self._line_starts: list[int] = []
        offset = 1
        for word in self._words:
            self._line_starts.append(offset)
            offset += len(word) + 1

    # -- word matching -----------------------------------------------------------------

    def _match_token(self, token: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary ids similar to ``token``, with their similarity (0..1]."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        words = self._word_ids
        target = self._target
        found: dict[int, float] = {}

        def add(word_id: int, sim: float) -> None:
            tid = target[word_id]
            if sim > found.get(tid, 0.0):
                found[tid] = sim

        exact = words.get(token)
        if exact is not None:
            add(exact, 1.0)
        size = len(token)
        if size >= 4 and token.isalpha():
            # inflections: a known word that starts with the token, or the other way round
            ordered = self._sorted_words
            at = bisect.bisect_left(ordered, token)
            while at < len(ordered) and ordered[at].startswith(token):
                if ordered[at][size:] in _TAILS:
                    add(words[ordered[at]], _SIM_PREFIX)
                at += 1
            for cut in range(max(4, size - 4), size):
                if token[cut:] in _TAILS:
                    word_id = words.get(token[:cut])
                    if word_id is not None:
                        add(word_id, _SIM_PREFIX)
        if size >= 5 and token.isalpha():
            # typos
            cutoff = _typo_cutoff(size)
            for key in ("<" + token[:2], ">" + token[-2:]):
                bucket = self._buckets.get(key)
                if bucket is None:
                    continue
                for _, score, position in process.extract(
                    token, bucket[0], scorer=fuzz.ratio, score_cutoff=cutoff, limit=5
                ):
                    add(bucket[1][position], _SIM_FUZZY_SCALE * score / 100.0)
        if size >= 6 and token.isalpha():
            # compounds: the token inside a longer word ...
            for count, hit in enumerate(re.finditer(re.escape(token), self._joined)):
                if count >= _MAX_COMPOUND_HITS:
                    break
                line = bisect.bisect_right(self._line_starts, hit.start()) - 1
                if 0 <= line < len(self._words) and len(self._words[line]) <= 3 * size:
                    add(line, _SIM_COMPOUND)
            # ... or a known word of 5+ letters at the start or the end of the token
            for cut in range(5, size - 2):
                for part in (token[:cut], token[size - cut :]):
                    word_id = words.get(part)
                    if word_id is not None:
                        add(word_id, _SIM_COMPOUND)
        result = tuple(found.items())
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[token] = result
        return result

    # -- scoring -----------------------------------------------------------------------

    def rank(self, text: str, limit: int = 5) -> list[tuple[Entry, float]]:
        """The best ``limit`` entries for ``text`` with their scores, best first."""
        return [(self._entries[i], s) for i, s, _ in self._rank(text, limit)]

    def _rank(self, text: str, limit: int) -> list[tuple[int, float, bool]]:
        """(entry index, score, anchored) for the best ``limit`` entries, best first."""
        slots = self.analyzer.slots(text)
        if not slots or not self._entries:
            return []
        idf = self._idf
        weak = self._weak
        total = 0.0
        slot_matches: list[tuple[dict[int, float], float]] = []
        anchors: list[bool] = []
        query_sim: dict[int, float] = {}
        for slot in slots:
            matches: dict[int, float] = {}
            for token, factor in slot.alternatives:
                for tid, sim in self._match_token(token):
                    sim *= factor
                    if sim > matches.get(tid, 0.0):
                        matches[tid] = sim
            if not matches:
                total += self._oov_weight * slot.weight
                continue
            best_sim = max(matches.values())
            weight = slot.weight * max(idf[t] for t, s in matches.items() if s == best_sim)
            total += weight
            slot_matches.append((matches, weight))
            anchors.append(slot.weight >= 1.0 and not self.analyzer.is_weak(slot.token))
            for tid, sim in matches.items():
                if sim > query_sim.get(tid, 0.0):
                    query_sim[tid] = sim
        if not slot_matches or total <= 0.0:
            return []

        # 1. candidates from each word's champion list (everything in a small knowledge base)
        champions = self._champions
        acc: dict[int, float] = {}
        for matches, weight in slot_matches:
            best: dict[int, float] = {}
            get = best.get
            floor = _GENERATE_SHARE * max(matches.values())
            for tid, sim in matches.items():
                if sim < floor:
                    continue
                for entry_index, centrality in champions[tid]:
                    value = sim * centrality
                    if value > get(entry_index, 0.0):
                        best[entry_index] = value
            for entry_index, value in best.items():
                acc[entry_index] = acc.get(entry_index, 0.0) + weight * value
        pool = heapq.nlargest(_POOL, acc, key=acc.__getitem__)
        bm25 = self._bm25.scores([slot.token for slot in slots])

        # 2. exact coverage and domain anchor for the pool
        exact: list[tuple[int, float, bool]] = []
        for entry_index in pool:
            tokens = self._entry_tokens[entry_index]
            value = 0.0
            anchored = False
            for (matches, weight), can_anchor in zip(slot_matches, anchors):
                best_value = 0.0
                for tid, sim in matches.items():
                    centrality = tokens.get(tid)
                    if centrality is not None:
                        if sim * centrality > best_value:
                            best_value = sim * centrality
                        if can_anchor and sim >= _ANCHOR_SIM and not weak[tid]:
                            anchored = True
                value += weight * best_value
            exact.append((entry_index, value / total, anchored))
        exact.sort(key=lambda item: (-item[1], item[0]))

        # 3. re-rank the best by their closest phrasing
        named = {slot.token for slot in slots}
        scored: list[tuple[int, float, bool]] = []
        for entry_index, coverage, anchored in exact[:_CANDIDATES]:
            if len(scored) >= limit:
                # even a perfect phrasing could not lift this entry into the top ``limit``
                floor = sorted((s for _, s, _ in scored), reverse=True)[limit - 1]
                base_bound = _COVERAGE_WEIGHT * coverage + (1.0 - _COVERAGE_WEIGHT)
                bound = _combine(base_bound, bm25[entry_index])
                if bound < floor:
                    break
            recall_bound = self._recall_bound(entry_index, slot_matches, total)
            if len(scored) >= limit:
                # nor could this entry's best phrasing (an upper bound; penalties only lower it)
                phrasing_bound = self._entry_scale[entry_index] * _f1(1.0, recall_bound) * _ROUNDING_MARGIN
                base_bound = _COVERAGE_WEIGHT * coverage + (1.0 - _COVERAGE_WEIGHT) * phrasing_bound
                if _combine(base_bound, bm25[entry_index]) < floor:
                    continue
            phrasing = self._closest_phrasing(entry_index, slot_matches, query_sim, total, recall_bound)
            base = _COVERAGE_WEIGHT * coverage + (1.0 - _COVERAGE_WEIGHT) * phrasing
            score = _combine(base, bm25[entry_index])
            if not anchored:
                score *= _WEAK_ONLY_PENALTY
            place = self._places[entry_index]
            if place is not None and place not in named and place != self.org:
                score *= _FOREIGN_PLACE_PENALTY if self.org else _OTHER_PLACE_PENALTY
            scored.append((entry_index, max(0.0, score), anchored))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]

    def _recall_bound(
        self, entry_index: int, slot_matches: list[tuple[dict[int, float], float]], total: float
    ) -> float:
        """An upper bound of the recall of every phrasing of the entry, at a fraction of its cost.

        A phrasing's recall counts only words of that phrasing, so the recall over all the
        entry's words bounds it. With precision at most 1 (factors and similarities are at
        most 1) and F1 = 2PR/(P+R) growing in both, it bounds the closest phrasing too.
        """
        flat = self._entry_flat[entry_index]
        found = 0.0
        for matches, weight in slot_matches:
            slot_best = 0.0
            for tid, sim in matches.items():
                factor = flat.get(tid)
                if factor is not None and factor * sim > slot_best:
                    slot_best = factor * sim
            found += weight * slot_best
        return found / total

    def _closest_phrasing(
        self,
        entry_index: int,
        slot_matches: list[tuple[dict[int, float], float]],
        query_sim: dict[int, float],
        total: float,
        recall_bound: float = 1.0,
    ) -> float:
        """The best IDF-weighted F1 between the question and one phrasing of the entry.

        ``recall_bound`` (see :meth:`_recall_bound`) lets a phrasing be skipped when even
        that recall could not beat the best F1 found so far; the result is the same.
        """
        variants = self._variants[entry_index]
        index = self._variant_index[entry_index]
        numbers: set[int] = set()
        for tid in query_sim:
            numbers.update(index.get(tid, ()))
        best = 0.0
        get = query_sim.get
        for number in numbers:
            variant = variants[number]
            hit = 0.0
            for slot_ids, weight in zip(variant.slots, variant.idf):
                slot_best = 0.0
                for tid, factor in slot_ids:
                    sim = get(tid)
                    if sim is not None and factor * sim > slot_best:
                        slot_best = factor * sim
                hit += weight * slot_best
            if hit <= 0.0:
                continue
            precision = hit / variant.total
            if variant.scale * _f1(precision, recall_bound) * _ROUNDING_MARGIN <= best:
                continue
            flat = variant.flat.items()
            found = 0.0
            for matches, weight in slot_matches:
                slot_best = 0.0
                for tid, factor in flat:
                    sim = matches.get(tid)
                    if sim is not None and factor * sim > slot_best:
                        slot_best = factor * sim
                found += weight * slot_best
            recall = found / total
            f1 = variant.scale * 2.0 * precision * recall / (precision + recall)
            if f1 > best:
                best = f1
        return best

    def search(self, text: str, today: date | None = None) -> SearchResult:
        """Answer ``text``: the best entry at or above the threshold, or a fallback.

        ``today`` (the user's date) lets "i år"/"næste år" be checked against the years
        an entry covers.
        """
        ranked = self._rank(text, MAX_SUGGESTIONS)
        if not ranked:
            return SearchResult(entry=None, score=0.0, fallback=True, suggestions=())
        best_index, best_score, _ = ranked[0]
        told = situation_entry(text)
        if told is not None and told in self._index_by_id and (
            best_score < self.answer_threshold or told in {self._entries[i].id for i, _s, _a in ranked[1:_SITUATION_RIVALS]}
        ):
            # »ledelsen lavede om uden at sige et ord – hvad kan vi gøre?«: the story names no concept, so the
            # search is not sure of it (or ranks the situation's entry just behind a neighbour)
            entry = self._entries[self._index_by_id[told]]
            return SearchResult(entry, round(max(best_score, self.answer_threshold), 2), False, (), None)
        score = round(best_score, 2)
        if uncovered_topic(text, self._entries[best_index].answer):
            best_score = min(best_score, self.suggest_threshold)  # no entry speaks of it: fall back
        if best_score >= self.answer_threshold:
            entry = self._entries[best_index]
            detail = missing_detail(text, entry.answer, today, entry.municipality)
            if detail is Detail.MUNICIPALITY and (own := self._named_place_entry(text, ranked[1:], best_score)) is not None:
                # »og i Albertslund?« after Jammerbugt's contacts: Albertslund's own entry, when one comes close
                other = self._entries[own[0]]
                return SearchResult(other, round(own[1], 2), False, (), missing_detail(text, other.answer, today, other.municipality))
            return SearchResult(entry, score, False, (), detail)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if (
            best_score >= TENTATIVE_THRESHOLD
            and ranked[0][2]
            and best_score - runner_up >= TENTATIVE_MARGIN
            and _MED_WORDS.search(fold(text))
        ):
            entry = self._entries[best_index]
            return SearchResult(entry, score, False, (), missing_detail(text, entry.answer, today, entry.municipality), tentative=True)
        for sentence in _other_sentences(text):
            # »hvad er lokalMED for noget? er lige startet på plejecentret«: the question alone
            alone = self.search(sentence, today)
            if alone.entry is not None and not alone.fallback and not alone.tentative and not uncovered_topic(text, alone.entry.answer):
                # the detail asked for may stand in another sentence (»… Hvornår er det næste gang?«)
                detail = missing_detail(text, alone.entry.answer, today, alone.entry.municipality)
                return SearchResult(alone.entry, alone.score, False, (), detail or alone.unknown_detail)
        suggestions = tuple(
            self._entries[i] for i, s, anchored in ranked if anchored and s >= self.suggest_threshold
        )
        return SearchResult(entry=None, score=score, fallback=True, suggestions=suggestions)

    def _named_place_entry(self, text: str, ranked: list[tuple[int, float, bool]], best: float) -> tuple[int, float] | None:
        """The best entry of the municipality ``text`` names, among the runners-up, when it is nearly as
        good as the best (»offentlig høring … i Albertslund« is not answered by Albertslund's budget entry)."""
        named = named_municipality(text)
        for index, score, anchored in ranked:
            if anchored and score >= max(self.answer_threshold, best - _NAMED_PLACE_MARGIN) and self._places[index] == named:
                return index, score
        return None

    def unknown_words(self, text: str) -> list[str]:
        """Content words of ``text`` that no entry uses, even loosely (»julefrokosten«): a new topic."""
        unknown = []
        for slot in self.analyzer.slots(text):
            token = slot.token
            if slot.weight < 1.0 or self.analyzer.is_weak(token) or token in self._vocab or len(token) < 4:
                continue
            if not self._match_token(token) and not any(t in self._vocab for t, _f in slot.alternatives[1:]):
                unknown.append(token)
        return unknown

    def search_many(self, texts: Iterable[str]) -> list[SearchResult]:
        """``search`` for each text, in order."""
        return [self.search(text) for text in texts]
