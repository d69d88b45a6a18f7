"""The rules of 'Den gode idé' (seed 000), as data and pure functions.

* the status lifecycle: which transitions are allowed, which need a reason, which
  name a committee, which count as open (the Danish labels live in
  :mod:`dialogs.texts`, keyed by the status code);
* the budget year an idea belongs to, and the receipt number format;
* the field limits of an idea and their validation;
* the committees an idea can be routed to, read from the municipality profile;
* duplicate detection: fuzzy similarity on :func:`knowledge.normalize.fold`.

Nothing here touches a database, a clock or botbuilder.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz

from knowledge.clock import COPENHAGEN
from knowledge.normalize import fold
from knowledge.profiles import LEVEL_CODES, Contact, Profile

__all__ = [
    "CONSEQUENCE_KEYS",
    "CONSEQUENCE_MAX",
    "DESCRIPTION_MAX",
    "DUPLICATE_THRESHOLD",
    "FIELDS",
    "FIELD_LIMITS",
    "MAX_SIMILAR",
    "NUDGE_STATUSES",
    "OPEN_STATUSES",
    "OPTIONAL_FIELDS",
    "POTENTIAL_MAX",
    "REASON_MAX",
    "REASON_REQUIRED",
    "REQUIRED_FIELDS",
    "TITLE_MAX",
    "TRANSITIONS",
    "WITH_COMMITTEE",
    "CommandKind",
    "Committee",
    "FieldProblem",
    "IdeaCommand",
    "IdeaDraft",
    "IdeaNumber",
    "IdeaStatus",
    "InvalidTransitionError",
    "ReasonRequiredError",
    "SameStatusError",
    "TransitionError",
    "allowed_next",
    "budget_year_for",
    "check_consequence",
    "check_description",
    "check_potential",
    "check_title",
    "check_transition",
    "committees_from_profile",
    "find_committee",
    "match_area",
    "parse_idea_command",
    "split_idea_message",
    "parse_idea_number",
    "parse_status",
    "route_committee",
    "similarity",
    "status_prefix",
]


# --- field limits ---------------------------------------------------------------

TITLE_MAX = 120
DESCRIPTION_MAX = 4000
POTENTIAL_MAX = 2000
CONSEQUENCE_MAX = 2000
REASON_MAX = 2000

#: The four forhold a proposal's consequences are described on (000, 002, 004).
CONSEQUENCE_KEYS: tuple[str, ...] = (
    "arbejdsforhold",
    "personaleforhold",
    "samarbejdsforhold",
    "arbejdsmiljoeforhold",
)

#: The draft fields (the order of the card form).
FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "potential",
    "area",
    "cross_cutting",
    "consequences",
    "anonymous",
)
#: What an idea cannot be routed or understood without: asked first, in this order.
REQUIRED_FIELDS: tuple[str, ...] = ("title", "description", "area")
#: Asked one at a time, each skippable, only when the user wants to add more.
OPTIONAL_FIELDS: tuple[str, ...] = ("potential", "cross_cutting", "consequences")


class FieldProblem(enum.Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def _length_problem(value: str, maximum: int, *, required: bool = True) -> FieldProblem | None:
    text = value.strip()
    if required and not text:
        return FieldProblem.EMPTY
    if len(text) > maximum:
        return FieldProblem.TOO_LONG
    return None


def check_title(value: str) -> FieldProblem | None:
    return _length_problem(value, TITLE_MAX)


def check_description(value: str) -> FieldProblem | None:
    return _length_problem(value, DESCRIPTION_MAX)


def check_potential(value: str) -> FieldProblem | None:
    return _length_problem(value, POTENTIAL_MAX)


def check_consequence(value: str) -> FieldProblem | None:
    return _length_problem(value, CONSEQUENCE_MAX, required=False)


FIELD_LIMITS: Mapping[str, int] = {
    "title": TITLE_MAX,
    "description": DESCRIPTION_MAX,
    "potential": POTENTIAL_MAX,
    **{key: CONSEQUENCE_MAX for key in CONSEQUENCE_KEYS},
}


@dataclass
class IdeaDraft:
    """An idea while it is being written (kept in the dialog state and in ``idea_drafts``)."""

    title: str = ""
    description: str = ""
    potential: str = ""
    area_id: str | None = None  # None + area_unknown=True: "ved ikke / andet område"
    area_unknown: bool = False
    cross_cutting: bool | None = None
    consequences: dict[str, str] = field(default_factory=dict)
    consequences_asked: bool = False
    anonymous: bool | None = None

    # -- state ------------------------------------------------------------

    def has_content(self) -> bool:
        return bool(self.title or self.description or self.potential)

    def has_area(self) -> bool:
        return self.area_id is not None or self.area_unknown

    def missing(self) -> list[str]:
        """The required fields still missing, in order (see :data:`REQUIRED_FIELDS`)."""
        missing: list[str] = []
        if not self.title:
            missing.append("title")
        if not self.description:
            missing.append("description")
        if not self.has_area():
            missing.append("area")
        return missing

    def unfilled_optional(self) -> list[str]:
        """The optional fields nobody has filled in yet, in order (see :data:`OPTIONAL_FIELDS`)."""
        unfilled: list[str] = []
        if not self.potential:
            unfilled.append("potential")
        if self.cross_cutting is None:
            unfilled.append("cross_cutting")
        if not self.consequences:
            unfilled.append("consequences")
        return unfilled

    def is_complete(self) -> bool:
        return not self.missing()

    def problems(self) -> dict[str, FieldProblem]:
        """Field limits broken by the draft as it is (for a whole form at once)."""
        found: dict[str, FieldProblem] = {}
        for name, checker in (("title", check_title), ("description", check_description)):
            problem = checker(getattr(self, name))
            if problem is not None:
                found[name] = problem
        if len(self.potential.strip()) > POTENTIAL_MAX:  # optional: only its length counts
            found["potential"] = FieldProblem.TOO_LONG
        for key, value in self.consequences.items():
            problem = check_consequence(value)
            if problem is not None:
                found[key] = problem
        return found

    # -- (de)serialisation for dialog state and the drafts table --------------

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "description": self.description,
            "potential": self.potential,
            "area_id": self.area_id,
            "area_unknown": self.area_unknown,
            "cross_cutting": self.cross_cutting,
            "consequences": {k: v for k, v in self.consequences.items() if k in CONSEQUENCE_KEYS and v},
            "consequences_asked": self.consequences_asked,
            "anonymous": self.anonymous,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> IdeaDraft:
        data = data or {}

        def text(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""

        def flag(key: str) -> bool | None:
            value = data.get(key)
            return value if isinstance(value, bool) else None

        raw = data.get("consequences")
        consequences = (
            {k: v for k, v in raw.items() if k in CONSEQUENCE_KEYS and isinstance(v, str) and v}
            if isinstance(raw, dict)
            else {}
        )
        area = data.get("area_id")
        return cls(
            title=text("title"),
            description=text("description"),
            potential=text("potential"),
            area_id=area if isinstance(area, str) and area else None,
            area_unknown=bool(data.get("area_unknown")),
            cross_cutting=flag("cross_cutting"),
            consequences=consequences,
            consequences_asked=bool(data.get("consequences_asked")),
            anonymous=flag("anonymous"),
        )


# --- status lifecycle -------------------------------------------------------------


class IdeaStatus(str, enum.Enum):
    """Status codes (ASCII, stable: stored in the database and typed on the CLI)."""

    MODTAGET = "modtaget"
    DROEFTES = "droeftes"  # drøftes i <udvalg>
    SENDT_VIDERE = "sendt_videre"  # sendt videre til <udvalg>
    PRAESENTERET = "praesenteret"  # præsenteret for Økonomiudvalget
    BUDGETFORSLAG = "budgetforslag"  # indgår i budgetforslag
    IDEBANK = "idebank"  # lagt i idébanken
    AFVIST = "afvist"
    LUKKET = "lukket"


S = IdeaStatus

#: modtaget → drøftes i <udvalg> → sendt videre til <udvalg> → præsenteret for
#: Økonomiudvalget → indgår i budgetforslag / lagt i idébanken / afvist → lukket.
#: An idea can also stop early (idébank or afvist at any open step), go round
#: again (drøftes in the committee it was sent on to), or be taken out of the
#: idébank for a new round.
TRANSITIONS: Mapping[IdeaStatus, frozenset[IdeaStatus]] = {
    S.MODTAGET: frozenset({S.DROEFTES, S.SENDT_VIDERE, S.IDEBANK, S.AFVIST}),
    S.DROEFTES: frozenset({S.SENDT_VIDERE, S.PRAESENTERET, S.BUDGETFORSLAG, S.IDEBANK, S.AFVIST}),
    S.SENDT_VIDERE: frozenset({S.DROEFTES, S.PRAESENTERET, S.IDEBANK, S.AFVIST}),
    S.PRAESENTERET: frozenset({S.BUDGETFORSLAG, S.IDEBANK, S.AFVIST}),
    S.BUDGETFORSLAG: frozenset({S.LUKKET}),
    S.IDEBANK: frozenset({S.DROEFTES, S.LUKKET}),
    S.AFVIST: frozenset({S.LUKKET}),
    S.LUKKET: frozenset(),
}

#: A status change to these needs a reason (it is sent to the submitter).
REASON_REQUIRED: frozenset[IdeaStatus] = frozenset({S.AFVIST})

#: These statuses name a committee: "drøftes i <udvalg>", "sendt videre til <udvalg>".
WITH_COMMITTEE: frozenset[IdeaStatus] = frozenset({S.DROEFTES, S.SENDT_VIDERE})

#: Still in play: offered as duplicates, listed by default for the committee.
OPEN_STATUSES: frozenset[IdeaStatus] = frozenset(
    {S.MODTAGET, S.DROEFTES, S.SENDT_VIDERE, S.PRAESENTERET, S.BUDGETFORSLAG, S.IDEBANK}
)

#: Waiting for the committee to act: an idea sitting here too long nudges its contact.
NUDGE_STATUSES: frozenset[IdeaStatus] = frozenset({S.MODTAGET, S.DROEFTES, S.SENDT_VIDERE})


class TransitionError(ValueError):
    """A status change the lifecycle does not allow."""


class InvalidTransitionError(TransitionError):
    def __init__(self, current: IdeaStatus, wanted: IdeaStatus) -> None:
        super().__init__(f"an idea cannot go from {current.value!r} to {wanted.value!r}")
        self.current = current
        self.wanted = wanted


class ReasonRequiredError(TransitionError):
    def __init__(self, wanted: IdeaStatus) -> None:
        super().__init__(f"a change to {wanted.value!r} needs a reason")
        self.wanted = wanted


class SameStatusError(TransitionError):
    def __init__(self, status: IdeaStatus) -> None:
        super().__init__(f"the idea already has status {status.value!r}")
        self.status = status


def allowed_next(current: IdeaStatus) -> tuple[IdeaStatus, ...]:
    """The statuses ``current`` may change to, in lifecycle order."""
    order = list(IdeaStatus)
    return tuple(sorted(TRANSITIONS[current], key=order.index))


def check_transition(current: IdeaStatus, wanted: IdeaStatus, reason: str | None) -> None:
    """Raise a :class:`TransitionError` unless ``current`` → ``wanted`` is allowed."""
    if wanted == current:
        raise SameStatusError(current)
    if wanted not in TRANSITIONS[current]:
        raise InvalidTransitionError(current, wanted)
    if wanted in REASON_REQUIRED and not (reason or "").strip():
        raise ReasonRequiredError(wanted)


_STATUS_WORDS: Mapping[str, IdeaStatus] = {
    fold(word): status
    for status, words in {
        S.MODTAGET: ("modtaget",),
        S.DROEFTES: ("droeftes", "drøftes", "drøft", "drøftet", "til drøftelse", "drøftes i", "behandles"),
        S.SENDT_VIDERE: ("sendt_videre", "sendt videre", "send videre", "videresendt", "videre", "sendt videre til"),
        S.PRAESENTERET: (
            "praesenteret",
            "præsenteret",
            "præsenteret for økonomiudvalget",
            "præsenteret for ØU",
            "økonomiudvalget",
        ),
        S.BUDGETFORSLAG: ("budgetforslag", "indgår i budgetforslag", "indgår i budgetforslaget"),
        S.IDEBANK: ("idebank", "idébank", "idébanken", "lagt i idébanken", "idebanken"),
        S.AFVIST: ("afvist", "afvis", "afslået"),
        S.LUKKET: ("lukket", "luk", "afsluttet"),
    }.items()
    for word in words
}


def parse_status(text: str) -> IdeaStatus | None:
    """A status from its code or a Danish phrase ("drøftes", "lagt i idébanken", ...)."""
    folded = fold(text.replace("_", " "))
    if not folded:
        return None
    if folded in _STATUS_WORDS:
        return _STATUS_WORDS[folded]
    for code in IdeaStatus:
        if folded == fold(code.value.replace("_", " ")):
            return code
    return None


def status_prefix(text: str) -> tuple[IdeaStatus, str] | None:
    """The status a phrase starts with and the rest: "sendt videre til HovedMED" → (SENDT_VIDERE, "til HovedMED")."""
    folded = fold(text.replace("_", " "))
    best: tuple[int, IdeaStatus] | None = None
    for words, status in _STATUS_WORDS.items():
        if folded == words or folded.startswith(words + " "):
            if best is None or len(words) > best[0]:
                best = (len(words), status)
    if best is None:
        return None
    rest_words = folded[best[0] :].split()
    return best[1], " ".join(rest_words)


# --- budget year and numbers ------------------------------------------------------


def budget_year_for(moment: datetime) -> int:
    """The budget year an idea submitted at ``moment`` (aware) belongs to.

    The spring process prepares next year's budget (000: ideas in the first part of
    the process for "budget 2024" in a guide dated February 2023), so an idea
    submitted in year Y (Danish time) is for budget Y+1. The budget for Y+1 is adopted
    in the decision phase, September–October (000, "Beslutningsfasen – september -
    oktober"); from November an idea can only reach the budget after that, Y+2.
    """
    if moment.tzinfo is None:
        raise ValueError("budget_year_for needs an aware datetime")
    local = moment.astimezone(COPENHAGEN)
    return local.year + (2 if local.month >= _FIRST_MONTH_AFTER_ADOPTION else 1)


#: The budget is adopted in October (000: "Beslutningsfasen – september - oktober").
_FIRST_MONTH_AFTER_ADOPTION = 11


@dataclass(frozen=True, order=True)
class IdeaNumber:
    budget_year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.budget_year}-{self.seq:03d}"

    @property
    def display(self) -> str:
        return f"#{self}"


_NUMBER_RX = re.compile(r"(?<![\d])#?\s*(20\d\d)\s*[-‐‑–/.]?\s*(\d{1,4})(?!\d)")


def parse_idea_number(text: str) -> IdeaNumber | None:
    """"#2027-014", "2027-14", "2027/014" or "2027014" → ``IdeaNumber(2027, 14)``."""
    match = _NUMBER_RX.search(text)
    if match is None:
        return None
    seq = int(match.group(2))
    if seq < 1:
        return None
    return IdeaNumber(int(match.group(1)), seq)


# --- committees and routing ---------------------------------------------------------


@dataclass(frozen=True)
class Committee:
    """A committee ideas can be routed to. ``key`` is stored in the database.

    Area committees (ForvaltningsMED/AfdelingsMED of a forvaltning/afdeling) use the
    area id as key; the level committees use the level code (``top`` = HovedMED /
    KommuneMED).
    """

    key: str
    name: str
    aliases: tuple[str, ...]
    level: str
    contacts: tuple[Contact, ...]
    admin_user_ids: tuple[str, ...]
    area_id: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, self.key)


def committees_from_profile(profile: Profile) -> tuple[Committee, ...]:
    """Every committee of the profile: the top committee first, then the areas'."""
    found: list[Committee] = []
    for code in LEVEL_CODES:
        info = profile.level(code)
        if code != "top" and not info.admin_user_ids and not profile.committee_contacts(code):
            # A generic "ForvaltningsMED" without contact or admin is not a place to route to.
            continue
        found.append(
            Committee(
                key=code,
                name=info.name,
                aliases=info.aliases,
                level=code,
                contacts=profile.committee_contacts(code),
                admin_user_ids=info.admin_user_ids,
            )
        )
    for area in profile.areas:
        found.append(
            Committee(
                key=area.id,
                name=area.committee,
                aliases=(*area.committee_aliases, area.name, *area.aliases),
                level=area.level,
                contacts=profile.committee_contacts(area.level, area.id),
                admin_user_ids=area.admin_user_ids,
                area_id=area.id,
            )
        )
    return tuple(found)


def route_committee(profile: Profile, area_id: str | None, cross_cutting: bool) -> str:
    """The key of the committee a new idea goes to.

    An area's idea goes to that area's middle committee (ForvaltningsMED /
    AfdelingsMED), also when it cuts across: 000 sends ideas to the ForvaltningsMED
    contact persons, and "Efterfølgende sendes ForvaltningsMED's tværgående idéer til
    HovedMED" (``ideas.cross_cutting_to``). An idea whose submitter does not know the
    area goes to the top committee, whose secretary can send it on.
    """
    if area_id is not None:
        profile.area(area_id)  # KeyError for an unknown area
        return area_id
    return "top"


def find_committee(text: str, committees: Sequence[Committee]) -> Committee | None:
    """The committee ``text`` names (key, name or alias; folded), if exactly one fits."""
    folded = fold(text)
    if not folded:
        return None
    exact = [c for c in committees if any(fold(n) == folded for n in c.all_names if n)]
    if len(exact) == 1:
        return exact[0]
    compact = folded.replace(" ", "")
    squashed = [c for c in committees if any(fold(n).replace(" ", "") == compact for n in c.all_names if n)]
    if len(squashed) == 1:
        return squashed[0]
    scored = sorted(
        ((max(fuzz.ratio(fold(n), folded) for n in c.all_names if n), c) for c in committees),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if scored and scored[0][0] >= 85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 5):
        return scored[0][1]
    return None


def match_area(text: str, areas: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The id of the area ``text`` names: by number (1-based), id, name or alias.

    ``areas`` is ``[(area_id, names), ...]`` in the order they were offered.
    """
    stripped = text.strip().rstrip(".")
    if stripped.isdigit():
        index = int(stripped)
        return areas[index - 1][0] if 1 <= index <= len(areas) else None
    folded = fold(text)
    if not folded:
        return None
    compact = folded.replace(" ", "")
    for area_id, names in areas:
        candidates = {fold(area_id), *(fold(n) for n in names if n)}
        if folded in candidates or compact in {c.replace(" ", "") for c in candidates}:
            return area_id
    if len(compact) >= 3:
        # »stab« for STABplus: the one area one of whose names begins with what was typed
        begins = {area_id for area_id, names in areas for n in (*names, area_id) if n and fold(n).replace(" ", "").startswith(compact)}
        if len(begins) == 1:
            return begins.pop()
    scored: list[tuple[float, str]] = []
    for area_id, names in areas:
        best = max((fuzz.ratio(fold(n), folded) for n in (*names, area_id) if n), default=0.0)
        scored.append((best, area_id))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 5):
        return scored[0][1]
    return None


# --- an idea written in one message ---------------------------------------------

# »ny idé:«, »jeg har en idé til budgettet –«, »forslag:« before the idea itself
_IDEA_MARK = re.compile(
    r"^\s*(?:hej[,!]?\s+)?(?:jeg har\s+)?(?:en\s+|et\s+)?(?:ny\s+|god\s+|nyt\s+)?"
    r"(?:id[ée]|ide|forslag|budgetid[ée]|budgetide|budgetforslag)"
    r"(?:\s+til\s+(?:budget(?:tet)?|besparelse))?\s*[:–—-]\s*(?=\S)",
    re.IGNORECASE,
)
# »det hører til stab«, »område: SSB«, »hører under BFF« at the end
_AREA_TAIL = re.compile(
    r"^(?:(?:det|den|ideen|forslaget)\s+)?(?:horer|hor|er)\s+(?:til|under|i|hjemme i)\s+(?P<area>.+)$"
    r"|^(?:omrade|forvaltning|afdeling)\s*[:–-]?\s*(?P<named>.+)$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class IdeaStart:
    """An idea written in the message that starts the dialog (»ny idé: titel. beskrivelse«)."""

    title: str
    description: str = ""
    area_text: str = ""


def split_idea_message(text: str) -> IdeaStart | None:
    """The title (first sentence), description (the rest) and named area of an idea written
    after »ny idé:«; None when the message only asks to start one."""
    marked = _IDEA_MARK.match(text)
    if marked is None:
        return None
    sentences = [s.strip() for s in _SENTENCE_END.split(text[marked.end():].strip()) if s.strip()]
    area_text = ""
    if len(sentences) > 1:
        tail = _AREA_TAIL.match(fold(sentences[-1]).rstrip(". "))
        if tail is not None:
            area_text = (tail.group("area") or tail.group("named") or "").strip()
            sentences.pop()
    if not sentences:
        return None
    title = sentences[0].rstrip(". ")
    if len(title) > TITLE_MAX:
        return IdeaStart(title="", description=" ".join(sentences), area_text=area_text)
    return IdeaStart(title=title, description=" ".join(sentences[1:]), area_text=area_text)


# --- duplicates ------------------------------------------------------------------

#: A score at or above this offers the existing idea instead of a new one.
DUPLICATE_THRESHOLD = 80.0
MAX_SIMILAR = 3

_STOPWORDS = frozenset(
    fold(word)
    for word in (
        "og i at en et til af på de det der som for med vi kan om den er ikke så vil skal "
        "have har man alle os jeg du fra ved nu mere eller hvor når hvis bliver blive være "
        "være vores deres sin sit sine alle bare også mellem under over efter"
    ).split()
)


def _content(text: str) -> str:
    return " ".join(t for t in fold(text).split() if t not in _STOPWORDS)


def similarity(title_a: str, description_a: str, title_b: str, description_b: str) -> float:
    """How alike two ideas are, 0–100 (folded, so æ/ae/a and ø/oe/o meet).

    The best of: the titles' word sets (or word order, for one-word titles), the
    titles without spaces ("kontor artikler" = "kontorartikler"), and title plus
    description as word sets.
    """
    ta, tb = _content(title_a), _content(title_b)
    scores = [0.0]
    if ta and tb:
        if min(len(ta.split()), len(tb.split())) >= 2:
            scores.append(fuzz.token_set_ratio(ta, tb))
        else:
            scores.append(fuzz.token_sort_ratio(ta, tb))
        scores.append(fuzz.ratio(ta.replace(" ", ""), tb.replace(" ", "")))
    fa, fb = _content(f"{title_a} {description_a}"), _content(f"{title_b} {description_b}")
    if fa and fb and min(len(fa.split()), len(fb.split())) >= 3:
        scores.append(fuzz.token_set_ratio(fa, fb))
    return float(max(scores))


# --- chat commands about ideas --------------------------------------------------------


class CommandKind(enum.Enum):
    MY_IDEAS = "my_ideas"
    LIST = "list"
    SHOW = "show"
    SET_STATUS = "set_status"
    COMMENT = "comment"
    SUPPORT = "support"


@dataclass(frozen=True)
class IdeaCommand:
    kind: CommandKind
    number: IdeaNumber | None = None
    status: IdeaStatus | None = None
    status_text: str = ""  # what the user wrote for the status (to quote it when unknown)
    committee_text: str = ""  # "drøftes i <udvalg>" / "sendt videre til <udvalg>"
    reason: str = ""  # after »fordi«, or the comment text


_MY_IDEAS = frozenset(fold(w) for w in ("mine idéer", "vis mine idéer", "mine forslag", "vis mine forslag", "my ideas", "mine ideer"))
# "status paa min ide", "hvad er status på mine idéer", "hvordan går det med mit forslag"
_MY_IDEAS_RX = re.compile(
    r"^(?:(?:hvad er |hvad med |hvor er |se |vis )?(?:status|statussen) (?:pa|for|af) "
    r"|hvordan gar det med |hvor langt er |hvad skete der med |hvad er der sket med )"
    r"(?:min|mine|mit) (?:ide|ideer|ideen|forslag|forslaget)\s*[?.!]*$"
    # "hvad var mit kvitteringsnummer", "nummeret på min idé"
    r"|^(?:hvad (?:var|er) )?(?:mit |mine )?(?:kvitteringsnummer|kvitteringsnumre|kvittering|receipt number)\w*\s*[?.!]*$"
    r"|^(?:hvad (?:var|er) )?(?:nummeret|numret) (?:pa|til) (?:min|mit) (?:ide|ideen|forslag)\s*[?.!]*$"
    r"|^(?:(?:og|ok|men|hov) )*har jeg (?:nogen|nogle|sendt nogen|indsendt nogen|sendt|indsendt) (?:ideer|ide|forslag)(?: endnu| indsendt| sendt)?\s*[?.!]*$"
    # right after sending it: "hvem får den nu?", "hvor ender min idé?", "hvad sker der så med den?"
    r"|^(?:(?:og|ok|okay|sa|nar|men) )*(?:hvem|hvor) (?:far|modtager|ser|behandler|sendes|ender|havner|gar|kommer)"
    r"(?: \w+)? (?:den|min ide|ideen|mit forslag|forslaget)(?: nu| sa| hen| til)?\s*[?.!]*$"
    r"|^(?:(?:og|ok|okay|sa|men) )*hvad sker der (?:nu |sa |sa nu )?med (?:den|min ide|ideen|mit forslag)(?: nu| sa)?\s*[?.!]*$"
    r"|^(?:(?:og|ok|okay|sa|men) )*(?:hvem|hvor) (?:er|blev) (?:den|min ide|ideen|mit forslag) (?:sendt|givet|videresendt|sendt videre)(?: til| hen)?\s*[?.!]*$"
)
_LIST_RX = re.compile(r"^(?:vis |se |list |alle |abne |vis alle |vis abne )*(?:ideer|ideerne)(?: (?P<status>.+))?$")
_NUM = r"#?\s*(?P<number>20\d\d\s*[-‐‑–/.]?\s*\d{1,4})"
_IDEA_WORD = r"(?:id[ée]en|id[ée]|forslag(?:et)?)"
_SHOW_RX = re.compile(rf"^\s*(?:vis\s+|se\s+)?{_IDEA_WORD}\s+{_NUM}\s*[.!?]?\s*$", re.IGNORECASE)
_SET_RX = re.compile(
    rf"^\s*(?:s[æa]e?t|skift|[æa]e?ndr(?:e)?)\s+(?:status\s+(?:for|p[åa]a?)\s+)?(?:{_IDEA_WORD}\s+)?{_NUM}\s+til\s+(?P<rest>.+?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT_RX = re.compile(
    rf"^\s*(?:komment[ée]r|kommentar\s+til|not[ée]r)\s+(?:{_IDEA_WORD}\s+)?{_NUM}\s*[:,.–-]?\s*(?P<text>.*?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_SUPPORT_RX = re.compile(rf"^\s*(?:st[øo]t(?:te|ter)?)\s+(?:{_IDEA_WORD}\s+)?{_NUM}\s*[.!]?\s*$", re.IGNORECASE)
_REASON_SPLIT = re.compile(r"\s*(?::|\s—\s|\s–\s|\s-\s|\b(?:fordi|da|idet|pga\.?|begrundelse:?|med begrundelsen:?)\b)\s*", re.IGNORECASE)
_COMMITTEE_LEAD = re.compile(r"^(?:i|til|hos|for)\s+", re.IGNORECASE)


def _split_reason(rest: str) -> tuple[str, str]:
    match = _REASON_SPLIT.search(rest)
    if match is None:
        return rest.strip(), ""
    return rest[: match.start()].strip(), rest[match.end() :].strip()


def parse_idea_command(text: str) -> IdeaCommand | None:
    """The idea command ``text`` is, if it is one.

    »mine idéer«, »idéer« / »vis idéer [status]«, »idé 2027-014«,
    »sæt idé 2027-014 til afvist fordi …«, »sæt idé 2027-014 til sendt videre til HovedMED«,
    »kommentér idé 2027-014: …«, »støt idé 2027-014«.
    """
    folded = fold(text)
    if not folded:
        return None
    if folded in _MY_IDEAS or _MY_IDEAS_RX.match(folded):
        return IdeaCommand(CommandKind.MY_IDEAS)
    listing = _LIST_RX.match(folded)
    if listing is not None:
        status_text = (listing.group("status") or "").strip()
        status = parse_status(status_text) if status_text else None
        if status_text and status is None:
            return None
        return IdeaCommand(CommandKind.LIST, status=status, status_text=status_text)
    match = _SET_RX.match(text)
    if match is not None:
        number = parse_idea_number(match.group("number"))
        status_part, reason = _split_reason(match.group("rest"))
        found = status_prefix(status_part)
        if found is None:
            return IdeaCommand(CommandKind.SET_STATUS, number=number, status_text=status_part, reason=reason)
        status, _folded_rest = found
        committee_text = _committee_words(status_part)
        return IdeaCommand(
            CommandKind.SET_STATUS,
            number=number,
            status=status,
            status_text=status_part,
            committee_text=committee_text if status in WITH_COMMITTEE else "",
            reason=reason,
        )
    match = _COMMENT_RX.match(text)
    if match is not None:
        return IdeaCommand(CommandKind.COMMENT, number=parse_idea_number(match.group("number")), reason=match.group("text"))
    match = _SUPPORT_RX.match(text)
    if match is not None:
        return IdeaCommand(CommandKind.SUPPORT, number=parse_idea_number(match.group("number")))
    match = _SHOW_RX.match(text)
    if match is not None:
        return IdeaCommand(CommandKind.SHOW, number=parse_idea_number(match.group("number")))
    return None


def _committee_words(status_part: str) -> str:
    """The committee named after the status words, in the user's own spelling."""
    words = status_part.split()
    for cut in range(len(words), 0, -1):
        head = " ".join(words[:cut])
        if parse_status(head) is not None:
            rest = " ".join(words[cut:])
            return _COMMITTEE_LEAD.sub("", rest).strip()
    return ""


# --- correcting an earlier answer -----------------------------------------------------

_FIELD_NAMES: dict[str, str] = {
    "titel": "title", "titlen": "title", "overskrift": "title", "overskriften": "title", "title": "title",
    "beskrivelse": "description", "beskrivelsen": "description", "description": "description",
}
_NAMED_CORRECTION = re.compile(
    r"^(?:(?:nej|hov|vent|undskyld|sorry|ups|glem det|og)[,.!]?\s+)*"
    r"(?:(?:glem|drop)\s+(?P<old>titlen|overskriften|beskrivelsen)[,.!]?\s+(?:den|det)\s+(?:skal|ma|må)\s+(?:hedde|være|vaere|vare|lyde)"
    r"|(?:ret|skift|lav|aendr|ændr|andr)\w*\s+(?P<field>titlen|overskriften|beskrivelsen)\s+(?:om\s+)?til"
    r"|(?P<field2>titlen|overskriften|beskrivelsen)\s+(?:skal|ma|må)\s+(?:hedde|være|vaere|vare|lyde)"
    r"|(?:the\s+)?(?P<field3>title|description)\s+(?:should\s+be|is)"
    r")\s*:?\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_STAR_CORRECTION = re.compile(r"^\s*\*\s*(?P<value>[^*]+?)\s*(?:\*|,?\s*(?:mente jeg|skulle det være|skulle der stå|i mean|sorry))?\s*$", re.IGNORECASE)
_MEANT_CORRECTION = re.compile(r"^(?P<value>\S+(?:\s+\S+){0,3}?)\s*\*?,?\s+(?:mente jeg|skulle det være|skulle der stå|i mean)\s*[.!]*$", re.IGNORECASE)


@dataclass(frozen=True)
class FieldCorrection:
    """A correction of an answer already given: ``field`` (None: the one just answered) gets ``value``."""

    field: str | None
    value: str
    whole: bool  # the value replaces the field (»titlen skal hedde …«); False: a typo fix of one word (»*kopipapir«)


def parse_field_correction(text: str) -> FieldCorrection | None:
    """»glem titlen, den skal hedde digitale dagsordener«, »ret titlen til …«, »*kopipapir mente jeg«."""
    stripped = text.strip()
    named = _NAMED_CORRECTION.match(stripped)
    if named is not None:
        word = next(g for g in (named.group("old"), named.group("field"), named.group("field2"), named.group("field3")) if g)
        value = named.group("value").strip().strip("»«\"'")
        return FieldCorrection(_FIELD_NAMES[word.lower()], value, True) if value else None
    found = (_STAR_CORRECTION.match(stripped) if stripped.startswith("*") else None) or _MEANT_CORRECTION.match(stripped)
    if found is not None:
        value = found.group("value").strip().strip("*").strip()
        if value:
            return FieldCorrection(None, value, False)
    return None


def apply_typo_fix(previous: str, fix: str) -> str:
    """``previous`` with the word most like ``fix`` replaced by it (»kopipair« + »kopipapir«);
    ``previous`` unchanged when no word is near enough."""
    from rapidfuzz import fuzz

    words = previous.split()
    if not words:
        return previous
    if len(fix.split()) != 1:
        return previous
    scores = [fuzz.ratio(fold(w), fold(fix)) for w in words]
    best = max(range(len(words)), key=lambda i: scores[i])
    if scores[best] < 60:
        return previous
    words[best] = fix
    return " ".join(words)
