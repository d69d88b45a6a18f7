"""BM25 over whole entries (knowledge.search_bm25) and its part in the search score."""

from __future__ import annotations

import pytest

import knowledge.search as search
from knowledge.kb import KnowledgeBase
from knowledge.search import Searcher, Synonyms
from knowledge.search_bm25 import EntryBM25

DOCUMENTS = [
    ["tavshedspligt", "med", "udvalg", "fortrolig"],
    ["budget", "hovedmed", "budget", "okonomiudvalg"],
    ["trio", "amr", "tr", "leder", "uformel"],
    [],
]


def test_scores_are_normalised_per_entry() -> None:
    bm25 = EntryBM25(DOCUMENTS)
    scores = bm25.scores(["budget", "hovedmed"])
    assert len(scores) == len(DOCUMENTS)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[1] > 0.0
    assert scores[0] == scores[2] == scores[3] == 0.0


def test_a_repeated_word_counts_more_but_never_past_one() -> None:
    bm25 = EntryBM25(DOCUMENTS)
    once = bm25.scores(["okonomiudvalg", "budget"])[1]
    assert bm25.scores(["budget", "budget", "budget"])[1] <= 1.0
    assert bm25.scores(["budget"])[1] > bm25.scores(["okonomiudvalg"])[1] * 0.5
    assert 0.0 < once <= 1.0


def test_words_no_entry_uses_lower_the_score() -> None:
    bm25 = EntryBM25(DOCUMENTS)
    plain = bm25.scores(["trio", "uformel"])[2]
    noisy = bm25.scores(["trio", "uformel", "kaffe", "kage"])[2]
    assert 0.0 < noisy < plain


def test_nothing_known_scores_zero() -> None:
    bm25 = EntryBM25(DOCUMENTS)
    assert bm25.scores([]) == [0.0] * len(DOCUMENTS)
    assert bm25.scores(["kantine", "parkering"]) == [0.0] * len(DOCUMENTS)
    assert EntryBM25([]).scores(["budget"]) == []
    assert EntryBM25([[], []]).scores(["budget"]) == [0.0, 0.0]


def test_combine_keeps_the_scale() -> None:
    assert search._combine(1.0, 1.0) == pytest.approx(100.0)
    assert search._combine(0.5, 0.0) == pytest.approx(50.0)
    assert search._combine(0.5, 1.0) > search._combine(0.5, 0.5) > search._combine(0.5, 0.0)
    # grows with the base for any BM25 score (the pruning bounds rely on it)
    assert search._combine(0.6, 1.0) > search._combine(0.5, 1.0)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_bm25_lifts_a_paraphrase_in_the_entrys_own_words(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "skal kollegerne der ikke sidder i udvalget have besked om arbejdet"
    with_bm25 = Searcher(kb, Synonyms.load()).search(question)
    monkeypatch.setattr(search, "_BM25_WEIGHT", 0.0)
    without = Searcher(kb, Synonyms.load()).search(question)
    assert with_bm25.entry is not None and with_bm25.entry.id == "informere-kolleger"
    assert with_bm25.score > without.score


def test_bm25s_logs_at_the_applications_level() -> None:
    # bm25s raises its own logger to DEBUG on import; building an index must not log a
    # debug line through the application's handlers (medbot ask --json writes to stderr)
    import logging

    EntryBM25(DOCUMENTS)
    assert logging.getLogger("bm25s").level == logging.NOTSET
