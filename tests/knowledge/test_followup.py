"""Short follow-ups that swap the name in the question before (»og HovedMED?«)."""

from __future__ import annotations

import pytest

from knowledge.followup import follow_up_question

NAMES = ("HovedMED", "ForvaltningsMED", "SSB", "BFF", "VUF", "Jammerbugt", "Albertslund")


@pytest.mark.parametrize(
    ("previous", "text", "expected"),
    [
        ("hvem er kontaktperson for VUF", "og HovedMED?", "hvem er kontaktperson for hovedmed"),
        ("hvem er kontaktperson for VUF", "hvad med bff", "hvem er kontaktperson for bff"),
        ("hvad er en AMR", "og TR?", "hvad er en tr"),
        ("hvem vælger næstformanden", "and formanden?", "hvem valger formanden"),
    ],
)
def test_a_bare_name_swaps_the_name_of_the_question_before(previous: str, text: str, expected: str) -> None:
    assert follow_up_question(previous, text, NAMES) == expected


@pytest.mark.parametrize(
    ("previous", "text"),
    [
        ("hvem er kontaktperson for VUF", "hvem så?"),  # refers to nothing named
        ("hvad er MED", "og HovedMED?"),  # nothing to swap in the question before
        ("hvem er kontaktperson for VUF", "og VUF?"),  # the same name
        ("hvem er kontaktperson for VUF", "og hvad gør jeg så med min idé om kantinen"),  # a question of its own
    ],
)
def test_anything_else_is_no_follow_up(previous: str, text: str) -> None:
    assert follow_up_question(previous, text, NAMES) is None


def test_a_municipality_in_a_follow_up_asks_the_question_again_about_it() -> None:
    names = ["Jammerbugt", "HovedMED", "ForvaltningsMED", "SSB", "VUF"]
    assert follow_up_question("hvad er den gode ide", "er det ogsaa saadan i albertslund?", names) == "hvad er den gode ide i albertslund"
    assert follow_up_question("hvad er den gode ide i jammerbugt", "og i albertslund?", names) == "hvad er den gode ide i albertslund"
    assert follow_up_question("hvad er den gode ide", "gælder det også i Jammerbugt?", names) == "hvad er den gode ide i jammerbugt"
    assert follow_up_question("hvad er den gode ide", "og i aarhus?", names) is None  # no municipality the bot knows


def test_two_names_in_a_follow_up_are_asked_about_together() -> None:
    names = ["HovedMED", "ForvaltningsMED SSB", "STABplus", "SSB"]
    asked = follow_up_question("hvem er kontaktperson for forvaltningsMED SSB", "og for stabplus og hovedMED?", names)
    assert asked == "hvem er kontaktperson for stabplus og hovedmed"


def test_a_municipality_follow_up_after_a_question_about_a_committee_adds_the_place() -> None:
    names = ["Jammerbugt", "HovedMED", "VUF"]
    assert follow_up_question("hvem er kontaktperson for VUF", "og i albertslund?", names) == "hvem er kontaktperson for vuf i albertslund"
