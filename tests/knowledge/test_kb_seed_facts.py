"""Seed facts the knowledge base must carry, and corrections a MED secretary asked for.

Every test quotes the seed passage it rests on (seeds in ``../shared/seeds``: 000
Jammerbugt drejebog budget 2024, 001 MEDsamarbejdets program 2024, 002 Albertslund
MED-grunduddannelsen, 003 Jammerbugt direktionsreferat 12.01.2021, 004 Albertslund
referat AfdelingsMED Økonomi & Stab 26.08.2025).

Entries staged in ``knowledge/data/kb/*.toml.pending`` (not loaded by the bot until the
90-entry cap in test_kb.py is raised and the file is renamed to ``*.toml``) are checked
here together with the live entries, so they are ready to switch on.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from knowledge.kb import DEFAULT_KB_DIR, KnowledgeBase
from knowledge.search import Searcher, Synonyms

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions.tsv"
MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
PENDING = sorted(DEFAULT_KB_DIR.glob("*.toml.pending"))


def _full_kb() -> KnowledgeBase:
    """The live entries plus any staged ones, validated by the same loader rules."""
    items: list[dict] = []
    for path in sorted(DEFAULT_KB_DIR.glob("*.toml")) + PENDING:
        with path.open("rb") as handle:
            items.extend(tomllib.load(handle).get("entry", []))
    return KnowledgeBase.from_dicts(items, origin="kb+pending")


@pytest.fixture(scope="module")
def live() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return _full_kb()


def _answers(kb: KnowledgeBase) -> dict[str, str]:
    return {entry.id: entry.answer for entry in kb}


# -- Task 2: corrections ---------------------------------------------------------------


def test_politicians_are_not_a_med_level(kb: KnowledgeBase) -> None:
    """002, "MED-niveauerne matcher ledelsesniveauerne": the diagram lists five management
    levels (Kommunal-bestyrelse, Fagudvalg, Direktør, Afdelings-chef, Leder) beside three
    MED levels (Kommune-MED, Afdelings-MED, Arbejdsplads-MED). 002, "På hvilket MED-niveau
    skal en sag behandles?": "Det rette MED-udvalg er det udvalg, hvor der er en leder med
    kompetence til at træffe en beslutning om sagen, eller hvor der er en leder med
    kompetence til at indstille sagen til beslutning (på politisk niveau) (Lokalaftalen § 2,
    stk. 3)"."""
    answer = kb["med-niveauer"].answer
    assert "svarer til kommunalbestyrelse" not in answer
    assert "Politikerne er ikke et MED-niveau" in answer
    assert "§ 2, stk. 3" in answer and "indstille" in answer
    pairing = re.compile(
        r"KommuneMED\W{0,5}(svarer til|=|hører til)[^.\n]{0,40}(kommunalbestyrelse|fagudvalg)", re.I
    )
    for entry in kb:
        assert not pairing.search(entry.answer), entry.id


def test_good_ideas_go_to_forvaltningsmed_contacts_then_on_to_hovedmed(kb: KnowledgeBase) -> None:
    """000, Procesbeskrivelse 'Den gode idé': "Nederst på siden er kontaktpersonerne til de
    relevante ForvaltningsMED skrevet ind. (De 'de gode ideer' skal sendes til disse
    kontaktpersoner)" and "'Den gode idé' starter med drøftelser i alle ForvaltningsMED ...
    Efterfølgende sendes ForvaltningsMED's tværgående idéer til HovedMED."""
    contact = kb["gode-ide-kontakt"].answer
    assert "kontaktpersonen for dit ForvaltningsMED" in contact
    assert "ForvaltningsMED sender de tværgående idéer videre til HovedMED" in contact
    assert "ikke direkte til HovedMED" in contact
    assert "behandlet i ForvaltningsMED eller i HovedMED" not in contact
    process = kb["gode-ide-proces"].answer
    assert "kontaktpersonerne for ForvaltningsMED" in process
    assert "ForvaltningsMED sender de tværgående idéer videre til HovedMED" in process


def test_named_jammerbugt_contacts_are_dated_to_the_budget_2024_drejebog(kb: KnowledgeBase) -> None:
    """000 is dated "10. februar 2023" and is "Bilag B – Drejebog for inddragelse af
    MED-systemet" for "budgetlægningen for budget 2024"; it lists "ForvaltningsMED STABplus og
    HovedMED – Rikke Krogsgaard Eriksen (rke@jammerbugt.dk)". A contact from that document is
    not the standing HovedMED contact: say where it is from and that it may have changed."""
    names = ("Christina Ebert", "Jette Søgaard Hansen", "Louise Skov Nielsen", "Rikke Krogsgaard Eriksen")
    named = [entry for entry in kb if any(name in entry.answer for name in names)]
    assert named, "the contacts must still be answerable"
    for entry in named:
        assert "drejebogen for budget 2024" in entry.answer, entry.id
        assert "kan være ændret" in entry.answer, entry.id


def test_budget_phases_are_the_drejebog_for_budget_2024(kb: KnowledgeBase) -> None:
    """000: "I lighed med tidligere år vil der i budgetlægningen for budget 2024 have et stort
    fokus på inddragelse af MED-systemet ... Der er udarbejdet et årshjul, hvori budgettets
    faser er beskrevet." The phases (januar – marts ... november - december) are that
    drejebog's plan, not every year's calendar."""
    answer = kb["budget-aarshjul"].answer
    assert "drejebog for budget 2024" in answer
    assert "Budgetåret i Jammerbugt Kommune har" not in answer
    assert "siger ikke, om andre budgetår har samme kalender" in answer
    for entry in kb:
        if entry.source.seed == "000":
            assert "budget 2024" in entry.answer, entry.id


def test_albertslund_is_not_given_jammerbugts_process(kb: KnowledgeBase) -> None:
    """004, punkt 2: "der [er] indlagt møder i alle afdelingsMED den 25.-26. august, hvor der
    gennemføres drøftelser af de for afdelingen relevante budgetforslag med henblik på at
    afdelingsMED får mulighed for at komme med input til MED-behandlingen i KommuneMED ...
    Til brug herfor kan vedlagte skabelon anvendes." 'Den gode idé' is described only in
    000, Jammerbugt's drejebog."""
    for entry in kb:
        if entry.source.seed in {"000", "003"}:
            assert entry.municipality == "Jammerbugt", entry.id
        if entry.source.seed == "004":
            assert entry.municipality == "Albertslund", entry.id
        if entry.municipality == "Albertslund" and "den gode idé" in entry.answer.casefold():
            assert "beskriver ikke en Den gode idé-proces i Albertslund" in entry.answer, entry.id
        if entry.municipality == "Jammerbugt" and "Albertslund" in entry.answer:
            assert "beskriver ikke en Den gode idé-proces i Albertslund" in entry.answer, entry.id
    assert "beskriver ikke en Den gode idé-proces i Albertslund" in kb["gode-ide"].answer
    afdelingsmed = kb["albertslund-budget-afdelingsmed"].answer
    assert "skabelon" in afdelingsmed and "KommuneMED" in afdelingsmed


def test_loen_is_not_a_med_matter_and_personalepolitik_is_a_procedure_guideline(kb: KnowledgeBase) -> None:
    """002, "Hvilke sager skal i MED": "MED-udvalgene [kan] ikke behandle personale-sager,
    klagesager og emner, som kommunen skal aftale med den enkelte forhandlingsberettigede
    organisation på et givet område, herunder fx løn, arbejdstid, seniortillæg mv." 002,
    "Procedureretningslinjer": "Der skal aftales retningslinjer for drøftelse af: ... 3.
    Kommunens personalepolitik." The seeds never mention a lønpolitik."""
    cannot = kb["med-kan-ikke"].answer
    for word in ("løn", "arbejdstid", "seniortillæg", "personalesager", "klagesager"):
        assert word in cannot
    assert "nævner ikke en lønpolitik" in cannot
    assert "personalepolitik" in kb["procedureretningslinjer"].answer
    claims = re.compile(r"\b(MED|MED-udvalg\w*)\b[^.\n]{0,30}\b(forhandler|aftaler|fastsætter)\b[^.\n]{0,20}\bløn", re.I)
    for entry in kb:
        assert not claims.search(entry.answer), entry.id
        if "lønpolitik" in entry.answer.casefold():
            assert entry.id == "med-kan-ikke", entry.id


# -- dates belong to their year ----------------------------------------------------------


def test_medsamarbejdet_programme_is_a_plan_for_2024_not_past_events(kb: KnowledgeBase) -> None:
    """001 is "MEDsamarbejdets program 2024" ("Sæt allerede nu kryds i kalenderen ...";
    "Datoer og temaet fastlægges senere"): planned events, so never told as if they
    happened, and always with the year."""
    past = re.compile(r"\b(holdt|afholdtes|blev (holdt|afholdt|tilbudt|gennemgået)|var der)\b", re.I)
    for entry in kb:
        if entry.source.seed == "001" or "MEDsamarbejdet" in entry.answer:
            assert not past.search(entry.answer), (entry.id, past.search(entry.answer))
        if entry.source.seed == "001":
            assert re.search(r"program(met)? for 2024", entry.answer, re.I), entry.id
    assert "planlagde" in kb["medsamarbejdet-program-2024"].title


def test_dated_seeds_say_their_year(kb: KnowledgeBase) -> None:
    """003 is "Referat Direktionen 12. januar 2021"; 004 is "REFERAT AfdelingsMED Økonomi &
    Stab d. 26-08-2025"; 002 names "Den 25. og 26. februar 2026" and "Den 15. og 16.
    september 2025"."""
    for entry in kb:
        if entry.source.seed == "003":
            assert "2021" in entry.answer, entry.id
        if entry.source.seed == "004":
            assert "2025" in entry.answer, entry.id
    assert "26. februar 2026" in kb["grunduddannelse"].answer


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")
def test_dates_and_emails_in_staged_answers_occur_in_the_seeds(kb: KnowledgeBase) -> None:
    """The same guard as test_kb.py's, extended to the staged entries."""
    seeds = " ".join(
        re.sub(r"\s+", " ", path.read_text(encoding="utf-8")) for path in SEEDS_DIR.glob("*.txt")
    ).casefold()
    for entry in kb:
        for email in re.findall(r"[\w.+-]+@[\w-]+\.\w+", entry.answer):
            assert email.casefold() in seeds, (entry.id, email)
        for day, month in re.findall(rf"\b(\d{{1,2}})\. ({MONTHS})\b", entry.answer, re.I):
            assert f"{day}. {month}".casefold() in seeds, (entry.id, day, month)


# -- Task 1: coverage, fact by fact -------------------------------------------------------

# (entry id, phrases its answer must contain, the seed passage)
FACTS = [
    # 004 Albertslund, referat AfdelingsMED Økonomi & Stab 26.08.2025
    ("albertslund-oes-moede-2025", ["26. august 2025", "12:30", "mødelokale 820"],
     "004: Mødedato Tirsdag d. 26. august 2025 kl. 12:30 / Mødested Mødelokale 820"),
    ("albertslund-oes-moede-2025",
     ["Marie Aasøe (afdelingschef for Økonomi & Stab)", "Mette Smith Thastum", "Maria Schwartz Sauer",
      "Birgitte Lund", "Morten Michaelsen", "Lars Kragh Hansen", "Joan Bendiksen",
      "Sofie Lennart Nielsen", "Pernille Løvendahl Carlsen", "referent"],
     "004: Mødedeltagere Marie Aasøe (Afdelingschef for Økonomi & Stab), ... Pernille Løvendahl "
     "Carlsen (Personaleadministrativ konsulent) (referent)"),
    ("albertslund-oes-moede-2025", ["budgetforslag 2026", "eventuelt", "17. juni 2025", "godkendt"],
     "004: Dagsorden for dette møde og referat fra sidste møde den 17. juni 2025 skal godkendes. "
     "Beslutning: Dagsordenen og referatet blev godkendt."),
    ("albertslund-budget-kommunemed", ["kommunaldirektøren", "kommunalbestyrelsen", "KommuneMED"],
     "004: Budgetforslaget indstilles til politisk beslutning i Kommunalbestyrelsen af "
     "Kommunaldirektøren, og derfor skal MED-behandlingen af budgetforslaget foregå i KommuneMED"),
    ("albertslund-budget-afdelingsmed",
     ["25.–26. august 2025", "1. september 2025", "KommuneMED's sekretær", "skabelon", "4. september 2025"],
     "004: møder i alle afdelingsMED den 25.-26. august ... MED-behandlingen, der vil foregå den 1. "
     "september ... videreformidles til KommuneMEDs sekretær ... Budgetkatalog i offentlig høring til "
     "den 4. september"),
    ("albertslund-kontaktudvalg", ["Kontaktudvalget", "Chefforum", "baglandsarbejde"],
     "004: input til egne repræsentanter i KommuneMED via Kontaktudvalget eller Chefforum. Altså som "
     "en del af det almindelige baglandsarbejde."),
    ("albertslund-oes-budgetdroeftelse-2025",
     ["ny form for inddragelse", "forslag 6.1", "forslag 6.4", "forpersonen", "budget 2027"],
     "004: en ny form for inddragelse af MED i budgetprocessen ... forslag 6.1 ... og forslag 6.4 ... "
     "samlet i en tilbagemelding til KommuneMED ... af forpersonen ... for budget 2027 kan starte tidligere"),
    ("albertslund-forslag-6-1-it",
     ["besparelser", "parallelle løsninger", "eksternt firma", "2026", "IT-projektleder", "2027"],
     "004: der forventes besparelser ved at samle budgetterne ... et eksternt firma vil stå for "
     "analysen i 2026 ... fra 2027 forventes ansat en IT-projektleder/-konsulent"),
    ("albertslund-it-centre-arbejdsmiljoe",
     ["AMR", "4–5 fælles IT-centre", "valid bekymring", "TDC", "løbende holde dem informeret"],
     "004: Joan Bendiksen nævnte, at hun som AMR kunne være bekymret for arbejdsmiljøet ... 4-5 fælles "
     "IT-centre. Marie Aasøe syntes, at det var en valid bekymring ... udliciteret til TDC"),
    ("albertslund-oes-eventuelt-2025",
     ["Henrik Harder", "18. august 2025", "udgangen af oktober 2025", "Sekretariatet og HR & Løn"],
     "004: orienteringsmail fra Henrik Harder den 18. august ... frem til udgangen af oktober ... "
     "Henrik Harder i vidt omfang overtage den faglige ledelse af Sekretariatet og HR & Løn"),
    # 003 Jammerbugt, referat Direktionen 12.01.2021
    ("budget-bilag-direktion",
     ["10. februar 2021", "A – Rollefordeling", "B – Drejebog for MED-inddragelse",
      "C – skema til afgivelse af høringssvar", "borgmestermødet"],
     "003: Økonomiudvalget skal den 10. februar behandle den politiske budgetproces for 2022 ... tre "
     "bilag: A - Rollefordeling budget 2022, B - Drejebog for MED-inddragelse og C - skema til "
     "afgivelse af høringssvar ... Det tilrettede materiale fremsendes til borgmestermødet"),
    ("jammerbugt-direktion-januar-2021", ["12. januar 2021", "10:30", "lokale 77", "Gensidig orientering"],
     "003: Direktionen 12. januar 2021 kl. 10:30, Lokale 77, Jammerbugt Rådhus; 5 Gensidig "
     "orientering og eventuelt"),
    ("jammerbugt-direktion-januar-2021", ["Holger", "Hanne", "Michael", "fælles temadag for ForvaltningsMED"],
     "003: Holger orienterede fra møde med HF/VUC og FGU ... Michael orienterede om udsættelse af "
     "fælles temadag for ForvaltningsMED"),
    ("paragraf-17-stk-4-udvalg", ["§ 17, stk. 4", "bruttoliste", "Hanne laver udkast til ramme"],
     "003: Der skal igangsættes proces for oplæg til bruttoliste med nye §17, stk. 4 udvalg ... "
     "Hanne laver udkast til ramme for det videre arbejde"),
    ("talent-nord",
     ["kommunale og regionale ledere", "mentor", "seks faglige moduler", "20 dagsværk", "LEAD",
      "16. april 2021", "30.000–35.000 kr.", "ECTS"],
     "003: Talent Nord-forløbet er for nuværende kommunale og regionale ledere ... seks faglige "
     "moduler ... ca. 20 dagsværk ... firmaet LEAD ... Holdet starter den 16. april 2021 ... Et "
     "forløb koster ca. 30.000 – 35.000 kr."),
    ("talent-nord-udvaelgelse",
     ["nærmeste leder, der indstiller", "afklaringssamtale", "26. januar 2021", "Lenette Sørensen",
      "Den enkelte direktør"],
     "003: det er nærmeste leder, der indstiller kandidater til forløbet ... afklaringssamtale ... "
     "senest d. 26. januar 2021 ... HR-konsulent Lenette Sørensen ... Den enkelte direktør udpeger "
     "deltagere fra eget område"),
    # 001 MEDsamarbejdets program 2024
    ("temadage-februar-2024", ["1. februar", "7. februar", "Odense"], "001: 1. februar Odense; 7. februar Odense"),
    ("naestformandsmoeder-2024",
     ["3. april 2024", "4. april 2024", "1. oktober 2024", "2. oktober 2024", "op til tre"],
     "001: Næstformandsmøder 3. april København, 4. april Fredericia ... 1. oktober Ballerup, 2. "
     "oktober Brabrand ... op til tre medarbejderrepræsentanter"),
    ("kernen-i-med", ["22. april 2024", "23. april 2024", "27. august 2024", "28. august 2024"],
     "001: Kernen i MED - for kommunerne 22. april Ballerup, 23. april Silkeborg; for regionerne "
     "27. august Ballerup, 28. august Brabrand"),
    ("hoering", ["24. maj 2024", "forvaltningsloven"],
     "001: Hvorfor giver høring mindre indflydelse i MED? 24. maj Webinar ... Forvaltningsloven"),
    ("forhandling-lokal-med-aftale", ["28. maj 2024", "29. maj 2024", "11. juni 2024", "13. september 2024"],
     "001: Forhandling af den lokale MED-aftale 28. maj København, 29. maj Brabrand; Workshop 11. "
     "juni Odense; webinar 13. september"),
    ("medstruktur-tilpasning", ["13. september 2024", "kompetence har MED-hovedudvalget"],
     "001: MED-hovedudvalgets muligheder for at tilpasse den lokale MED-aftale 13. september Webinar"),
    ("oekonomiaftaler-2024", ["medio juni", "KL og Danske Regioner"],
     "001: Økonomiaftalerne for kommuner og regioner, Medio juni (dato m.v. fastlægges senere)"),
    ("budgetkonsultationer-2024", ["marts/september 2024", "25 kommuner og regioner", "budgettet for 2025"],
     "001: Marts/september Budgetkonsultationer ... budgettet for 2025 ... 25 kommuner og regioner"),
    ("med-konferencer-2024", ["november 2024", "Storebælt", "deltagerpris"],
     "001: MED-konferencer 2024 ... øst og vest for Storebælt ... Til MED-konferencen opkræves der "
     "en deltagerpris"),
    ("webinarer-budget-2024", ["5. januar 2024", "12. april 2024", "30. august 2024", "1. november 2024", "1½ time"],
     "001: Budgetprocessen i MED - 5. januar; ... - 12. april; ... - 30. august; ... - 1. november. "
     "Hvert webinar varer 1½ time."),
    ("deltagelse-udgifter", ["35–45", "tjenestefri uden løntræk", "godtgørelse for løntræk"],
     "001: Deltagerantallet på temadagene er typisk begrænset til 35-45 ... Der søges om tjenestefri "
     "uden løntræk. MEDsamarbejdet yder ikke godtgørelse for løntræk."),
    ("medsamarbejdet", ["kontakt@MEDsamarbejdet.dk", "skni@foa.dk", "sj@fysio.dk"],
     "001: kontakt@MEDsamarbejdet.dk; Sanne Kjærgaard Nikolajsen, FOA, skni@foa.dk; ... Sannie "
     "Jørgensen, Akademikerne, sj@fysio.dk"),
    # 002 Albertslund, MED-grunduddannelsen
    ("grunduddannelse", ["Jette Fuglsang Vangsgaard", "Joan Bendiksen", "26. februar 2026"],
     "002: Undervisere: Jette Fuglsang Vangsgaard og Joan Bendiksen / Den 25. og 26. februar 2026"),
    ("stress-vold-mobning", ["vold på arbejdspladsen", "ikke et facit", "kræver enighed"],
     "002, Opfølgning på tema Retningslinjer: En leder i et MED-udvalg fortæller, at ledelsen vil "
     "træffe beslutning om, hvordan man skal håndtere tilfælde af vold på arbejdspladsen."),
    ("tavshedspligt", ["forvaltningslovens § 27"],
     "002: Undtagelsen fra hovedreglen er tavshedspligt efter forvaltningslovens §27"),
    ("ledelsens-saerlige-pligt", ["§ 8, stk. 4", "§ 8, stk. 5", "§ 8, stk. 6"],
     "002: § 8, stk. 4, nr. 3 ... § 8, stk. 5 ... § 8, stk. 6"),
    ("med-niveauer", ["AMO", "MED-organisationen"],
     "002: MED organisationen i Albertslund Kommune / AMO i Albertslund Kommune"),
    ("bagland", ["10. januar", "pause"],
     "002, Øvelse: Inddragelse af bagland: én af gangen der må holde pause ... senest den 10. januar"),
    # 000 Jammerbugt, drejebog budget 2024
    ("budget-forberedelse", ["dialogmøde", "maj eller juni"],
     "000: I arbejdet med budget 2024 skal der sikres et dialogmøde mellem det politiske niveau og "
     "MED-systemet. Dette er planlagt til at finde sted i enten maj eller juni."),
    ("gode-ide-proces", ["Økonomiudvalget i juni", "idébank"],
     "000: I HovedMED vælger forslag, som skal præsenteres for Økonomiudvalget i juni ... eller de kan "
     "gemmes i en idébank."),
    ("budget-beslutning", ["Efter 2. behandling", "orienteringsmøde"],
     "000: Efter 2. behandlingen afholdes orienteringsmøde omkring det godkendte budget"),
    ("budget-fokuspunkter", ["præget af", "tillid og åbenhed", "den bundne opgave"],
     "000: HovedMED har tidligere aftalt, at MED-involveringen i budgetfaserne skal være præget af"),
]


@pytest.mark.parametrize(("entry_id", "phrases", "seed_passage"), FACTS, ids=[f[0] for f in FACTS])
def test_seed_fact_is_answerable(kb: KnowledgeBase, entry_id: str, phrases: list[str], seed_passage: str) -> None:
    assert entry_id in kb, f"missing entry for: {seed_passage}"
    answer = kb[entry_id].answer
    missing = [phrase for phrase in phrases if phrase not in answer]
    assert not missing, f"{entry_id} lacks {missing} (seed: {seed_passage})"


# -- the staged entries are ready to switch on --------------------------------------------


def test_staged_entries_follow_the_content_rules(kb: KnowledgeBase, live: KnowledgeBase) -> None:
    """The same shape rules as test_kb.py's test_size_and_shape and question uniqueness."""
    for entry in kb:
        if entry.id in live:
            continue
        assert entry.title.endswith("?"), entry.id
        assert 5 <= len(entry.questions) <= 12, entry.id
        assert 2 <= len(entry.related) <= 4, entry.id
        assert entry.keywords, entry.id
        assert 40 <= len(entry.answer) <= 1500, (entry.id, len(entry.answer))
        assert entry.municipality and entry.municipality in entry.answer, entry.id
    seen: dict[str, str] = {}
    for entry in kb:
        for text in (entry.title, *entry.questions):
            key = text.casefold().rstrip("?")
            assert seen.setdefault(key, entry.id) == entry.id, f"{text!r}: {seen[key]} and {entry.id}"


def test_search_still_works_with_the_staged_entries(kb: KnowledgeBase, live: KnowledgeBase) -> None:
    """With the staged entries switched on, every entry still answers its own phrasings and
    the calibration table (tests/data/questions.tsv) scores no worse than without them."""
    synonyms = Synonyms.load()
    full, base = Searcher(kb, synonyms), Searcher(live, synonyms)
    wrong = [
        (entry.id, text)
        for entry in kb
        if entry.id not in live
        for text in (entry.title, *entry.questions)
        if (result := full.search(text)).entry is None or result.entry.id != entry.id
    ]
    assert not wrong
    rows = [
        line.split("\t")
        for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith("question\t")
    ]

    def score(searcher: Searcher) -> tuple[int, int]:
        right = off_ok = 0
        for question, expected in rows:
            result = searcher.search(question)
            if expected == "-":
                off_ok += result.fallback
            else:
                right += result.entry is not None and result.entry.id == expected
        return right, off_ok

    assert score(full) >= score(base)
