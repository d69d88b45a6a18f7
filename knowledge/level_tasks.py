"""Case levels the seeds settle by the task, the stated scope or a described process.

:func:`knowledge.levels.decide_level` asks "who decides?" only when neither the
decider, the task nor the scope settles the level. This module holds the second and
third kind of evidence, each rule with the seed passage it rests on:

* **Processes** (seed 000 for Jammerbugt, seed 004 for Albertslund): where a budget
  proposal is MED-treated, where a good idea is sent, who evaluates the budget
  procedure. A process rule is tied to the municipality whose documents describe it
  and never fires for another.
* **Tasks** (seed 002, the committees' tasks in Albertslund's local MED agreement):
  KommuneMED's skal-retningslinjer, interpreting the local agreement, adapting the MED
  structure; ArbejdspladsMED's APV, local guidelines, competence development. These
  are Albertslund's agreement; under another municipality the answer says where the
  rule comes from.
* **Scope** (the decision's own reach, "skal gælde for hele kommunen", "for hele
  forvaltningen", "her på arbejdspladsen"). Who is *affected* ("det rammer hele
  kommunen") is not a scope: the level is set by who decides (002, lokalaftalen § 2,
  stk. 3), so only words that state where the decision applies count.

Every pattern runs on :func:`knowledge.normalize.fold` text (æ→a, ø→o, å→a, lowercase).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from knowledge.normalize import fold

__all__ = ["TaskRule", "TASK_RULES", "match_process", "match_task", "match_scope"]


@dataclass(frozen=True)
class TaskRule:
    """One rule: a pattern on folded text, the level it gives and its seed passage."""

    id: str
    kind: str  # "process" | "task" | "scope"
    level: str  # top | middle | local
    pattern: re.Pattern[str]
    seed: str
    section: str
    municipality: str | None = None  # folded profile key; None: any municipality
    mode: str | None = None  # medbestemmelse when the task is agreeing a guideline


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


_GUIDE = r"(retningslinje\w*|regl\w*|politik\w*|procedure\w*)"
# Violence, threats, bullying, harassment, stress (»når en beboer truer eller slår«)
_HARM = r"(vold\w*|trusl\w*|truer|truede|trues|slar|slaar|slag|overfald\w*|mobning|chikane|krank\w*|stress)"
_WHOLE_MUNICIPALITY = (
    r"(for|i|pa tvars af|gaelder|galder|gaelde|galde|til) (hele|alle i|alle ansatte i|alle medarbejdere i) (kommune|kommunen|organisationen)\b"
    r"|\b(hele|alle i|alle ansatte i|alle medarbejdere i) kommunen\b.*\b(gaelde|galde|gaelder|galder)"
    r"|\bgaelde\w* (for )?(alle|hele)\b.*\bkommunen\b|\bgalde\w* (for )?(alle|hele)\b.*\bkommunen\b"
    r"|\bkommunens (personalepolitik|faelles|falles)\b|\bfaelles \w*politik\w* for (hele )?kommunen|\bfalles \w*politik\w* for (hele )?kommunen"
    r"|\bpa tvaers af (alle )?(forvaltninger|forvaltningerne|afdelingerne|afdelinger)\b|\bpa tvars af (alle )?(forvaltninger|forvaltningerne|afdelingerne|afdelinger)\b"
    r"|\b(whole|entire) (municipality|organisation|organization|kommune|kommunen)\b|\bmunicipality[- ]wide\b|\bkommunedaekkende\b|\bkommunedakkende\b"
)
_WHOLE_FORVALTNING = (
    r"\b(for|i|pa tvars af|til) (hele|alle i) (forvaltningen|vores forvaltning|forvaltningens)\b"
    r"|\bpa tvars af (alle|de) \w+ i (forvaltningen|vores forvaltning)\b"
    r"|\b(galde\w*) (for )?(hele|alle i) forvaltningen\b|\bforvaltningsomrade\w*\b|\b(whole|entire) (directorate|division|forvaltning|forvaltningen)\b"
)
# Albertslund's middle level is the afdeling (002: AfdelingsMED); Jammerbugt's is the forvaltning.
_WHOLE_AFDELING = (
    r"\b(for|i|pa tvars af|til) (hele|alle i) (afdelingen|vores afdeling|afdelingens)\b"
    r"|\b(galde\w*) (for )?(hele|alle i) afdelingen\b|\bafdelingsomrade\w*\b|\b(whole|entire) (department|afdeling|afdelingen)\b"
    r"|\bpa tvars af (alle|de) \w+ i (afdelingen|vores afdeling)\b"
)
_OWN_WORKPLACE = (
    r"\b(pa|i|for|hos) (vores|min|var|denne|den) (arbejdsplads|institution|skole|bornehave|vuggestue|afdeling pa \w+|plejecenter|plejehjem|klub|kokken)\b"
    r"|\bher pa (arbejdspladsen|skolen|institutionen|stedet|plejecentret|centret)\b|\bpa arbejdspladsen\b|\bpa vores sted\b"
    r"|\bhos os (pa|i) (arbejdspladsen|institutionen|skolen|huset)\b|\b(our|my) (workplace|school|institution)\b"
    r"|\blokalt (hos|pa|i) os\b|\bkun (hos|for) os\b"
    r"|\b(hos os|her) (i|pa) (\w*institution\w*|\w*skole\w*|\w*bornehave\w*|\w*bornehus\w*|\w*vuggestue\w*|\w*plejecent\w*|\w*plejehjem\w*|kokkenet|\w*klubben|hjemmeplejen|borgerservice|jobcentret|biblioteket)\b"
    r"|\bonly (in|for|at) (our|my|this) (unit|team|workplace|place|school|office|department)\b|\bjust (our|my) (unit|team|workplace)\b"
)


#: Processes described for one municipality.
_PROCESS_RULES: Final[tuple[TaskRule, ...]] = (
    TaskRule(
        "process_budget_input", "process", "middle",
        # "where is it MED-treated?" is the proposal rule's question (KommuneMED), not the input's
        re.compile(
            r"^(?!.*medbehandl).*(?:\binput\b.*\b(kommunemed|budget\w*)\b|\b(budget\w*|kommunemed)\b.*\binput\b|\bafdelingens budgetforslag\w*"
            r"|\bbudgetforslag\w*\b.*\b(for|inden|far) kommunemed\b)"
        ),
        "004", "Punkt 2: AfdelingsMED drøfter de for afdelingen relevante budgetforslag og giver skriftligt input til KommuneMED",
        municipality="albertslund",
    ),
    TaskRule(
        "process_budget_proposal", "process", "top",
        _rx(r"\bbudget ?(forslag\w*|katalog\w*)\b", r"\bforslag\w* til budget\w*", r"\bmed-?behandling\w* af (budget\w*|forslag\w*)"),
        "004", "Punkt 2: Budgetforslag 2026 – indstilles af kommunaldirektøren, derfor MED-behandling i KommuneMED",
        municipality="albertslund",
    ),
    TaskRule(
        "process_idea_continue", "process", "middle",
        _rx(r"\b(arbejde|arbejder|arbejdes) videre\b.*\b(ide|ideer|ideen|forslag\w*|det)\b|\b(ide|ideer|ideen|forslag\w*)\b.*\b(arbejde|arbejder|arbejdes) videre\b",
            r"\bidebank\w*"),
        "000", "Procesbeskrivelse 'Den gode idé': de resterende gode forslag, der går på tværs af egen forvaltning, "
        "må fagudvalg, ForvaltningsMED og forvaltninger meget gerne arbejde videre med – eller gemme i en idébank",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_idea_cross_cutting", "process", "top",
        # what ForvaltningsMED does with them; a staff member's own cross-cutting idea goes to
        # the ForvaltningsMED contact first (process_idea_send)
        re.compile(
            r"^(?=.*\b(forvaltningsmed\w*|hovedmed\w*|hovedudvalg\w*|videre)\b)"
            r"(?:.*\b(ide|ideer|ideen|forslag\w*)\b.*\b(pa tvaers|pa tvars|tvargande|tvargaende)\b"
            r"|.*\b(pa tvaers|pa tvars|tvargande|tvargaende)\b.*\b(ide|ideer|ideen|forslag)\b)"
        ),
        "000", "Procesbeskrivelse 'Den gode idé': ForvaltningsMED's tværgående idéer sendes til HovedMED",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_idea_feedback_forvaltningsmed", "process", "top",
        re.compile(
            r"^(?!.*\b(lokalmed|lokal med|lokale udvalg)\b)"
            r"(?:.*\b(tilbagemelding\w*|besked|fortaelle|fortalle)\b.*\bforvaltningsmed\w*|.*\bforvaltningsmed\w*\b.*\b(tilbagemelding\w*|besked)\b)"
        ),
        "000", "Procesbeskrivelse 'Den gode idé': formandskabet fra HovedMED har ansvaret for at give en tilbagemelding til alle ForvaltningsMED",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_idea_feedback", "process", "middle",
        _rx(r"\btilbagemelding\w*\b.*\b(lokalmed|lokal med|lokale udvalg\w*|lokale med\w*)\b",
            r"\b(lokalmed|lokal med|lokale udvalg\w*|lokale med\w*)\b.*\btilbagemelding\w*\b"),
        "000", "Procesbeskrivelse 'Den gode idé': formandskabet fra ForvaltningsMED giver en tilbagemelding til alle relevante LokalMED",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_idea_start", "process", "middle",
        _rx(r"\b(den gode ide|gode ideer|good idea)\b.*\b(start\w*|begynd\w*|kick\w*|kicks|forar\w*|spring)\b",
            r"\b(start\w*|begynd\w*|kick\w*|kicks)\b.*\b(den gode ide|gode ideer|good idea)\b"),
        "000", "Procesbeskrivelse 'Den gode idé': Den gode idé starter med drøftelser i alle ForvaltningsMED i det tidligere forår",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_idea_economy_committee", "process", "top",
        _rx(r"\b(ide|ideer|ideen|forslag\w*|ideas?|proposals?)\b.*\b(okonomiudvalg\w*|oku|ou)\b",
            r"\b(okonomiudvalg\w*|oku|ou)\b.*\b(ide|ideer|forslag\w*|ideas?|proposals?)\b"),
        "000", "Procesbeskrivelse 'Den gode idé': HovedMED vælger de forslag, der præsenteres for Økonomiudvalget i juni",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_personalemode_is_lokalmed", "process", "local",
        _rx(r"\bpersonalemod\w* med ?med ?status\b.*\b(os|vi)\b", r"\b(os|vi)\b.*\bpersonalemod\w* med ?med ?status\b"),
        "000", "Procesbeskrivelse 'Den gode idé', fodnote 1: personalemøder med MED-status regnes også for LokalMED",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_budget_evaluation", "process", "top",
        _rx(r"\bevaluering\w* af budget\w*", r"\bbudgetprocedure\w*\b.*\bevalu\w*", r"\bevalu\w*\b.*\bbudgetprocedure\w*",
            r"\bevaluation of the budget\w*"),
        "000", "Udmøntning og evaluering: den årlige evaluering af budgetproceduren i Hoved-MED",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_budget_frame", "process", "top",
        _rx(r"\brammer\w* for budget\w*", r"\bmed ?inddragelse\w*\b.*\bbudget\w*", r"\bbudget\w*\b.*\bmed ?inddragelse\w*",
            r"\b(overordnede|samlede) budgetproces\w*", r"\bhvordan med (skal )?inddrages\b"),
        "000", "Budgetproces januar–marts: HovedMED orienteres om den overordnede budgetproces og rammerne for "
        "budgetlægningen og drøfter MED-inddragelse i processen",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_idea_meeting_local", "process", "local",
        # once ForvaltningsMED has decided that LokalMED takes part (whether it does is ForvaltningsMED's call)
        re.compile(
            r"^(?=.*\b(besluttet|bestemt|sagt ja|hvor holder|hvor skal vi holde)\b)"
            r"(?:.*\b(ide ?mod\w*|idegenereringsmod\w*)\b.*\b(arbejdsplads\w*|lokalmed|lokal med|personalemod\w*)\b"
            r"|.*\b(arbejdsplads\w*|lokalmed|lokal med)\b.*\b(ide ?mod\w*|idegenereringsmod\w*)\b"
            # »ForvaltningsMED har sagt ja til at lokalMED'erne må arbejde med den gode idé. Hvor skal vi drøfte vores ideer?«
            r"|.*\blokalmed\w*\b.*\b(ma|skal|kan) arbejde med\b.*\bide\w*\b.*\bdrofte\w*)"
        ),
        "000", "Procesbeskrivelse 'Den gode idé': idégenereringsmøde evt. i relevante LokalMED, "
        "hvis det er besluttet i ForvaltningsMED",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_idea_send", "process", "middle",
        _rx(r"\b(god|gode|min|en|vores) (ide|ideer|ideen|forslag)\b.*\b(send\w*|aflever\w*|hen|hvem|hvor|hvilke[tn]?|have den|modtag\w*)\b",
            r"\bden gode ide\b.*\b(lokalmed|lokal med)\b", r"\b(lokalmed|lokal med)\b.*\bden gode ide\b",
            r"\bidegenerering\w*\b", r"\b\w*ide(er|en)?\b.*\bhvor skal (den|de|vi sende \w+) hen\b"),
        "000", "Procesbeskrivelse 'Den gode idé': idéer sendes til kontaktpersonerne i ForvaltningsMED; "
        "formand og næstformand i ForvaltningsMED beslutter, om LokalMED skal arbejde med Den gode idé",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_budget_amendment", "process", "top",
        _rx(r"\bandringsforslag\w*\b", r"\baendringsforslag\w*\b", r"\bmellem (1|forste)\.? og (2|anden)\.? behandling"),
        "000", "Beslutningsfasen: HovedMED inddrages, hvis der mellem 1. og 2. behandling stilles ændringsforslag",
        municipality="jammerbugt",
    ),
    TaskRule(
        "process_meeting_plan", "process", "middle",
        _rx(r"\bmodeplan\w*\b.*\b(forvaltningsmed|forvaltningen|budgetproces\w*|hovedmed\w*)\b", r"\bforvaltningsmed\w*\b.*\bmodeplan\w*"),
        "000", "Budgetproces januar–marts: formand og næstformand i ForvaltningsMED aftaler en mødeplan",
        municipality="jammerbugt",
    ),
)

#: The committees' tasks in Albertslund's local MED agreement (seed 002).
_TASK_RULES: Final[tuple[TaskRule, ...]] = (
    TaskRule(
        "task_meet_economy_committee", "task", "top",
        _rx(r"\b(okonomiudvalg\w*|ou|finance committee)\b.*\b(modes|moder|mode|meets?|meeting)\b",
            r"\b(modes|moder|mode|meets?|meeting)\b.*\b(okonomiudvalg\w*|ou|finance committee)\b"),
        "002", "KommuneMED: mødes med ØU i forbindelse med budgetbehandlingen",
        municipality="albertslund",
    ),
    TaskRule(
        "task_interpret_agreement", "task", "top",
        _rx(r"\b(fortolk\w*|forstas|forstaes|uenig\w*|uoverensstemmelse\w*)\b.*\b(lokalaftale\w*|med ?aftale\w*)",
            r"\b(lokalaftale\w*|med ?aftale\w*)\b.*\b(fortolk\w*|forstas|forstaes|uoverensstemmelse\w*)"),
        "002", "KommuneMED: fortolke den lokale MED-aftale og behandle uoverensstemmelser",
    ),
    TaskRule(
        "task_med_structure", "task", "top",
        _rx(r"\bmed ?struktur\w*\b", r"\bmed ?structure\b",
            # »den måde arbejdsmiljøarbejdet er organiseret på i MED-aftalen«
            r"\borganiser\w*\b.*\barbejdsmiljoarbejde\w*|\barbejdsmiljoarbejde\w*\b.*\borganiser\w*", r"\b(oprette\w*|nedlaeg\w*|nedlag\w*|sla\w* sammen|sammenlaeg\w*|sammenlag\w*)\b.*\b(afdelingsmed|arbejdspladsmed|lokalmed|forvaltningsmed|med-?udvalg\w*)\b",
            r"\b(nyt|nye) (afdelingsmed|arbejdspladsmed|lokalmed|forvaltningsmed|med-?udvalg)\b"),
        "002", "KommuneMED: tilpasse MED-strukturen/organiseringen af arbejdsmiljøarbejdet i den lokale MED-aftale",
    ),
    TaskRule(
        "task_top_guidelines", "task", "top",
        _rx(r"\b(retningslinje\w*|regl\w*|politik\w*)\b.*\b(trivselsmaling\w*|sygefravaerssamtale\w*|sygefravarssamtale\w*|rummelig\w*|nedsat arbejdsevne|sundhedspolitik\w*|sundhed)\b",
            r"\b(trivselsmaling\w*|sygefravaerssamtale\w*|sygefravarssamtale\w*|rummelig\w*|nedsat arbejdsevne|sundhed)\b.*\b(retningslinje\w*|regl\w*)\b"),
        "002", "Skal-retningslinjer – KommuneMED: trivselsmåling, sygefraværssamtaler, stress, vold-mobning-chikane, "
        "det rummelige arbejdsmarked, sundhed",
        mode="medbestemmelse",
    ),
    TaskRule(
        "task_strategy", "task", "top",
        _rx(r"\bstrategiplan\w*\b", r"\barlig\w* arbejdsmiljodroftelse\w*", r"\bstrategisk\w* (drof\w*|mal\w*) .*arbejdsmiljo"),
        "002", "KommuneMED: strategisk drøftelse, strategiplan, årlig arbejdsmiljødrøftelse",
    ),
    TaskRule(
        "task_implement_in_unit", "task", "middle",
        _rx(r"\budmont\w*\b.*\b(hele )?(afdelingen|afdelingens|forvaltningen|forvaltningens)\b",
            r"\b(koordin\w*|planlaeg\w*|planlag\w*|led\w*)\b.*\barbejdsmiljoarbejde\w*\b.*\b(afdeling|afdelingen|forvaltning|forvaltningen)\b",
            r"\b(flere|alle|pa tvaers af|pa tvars af) (arbejdsmiljogrupper\w*|amg\w*)\b"),
        "002", "AfdelingsMED: udmønte politikker inden for eget afdelingsområde; planlægge, lede og koordinere "
        "arbejdsmiljøarbejdet i afdelingen; problemer der berører flere arbejdsmiljøgrupper forelægges MED-udvalget",
    ),
    TaskRule(
        "task_local_workplace", "task", "local",
        _rx(r"\bapv\w*\b", r"\bhandleplan\w*\b.*\bapv\b",
            r"\blokal\w* retningslinje\w*\b",
            r"\b(kompetenceudvikling\w*)\b.*\b(arbejdsplads\w*|mal)\b", r"\bmal\b.*\bkompetenceudvikling\w*",
            r"\b(competence|skills) development\b.*\b(goals?|team|workplace)\b", r"\b(goals?|team|workplace)\b.*\b(competence|skills) development\b",
            r"\b(oplaering|oplaring|instruktion)\b",
            r"\bsygefravaersstatistik\w*|\bsygefravarsstatistik\w*",
            r"\b(nyanskaffelse\w*|ombygning\w*|ombygge\w*|nybygning\w*|rebuild\w*)\b", r"\bbygge\w* om\b",
            r"\bamg\b.*\b(kob\w*|indkob\w*|anskaf\w*)\b",
            rf"\b(egne|lokale) (regler|retningslinje\w*)\b.*\b{_HARM}\b",
            rf"\b{_HARM}\b.*\b(egne|lokale) (regler|retningslinje\w*)\b"),
        "002", "ArbejdspladsMED (bilag D): APV og handleplaner, lokale retningslinjer (stress, vold-mobning-chikane), "
        "mål og kompetenceudvikling, oplæring og instruktion, sygefraværsstatistik",
    ),
)

#: The decision's own reach.
_SCOPE_RULES: Final[tuple[TaskRule, ...]] = (
    TaskRule(
        "scope_municipality", "scope", "top", re.compile(_WHOLE_MUNICIPALITY),
        "002", "Kompetenceforhold: en sag for hele kommunen besluttes af kommunens øverste ledelse; "
        "KommuneMED behandler forhold inden for KommuneMED's område (lokalaftalen § 2, stk. 3 og § 5)",
    ),
    TaskRule(
        "scope_unit", "scope", "middle", re.compile(_WHOLE_FORVALTNING),
        "000", "ForvaltningsMED: MED-udvalget for en hel forvaltning (Faser i budgetlægningen; kontaktpersoner pr. forvaltning)",
    ),
    TaskRule(
        "scope_afdeling", "scope", "middle", re.compile(_WHOLE_AFDELING),
        "002", "AfdelingsMED varetager forhold, der er knyttet til den afdeling, udvalget dækker (lokalaftalen § 6)",
        municipality="albertslund",
    ),
    TaskRule(
        "scope_workplace", "scope", "local", re.compile(_OWN_WORKPLACE),
        "002", "ArbejdspladsMED varetager forhold for den arbejdsplads, udvalget dækker (lokalaftalen bilag D)",
    ),
)

TASK_RULES: Final[tuple[TaskRule, ...]] = _PROCESS_RULES + _TASK_RULES + _SCOPE_RULES

# "det berører/rammer hele kommunen": who is affected, not where the decision applies.
_AFFECTED_BEFORE = re.compile(r"\b(berorer|berort|berores|rammer|ramt|rammes|pavirker|pavirket|affects|affected)\b\W+(\w+\W+){0,3}$")


def _first(rules: Sequence[TaskRule], folded: str, municipality: str | None) -> TaskRule | None:
    for rule in rules:
        if rule.municipality is not None and rule.municipality != municipality:
            continue
        if rule.pattern.search(folded):
            return rule
    return None


def match_process(text: str, municipality: str | None) -> TaskRule | None:
    """A process of ``municipality`` (folded profile key) that settles the case's level."""
    return _first(_PROCESS_RULES, fold(text), municipality)


def match_task(text: str, municipality: str | None) -> TaskRule | None:
    """A committee task from the local MED agreement that settles the case's level."""
    return _first(_TASK_RULES, fold(text), municipality)


def match_scope(text: str, municipality: str | None = None) -> TaskRule | None:
    """The decision's stated reach ("for hele kommunen"), never who is affected by it."""
    folded = fold(text)
    for rule in _SCOPE_RULES:
        if rule.municipality is not None and rule.municipality != municipality:
            continue
        for found in rule.pattern.finditer(folded):
            if not _AFFECTED_BEFORE.search(folded[: found.start()]):
                return rule
    return None
