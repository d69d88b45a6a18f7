"""Fuzzy search over the MED knowledge base.

The accuracy test reads tests/data/questions.tsv: questions written the way staff type
them (typos, ae/oe/aa, fragments, English), with the expected entry or "-" for
off-topic. It must answer >= 95 % of the in-domain questions with the right entry and
fall back on every off-topic one; on failure it prints the figures and the failing rows.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from knowledge.kb import KnowledgeBase
from knowledge.normalize import fold, stem
from knowledge.search import (
    ANSWER_THRESHOLD,
    MAX_SUGGESTIONS,
    SUGGEST_THRESHOLD,
    Analyzer,
    Searcher,
    SearchResult,
    SynonymError,
    Synonyms,
)

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions.tsv"
IN_DOMAIN_TARGET = 0.95


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def searcher(kb: KnowledgeBase) -> Searcher:
    return Searcher(kb, Synonyms.load())


def load_questions() -> list[tuple[str, str]]:
    rows = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("question\t"):
            continue
        question, expected = line.split("\t")
        rows.append((question, expected))
    return rows


# -- the calibration set ---------------------------------------------------------------


def test_question_file_is_big_enough_and_refers_to_real_entries(kb: KnowledgeBase) -> None:
    rows = load_questions()
    in_domain = [e for _, e in rows if e != "-"]
    assert len(in_domain) >= 120
    assert len(rows) - len(in_domain) >= 25
    assert not [e for e in in_domain if e not in kb]
    assert len({q for q, _ in rows}) == len(rows), "duplicate questions"


def test_accuracy_on_staff_questions(searcher: Searcher) -> None:
    rows = load_questions()
    misses: list[str] = []
    off_failures: list[str] = []
    right = total = off_right = off_total = 0
    for question, expected in rows:
        result = searcher.search(question)
        got = result.entry.id if result.entry else "-"
        if expected == "-":
            off_total += 1
            if result.fallback:
                off_right += 1
            else:
                off_failures.append(f"  {question!r}: answered {got} (score {result.score})")
        else:
            total += 1
            if got == expected:
                right += 1
            else:
                top = [(e.id, round(s, 1)) for e, s in searcher.rank(question, 3)]
                misses.append(f"  {question!r}: expected {expected}, got {got}; top {top}")
    report = (
        f"in-domain {right}/{total} = {100 * right / total:.1f}% (need >= {100 * IN_DOMAIN_TARGET:.0f}%), "
        f"off-topic fallback {off_right}/{off_total}\n"
        + "in-domain misses:\n" + "\n".join(misses or ["  none"]) + "\n"
        + "off-topic answered:\n" + "\n".join(off_failures or ["  none"])
    )
    assert right / total >= IN_DOMAIN_TARGET and off_right == off_total, report


def test_every_entry_answers_its_own_phrasings(kb: KnowledgeBase, searcher: Searcher) -> None:
    failures = []
    for entry in kb:
        for text in (entry.title, *entry.questions):
            result = searcher.search(text)
            if result.entry is None or result.entry.id != entry.id:
                got = result.entry.id if result.entry else None
                failures.append(f"{entry.id}: {text!r} -> {got} ({result.score})")
    assert not failures, "\n".join(failures)


# -- behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("hvad siger MED om løn", "med-kan-ikke"),
        ("AMR", "amr"),
        ("arbejdsmiljørepræsentant", "amr"),
        ("arbejdsmiljoerepraesentant", "amr"),
        ("arbejdsmiljorepresentant", "amr"),
        ("health and safety representative", "amr"),
        ("tavshedspligt", "tavshedspligt"),
        ("confidentiality", "tavshedspligt"),
        ("hvad er trioen", "trio"),
        ("Hvad siger § 21?", "paragraf-21"),
        ("paragraf 21", "paragraf-21"),
    ],
)
def test_synonyms_spellings_and_fragments(searcher: Searcher, question: str, expected: str) -> None:
    result = searcher.search(question)
    assert result.entry is not None and result.entry.id == expected, (question, result)
    assert not result.fallback and result.suggestions == ()


@pytest.mark.parametrize(
    "question",
    [
        "hvad får jeg i løn",
        "hvornår kommer lønnen",
        "jeg har problemer med min løn",
        "hvornår har kantinen åbent",
        "jeg har glemt mit password",
        "hvor kan jeg parkere",
        "hvor mange feriedage har jeg",
        "hvornår er der julefrokost",
        "IT-support",
        "vejret i morgen",
        "hvem er min nærmeste leder",
    ],
)
def test_off_topic_falls_back(searcher: Searcher, question: str) -> None:
    result = searcher.search(question)
    assert result.fallback and result.entry is None, (question, result)
    assert result.score < ANSWER_THRESHOLD


def test_domain_words_matter(searcher: Searcher) -> None:
    # "løn" is a weak word: on its own it never gives an answer, with MED it does
    in_domain = searcher.search("hvad siger MED om løn")
    off_topic = searcher.search("hvad får jeg i løn")
    assert in_domain.entry is not None and off_topic.entry is None
    assert in_domain.score > off_topic.score + 20


@pytest.mark.parametrize("text", ["", "   ", "?!", "hvad er det", "tak for hjælpen"])
def test_nothing_to_search_for(searcher: Searcher, text: str) -> None:
    result = searcher.search(text)
    assert result == SearchResult(entry=None, score=0.0, fallback=True, suggestions=())


def test_near_miss_gives_suggestions(searcher: Searcher) -> None:
    result = searcher.search("kaffe og kage og tavshedspligt i kantinen")
    assert result.fallback and result.entry is None
    assert SUGGEST_THRESHOLD <= result.score < ANSWER_THRESHOLD
    assert 1 <= len(result.suggestions) <= MAX_SUGGESTIONS
    assert result.suggestions[0].id == "tavshedspligt"


def test_suggestions_need_a_domain_word(searcher: Searcher) -> None:
    # weak words alone neither answer nor suggest
    assert searcher.search("hvor ligger toilettet").suggestions == ()
    assert searcher.search("hvad får jeg i løn").suggestions == ()


def test_scores_and_result_shape(searcher: Searcher) -> None:
    for question, _ in load_questions():
        result = searcher.search(question)
        assert 0.0 <= result.score <= 100.0
        assert result.fallback == (result.entry is None)
        assert len(result.suggestions) <= MAX_SUGGESTIONS
        if not result.fallback:
            assert result.score >= ANSWER_THRESHOLD and result.suggestions == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 1.0  # type: ignore[misc]  # the result is frozen: the test checks that this fails


def test_municipality_names_pick_their_own_entries(searcher: Searcher) -> None:
    # KommuneMED (Albertslund) and HovedMED (Jammerbugt) find each other, but the name
    # used in the question decides between near-equal entries
    albertslund = searcher.search("KommuneMED og budgettet")
    jammerbugt = searcher.search("HovedMED og budgettet")
    assert albertslund.entry is not None and albertslund.entry.municipality == "Albertslund"
    assert jammerbugt.entry is not None and jammerbugt.entry.municipality == "Jammerbugt"
    assert searcher.search("hvad laver hovedudvalget").entry is not None


def test_rank_lists_best_first(searcher: Searcher) -> None:
    ranked = searcher.rank("retningslinjer", limit=5)
    assert 1 < len(ranked) <= 5
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_search_many(searcher: Searcher) -> None:
    results = searcher.search_many(["amr", "kantinen"])
    assert results[0].entry is not None and results[1].entry is None


# -- analysis ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(Synonyms.load())


def test_med_the_preposition_is_dropped(analyzer: Analyzer) -> None:
    assert "med" not in analyzer.tokens("jeg har problemer med min løn")
    assert "med" not in analyzer.tokens("kan jeg være med i udvalget")
    assert "med" in analyzer.tokens("hvad siger MED om løn")
    assert "med" in analyzer.tokens("hvad siger med om løn")
    assert "med" in analyzer.tokens("MED??")


def test_synonyms_meet_on_both_sides(analyzer: Analyzer) -> None:
    assert analyzer.tokens("AMR") == analyzer.tokens("arbejdsmiljørepræsentanten") == ["amr"]
    assert analyzer.tokens("health and safety rep") == ["amr"]
    assert analyzer.tokens("MED-udvalget") == analyzer.tokens("med udvalg") == ["medudvalg"]
    assert analyzer.tokens("personalemøde med MED-status") == ["personalemodemedstatus"]
    assert analyzer.tokens("information og drøftelse") == ["medindflydelse"]
    kommune = analyzer.slots("KommuneMED")[0].alternatives
    assert kommune[0] == ("kommunemed", 1.0) and ("hovedmed", 0.9) in kommune


def test_stop_words_do_not_count(analyzer: Analyzer) -> None:
    assert analyzer.tokens("hvad er det egentlig jeg skal gøre") == []
    assert analyzer.tokens("Hvad er en AMR?") == ["amr"]


@pytest.mark.parametrize(
    ("forms", "key"),
    [
        (("udvalg", "udvalget", "udvalgets", "udvalgene"), "udvalg"),
        (("retningslinje", "retningslinjer", "retningslinjerne", "retningslinjen"), "retningslinj"),
        (("budgettet", "budgetter"), "budget"),
        (("idé", "idéer", "idéen"), "ide"),
        (("AMR", "trio", "§21", "2024"), None),
    ],
)
def test_stem_sends_inflections_to_one_key(forms: tuple[str, ...], key: str | None) -> None:
    for form in forms:
        folded = fold(form)
        assert stem(folded) == (key if key is not None else folded), form
    assert len(stem("tre")) == 3  # at least three letters remain


def test_paragraphs_become_tokens(analyzer: Analyzer) -> None:
    assert analyzer.tokens("§ 8, stk. 7") == ["§8", "stk7"]
    assert analyzer.tokens("paragraf 21") == analyzer.tokens("§21") == ["§21"]
    assert analyzer.tokens("bilag C") == ["bilagc"]


# -- construction and lexicon ----------------------------------------------------------


def test_thresholds_are_validated(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError):
        Searcher(kb, Synonyms(), answer_threshold=40, suggest_threshold=50)


def test_works_on_a_small_custom_knowledge_base() -> None:
    kb = KnowledgeBase.from_dicts(
        [
            {
                "id": "trio", "title": "Hvad er en trio?", "questions": ["Hvem er i trioen?"],
                "keywords": ["trio"], "answer": "Leder, AMR og TR.", "related": [],
                "source": {"seed": "002", "section": "Trio"},
            }
        ]
    )
    searcher = Searcher(kb, Synonyms())
    assert searcher.search("trioen").entry is not None
    assert searcher.search("kantine").entry is None


@pytest.mark.parametrize(
    "data",
    [
        {"group": [{"canonical": "to ord", "terms": ["x"]}]},
        {"group": [{"canonical": "x", "terms": []}]},
        {"group": [{"canonical": "x", "terms": ["y"], "mode": "other"}]},
        {"group": [{"canonical": "x", "terms": ["y"], "factor": 2}]},
        {"group": [{"canonical": "x", "terms": ["y"], "also": ["to ord"]}]},
        {"group": [{"canonical": "x", "terms": ["y"], "colour": "red"}]},
        {"stopwords": "hvad"},
        {"unknown": []},
    ],
)
def test_bad_lexicon_raises(data: dict[str, object]) -> None:
    with pytest.raises(SynonymError):
        Synonyms.from_mapping(data)


def test_packaged_lexicon_loads() -> None:
    synonyms = Synonyms.load()
    assert synonyms.groups and synonyms.stopwords and synonyms.weak and synonyms.light


def test_the_pruning_bounds_do_not_change_any_ranking(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recall bound only skips work: with it made useless (1.0), every ranking is the same."""
    texts = [question for question, _ in load_questions()]
    texts += [question for entry in kb for question in entry.questions]
    texts += [word for text in list(texts) for word in text.split()[:2]]  # fragments
    pruned = Searcher(kb)
    tight = [pruned._rank(text, 3) for text in texts]
    loose = Searcher(kb)
    monkeypatch.setattr(loose, "_recall_bound", lambda *_args: 1.0)
    assert [loose._rank(text, 3) for text in texts] == tight
    # and the bound really prunes (or this test would prove nothing)
    assert _phrasing_calls(pruned, texts, monkeypatch) < _phrasing_calls(loose, texts, monkeypatch)


def _phrasing_calls(searcher: Searcher, texts: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    calls = 0
    original = searcher._closest_phrasing

    def counting(*args: object) -> float:
        nonlocal calls
        calls += 1
        return original(*args)  # type: ignore[arg-type]  # the wrapped function's own arguments

    monkeypatch.setattr(searcher, "_closest_phrasing", counting)
    for text in texts:
        searcher._rank(text, 3)
    return calls


def test_a_question_with_a_sentence_about_oneself_is_answered_from_the_question(kb: KnowledgeBase) -> None:
    albertslund = Searcher(kb, Synonyms.load(), org="albertslund")
    whole = albertslund.search("hvad er arbejdspladsMED for noget? er lige startet på plejecentret")
    alone = albertslund.search("hvad er arbejdspladsMED for noget?")
    assert alone.entry is not None and not alone.fallback
    assert whole.entry is not None and whole.entry.id == alone.entry.id and not whole.fallback


def test_an_unanswerable_question_is_not_answered_by_the_sentence_beside_it(searcher: Searcher) -> None:
    result = searcher.search("hvornår holder hovedMED møde i efteråret? vil gerne have vores punkt med")
    assert result.fallback or result.unknown_detail is not None


def test_a_situation_told_in_everyday_words_finds_its_entry() -> None:
    """002: "Hvis en af parterne ikke overholder sin informationsforpligtelse, kan den anden part
    skriftligt bede om, at den overholdes" (§ 21); "Trio'en har ingen formel
    beslutningskompetence"; "Alle har ret og pligt til at sætte emner på dagsordenen"."""
    searcher = Searcher(KnowledgeBase.load(), Synonyms.load(), org="albertslund")
    told = {
        "ledelsen lavede om på hele vagtplanlægningen uden at sige et ord til os først. hvad kan vi gøre nu?": "paragraf-21",
        "vores leder, AMR og TR mødes hver uge og har nu besluttet at vi skal have nye mødetider. kan de bare det?": "trio",
        "jeg vil gerne have at vi snakker om de tunge rengøringsvogne på næste møde, må jeg selv få det sat på?": "dagsorden-ret",
    }
    for text, entry in told.items():
        result = searcher.search(text)
        assert result.entry is not None and result.entry.id == entry and not result.fallback, text
    # A plain question is left to the search.
    assert searcher.search("hvad er en trio").entry.id == "trio"
