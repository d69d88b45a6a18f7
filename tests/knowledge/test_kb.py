"""The curated MED knowledge base: content rules for the real data, and the loader's
validation of bad data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.kb import SEEDS, Entry, KnowledgeBase, KnowledgeBaseError, Source

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MUNICIPALITIES = {"Albertslund", "Jammerbugt"}
MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


# -- the real knowledge base -------------------------------------------------------------


def test_size_and_shape(kb: KnowledgeBase) -> None:
    assert 60 <= len(kb) <= 200
    for entry in kb:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id), entry.id
        assert entry.title.endswith("?"), entry.id
        assert 5 <= len(entry.questions) <= 12, (entry.id, len(entry.questions))
        assert 2 <= len(entry.related) <= 4, (entry.id, entry.related)
        assert entry.id not in entry.related
        assert entry.keywords, entry.id
        assert entry.source.seed in SEEDS and entry.source.section, entry.id
        assert entry.municipality in MUNICIPALITIES | {None}, entry.id
        assert 40 <= len(entry.answer) <= 1500, (entry.id, len(entry.answer))


def test_question_variants_are_unique_across_entries(kb: KnowledgeBase) -> None:
    seen: dict[str, str] = {}
    for entry in kb:
        for text in (entry.title, *entry.questions):
            key = text.casefold().rstrip("?")
            assert seen.setdefault(key, entry.id) == entry.id, f"{text!r}: {seen[key]} and {entry.id}"


def test_municipality_facts_say_which_municipality(kb: KnowledgeBase) -> None:
    for entry in kb:
        if entry.municipality:
            assert entry.municipality in entry.answer, entry.id
        if entry.source.seed in {"000", "003"}:
            assert entry.municipality == "Jammerbugt", entry.id
        if entry.source.seed == "004":
            assert entry.municipality == "Albertslund", entry.id


def test_lokalaftale_paragraphs_are_attributed_to_albertslund(kb: KnowledgeBase) -> None:
    pattern = re.compile(r"(lokalaftale\w*|lokale? MED-aftale)\s*(§|bilag)|§ \d[^.]*lokalaftale", re.I)
    for entry in kb:
        if pattern.search(entry.answer):
            assert "Albertslund" in entry.answer, entry.id


def test_medsamarbejdet_programme_is_marked_2024(kb: KnowledgeBase) -> None:
    for entry in kb:
        if entry.source.seed == "001":
            assert "2024" in entry.answer, entry.id


def test_jammerbugt_contacts_exactly_as_in_the_seed(kb: KnowledgeBase) -> None:
    answer = kb["gode-ide-kontakt"].answer
    for line in (
        "ForvaltningsMED SSB – Christina Ebert (atc@jammerbugt.dk)",
        "ForvaltningsMED BFF – Jette Søgaard Hansen (jsh@jammerbugt.dk)",
        "ForvaltningsMED VUF – Louise Skov Nielsen (lni@jammerbugt.dk)",
        "ForvaltningsMED STABplus og HovedMED – Rikke Krogsgaard Eriksen (rke@jammerbugt.dk)",
    ):
        assert line in answer


def test_required_topics_are_covered(kb: KnowledgeBase) -> None:
    for entry_id in (
        "med-ideen", "med-2-plus-2", "med-vaerdier", "albertslund-formaal", "fire-forhold",
        "med-kan-ikke", "tommelfingerregel", "rette-niveau", "med-niveauer", "leder-rolle",
        "medarbejderrep-rolle", "amr", "formandskab", "trio", "hvem-sidder-i-med",
        "dagsorden-ret", "tavshedspligt", "medindflydelse-medbestemmelse",
        "gensidig-informationspligt", "info-tidspunkt", "ledelsens-saerlige-pligt",
        "paragraf-21", "ikke-i-med", "retningslinje", "retningslinjer-typer",
        "procedureretningslinjer", "kan-retningslinjer", "skal-retningslinjer-kommunemed",
        "skal-retningslinjer-oevrige", "retningslinjer-vaerdier", "den-gode-retningslinje",
        "kommunemed-opgaver", "afdelingsmed-opgaver", "arbejdspladsmed-opgaver",
        "arbejdsmiljoegruppe", "moedekultur", "dagsorden-referat", "rammer-og-vilkaar",
        "gode-ide", "gode-ide-proces", "gode-ide-kontakt", "gode-ide-lokalmed",
        "gode-ide-tilbagemelding", "vaerktoejsbog", "budget-aarshjul", "budget-fokuspunkter",
        "budget-to-faser", "albertslund-budget-kommunemed", "albertslund-budget-afdelingsmed",
        "albertslund-kontaktudvalg", "medsamarbejdet-program-2024", "webinarer-budget-2024",
        "budget-bilag-direktion",
    ):
        assert entry_id in kb, entry_id


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")
def test_seed_files_exist_for_every_seed_id() -> None:
    prefixes = {path.name[:3] for path in SEEDS_DIR.glob("*.txt")}
    assert set(SEEDS) <= prefixes


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")
def test_emails_and_dates_in_answers_occur_in_the_seeds(kb: KnowledgeBase) -> None:
    """A cheap guard against invented facts: every e-mail address and every "N. måned"
    in an answer must occur in the seed documents."""
    seeds = " ".join(
        re.sub(r"\s+", " ", path.read_text(encoding="utf-8")) for path in SEEDS_DIR.glob("*.txt")
    ).casefold()
    for entry in kb:
        for email in re.findall(r"[\w.+-]+@[\w-]+\.\w+", entry.answer):
            assert email.casefold() in seeds, (entry.id, email)
        for day, month in re.findall(rf"\b(\d{{1,2}})\. ({MONTHS})\b", entry.answer, re.I):
            assert f"{day}. {month}".casefold() in seeds, (entry.id, day, month)


def test_get_and_lookup(kb: KnowledgeBase) -> None:
    entry = kb.get("amr")
    assert isinstance(entry, Entry) and entry.title.startswith("Hvad er en AMR")
    assert kb.get("findes-ikke") is None
    assert "amr" in kb and "findes-ikke" not in kb
    assert kb["trio"].source == Source("002", kb["trio"].source.section)
    assert "Albertslund Kommune" in kb["trio"].source.cite()
    with pytest.raises(KeyError):
        kb["findes-ikke"]


# -- loader validation ------------------------------------------------------------------

VALID = '''
[[entry]]
id = "a"
title = "Hvad er A?"
questions = ["Hvad er a?"]
keywords = ["a"]
answer = "A er a."
related = ["b"]
source = { seed = "002", section = "Et afsnit" }

[[entry]]
id = "b"
title = "Hvad er B?"
questions = ["Hvad er b?"]
answer = "B er b."
related = ["a"]
source = { seed = "000", section = "Et andet afsnit" }
municipality = "Jammerbugt"
'''


def write(tmp_path: Path, text: str, name: str = "kb.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_a_valid_directory_and_file(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    kb = KnowledgeBase.load(tmp_path)
    assert [e.id for e in kb] == ["a", "b"]
    assert kb["b"].municipality == "Jammerbugt" and kb["a"].municipality is None
    assert kb["b"].keywords == () and kb["a"].related == ("b",)
    assert len(KnowledgeBase.load(tmp_path / "kb.toml")) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "b"', 'id = "a"'), "duplicate"),
        (('related = ["b"]', 'related = ["c"]'), "unknown related"),
        (('related = ["b"]', 'related = ["a"]'), "itself"),
        (('related = ["b"]', 'related = ["b", "b"]'), "duplicate related"),
        (('answer = "A er a."', 'answer = "   "'), "answer"),
        (('title = "Hvad er A?"', 'title = ""'), "title"),
        (('questions = ["Hvad er a?"]', "questions = []"), "question"),
        (('seed = "002"', 'seed = "009"'), "unknown seed"),
        (('seed = "002"', 'seed = "002 Albertslund"'), "unknown seed"),
        (('section = "Et afsnit"', 'section = ""'), "section"),
        (('source = { seed = "002", section = "Et afsnit" }\n', ""), "missing keys"),
        (('id = "a"', 'id = "Hvad Er A"'), "kebab-case"),
        (('answer = "A er a."', 'anwser = "A er a."'), "unknown keys"),
        (('keywords = ["a"]', 'keywords = "a"'), "list of strings"),
        (('municipality = "Jammerbugt"', "municipality = 7"), "municipality"),
        (("[[entry]]", "[[entry"), "invalid TOML"),
    ],
)
def test_bad_data_raises(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in VALID
    write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(KnowledgeBaseError, match=message):
        KnowledgeBase.load(tmp_path)


def test_entry_must_be_an_array_of_tables(tmp_path: Path) -> None:
    write(tmp_path, 'entry = "oops"\n')
    with pytest.raises(KnowledgeBaseError, match="array of tables"):
        KnowledgeBase.load(tmp_path)
    write(tmp_path, 'entries = []\n')
    with pytest.raises(KnowledgeBaseError, match="unknown top-level"):
        KnowledgeBase.load(tmp_path)


def test_duplicate_ids_across_files_raise(tmp_path: Path) -> None:
    write(tmp_path, VALID, "1.toml")
    write(tmp_path, VALID, "2.toml")
    with pytest.raises(KnowledgeBaseError, match="duplicate"):
        KnowledgeBase.load(tmp_path)


def test_missing_path_and_empty_directory_raise(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="not found"):
        KnowledgeBase.load(tmp_path / "nowhere")
    with pytest.raises(KnowledgeBaseError, match="no"):
        KnowledgeBase.load(tmp_path)


def test_from_dicts_validates_too() -> None:
    item = {
        "id": "x", "title": "X?", "questions": ["x?"], "answer": "x.",
        "source": {"seed": "001", "section": "s"},
    }
    assert len(KnowledgeBase.from_dicts([item])) == 1
    with pytest.raises(KnowledgeBaseError, match="unknown seed"):
        KnowledgeBase.from_dicts([{**item, "source": {"seed": "1", "section": "s"}}])
