"""Which MED level handles a case: pure, keyword-based rules from the seeds.

The rules (002 Kompetenceforhold, lokalaftalen § 2, stk. 3; 004 Punkt 2):

* The right committee is the one where a leader has the competence to *decide* the
  case, or to *recommend it for political decision*. It is set by who decides,
  **not by who is affected**: a workplace leader's decision that touches 600 people
  is still a local case, and "hele kommunen bliver berørt" says nothing about level.
* Political decisions (kommunalbestyrelse, byråd, økonomiudvalg, fagudvalg) and the
  (kommunal)direktør/direktion belong to the top committee; the afdelingschef /
  forvaltningens chef to the middle one; the leader of the workplace to the local
  one. A budget proposal the kommunaldirektør recommends to the kommunalbestyrelse is
  a top-level case even when an AfdelingsMED discussed it first (004).
* MED does not handle personalesager, klagesager, or what the municipality agrees
  with the individual union (løn, arbejdstid, seniortillæg …) (002). Ordinary daily
  management is not a MED case either; principled changes are (002).
* Medindflydelse = information and discussion; medbestemmelse = agreeing a written
  retningslinje in consensus (002, lokalaftalen § 7 and § 9).

When the text does not reveal who decides, the answer is ``ask`` – never a guess.
A committee named in the text ("skal det i HovedMED eller LokalMED?") is where the
writer *thinks* the case belongs, not who decides, so it never sets the level.

How a decision is made, in order:

1. Not MED, whoever decides: a personalesag (advarsel, tjenstlig samtale, or the
   dismissal/sickness/leave of one singled-out person – "min kollega", "Hanne"),
   a klagesag, a union matter (løn, arbejdstid, …tillæg, overenskomst), or daily
   management (vagt/dække/vikar + a short horizon like "i morgen", with no sign of a
   principled change such as "fremover" or "fra 1. april"). Negations ("det er ikke
   en personalesag") switch a trigger off; a guideline or a practice for everybody
   ("sygesamtaler med alle") is a MED case.
2. Who decides: the ``decider`` answer if it is understood; otherwise every decider
   named in the text gets a strength from the words around it – 4 for a pending
   decision ("skal beslutte", "bestemmer selv", "indstilles til … af X", "skal op i
   byrådet"), 3 for an action or past decision ("vil lukke", "har besluttet",
   "direktionens plan", "krav fra direktionen"), 1 when merely named or relaying
   ("lederen siger …"). The strongest tier wins, and within it the highest level
   (a leader relaying the direktion's decision is not the decider; a leader who
   must decide how to carry out a budget cut is). Negated ("ikke lederen") and
   alternative ("lederen eller direktøren") deciders do not count; "ledelsen" and
   "kommunen" name no level.
3. No decider: ``ask``.

Matching works on :func:`knowledge.normalize.fold` tokens, so missing æ/ø/å and
"ae/oe/aa" spellings meet. Long words (the compounds staff actually misspell) are
also matched with at most one or two edits (rapidfuzz OSA distance, same first
letter); short words only match exactly, because "leder" is one letter from
"lader" and "lever".
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from rapidfuzz.distance import OSA

from knowledge.chatter import personal_harm
from knowledge.level_tasks import TASK_RULES, TaskRule, match_process, match_scope, match_task
from knowledge.normalize import fold
from knowledge.profiles import Profile
from knowledge.sources import source_line

__all__ = [
    "DECIDER_CHOICES",
    "LEVELS",
    "MODES",
    "Level",
    "Mode",
    "RULES",
    "LevelDecision",
    "answer_fields",
    "decide_level",
    "parse_decider",
    "principle_sources",
    "rank",
    "rule_source",
    "source_labels",
]

class Level(enum.StrEnum):
    """Where a case belongs: a MED level (its name differs per municipality), not MED, or ask who decides.

    A ``StrEnum``: a member is its code string, as stored, rendered and printed by the CLI."""

    TOP = "top"
    MIDDLE = "middle"
    LOCAL = "local"
    NOT_MED = "not_med"
    ASK = "ask"


class Mode(enum.StrEnum):
    """Medindflydelse (information and discussion) or medbestemmelse (an agreed, written guideline)."""

    MEDINDFLYDELSE = "medindflydelse"
    MEDBESTEMMELSE = "medbestemmelse"


LEVELS: Final[tuple[str, ...]] = tuple(level.value for level in Level)
MODES: Final[tuple[str, ...]] = tuple(mode.value for mode in Mode)

_RANK: Final[Mapping[str, int]] = MappingProxyType({"local": 1, "middle": 2, "top": 3})

_Ref = tuple[tuple[str, str], ...]  # ((seed id, section), ...)

_REF_LEVEL: _Ref = (("002", "Kompetenceforhold: MED-niveauerne matcher ledelsesniveauerne (lokalaftalen § 2, stk. 3)"),)
_REF_POLITICAL: _Ref = (
    ("002", "Kompetenceforhold: leder med kompetence til at indstille sagen til politisk beslutning (lokalaftalen § 2, stk. 3)"),
    ("004", "Punkt 2: Budgetforslag 2026 – indstilles af kommunaldirektøren, derfor KommuneMED"),
)
_REF_NOT_MED: _Ref = (("002", "Hvilke sager skal i MED"),)
_REF_DAILY: _Ref = (("002", "Hvilke sager skal i MED: den almindelige, daglige ledelse"),)
_REF_UNKNOWN: _Ref = (("002", "Kompetenceforhold: det rette niveau defineres ud fra, hvem der træffer beslutningen"),)
_REF_BAGLAND: _Ref = (("002", "Øvelse: Inddragelse af bagland; samtlige medarbejdere orienteres løbende om udvalgets arbejde"),)
_REF_MODE: _Ref = (("002", "Medindflydelse og medbestemmelse (lokalaftalens § 7); Retningslinjer (lokalaftalens § 9)"),)

_RULE_REFS: Final[Mapping[str, _Ref]] = MappingProxyType(
    {
        "decider_top": _REF_LEVEL,
        "decider_middle": _REF_LEVEL,
        "decider_local": _REF_LEVEL,
        "recommended_political": _REF_POLITICAL,
        "not_med_personalesag": _REF_NOT_MED,
        "not_med_klagesag": _REF_NOT_MED,
        "not_med_union_agreement": _REF_NOT_MED,
        "daily_management": _REF_DAILY,
        "decider_unknown": _REF_UNKNOWN,
        "not_med_personal_conflict": _REF_NOT_MED
        + (("002", "ArbejdspladsMED (2): aftale lokale retningslinjer for vold-mobning-chikane; Trio'en: leder, AMR og TR"),),
        **{rule.id: ((rule.seed, rule.section),) for rule in TASK_RULES},
    }
)
TASK_RULE_BY_ID: Final[Mapping[str, TaskRule]] = MappingProxyType({rule.id: rule for rule in TASK_RULES})


def _ref_text(refs: _Ref) -> str:
    return "; ".join(f"{seed}: {section}" for seed, section in refs)


#: Every rule id with the seed sections it rests on ("002: Kompetenceforhold …").
RULES: Final[Mapping[str, str]] = MappingProxyType({rule: _ref_text(refs) for rule, refs in _RULE_REFS.items()})
_SRC_MODE = _ref_text(_REF_MODE)

#: The answers to "Hvem træffer beslutningen?" in the order the dialog offers them
#: (dialogs/texts.py LEVEL_DECIDER_CHOICES has the labels in the same order).
DECIDER_CHOICES: Final[tuple[str, ...]] = ("local", "middle", "top", "political", "unknown")


def rule_source(rule: str) -> str:
    """The seed reference for a rule id."""
    return RULES[rule]


@dataclass(frozen=True)
class LevelDecision:
    """Where a case belongs, why, and how sure the rules are."""

    level: Level
    committee: str | None  # the municipality's name for the level; None for not_med/ask
    mode: str | None  # one of MODES, or None when the text does not tell
    rule: str  # a key of RULES
    reason_facts: Mapping[str, str | bool] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    source: str = ""

    @property
    def is_med_case(self) -> bool:
        return self.level in _RANK

    @property
    def needs_decider(self) -> bool:
        return self.level == "ask"


# --- text handling ---------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    text: str  # folded
    raw: str  # the word as typed
    sent: int  # sentence number
    first: bool  # first word of its sentence


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+|(?<=\?)|(?<=!)")


# "kommunal direktøren", typed in two words, is the kommunaldirektør
_SPLIT_KOMMUNALDIREKTOR = re.compile(r"\bkommunal[\s-]+(?=direkt)", re.IGNORECASE)


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    text = _SPLIT_KOMMUNALDIREKTOR.sub("kommunal", text)
    for sent_no, sentence in enumerate(s for s in _SENTENCE_SPLIT.split(text) if s and s.strip()):
        first = True
        for raw in sentence.split():
            for part in fold(raw).split():
                out.append(_Tok(part, raw.strip(".,;:!?()\"'»«”“"), sent_no, first))
                first = False
    return out


def _f(*words: str) -> frozenset[str]:
    """Fold a word list into a lookup set."""
    return frozenset(fold(w) for w in words if fold(w))


def _phrases(*phrases: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(fold(p).split()) for p in phrases if fold(p))


def _fuzzy_equal(token: str, word: str) -> bool:
    """Equal, or within 1 edit (2 for long words) for words of 8+ letters."""
    if token == word:
        return True
    n = len(word)
    if n < 8 or len(token) < 7 or token[0] != word[0] or abs(len(token) - n) > 2:
        return False
    limit = 2 if n >= 13 else 1
    return OSA.distance(token, word, score_cutoff=limit) <= limit


def _in(token: str, words: frozenset[str], *, fuzzy: bool = True) -> bool:
    if token in words:
        return True
    if not fuzzy or len(token) < 7:
        return False
    return any(_fuzzy_equal(token, w) for w in words if len(w) >= 8)


def _starts(token: str, stems: Iterable[str]) -> bool:
    return any(token.startswith(s) for s in stems)


def _find_phrase(toks: Sequence[_Tok], phrase: Sequence[str], start: int = 0) -> int:
    n = len(phrase)
    for i in range(start, len(toks) - n + 1):
        if all(_fuzzy_equal(toks[i + k].text, phrase[k]) for k in range(n)):
            return i
    return -1


def _has_phrase(toks: Sequence[_Tok], phrases: Iterable[Sequence[str]]) -> str | None:
    for phrase in phrases:
        i = _find_phrase(toks, phrase)
        if i >= 0:
            return " ".join(t.raw for t in toks[i : i + len(phrase)])
    return None


# --- negation ----------------------------------------------------------------------

_NEGATIONS = _f("ikke", "ik", "ingen", "intet", "hverken", "not", "no", "never", "aldrig")
_NEG_FILLERS = _f(
    "en", "et", "nogen", "noget", "om", "omkring", "med", "tale", "handler", "af", "i", "på",
    "vedr", "vedrørende", "egentlig", "rigtig", "så", "til", "for", "den", "det", "der", "sig",
    "a", "an", "about", "nogen", "slags", "just", "bare", "kun", "helt", "heller",
)


def _negated(toks: Sequence[_Tok], i: int) -> bool:
    """Is toks[i] negated ("det er ikke en personalesag", "handler ikke om løn")?"""
    j = i - 1
    steps = 0
    while j >= 0 and toks[j].sent == toks[i].sent and steps < 4:
        word = toks[j].text
        if word in _NEGATIONS:
            return True
        if word not in _NEG_FILLERS:
            return False
        j -= 1
        steps += 1
    return False


# --- not MED: personalesag, klagesag, union agreements, daily management -------------

_UNION_EXACT = _f(
    "løn", "lønnen", "lønnens", "lønninger", "lønningerne",
    "lønsag", "lønsagen", "lønsager", "lønsamtale", "lønsamtalen", "lønsamtaler", "lønudvikling", "lønnedgang", "lønfald", "grundløn",
    "basisløn", "timeløn", "lokalløn", "nyløn", "lønramme", "lønrammer", "lønrammen", "lontrin",
    "løntrin", "overarbejdsbetaling", "overtidsbetaling", "overenskomst", "overenskomsten",
    "overenskomster", "overenskomstforhandling", "overenskomstforhandlingerne", "pension",
    "pensionen", "pensionsordning", "pensionsordningen", "normtid", "normtiden", "seniordage",
    "seniordagene", "seniorfridage", "seniorfridagene", "salary", "salaries", "wage", "wages",
    "bonus", "bonussen", "bonusser", "engangsvederlag", "engangsvederlaget", "lønforbedring",
    "lønforbedringer", "bonus",
)
_UNION_STEMS = (
    fold("lønforhandling"), fold("lønstigning"), fold("lønforhøj"), fold("lønindplacering"),
    fold("lønaftale"), fold("overenskomst"), "indplacering",
)
# Working time as agreed with the union; not the planning of shifts ("arbejdstidsplanlægning").
_WORKING_TIME = _f(
    "arbejdstid", "arbejdstiden", "arbejdstider", "arbejdstiderne", "arbejdstids", "arbejdstidsaftale",
    "arbejdstidsaftalen", "arbejdstidsaftaler", "arbejdstidsregler", "arbejdstidsreglerne",
    "arbejdstidsregel", "arbejdstidsreglen", "arbejdstidsnorm", "arbejdstidsnormen",
)
_UNION_SUFFIXES = (fold("tillæg"), fold("tillægget"), fold("tillæggene"), fold("tillægs"), fold("tillæggets"))
# "et tillæg for de ekstra opgaver": a pay supplement on its own
_BARE_TILLAEG = _f("tillæg", "tillægget", "tillæggene")
_UNION_PHRASES = _phrases(
    "working hours", "collective agreement", "pay rise", "my pay", "our pay", "mere i løn", "højere løn",
    "ned i tid", "færre timer om ugen", "flere timer om ugen", "på deltid", "fuld tid",
)
_OK_RX = re.compile(r"^ok\d{2}$")
_SMOKE_FREE = _f("røgfri", "røgfrie", "rygefri", "rygefrie", "røgfrit")

_PERSONAL_STRONG = _f(
    "personalesag", "personalesagen", "personalesager", "advarsel", "advarslen", "advarsler",
    "tjenstlig", "tjenstlige", "tjenestlig", "tjenestlige", "bortvist", "bortvisning", "bortvise",
    "påtale", "påtalen", "disciplinær", "disciplinære", "sygesamtale", "sygesamtalen",
    "fraværssamtale", "fraværssamtalen", "sygefraværssamtale", "sygefraværssamtalen", "personsag",
    "disciplinary", "warning",
)
# Words that begin like a personalesag but name the staff's things (folded prefixes)
_STAFF_THINGS = ("personalestu", "personalerum", "personalemod", "personalepolitik", "personaleafdeling", "personalegode", "personaleforhold", "personalekantin")
_PERSONAL_MEDIUM = _f(
    "afskedige", "afskediges", "afskediget", "afskedigelse", "afskedigelsen", "afsked", "afskeden",
    "fyre", "fyres", "fyret", "fyring", "fyringen", "opsagt", "opsige", "opsiges", "opsigelse",
    "opsigelsen", "sygemeldt", "sygemelding", "sygemeldingen", "langtidssyg", "langtidssygemeldt", "sygefravær", "sygefraværet", "fraværet",
    "syg", "sygdom", "forflytte", "forflyttes", "forflyttet", "forflyttelse", "omplacere",
    "omplaceres", "omplaceret", "omplacering", "omplaceringen", "degradere", "degraderet",
    "ferie", "ferien", "fri", "fridag", "fridage", "orlov", "barsel", "barselsorlov", "kontrakt",
    "kontrakten", "ansættelseskontrakt", "mobbet", "mobber", "chikaneret", "krænket", "fired",
    "indkaldt", "indkaldes", "indkaldelse", "drikker", "beruset", "misbrug", "misbruget", "alkoholproblem", "alkoholproblemer",
    "stjålet", "stjæler", "tyveri", "konflikt", "konflikten", "samarbejdsproblemer",
    "samarbejdsproblem", "samarbejdsproblemerne", "mus", "mussamtale", "mussamtalen",
    "medarbejderudviklingssamtale", "medarbejderudviklingssamtalen", "lonsamtale",
    "dismissed", "sick", "leave", "holiday", "vacation",
)
_INDIVIDUAL = _f(
    "jeg", "mig", "han", "hun", "ham", "hende", "hans", "hendes", "vedkommende", "kollegaen",
    "kollegas", "kollegaens", "medarbejderen", "medarbejderens", "me", "my", "he", "she",
    "him", "her", "colleague",
)
_POSSESSIVE_1P = _f("min", "mit", "mine")
_AFTER_TIME_OFF = _f(
    "i", "til", "på", "om", "fra", "og", "fordi", "når", "den", "de", "mandag", "tirsdag", "onsdag",
    "torsdag", "fredag", "lørdag", "søndag", "næste", "hele", "en", "et", "selvom", "men", "hvis",
)
_NOT_PERSONAL_AFTER_MY = _f(
    "leder", "lederen", "chef", "chefen", "afdeling", "afdelingen", "arbejdsplads", "arbejdspladsen",
    "team", "teamet", "institution", "institutionen", "skole", "skolen", "gruppe", "gruppen",
    "kolleger", "kollegaer", "kolleger", "direktør", "forvaltning", "forvaltningen",
)
_ONE_OF = _phrases("en kollega", "min kollega", "en medarbejder", "en ansat", "den ansatte", "en af mine kolleger")
_COLLECTIVE = _f(
    "afskedigelser", "afskedigelserne", "fyringer", "fyringerne", "fyringsrunde", "fyringsrunden",
    "opsigelser", "stillinger", "stillingerne", "nedskæring", "nedskæringer", "nedskæringerne",
    "personalereduktion", "personalereduktioner", "personalet", "medarbejdere", "ansatte",
    "kolleger", "kollegaer", "afdelingen", "layoffs", "alle", "teamet", "gruppen", "personalegruppen",
    "personalegruppe", "huset", "everybody", "everyone", "all",
)
# »vi synes alle, at …«: everybody's opinion, not everybody's case
_WE_ALL = _f("vi", "synes", "mener", "er", "os", "har")
_GUIDELINE_MAKING = _f(
    "retningslinje", "retningslinjer", "retningslinjen", "retningslinjerne", "politik", "politikken",
    "procedure", "proceduren", "procedurer", "regler", "reglerne", "regel", "guideline", "policy",
)

_KLAGE_STEMS = ("klage", "klagede", "complain")
_PHYSICAL_TOPICS = _f(
    "indeklima", "indeklimaet", "støj", "støjen", "larm", "larmen", "varme", "varmen", "kulde",
    "temperatur", "temperaturen", "ventilation", "ventilationen", "lys", "lyset", "lokaler",
    "lokalerne", "arbejdsmiljø", "arbejdsmiljøet", "inventar", "stole", "stolene", "borde", "kantine",
    "kantinen", "parkering", "rengøring", "rengøringen", "it", "system", "systemet", "computer",
    "computere", "pc", "pcer", "skærme", "udstyr", "udstyret",
)

_DAILY_TOPICS = _f(
    "vagtplan", "vagtplanen", "vagtplanerne", "vagt", "vagten", "vagter", "vagterne", "vagtbytte",
    "bytte", "byttet", "dække", "dækker", "dækket", "dækning", "afløser", "afløseren", "vikar",
    "vikaren", "vikarer", "opgavefordeling", "opgavefordelingen", "opgaver", "opgaverne",
    "arbejdsopgaver", "arbejdsopgaverne", "dagens", "ugeplan", "ugeplanen", "køreliste", "kørelisten",
    "ruten", "telefonvagt", "telefonvagten", "telefonen", "morgenvagt", "aftenvagt", "nattevagt",
    "weekendvagt", "frokost", "frokosten", "tjansen", "rota", "shift", "shifts", "cover", "covers",
    "tasks",
)
_DAILY_WHO = _phrases(
    "hvem skal", "hvem tager", "hvem dækker", "hvem har", "hvem åbner", "hvem lukker", "who covers", "who takes",
    # »lederen har sagt at jeg skal tage mødelokalerne først i morgen«: one person's work that day
    "sagt at jeg skal", "bedt mig om at", "bedt mig", "told me to", "asked me to",
)
_DAILY_HORIZON_PHRASES = _phrases(
    "i dag", "i morgen", "i overmorgen", "i aften", "i eftermiddag", "i formiddag", "i nat",
    "næste uge", "denne uge", "i weekenden", "lige nu", "til fredag", "på fredag", "på mandag",
    "på tirsdag", "på onsdag", "på torsdag", "på lørdag", "på søndag", "næste weekend",
    "next week", "this week",
)
_DAILY_HORIZON_WORDS = _f("idag", "imorgen", "today", "tomorrow", "tonight", "weekenden", "søndag", "lørdag")
_DAILY_EXPLICIT = _phrases(
    "daglig ledelse", "daglige ledelse", "daglig drift", "daglige drift", "daglige opgavefordeling",
    "daglige opgaver", "daglige arbejde", "almindelig daglig", "day to day", "daily management",
)
_PRINCIPLED = _f(
    "fremover", "fremadrettet", "fremtiden", "permanent", "permanente", "generelt", "generel",
    "altid", "princip", "principper", "principperne", "principiel", "principielt", "principielle",
    "fast", "faste", "ordning", "ordningen", "ordninger", "model", "modellen", "struktur",
    "strukturen", "system", "systemet", "regel", "regler", "reglerne", "retningslinje",
    "retningslinjer", "politik", "indføre", "indfører", "indført", "hver", "alle", "rul",
    "rulleplan", "grundplan", "grundplanen", "turnus", "turnusplan", "future", "permanently",
    "always",
)
_FROM_ONWARD = _f(
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december", "nytår", "måned", "måneden", "år", "året", "sommer",
    "sommerferien", "efteråret", "foråret", "årsskiftet",
)


# --- deciders --------------------------------------------------------------------------

# (level, kind); kind is "exec" | "political" | "middle" | "local" | "generic".
_Kind = tuple[str | None, str]

_EXEC_WORDS = _f(
    "kommunaldirektør", "kommunaldirektøren", "kommunaldirektørens", "kommunaldirektor",
    "kommunaldir", "kommunaldirek", "kommunaldirekt",
    "direktør", "direktøren", "direktørens", "direktører", "direktørerne", "direktion",
    "direktionen", "direktionens", "topledelse", "topledelsen", "topledelsens", "topleder",
    "topledere", "toplederne", "koncernledelse", "koncernledelsen", "stadsdirektør",
    "stadsdirektøren", "director", "directors", "ceo", "direktionsgruppen",
)
_EXEC_SUFFIXES = tuple(
    sorted(
        {fold(w) for w in ("direktør", "direktøren", "direktørens", "direktører", "direktørerne", "direktion", "direktionen", "direktionens")},
        key=len,
        reverse=True,
    )
)
_POLITICAL_WORDS = _f(
    "kommunalbestyrelse", "kommunalbestyrelsen", "kommunalbestyrelsens", "kommunalbestyrelses",
    "byråd", "byrådet", "byrådets", "byrådspolitikerne", "borgmester", "borgmesteren",
    "borgmesterens", "viceborgmester", "viceborgmesteren", "rådmand", "rådmanden", "politiker",
    "politikere", "politikerne", "politikernes", "kommunalpolitikerne", "politisk", "politiske",
    "kb", "øu", "øku", "udvalgsformand", "udvalgsformanden", "mayor", "council", "politicians",
    "kommunalpolitikere",
)
_POLITICAL_ADJ = _f("politiske", "politisk", "stående")
_UDVALG_RX = re.compile(r"^(\w*?)udvalg(?:et|ets|ene|enes|s)?$")
_NON_POLITICAL_UDVALG = (
    "med", "hoved", "arbejdsmiljo", "ansattelses", "lokal", "kontakt", "samarbejds", "personale",
    "bedommelses", "projekt", "sikkerheds", "trivsels", "tillids", "afdelings", "forvaltnings",
    "arbejdsplads", "lon", "styrings", "koordinations", "arbejds", "fest", "julefrokost", "frokost",
    "kaffe", "arrangements", "personaleforenings", "bruger", "elev", "foraldre", "kantine", "jule",
    "sommerfest", "aktivitets", "redaktions", "hoved",
)
_MIDDLE_WORDS = _f(
    "forvaltningsdirektør", "forvaltningsdirektøren", "forvaltningsledelse", "forvaltningsledelsen",
    "chefgruppe", "chefgruppen", "afdelingschef", "afdelingschefen", "forvaltningschef",
    "forvaltningschefen",
)
_CHEF_SUFFIXES = tuple(fold(w) for w in ("chef", "chefen", "chefens", "chefer", "cheferne", "chefs"))
_LOCAL_CHEFS = _f("souschef", "souschefen", "souschefens", "køkkenchef", "køkkenchefen")
_LEDER_SUFFIXES = tuple(fold(w) for w in ("leder", "lederen", "lederens", "ledere", "lederne", "ledernes", "leders"))
_NOT_LEADERS = (
    "projekt", "arbejdsmiljo", "mode", "kursus", "tillids", "proces", "tovholder", "udviklings",
    "forsogs", "fag", "sektions", "vej",  # vejleder, læsevejleder: not managers
)
_VERB_PREFIXES_OF_LEDER = frozenset({"af", "ud", "ind", "om", "for", "til", "op", "ned", "vild", "bort"})  # afleder, indleder …
_LOCAL_WORDS = _f(
    "skoleinspektør", "skoleinspektøren", "viceinspektør", "viceinspektøren", "inspektøren",
    "stedfortræder", "stedfortræderen", "skoleledelse", "skoleledelsen", "institutionsledelse",
    "institutionsledelsen", "afdelingsledelse", "afdelingsledelsen", "manager", "managers",
    "ledern", "ledren", "lederren", "leederen", "lderen", "ledereen", "ledeen", "lederne",
    "boss", "supervisor", "principal", "leader", "teamleader",
)
_GENERIC_LEADERSHIP = _f("ledelse", "ledelsen", "ledelsens", "management", "ledergruppen", "ledelsesteamet", "ledergruppe")
_WORKPLACE_STEMS = tuple(
    fold(w)
    for w in (
        "skole", "institution", "plejecent", "plejehjem", "børnehave", "vuggestue", "dagtilbud",
        "dagpleje", "arbejdsplads", "hjemmepleje", "bosted", "botilbud", "værksted", "køkken",
        "klub", "sfo", "fritids", "bibliotek", "tandpleje", "center", "centret", "centeret",
        "afsnit", "enhed", "teamet", "huset", "stedet",
    )
)
_PLURAL_LEADERS = _f("ledere", "lederne", "chefer", "cheferne", "direktører", "direktørerne", "managers")

_DECIDER_PHRASES: tuple[tuple[tuple[str, ...], _Kind], ...] = (
    *((p, ("top", "exec")) for p in _phrases(
        "den øverste ledelse", "øverste ledelse", "top management", "executive board",
        "chief executive", "municipal director", "city manager",
    )),
    *((p, ("top", "political")) for p in _phrases(
        "city council", "municipal council", "the council", "det politiske niveau",
        "politisk niveau", "politiske udvalg", "det politiske udvalg",
    )),
    *((p, ("middle", "middle")) for p in _phrases(
        "head of department", "department head", "department manager", "head of division",
        "chefen for afdelingen", "chefen for forvaltningen", "forvaltningens chef", "afdelingens chef",
        "direktør for forvaltningen", "direktøren for forvaltningen", "direktøren for vores forvaltning",
    )),
    *((p, ("local", "local")) for p in _phrases(
        "leder af arbejdspladsen", "arbejdspladsens leder", "nærmeste leder", "nærmeste chef",
        "daglig leder", "lokal ledelse", "lokale ledelse", "den lokale ledelse", "my manager",
        "head of our daycare", "head of our school", "head of our kindergarten", "head of our nursing home",
        "manager of our home care group", "manager of our team", "manager of our unit", "head of our unit",
        "head of our team", "leader of our team", "manager of our daycare", "manager of our school",
        "my boss", "line manager", "team leader", "our manager", "the manager", "head teacher",
    )),
)

# Verbs after a decider that make it the one who decides.
_PENDING = _f(
    "beslutte", "beslutter", "besluttes", "bestemme", "bestemmer", "bestemmes", "afgøre", "afgør",
    "afgøres", "vedtage", "vedtager", "vedtages", "godkende", "godkender", "godkendes", "indstille",
    "indstiller", "indstilles", "træffe", "træffer", "træffes", "prioritere", "prioriterer",
    "fordele", "fordeler", "udmønte", "udmønter", "vælge", "vælger", "kompetence", "kompetencen",
    "beslutningskompetence", "beslutningskompetencen", "selv", "decide", "decides", "approve",
    "approves", "bestemmelse", "ansvaret",
)
_PAST = _f(
    "besluttet", "besluttede", "bestemt", "bestemte", "vedtaget", "vedtog", "godkendt", "godkendte",
    "indstillet", "truffet", "traf", "valgt", "valgte", "afgjort", "prioriteret", "decided", "approved",
)
_ACTION_EXACT = _f(
    "lukke", "lukker", "lukket", "lukkes", "indføre", "indfører", "indført", "indføres", "ændrer",
    "ændret", "ændres", "lave", "laver", "lavet", "laves", "flytte", "flytter", "flyttet", "flyttes",
    "spare", "sparer", "sparet", "spares", "skære", "skærer", "skåret", "skæres", "samle", "samler",
    "samlet", "samles", "slå", "slår", "slået", "slås", "fyre", "opsige", "købe", "køber", "købt",
    "skifte", "skifter", "skiftet", "stoppe", "stopper", "stoppet", "fjerne", "fjerner", "fjernet",
    "oprette", "opretter", "oprettet", "afskaffe", "afskaffer", "afskaffet", "droppe", "dropper",
    "bygge", "bygger", "ansætter", "nedlægge", "nedlægger", "nedlagt", "nedlægges", "omlægge",
    "omlægger", "omlagt", "omlægges", "udvide", "udvider", "udvidet", "erstatte", "erstatter",
    "tilrettelægge", "tilrettelægger", "give", "giver", "gøre", "gør", "have", "ha", "lægge",
    "lægger", "lagt", "lægges", "sætte", "sætter", "close", "closes",
    "cut", "cuts", "introduce", "introduces", "change", "changes", "move", "moves", "merge",
    "merges", "buy", "implement", "replace", "reduce", "stop",
)
_ACTION_STEMS = tuple(
    fold(w)
    for w in (
        "omorganiser", "omstrukturer", "udlicit", "implementer", "fusioner", "reducer", "afskedig",
        "sammenlæg", "nedskær", "nedjuster", "anskaff", "privatiser", "digitaliser", "centraliser",
        "reorgani", "restructur",
    )
)
_WEAK_ACTIONS = _f("have", "ha", "give", "giver", "gøre", "gør", "lave", "laver", "sætte", "sætter", "lægge", "lægger")
_MODALS = _f(
    "vil", "skal", "ønsker", "påtænker", "planlægger", "overvejer", "agter", "har", "want", "wants",
    "will", "plans", "going", "is", "gerne",
)
_RELAY = _f(
    "siger", "sagde", "sagt", "fortæller", "fortalte", "fortalt", "informerer", "informerede",
    "informeret", "informere", "orienterer", "orienterede", "orienteret", "orientere", "nævnte",
    "nævner", "skrev", "skriver", "mailede", "meddelte", "meddeler", "spurgte", "spørger", "says",
    "said", "told", "informed", "mentioned", "hørt", "høre",
)
_DECISION_NOUNS = _f(
    "beslutning", "beslutningen", "plan", "planen", "planer", "planerne", "forslag", "forslaget",
    "ønske", "ønsket", "krav", "kravet", "ide", "idé", "ideen", "udspil", "udspillet", "strategi",
    "decision", "proposal", "beslutninger", "afgørelse", "afgørelsen",
)
_ADJECTIVES = _f("ny", "nye", "nyt", "seneste", "store", "endelige", "nyeste", "new", "latest")
_RULE_NOUNS = _f("regel", "regler", "ordning", "ordningen", "rule", "rules")
_RECIPIENT_CUES = _f(
    "forelægges", "forelægge", "behandles", "besluttes", "vedtages", "godkendes", "beslutning",
    "behandling", "godkendelse", "indstilles", "indstille", "indstiller", "indstillet", "op",
    "afgøres", "sendes", "decision", "approval",
)
_POLITICAL_CONTEXT = _f(
    "beslutning", "behandling", "godkendelse", "besluttes", "behandles", "godkendes", "vedtages",
    "besluttet", "vedtaget", "prioritering", "niveau", "ønske", "beslutte", "vedtage", "godkende",
    "behandlet", "godkendt", "beslutningen", "vedtagelse",
)
_STOP_WORDS = _f("men", "fordi", "but", "because", "mens", "hvorimod")
_SKIP_BEFORE = _f("ny", "nye", "alle", "new", "all")

_AFFECTED_WORDS = _f(
    "berører", "berørt", "berøres", "berøre", "berørte", "påvirker", "påvirket", "påvirkes", "rammer",
    "ramt", "rammes", "affects", "affected", "everyone", "everybody",
)
_AFFECTED_PHRASES = _phrases(
    "hele kommunen", "alle medarbejdere", "alle ansatte", "alle i kommunen", "alle afdelinger",
    "alle arbejdspladser", "mange medarbejdere", "mange ansatte", "alle kolleger", "gælder for alle",
    "gælder alle", "hele forvaltningen", "hele afdelingen", "alle ledere",
)
_COUNT_NOUNS = _f("medarbejdere", "ansatte", "kolleger", "kollegaer", "personer", "mennesker", "people", "employees", "borgere", "stillinger")


@dataclass
class _Mention:
    level: str | None  # None for a generic "ledelsen"
    kind: str
    phrase: str
    start: int
    end: int  # exclusive
    strength: int = 1  # 1 weak, 3 action/past, 4 pending decision
    negated: bool = False
    ambiguous: bool = False


def _leder_verb(tok: str, nxt: Sequence[str]) -> bool:
    """The verb, not the noun: "det leder til stress", "hun leder efter"."""
    return tok == "leder" and bool(nxt) and nxt[0] in {"efter", "til", "hen", "mod", "os", "dem"}


def _classify_word(tok: str, prev: str | None, nxt: Sequence[str]) -> _Kind | None:
    """The decider kind of one folded token, or None."""
    if tok in _LOCAL_CHEFS:
        return ("local", "local")
    if tok in _MIDDLE_WORDS or tok.startswith("forvaltningsdirekt"):
        return ("middle", "middle")
    if tok in _EXEC_WORDS or tok.endswith(_EXEC_SUFFIXES):
        if tok.endswith(_EXEC_SUFFIXES) and tok.startswith(("under", "forvaltnings")):
            return ("middle", "middle")
        return ("top", "exec")
    if tok in _POLITICAL_WORDS:
        return ("top", "political")
    m = _UDVALG_RX.match(tok)
    if m is not None:
        prefix = m.group(1)
        if not prefix:
            if prev in _POLITICAL_ADJ or (nxt and nxt[0] == "for"):
                return ("top", "political")  # "det politiske udvalg", "Udvalget for Ældre"
            return None
        if prefix.endswith(_NON_POLITICAL_UDVALG):
            return None
        return ("top", "political")
    if tok in _LOCAL_WORDS:
        return ("local", "local")
    if tok.endswith(_CHEF_SUFFIXES) and not tok.startswith("chefkonsulent"):
        return ("middle", "middle")
    if tok.endswith(_LEDER_SUFFIXES):
        stem = tok
        for suffix in sorted(_LEDER_SUFFIXES, key=len, reverse=True):
            if tok.endswith(suffix):
                stem = tok[: -len(suffix)]
                break
        if stem and (stem.endswith(_NOT_LEADERS) or stem in _VERB_PREFIXES_OF_LEDER):
            return None
        if _leder_verb(tok, nxt):
            return None
        if stem.startswith("top"):
            return ("top", "exec")
        return ("local", "local")
    if tok in _GENERIC_LEADERSHIP:
        return (None, "generic")
    if tok.endswith(("ledelse", "ledelsen")) and len(tok) > 9:
        return ("local", "local")
    # Typos in the long words.
    kind: _Kind | None
    for words, kind in ((_EXEC_WORDS, ("top", "exec")), (_POLITICAL_WORDS, ("top", "political")), (_MIDDLE_WORDS, ("middle", "middle"))):
        if len(tok) >= 8 and _in(tok, words):
            return kind
    for suffixes, kind in (
        ((fold("direktøren"), fold("direktionen"), fold("kommunalbestyrelsen")), None),
        ((fold("afdelingschefen"), fold("forvaltningschefen")), ("middle", "middle")),
        ((fold("lederen"), fold("lederne")), ("local", "local")),
    ):
        for suffix in suffixes:
            if len(tok) >= len(suffix) + 2 and any(
                OSA.distance(tok[-n:], suffix, score_cutoff=1) <= 1 for n in (len(suffix) - 1, len(suffix), len(suffix) + 1)
            ):
                if kind is None:
                    return ("top", "political") if suffix.startswith("kommunal") else ("top", "exec")
                return kind
    return None


_INFLECTIONS = ("", "en", "n", "e", "ne", "s", "ens", "ns", "er", "erne", "et", "ets", "ene")


def _profile_word(token: str, words: Mapping[str, _Kind]) -> _Kind | None:
    """A municipality's own decider word, also inflected ("sektorleder" -> "sektorlederen")."""
    if not words:
        return None
    for ending in _INFLECTIONS:
        if ending and not token.endswith(ending):
            continue
        base = token[: len(token) - len(ending)] if ending else token
        if base in words:
            return words[base]
    return None


def _find_mentions(toks: Sequence[_Tok], extra: Sequence[tuple[tuple[str, ...], _Kind]]) -> list[_Mention]:
    mentions: list[_Mention] = []
    used: set[int] = set()
    kind: _Kind | None
    for phrase, kind in (*extra, *_DECIDER_PHRASES):
        if len(phrase) < 2:
            continue
        start = 0
        while True:
            i = _find_phrase(toks, phrase, start)
            if i < 0:
                break
            span = set(range(i, i + len(phrase)))
            if not span & used:
                used |= span
                mentions.append(_Mention(kind[0], kind[1], " ".join(t.raw for t in toks[i : i + len(phrase)]), i, i + len(phrase)))
            start = i + 1
    single_extra = {p[0]: k for p, k in extra if len(p) == 1}
    for i, tok in enumerate(toks):
        if i in used:
            continue
        prev = toks[i - 1].text if i > 0 and toks[i - 1].sent == tok.sent else None
        nxt = [t.text for t in toks[i + 1 : i + 3] if t.sent == tok.sent]
        kind = _profile_word(tok.text, single_extra) if not _leder_verb(tok.text, nxt) else None
        if kind is None:
            kind = _classify_word(tok.text, prev, nxt)
        if kind is None:
            continue
        level, what = kind
        if what == "generic" and nxt:
            # "ledelsen på skolen" is the workplace's leadership.
            rest = nxt[1:] if nxt[0] in {"pa", "i", "for", "af"} else []
            if rest and _starts(rest[0], _WORKPLACE_STEMS):
                level, what = "local", "local"
            elif rest and rest[0].startswith("forvaltning"):
                level, what = "middle", "middle"
        mentions.append(_Mention(level, what, tok.raw, i, i + 1))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _score_mention(toks: Sequence[_Tok], m: _Mention, mentions: Sequence[_Mention]) -> None:
    sent = toks[m.start].sent
    starts = {x.start for x in mentions if x is not m}
    # Look ahead: "lederen vil lukke", "direktionen har besluttet", "chefen bestemmer selv".
    modal = False
    j = m.end
    steps = 0
    while j < len(toks) and toks[j].sent == sent and steps < 7:
        word = toks[j].text
        if j in starts or word in _STOP_WORDS or word in _RELAY:
            break
        if word in _PAST:
            m.strength = max(m.strength, 3)
            break
        if word in _PENDING and not (word == "selv" and steps > 3):
            m.strength = 4
            break
        if word in _MODALS:
            modal = True
        elif (word == "andre" and modal) or (word in _ACTION_EXACT and word not in _WEAK_ACTIONS) or _starts(word, _ACTION_STEMS):
            m.strength = max(m.strength, 3)
            break
        elif word in _WEAK_ACTIONS and modal:
            m.strength = max(m.strength, 3)
            break
        elif m.kind == "political" and word in _POLITICAL_CONTEXT:
            m.strength = 4
            break
        j += 1
        steps += 1
    # Possessive: "direktionens beslutning", "lederens plan".
    last = toks[m.end - 1].text
    if last.endswith("s"):
        ahead = [t.text for t in toks[m.end : m.end + 2] if t.sent == sent]
        if ahead and (ahead[0] in _DECISION_NOUNS or (ahead[0] in _ADJECTIVES and ahead[1:] and (ahead[1] in _DECISION_NOUNS or ahead[1] in _RULE_NOUNS))):
            m.strength = max(m.strength, 3)
    # Look back: "besluttet af direktøren", "skal op i byrådet", "krav fra direktionen".
    back = [t.text for t in toks[max(0, m.start - 5) : m.start] if t.sent == sent]
    if back:
        prev = back[-1]
        if prev in {"af", "by"} and any(w in _PENDING or w in _PAST or w in _RECIPIENT_CUES for w in _sentence_words(toks, sent)):
            m.strength = 4 if not any(w in _PAST for w in back) else max(m.strength, 3)
        elif prev in {"i", "til", "hos", "for", "to"} and any(w in _RECIPIENT_CUES for w in back[:-1]):
            m.strength = 4
        elif prev == "fra" or prev == "from":
            m.strength = max(m.strength, 3)
        if m.kind == "political" and any(w in _POLITICAL_CONTEXT for w in back[-3:]):
            m.strength = 4
    # Negated: "det er ikke lederen, der bestemmer".
    k = m.start - 1
    hops = 0
    while k >= 0 and toks[k].sent == sent and hops < 3:
        word = toks[k].text
        if word in _NEGATIONS:
            m.negated = True
            break
        if word not in {"det", "er", "min", "vores", "den", "kun", "bare", "om", "hvis", "os", "fordi", "at", "sikker", "pa"}:
            break
        k -= 1
        hops += 1


def _sentence_words(toks: Sequence[_Tok], sent: int) -> list[str]:
    return [t.text for t in toks if t.sent == sent]


def _mark_alternatives(toks: Sequence[_Tok], mentions: list[_Mention]) -> None:
    """"lederen eller direktøren" in one breath: the writer does not know who decides."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        if toks[a.start].sent != toks[b.start].sent or a.level == b.level:
            continue
        between = [t.text for t in toks[a.end : b.start]]
        if len(between) <= 3 and ("eller" in between or "or" in between):
            # "lederen, afdelingschefen eller direktøren": the whole list is uncertain.
            for m in mentions:
                if toks[m.start].sent == toks[a.start].sent and a.start - 6 <= m.start <= b.end + 6:
                    m.ambiguous = True


# --- the public API -------------------------------------------------------------------


_CHOICE_NUMBER = re.compile(r"^\s*(?:nr\.?|nummer|valg|mulighed|svar|option|#)?\s*([1-5])(?!\d)\s*[.):-]?\s*(.*)$", re.IGNORECASE)
_UNKNOWN_ANSWERS = _f(
    "ved ikke", "ved det ikke", "det ved jeg ikke", "jeg ved det ikke", "jeg ved ikke", "aner ikke",
    "aner det ikke", "ingen anelse", "ikke sikker", "usikker", "ukendt", "ved ik", "vd ikke",
    "vet ikke", "veed ikke", "don't know", "dont know", "do not know", "not sure", "unknown", "idk",
    "?", "??", "hvem ved", "vides ikke", "ikke klart", "uvist", "måske",
)
_ANSWER_OPTIONS: tuple[tuple[str, str], ...] = (
    ("leder af arbejdspladsen", "local"),
    ("min leder", "local"),
    ("lederen", "local"),
    ("leder", "local"),
    ("institutionsleder", "local"),
    ("skoleleder", "local"),
    ("afdelingschef", "middle"),
    ("forvaltningschef", "middle"),
    ("afdelingschef forvaltningschef", "middle"),
    ("chef", "middle"),
    ("direktør", "top"),
    ("kommunaldirektør", "top"),
    ("direktør kommunaldirektør", "top"),
    ("direktionen", "top"),
    ("kommunalbestyrelse", "political"),
    ("kommunalbestyrelsen", "political"),
    ("fagudvalg", "political"),
    ("kommunalbestyrelse fagudvalg", "political"),
    ("byrådet", "political"),
    ("politikerne", "political"),
    ("ved ikke", "unknown"),
)


def _parse_decider_detail(text: str) -> str | None:
    """``local|middle|top|political|unknown`` for an answer, or None if not understood."""
    if not text or not text.strip():
        return None
    text = _without_doubt(text)
    m = _CHOICE_NUMBER.match(text)
    if m is not None:
        return DECIDER_CHOICES[int(m.group(1)) - 1]
    folded = fold(text)
    if not folded:
        return "unknown" if "?" in text else None
    if folded in _UNKNOWN_ANSWERS or any(folded.startswith(u + " ") for u in _UNKNOWN_ANSWERS if len(u) > 4):
        return "unknown"
    toks = _tokenize(text)
    mentions = [m for m in _find_mentions(toks, ()) if m.level is not None]
    for mention in mentions:
        _score_mention(toks, mention, mentions)
    mentions = [m for m in mentions if not m.negated]
    named = [m for m in mentions if fold(m.phrase) not in _ALWAYS_UNCLEAR]
    if named and len(named) < len(mentions):
        mentions = named  # »lederen af madservice, hun er chef for os alle«: the leader named, not »chef«
    kinds = {("political" if m.kind == "political" else m.level) for m in mentions}
    levels = {m.level for m in mentions}
    if len(levels) == 1:
        (level,) = levels
        return "political" if level == "top" and "political" in kinds and "top" not in kinds else level
    if len(levels) > 1:
        return "unknown"
    if any(m.level is None for m in _find_mentions(toks, ())):
        return "unknown"
    # Last resort: fuzzy against the offered answers ("ledr", "afdelingsjef", "kommunalbestyrlse").
    from rapidfuzz import fuzz, process

    best = process.extractOne(
        folded,
        [fold(label) for label, _ in _ANSWER_OPTIONS] + [fold(u) for u in _UNKNOWN_ANSWERS if len(u) > 3],
        scorer=fuzz.ratio,
        score_cutoff=78,
    )
    if best is None:
        return None
    index = best[2]
    if index < len(_ANSWER_OPTIONS):
        return _ANSWER_OPTIONS[index][1]
    return "unknown"


def parse_decider(text: str) -> str | None:
    """Read an answer to "Hvem træffer beslutningen?".

    Returns ``"local"``, ``"middle"``, ``"top"``, ``"unknown"`` ("ved ikke", or an
    answer naming two levels) or ``None`` when the answer is not understood. Accepts
    the choice numbers 1–5 in the order of :data:`DECIDER_CHOICES`, typed answers,
    typos and missing æ/ø/å.
    """
    detail = _parse_decider_detail(text)
    if detail == "political":
        return "top"
    return detail


# "politik" alone does not make a case medbestemmelse: the seeds tie medbestemmelse to agreeing a
# written retningslinje (002, lokalaftalen § 7 and § 9), not to every policy.
_MB_WORDS = _f("medbestemmelse", "enighed", "guideline", "guidelines")
_MB_PHRASES = _phrases(
    "blive enige", "bliver enige", "blevet enige", "i enighed", "skriftlig aftale", "agree on",
    "aftale hvordan", "aftales i", "aftale i fællesskab",
)
_RULE_WORDS = _f("regel", "regler", "reglerne", "reglen", "regelsæt", "rules", "rule")
_RULE_AGREEING = _phrases(
    "aftale regler", "aftale nogle regler", "aftale fælles regler", "aftale nye regler",
    "aftale en regel", "lave fælles regler", "agree rules", "agree on rules",
)
_RULE_MAKING = _phrases(
    "lave regler", "lave nogle regler", "lave en regel", "udarbejde regler", "fastsætte regler",
    "skal have regler", "lave nye regler", "make rules",
)
_WE = _f("vi", "os", "sammen", "medarbejderne", "udvalget", "we", "together")
_SKAL_TOPICS = tuple(fold(w) for w in ("vold", "mobning", "chikane", "stress", "krænk", "trivselsmåling", "sygefravær", "arbejdsevne"))
_SKAL_VERBS = _f("aftale", "aftales", "procedure", "håndtere", "håndtering", "håndteres", "håndterer", "forebygge", "forebyggelse")
_MI_WORDS = _f(
    "information", "informere", "informerer", "informeret", "orientering", "orientere", "orienteret",
    "orienterer", "drøfte", "drøftes", "drøftelse", "drøftelsen", "drøftet", "drøfter", "medindflydelse",
    "input", "inddrage", "inddraget", "inddragelse", "høring", "discuss", "discussion", "inform",
    "informed", "beslutning", "beslutningen",
)
_MI_STEMS = tuple(
    fold(w)
    for w in (
        "omlæg", "omstruktur", "omorganis", "organisering", "organisationsændring", "organisationsforandring",
        "besparels", "spare", "sparer", "nedskær", "reducer", "nedlæg", "luk", "sammenlæg", "fusion",
        "flytning", "flytte", "flyttes", "flyttet", "fraflyt", "implementer", "indfør", "udlicit",
        "privatis", "virksomhedsoverdrag", "ombyg", "nybyg", "renover", "indretning", "kontorlandskab",
        "storrum", "åbningstid", "mødetid", "vagtplan", "arbejdsgang", "ændring", "budget", "investering",
        "nyanskaf", "anskaf", "indkøb", "apv", "trivselsmåling", "ledelsesstruktur", "ledelsesspænd",
        "digitalis", "robot", "hjemmearbejde", "pause", "ferieplan", "afskedig", "fyring", "omstilling",
        "effektivis", "samle", "samling", "tilrettelæg", "centralis", "outsourc", "close", "closure",
        "saving", "restructur", "reorgan", "relocat", "merge",
    )
)
_MI_HEADS = tuple(
    fold(w)
    for w in ("system", "systemet", "systemer", "struktur", "strukturen", "besparelse", "besparelser", "flytning", "lukning", "ændring", "ændringer", "omlægning", "budget", "budgettet", "platform", "platformen", "tider", "tiderne")
)
_NEW = _f("ny", "nyt", "nye", "new")
_MERGE_PHRASES = _phrases(
    "lægges sammen", "lægge sammen", "lægger sammen", "lagt sammen", "slås sammen", "slå sammen",
    "slår sammen", "slået sammen", "lægge om", "lægges om", "lagt om", "lave om", "laves om",
)
_NOT_NEW_THINGS = _f("leder", "lederen", "kollega", "kollegaer", "kolleger", "medarbejder", "medarbejdere", "chef", "direktør")
_DECISION_VERBS = (_PENDING | _PAST) - _f("selv", "kompetence", "kompetencen", "ansvaret")


def _mode(toks: Sequence[_Tok], leader_acts: bool) -> tuple[str | None, str]:
    """Medbestemmelse (agree a written retningslinje) or medindflydelse (inform and discuss)."""
    words = [t.text for t in toks]
    # Medbestemmelse: a written retningslinje agreed in consensus.
    for i, w in enumerate(words):
        if "retningslin" in w or "retningslien" in w or _fuzzy_equal(w, "retningslinje") or _fuzzy_equal(w, "retningslinjer"):
            return "medbestemmelse", toks[i].raw
        if w in _MB_WORDS:
            return "medbestemmelse", toks[i].raw
    agreed = _has_phrase(toks, _MB_PHRASES)
    if agreed:
        return "medbestemmelse", agreed
    rules_at = [i for i, w in enumerate(words) if w in _RULE_WORDS]
    if rules_at:
        # "vi skal aftale regler" is agreeing (medbestemmelse); "lederen vil lave/indføre
        # nye regler" is a leader's decision to inform about and discuss (medindflydelse).
        agreeing = _has_phrase(toks, _RULE_AGREEING)
        if agreeing:
            return "medbestemmelse", agreeing
        making = _has_phrase(toks, _RULE_MAKING)
        if making:
            i = next(_find_phrase(toks, p) for p in _RULE_MAKING if _find_phrase(toks, p) >= 0)
            before = {t.text for t in toks[max(0, i - 4) : i] if t.sent == toks[i].sent}
            if before & _WE or not leader_acts:
                return "medbestemmelse", making
            return "medindflydelse", making
        if not leader_acts:
            return "medbestemmelse", toks[rules_at[0]].raw
        return "medindflydelse", toks[rules_at[0]].raw
    for i, w in enumerate(words):
        if _starts(w, _SKAL_TOPICS) and any(x in _SKAL_VERBS for x in words):
            return "medbestemmelse", toks[i].raw
    # Medindflydelse: information, discussion, a decision a leader makes.
    for i, w in enumerate(words):
        if w in _MI_WORDS:
            return "medindflydelse", toks[i].raw
    for i, w in enumerate(words):
        if _starts(w, _MI_STEMS) or (len(w) > 6 and w.endswith(_MI_HEADS)) or (w == "andre" and i > 0 and words[i - 1] in _MODALS):
            return "medindflydelse", toks[i].raw
    merged = _has_phrase(toks, _MERGE_PHRASES)
    if merged:
        return "medindflydelse", merged
    for i, w in enumerate(words):
        if w in _DECISION_VERBS:
            return "medindflydelse", toks[i].raw
    if leader_acts:
        return "medindflydelse", ""
    for i, w in enumerate(words):
        if w in _NEW and i + 1 < len(words) and words[i + 1] not in _NOT_NEW_THINGS:
            return "medindflydelse", toks[i].raw + " " + toks[i + 1].raw
    return None, ""


def _individual_positions(toks: Sequence[_Tok], known: frozenset[str]) -> list[int]:
    """Where the text singles out one person: "jeg", "min kollega", "en medarbejder", "Hanne"."""
    found: list[int] = []
    for phrase in _ONE_OF:
        start = 0
        while (i := _find_phrase(toks, phrase, start)) >= 0:
            found.append(i + len(phrase) - 1)
            start = i + 1
    for i, t in enumerate(toks):
        if t.text in _INDIVIDUAL:
            found.append(i)
        elif t.text in _POSSESSIVE_1P:
            nxt = toks[i + 1].text if i + 1 < len(toks) and toks[i + 1].sent == t.sent else ""
            if nxt not in _NOT_PERSONAL_AFTER_MY and not nxt.endswith(_LEDER_SUFFIXES + _CHEF_SUFFIXES):
                found.append(i)
        elif _looks_like_name(t, known):
            found.append(i)
    return sorted(set(found))


def _looks_like_name(t: _Tok, known: frozenset[str]) -> bool:
    raw = t.raw
    if t.first or len(raw) < 3 or not raw[0].isupper() or not raw[1:].replace("s", "").islower():
        return False
    base = t.text[:-1] if t.text.endswith("s") else t.text
    if t.text in known or base in known:
        return False
    return _classify_word(t.text, None, ()) is None


_KNOWN_CAPITALISED = _f(
    "MED", "Kommune", "Kommunen", "Albertslund", "Jammerbugt", "Økonomi", "Stab", "Danmark", "KL",
    "Teams", "Slack", "Outlook", "Word", "Excel", "OK", "HR", "IT", "AMR", "TR", "AMG", "APV",
    "Den", "Det", "De", "Vi", "Jeg", "Hvem", "Hvad", "Hvor", "Hvordan", "Hvilket", "Hvilken", "Kan",
    "Skal", "Er", "Har", "Min", "Vores", "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag",
    "Søndag", "Januar", "Februar", "Marts", "April", "Maj", "Juni", "Juli", "August", "September",
    "Oktober", "November", "December", "Budget", "Budgetforslag", "Plejecenter", "Skole", "Rådhus",
    "Rådhuset", "Økonomiudvalget", "SSB", "BFF", "VUF", "STABplus", "Hej", "Ok", "Okay", "Tak",
)


def _not_med(toks: Sequence[_Tok], known: frozenset[str]) -> tuple[str, str] | None:
    """(rule, trigger) when the case is not for MED."""
    words = [t.text for t in toks]
    guideline = any(w in _GUIDELINE_MAKING or "retningslin" in w for w in words)
    collective = any(
        w in _COLLECTIVE and not (w == "alle" and i > 0 and words[i - 1] in _WE_ALL) for i, w in enumerate(words)
    ) or any(
        w.isdigit() and i + 1 < len(words) and words[i + 1] in _COUNT_NOUNS for i, w in enumerate(words)
    )
    people = _individual_positions(toks, known)
    individual = bool(people)

    # 1. Strong personalesag words.
    for i, t in enumerate(toks):
        if t.text.startswith(_STAFF_THINGS):
            continue  # »personalestuen« is the staff room, not »personalesagen«
        if _in(t.text, _PERSONAL_STRONG) and not _negated(toks, i):
            if t.text in {"warning"} and not individual:
                continue
            if not individual and not t.text.startswith("personalesag") and (guideline or collective or "alle" in words):
                continue  # a guideline or practice for everybody ("sygesamtaler med alle …") is a MED case
            if guideline and t.text.endswith(("samtaler", "samtalerne")):
                continue  # "jeg vil lave retningslinjer for sygefraværssamtaler": the practice, not one person's
            return "not_med_personalesag", t.raw
    # 2. Klagesag, said outright.
    for i, t in enumerate(toks):
        if t.text.startswith("klagesag") and not _negated(toks, i):
            return "not_med_klagesag", t.raw
    # 3. What the municipality agrees with the individual union.
    for i, t in enumerate(toks):
        w = t.text
        hit = (
            w in _UNION_EXACT
            or w in _WORKING_TIME
            or (w.startswith("arbejdstid") and _in(w, _WORKING_TIME))
            or _starts(w, _UNION_STEMS)
            or (w.endswith(_UNION_SUFFIXES) and len(w) > 6)
            or w in _BARE_TILLAEG
            or _OK_RX.match(w) is not None
            or (len(w) >= 10 and _in(w, _UNION_EXACT))
        )
        if not hit or _negated(toks, i):
            continue
        if w.startswith("arbejdstid") and i > 0 and words[i - 1] in _SMOKE_FREE:
            continue  # "røgfri arbejdstid" is a MED guideline topic, not working hours
        if w in {"arbejdstiden", "arbejdstid"} and i > 0 and words[i - 1] in {"i", "under", "udenfor", "uden"}:
            continue  # "mobiler i arbejdstiden": during working hours, not the hours themselves
        if w in _BARE_TILLAEG and i > 0 and words[i - 1] in {"i", "som"}:
            continue  # "i tillæg til", "som tillæg": in addition, not pay
        if w in {fold("løn"), fold("lønnen")}:
            neighbours = {words[k] for k in (i - 2, i - 1, i + 1, i + 2) if 0 <= k < len(words)}
            if neighbours & {"hr", "personale", "okonomi"} and ("og" in neighbours or "hr" in neighbours):
                continue  # "HR & Løn", "Løn og Personale": a department, not pay
        return "not_med_union_agreement", t.raw
    phrase = _has_phrase(toks, _UNION_PHRASES)
    if phrase:
        return "not_med_union_agreement", phrase
    for i in range(3, len(words)):
        # »gå ned på 32 timer om ugen«: one's own hours (arbejdstid, agreed with the union, 002)
        if words[i] == "timer" and words[i - 1].isdigit() and words[i - 2] in {"pa", "til"} and words[i - 3] in {"ned", "op"}:
            return "not_med_union_agreement", " ".join(t.raw for t in toks[i - 3 : i + 1])
    # 4. The dismissal (etc.) of one named or singled-out person.
    dismissed = _dismissal_of_one(toks, known)
    if dismissed:
        return "not_med_personalesag", dismissed
    # 5. Ordinary daily management (not principled changes).
    daily = _daily(toks)
    if daily:
        return "daily_management", daily
    # 6. An individual's own case: dismissal, sickness, leave of one person.
    if individual and not collective and not guideline:
        for i, t in enumerate(toks):
            if t.text in _PERSONAL_MEDIUM and not _negated(toks, i):
                nxt = toks[i + 1].text if i + 1 < len(toks) and toks[i + 1].sent == t.sent else ""
                if t.text == "fri" and nxt and nxt not in _AFTER_TIME_OFF:
                    continue  # "fri parkering", "fri adgang": not time off
                reach = 10 if t.text.startswith("indkald") else 6  # "jeg har haft meget fravær og er indkaldt til samtale"
                if any(abs(p - i) <= reach and toks[p].sent == t.sent for p in people):
                    return "not_med_personalesag", t.raw
    # 7. Complaints (not about the physical working environment).
    for i, t in enumerate(toks):
        if _starts(t.text, _KLAGE_STEMS) and not _negated(toks, i):
            if any(w in _PHYSICAL_TOPICS for w in words) and not individual:
                continue
            return "not_med_klagesag", t.raw
    return None


_DISMISSAL = _f(
    "afskedige", "afskediges", "afskediget", "afskedigelse", "afskedigelsen", "fyre", "fyres", "fyret",
    "fyring", "fyringen", "opsige", "opsiges", "opsagt", "opsigelse", "opsigelsen", "bortvise",
    "forflytte", "forflyttes", "forflyttet", "forflyttelse", "degradere", "degraderet", "degradering",
    "omplacere", "omplaceres", "omplacering", "fire", "dismiss",
)
_SINGULAR_DET = _f("en", "den", "et", "a", "the", "one")
_POSSESSIVE_DET = _f("vores", "min", "mit", "hans", "hendes", "our", "my")
_PERSON_SINGULAR = _f(
    "leder", "lederen", "chef", "chefen", "kollega", "kollegaen", "medarbejder", "medarbejderen",
    "souschef", "pædagog", "pædagogen", "lærer", "læreren", "sygeplejerske", "sygeplejersken",
    "assistent", "assistenten", "sekretær", "sekretæren", "direktør", "direktøren", "ansat",
    "social- og sundhedsassistent", "sosu", "hjælper", "hjælperen", "vikar", "vikaren", "elev",
    "eleven", "manager", "colleague",
)


_NOT_A_PERSON = _f(
    "del", "række", "masse", "håndfuld", "gruppe", "aftale", "aftalen", "retningslinje", "kontrakt",
    "ordning", "ordningen", "lejemål", "leverandør", "stilling", "stillinger", "afdeling", "enhed",
    "team", "hel", "hele", "stor", "større", "lang", "bunke", "lot", "number", "few",
)
_AGREEMENT_VERBS = _f("opsige", "opsiges", "opsagt", "opsigelse", "opsigelsen")


def _dismissal_of_one(toks: Sequence[_Tok], known: frozenset[str]) -> str | None:
    """"afskedige vores leder", "fyre en pædagog", "opsige Jens": one person's case."""
    for i, t in enumerate(toks):
        if t.text not in _DISMISSAL or _negated(toks, i):
            continue
        ahead = [x for x in toks[i + 1 : i + 4] if x.sent == t.sent]
        for k, x in enumerate(ahead):
            nxt = ahead[k + 1].text if k + 1 < len(ahead) else ""
            if x.text in _SINGULAR_DET and nxt and not nxt.isdigit() and nxt not in _NOT_A_PERSON and t.text not in _AGREEMENT_VERBS:
                return f"{t.raw} {x.raw} {ahead[k + 1].raw}"
            if x.text in _SINGULAR_DET and nxt in _PERSON_SINGULAR:
                return f"{t.raw} {x.raw} {ahead[k + 1].raw}"
            if x.text in _POSSESSIVE_DET and (nxt in _PERSON_SINGULAR or nxt.endswith(("leder", "lederen", "chef", "chefen"))):
                return f"{t.raw} {x.raw} {ahead[k + 1].raw}"
            if _looks_like_name(x, known):
                return f"{t.raw} {x.raw}"
    return None


_WEEKDAYS = _f("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag", "mandage", "tirsdage", "onsdage", "torsdage", "fredage")


def _daily(toks: Sequence[_Tok]) -> str | None:
    words = [t.text for t in toks]
    if any(w in _PRINCIPLED for w in words):
        return None
    for i, w in enumerate(words):
        if w == "fra" and i + 1 < len(words):
            ahead = words[i + 1 : i + 4]
            if any(x in _FROM_ONWARD or x.isdigit() for x in ahead):
                return None
            if ahead[0] in _WEEKDAYS and "til" in ahead:
                return None  # "flytte møderne fra tirsdag til fredag": a new practice, not a short horizon
    explicit = _has_phrase(toks, _DAILY_EXPLICIT)
    if explicit:
        i = _find_phrase(toks, next(p for p in _DAILY_EXPLICIT if _find_phrase(toks, p) >= 0))
        if not _negated(toks, i):
            return explicit
    horizon = _has_phrase(toks, _DAILY_HORIZON_PHRASES) or next((t.raw for t in toks if t.text in _DAILY_HORIZON_WORDS), None)
    if not horizon:
        return None
    topic = next((t.raw for t in toks if t.text in _DAILY_TOPICS), None) or _has_phrase(toks, _DAILY_WHO)
    if topic:
        return f"{topic} … {horizon}"
    return None


def _profile_phrases(profile: Profile) -> tuple[tuple[tuple[str, ...], _Kind], ...]:
    out: list[tuple[tuple[str, ...], _Kind]] = []
    for code in ("top", "middle", "local"):
        for decider in profile.deciders(code):
            words = tuple(fold(decider).split())
            if not words:
                continue
            kind: _Kind
            if code == "top":
                known = _classify_word(words[-1], None, ())
                kind = known if known is not None and known[0] == "top" else ("top", "exec")
            else:
                kind = (code, code)
            out.append((words, kind))
    return tuple(out)


def _known_words(profile: Profile) -> frozenset[str]:
    words: set[str] = set(_KNOWN_CAPITALISED)
    for info in profile.levels.values():
        for name in info.all_names:
            words.update(fold(name).split())
    for area in profile.areas:
        for name in area.all_names:
            words.update(fold(name).split())
    words.update(fold(profile.name).split())
    return frozenset(words)


_GENERIC_COMMITTEES: tuple[tuple[str, str], ...] = (
    ("hovedmed", "top"), ("kommunemed", "top"), ("hovedudvalget", "top"), ("medhovedudvalget", "top"),
    ("forvaltningsmed", "middle"), ("afdelingsmed", "middle"), ("lokalmed", "local"), ("arbejdspladsmed", "local"),
)


def _committee_mentioned(text: str, toks: Sequence[_Tok], profile: Profile) -> str | None:
    found = profile.committee_mentions(text)
    if found:
        return found[0][1]
    for t in toks:
        for name, _level in _GENERIC_COMMITTEES:
            if t.text.startswith(name):
                return t.raw
    return None


def _affected(toks: Sequence[_Tok]) -> str | None:
    for i, t in enumerate(toks):
        if t.text in _AFFECTED_WORDS:
            return t.raw
        if t.text.isdigit() and i + 1 < len(toks) and toks[i + 1].text in _COUNT_NOUNS:
            return f"{t.raw} {toks[i + 1].raw}"
    return _has_phrase(toks, _AFFECTED_PHRASES)


def _join_sources(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def decide_level(case_text: str, profile: Profile, decider: str | None = None) -> LevelDecision:
    """Decide which MED level handles ``case_text`` in ``profile``'s municipality.

    ``decider`` is the user's answer to "Hvem træffer beslutningen?" (free text or
    a choice number). It overrides what the text suggests; "ved ikke" leaves the
    text to speak for itself, and if the text does not say either, the answer is
    ``ask``. Personalesager, klagesager, union matters and daily management are
    ``not_med`` whoever decides.
    """
    toks = _tokenize(case_text or "")
    known = _known_words(profile)
    facts: dict[str, str | bool] = {}

    affected = _affected(toks)
    facts["affected_only"] = False
    if affected:
        facts["affected"] = affected
    committee_named = _committee_mentioned(case_text or "", toks, profile)
    if committee_named:
        facts["committee_mentioned"] = committee_named
    area = profile.find_area(case_text or "")
    if area is not None:
        facts["area"] = area.committee
        facts["area_id"] = area.id

    not_med = _not_med(toks, known)
    conflict = personal_harm(case_text or "") if not_med is None else None
    if conflict is not None and decider is None:
        not_med = ("not_med_personal_conflict", conflict)
    if not_med is not None:
        rule, trigger = not_med
        facts["not_med"] = rule.removeprefix("not_med_")
        facts["not_med_trigger"] = trigger
        return LevelDecision(Level.NOT_MED, None, None, rule, MappingProxyType(facts), RULES[rule])

    # Who decides, from the text.
    mentions = _find_mentions(toks, _profile_phrases(profile))
    for m in mentions:
        _score_mention(toks, m, mentions)
    _mark_alternatives(toks, mentions)
    _mark_unclear(toks, mentions, profile, frozenset(fold(area.name).split()) if area is not None else frozenset())
    usable = [m for m in mentions if m.level is not None and not m.negated and not m.ambiguous]
    usable = [m for m in usable if m.strength >= 3 or not _relays(toks, m)]
    usable = [
        m
        for m in usable
        if m.strength > 1
        or not (
            m.start > 0 and toks[m.start - 1].text in _SKIP_BEFORE or fold(m.phrase) in _PLURAL_LEADERS
        )
    ]
    leader_acts = any(m.strength >= 3 and not m.negated for m in mentions)
    mode, mode_trigger = _mode(toks, leader_acts)
    if mode_trigger:
        facts["mode_trigger"] = mode_trigger
    mode_source = _SRC_MODE if mode else ""

    chosen: tuple[str, str] | None = None  # (level, rule)
    if decider is not None:
        decider = _without_doubt(decider)
    answer = _parse_decider_detail(decider) if decider is not None else None
    if decider is not None:
        facts["decider_answer"] = answer or "not_understood"
        if answer == "top" and profile.find_area(decider) is not None and not _names_clear_top(decider):
            # "direktøren for SSB, hele forvaltningen": the leader of one forvaltning or afdeling
            answer = "middle"
        if answer in {"top", "middle"} and _LEADS_A_UNIT.search(fold(decider)):
            # »forvaltningens direktør«, »direktøren for vores egen forvaltning«: that unit's leader
            answer = "middle"
        elif answer in {"middle", "top"} and _unclear_in(profile, decider):
            # "direktøren" or "afdelingschefen" where the seeds do not place that leader
            facts["decider_unclear"] = decider
            answer = "unclear"
    municipality = fold(profile.municipality_key)
    process = match_process(case_text or "", municipality)
    strong = [m for m in usable if m.strength >= 3]
    unclear_strength = max((m.strength for m in mentions if m.ambiguous and not m.negated and m.level), default=0)
    if strong and unclear_strength > max(m.strength for m in strong):
        # "… og nu skal afdelingschefen beslutte hvor": the one who decides is the unclear one
        strong, usable = [], []
        facts["decider_unclear"] = next(m.phrase for m in mentions if m.ambiguous and m.strength == unclear_strength)
    if answer in {"local", "middle", "top"}:
        chosen = (answer, f"decider_{answer}")
        facts["decider"] = decider or ""
        facts["decider_source"] = "argument"
    elif answer == "political":
        # Politicians are not a MED level: the leader who recommends the case decides it.
        facts["political_only"] = True
    elif process is not None:
        chosen = _by_rule(process, facts)
    elif strong and not _only_political(strong):
        chosen = _by_mentions(strong, facts)
    elif (task := _task_or_scope(case_text or "", municipality)) is not None:
        chosen = _by_rule(task, facts)
        if task.kind == "task" and task.municipality is None and municipality != "albertslund":
            facts["rule_from_other_municipality"] = "Albertslund"
    elif area is not None and area.level == "middle" and re.search(r"\bhele\b", fold(case_text or "")):
        # "… skal gælde i hele VUF": the whole of a named forvaltning or afdeling
        chosen = _by_rule(TASK_RULE_BY_ID["scope_unit"], facts)
    elif usable and not _only_political(usable):
        chosen = _by_mentions(usable, facts)
    elif usable:
        facts["political_only"] = True
    else:
        generic = [m for m in mentions if m.level is None or m.ambiguous]
        if generic:
            facts["decider_unclear"] = generic[0].phrase
    if chosen is not None and chosen[1] in TASK_RULE_BY_ID:
        rule_mode = TASK_RULE_BY_ID[chosen[1]].mode
        if rule_mode and mode is None:
            mode, mode_source = rule_mode, _SRC_MODE

    if chosen is None:
        facts["affected_only"] = bool(affected)
        return LevelDecision(
            Level.ASK, None, mode, "decider_unknown", MappingProxyType(facts), _join_sources(RULES["decider_unknown"], mode_source)
        )
    level, rule = chosen
    return LevelDecision(
        Level(level), profile.level_name(level), mode, rule, MappingProxyType(facts), _join_sources(RULES[rule], mode_source)
    )


# A bare "chef", "manager" or "boss" names no level in any municipality (the seeds place neither at one level: ask rather than guess).
_ALWAYS_UNCLEAR = _f("chef", "chefen", "chefens", "manager", "manageren", "boss", "bossen", "supervisor")
_UNCLEAR_PHRASES = _f("my manager", "our manager", "the manager", "my boss", "our boss", "the boss")
_UNIT_BEFORE = _f(
    "afdelings", "forvaltnings", "afdeling", "forvaltning", "for", "køkken", "sous",
    # "the daycare manager": the leader of that workplace
    "daycare", "kindergarten", "nursery", "school", "library", "team", "unit", "kitchen", "site", "centre",
    "center", "workplace", "institution", "home", "ward", "office",
)
_ANSWER_FILLER = _f(
    "min", "mit", "vores", "den", "det", "er", "gør", "the", "my", "our", "it", "is", "vist", "nok", "tror",
    "jeg", "han", "hun", "som", "der", "beslutter", "bestemmer", "vel", "nærmeste",
    "altså", "ja", "tja", "måske", "jo", "da", "bare", "egentlig", "sikkert", "formentlig", "lige", "vil",
)
_CLEAR_TOP = _f("kommunaldirektør", "kommunaldirektøren", "kommunaldir", "kommunaldirek", "kommunaldirekt", "direktionen", "direktion")
# After a leader: the leader passes news on ("min leder har fortalt, at …"), it is not the decision.
_RELAY_AFTER = _RELAY | _f("fik", "fået", "at vide", "videre", "videregav", "videregiver")


def _mark_unclear(toks: Sequence[_Tok], mentions: Sequence[_Mention], profile: Profile, area_words: frozenset[str]) -> None:
    """Mentions of leaders whose level the seeds do not give in this municipality are not deciders.

    A leader tied to a named forvaltning or afdeling ("forvaltningschefen i SSB") leads that
    unit, whose committee is the middle one.
    """
    unclear = {fold(w) for w in profile.extra.get("unclear_deciders", ())} | _ALWAYS_UNCLEAR
    for m in mentions:
        if area_words and m.kind in ("exec", "middle") and any(
            t.text in area_words for t in toks[m.end : m.end + 3] if t.sent == toks[m.start].sent
        ) and any(t.text in {"i", "for", "pa", "af", "in"} for t in toks[m.end : m.end + 2]):
            m.level, m.kind, m.ambiguous = "middle", "middle", False
            continue
        words = [t.text for t in toks[m.start : m.end]]
        head = words[-1] if words else ""
        if m.kind == "political" or head in _CLEAR_TOP:
            continue
        before = toks[m.start - 1].text if m.start > 0 else ""
        after = [t.text for t in toks[m.end : m.end + 2]]
        ahead = " ".join(t.text for t in toks[max(m.start - 1, 0) : m.end + 5] if t.sent == toks[m.start].sent)
        if m.kind == "exec" and _LEADS_A_UNIT.search(ahead):
            m.level, m.kind, m.ambiguous = "middle", "middle", False  # »direktøren for vores egen forvaltning«
            continue
        of_unit = after[:1] == ["for"] and after[1:2] in (["forvaltningen"], ["afdelingen"])
        if fold(m.phrase) in _UNCLEAR_PHRASES:
            m.ambiguous = True
        elif (head in unclear or fold(m.phrase) in unclear) and before not in _UNIT_BEFORE and len(words) == 1 and not of_unit:
            m.ambiguous = True


def _relays(toks: Sequence[_Tok], m: _Mention) -> bool:
    """"vores leder fortalte, at …", "lederen har sagt at …": the leader passes a decision on."""
    ahead = [t.text for t in toks[m.end : m.end + 3] if t.sent == toks[m.start].sent]
    for word in ahead:
        if word in _RELAY_AFTER:
            return True
        if word not in {"har", "havde", "hun", "han", "os", "til", "pa", "i", "lige", "bare"}:
            return False
    return False


def _only_political(mentions: Sequence[_Mention]) -> bool:
    """Only politicians named: they are not a MED level (002), so the text does not say who recommends."""
    return all(m.kind == "political" for m in mentions)


def _by_mentions(mentions: Sequence[_Mention], facts: dict[str, str | bool]) -> tuple[str, str]:
    leaders = [m for m in mentions if m.kind != "political" and m.level]
    best_strength = max(m.strength for m in leaders)
    tier = [m for m in leaders if m.strength == best_strength]
    top_level = max((m.level for m in tier if m.level), key=lambda lv: _RANK[lv])
    winners = [m for m in tier if m.level == top_level]
    facts["decider"] = winners[0].phrase
    facts["decider_source"] = "text"
    return (top_level, f"decider_{top_level}")


def _by_rule(rule: TaskRule, facts: dict[str, str | bool]) -> tuple[str, str]:
    facts["task_rule"] = rule.id
    return (rule.level, rule.id)


def _names_clear_top(text: str) -> bool:
    return any(w in _CLEAR_TOP for w in fold(text).split())


# The leader of one forvaltning or afdelings (its committee is the middle one)
_LEADS_A_UNIT = re.compile(
    r"\b(forvaltningens|afdelingens) (direktor\w*|chef\w*|leder\w*|ledelse\w*)"
    r"|\b(direktor\w*|chef\w*|leder\w*) (for|i) (vores |min |den |egen |hele )*(forvaltning|forvaltningen|afdeling|afdelingen)\b"
    # »direktøren for børn og familie, altså vores egen forvaltning«
    r"|\b(direktor\w*|chef\w*)\b.*\b(altsa|dvs|som er|det er) (vores|min|den) (egen )?(forvaltning|afdeling)(en)?\b"
)
# »det ved jeg ikke helt.. måske min chef«: the guess after the doubt is the answer
_DOUBT_LEAD = re.compile(
    r"^\s*(?:det\s+)?(?:ved|aner)\s+(?:jeg\s+)?(?:ikke|ik)(?:\s+helt|\s+rigtig|\s+sikkert|\s+præcist)?[\s.,!…-]*"
    r"(?:men\s+)?(?:måske|maaske|maske|nok|tror\s+jeg|formentlig|vist)?[\s,]*(?=\S)",
    re.IGNORECASE,
)


def _without_doubt(decider: str) -> str:
    """The answer without a leading »ved ikke helt, måske …« when a guess follows it."""
    lead = _DOUBT_LEAD.match(decider)
    if lead is None:
        return decider
    rest = decider[lead.end():].strip()
    return rest if rest and _find_mentions(_tokenize(rest), ()) else decider


def _unclear_in(profile: Profile, text: str) -> bool:
    """True when the answer names only a leader the seeds do not place at one level here."""
    unclear = {fold(w) for w in profile.extra.get("unclear_deciders", ())} | _ALWAYS_UNCLEAR
    words = [w for w in fold(text).split() if w not in _ANSWER_FILLER]
    return bool(words) and all(w in unclear for w in words)


def source_labels(decision: LevelDecision) -> list[str]:
    """Readable references (document title – section) for a decision's rule and mode."""
    refs = list(_RULE_REFS.get(decision.rule, ()))
    if decision.mode is not None and decision.level != "not_med":
        refs.extend(_REF_MODE)
    return [source_line(seed, section) for seed, section in refs]


def _task_or_scope(case_text: str, municipality: str) -> TaskRule | None:
    """The task's rule, unless the case states a wider scope than a workplace's task: »en ny
    APV-metode i hele kommunen« is not one workplace's APV (002: the level follows who decides,
    and one workplace's leader does not decide for the whole municipality)."""
    task = match_task(case_text, municipality)
    scope = match_scope(case_text, municipality)
    if task is not None and scope is not None and _RANK.get(scope.level, 0) > _RANK.get(task.level, 0) and task.level == "local":
        return scope
    return task or scope


def principle_sources(*, bagland: bool = False) -> list[str]:
    """Readable references for the rule that the level follows who decides (and, with
    ``bagland``, for taking a case up with the colleagues one represents)."""
    refs = _REF_UNKNOWN + (_REF_BAGLAND if bagland else ())
    return [source_line(seed, section) for seed, section in refs]


def rank(level: str) -> int:
    """local < middle < top; 0 for anything else."""
    return _RANK.get(level, 0)


def answer_fields(decision: LevelDecision, profile: Profile) -> dict[str, Any]:
    """Plain values for ``dialogs.texts.level_answer(**answer_fields(decision, profile))``.

    Kept here so the CLI and the dialog compose the same answer without texts.py
    importing knowledge objects.
    """
    facts = decision.reason_facts
    contact = ""
    role = ""
    if decision.level in ("top", "middle", "local"):
        area_id = str(facts.get("area_id", ""))
        if decision.level == "middle" and area_id and any(a.id == area_id for a in profile.areas):
            contacts = profile.committee_contacts("middle", area_id)
        else:
            contacts = profile.committee_contacts(decision.level)
        if contacts:
            contact = contacts[0].display()
            role = contacts[0].role
    return {
        "level": decision.level,
        "committee": decision.committee,
        "mode": decision.mode,
        "rule": decision.rule,
        "municipality": profile.name,
        "level_names": profile.level_names(),
        "affected": bool(facts.get("affected")),
        "committee_mentioned": str(facts.get("committee_mentioned", "")) if decision.level == "ask" else "",
        "contact": contact,
        "contact_role": role,
        "sources": source_labels(decision),
        "political_only": bool(facts.get("political_only")) and decision.level == "ask",
        "unclear_decider": str(facts.get("decider_unclear", "")) if decision.level == "ask" else "",
        "rule_from": str(facts.get("rule_from_other_municipality", "")),
    }
