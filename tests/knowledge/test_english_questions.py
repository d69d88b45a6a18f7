"""Questions in English: the words around the question weigh nothing, English words find the
Danish ones, and an amount the material does not give is said to be missing."""

from __future__ import annotations

from datetime import date

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


def test_details_the_material_does_not_give() -> None:
    """A chair's name, a document's content, what was decided, the next course after the last
    date, and a question about one municipality answered from the other's material."""
    assert missing_detail("kommunemed hvem er formand", "Formanden er en leder.") is Detail.PERSON
    assert missing_detail("hvilke skemaer er der i værktøjsbogen", "Værktøjsbogen har skemaer.") is Detail.DOCUMENT
    assert missing_detail("hvad står der i vores retningslinje om vold", "KommuneMED aftaler dem.") is Detail.DOCUMENT
    assert missing_detail("blev forslaget om ledelsesspænd godkendt af kommuneMED", "Forslaget blev drøftet.") is Detail.OUTCOME
    assert missing_detail(
        "hvornår er næste hold på grunduddannelsen", "Kurset holdes 25.-26. februar 2026.", date(2026, 12, 7)
    ) is Detail.DATE
    assert missing_detail("hvem er kontaktperson i albertslund", "Rikke Krogsgaard Eriksen (rke@jammerbugt.dk)", None, "Jammerbugt") is Detail.MUNICIPALITY
    assert missing_detail("hvem er kontaktperson i jammerbugt", "Rikke Krogsgaard Eriksen (rke@jammerbugt.dk)", None, "Jammerbugt") is None
