"""Questions in English: the words around the question weigh nothing, English words find the
Danish ones, and an amount the material does not give is said to be missing."""

from __future__ import annotations

import pytest

from knowledge.details import Detail, missing_detail
from knowledge.kb import KnowledgeBase
from knowledge.search import Searcher, Synonyms


@pytest.fixture(scope="module")
def jammerbugt() -> Searcher:
    return Searcher(KnowledgeBase.load(), Synonyms.load(), org="jammerbugt")


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("sorry my danish is not great - who should I email my idea to in VUF?", "gode-ide-kontakt"),
        ("Talent Nord: roughly how many work days does the participant need to set aside", "talent-nord"),
        ("medbestemmelse and medindflydelse, what is actually the difference", "medindflydelse-medbestemmelse"),
        ("will I be compensated if my pay is docked when I attend a MEDsamarbejdet theme day", "deltagelse-udgifter"),
    ],
)
def test_english_questions_find_the_danish_entry(jammerbugt: Searcher, question: str, entry_id: str) -> None:
    result = jammerbugt.search(question)
    assert not result.fallback and result.entry is not None and result.entry.id == entry_id, question


def test_a_fee_without_its_amount_is_a_missing_detail() -> None:
    answer = "Til MED-konferencen opkræves der en deltagerpris."
    assert missing_detail("how much does it cost to go to the conference", answer) is Detail.AMOUNT
    assert missing_detail("hvad koster konferencen", "Deltagerprisen er 1.200 kr.") is None
    assert missing_detail("hvor stor var omstillingspuljen i 2022", "Direktionen drøftede omstillingspuljen.") is Detail.AMOUNT
