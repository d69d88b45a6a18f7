"""A question for a specific fact the best entry does not give (knowledge.details)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.details import Detail, missing_detail, uncovered_topic

TODAY = date(2026, 12, 7)
GENERAL = "Formanden for MED-udvalget er en leder, og næstformanden er valgt blandt medarbejderne."
DREJEBOG = "Drejebogen for budget 2024 beskriver en offentlig høring i august 2024."
MEETING = "Mødet var tirsdag 26. august 2025 kl. 12.30 i mødelokale 820. Deltog: Marie Aasøe (afdelingschef)."
CONFERENCE = "Programmet for 2024 nævner to MED-konferencer; til konferencen opkræves der en deltagerpris."


@pytest.mark.parametrize(
    ("question", "answer", "detail"),
    [
        ("hvem er formand for hovedMED i jammerbugt lige nu?", GENERAL, Detail.PERSON),
        ("hvilken dato starter høringen af budget 2027", DREJEBOG, Detail.DATE),
        ("hvornaar er naeste moede i afdelingsMED", MEETING, Detail.DATE),
        ("hvad er deltagerprisen for konferencen", CONFERENCE, Detail.AMOUNT),
        ("min kone arbejder i aalborg kommune, hvordan er deres MED bygget op", GENERAL, Detail.PLACE),
        ("hvad besluttede kommunemed så på mødet", MEETING, Detail.OUTCOME),
        ("hvad stod der i oes meds tilbagemelding til kommunemed", MEETING, Detail.DOCUMENT),
        ("hvor mange medlemmer sidder der i hovedmed", GENERAL, Detail.COUNT),
        ("how many days is the course", CONFERENCE, Detail.COUNT),
        ("who is the vice chair of HovedMED in Jammerbugt?", GENERAL, Detail.PERSON),
    ],
)
def test_a_detail_the_answer_does_not_give(question: str, answer: str, detail: Detail) -> None:
    assert missing_detail(question, answer, TODAY) is detail


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("hvem er formand i et MED-udvalg", GENERAL),  # the role in general, not who it is now
        ("hvornår er høringen", DREJEBOG),  # no year asked: the answer says its year
        ("hvornår var mødet i ØS MED i august", MEETING),
        ("hvem deltog i mødet", MEETING),
        ("hvor mange konferencer er der", CONFERENCE),  # "to MED-konferencer" counts them
        ("hvad koster det at deltage", "Mødeudgifterne afholdes af MEDsamarbejdet."),
    ],
)
def test_questions_the_answer_does_answer(question: str, answer: str) -> None:
    assert missing_detail(question, answer, TODAY) is None


def test_an_address_the_answer_does_not_give_is_not_known() -> None:
    answer = "MED-grunduddannelsen holdes 25.–26. februar 2026. Underviserne er Jette Fuglsang Vangsgaard og Joan Bendiksen."
    assert missing_detail("hvor foregår med grunduddannelsen, hvilken adresse", answer, TODAY) is Detail.ADDRESS
    assert missing_detail("hvilken adresse", "Mødet holdes på Toftevej 43.", TODAY) is None


def test_a_time_and_a_room_are_not_a_number_of_meetings() -> None:
    answer = "AfdelingsMED Økonomi & Stab holdt møde tirsdag den 26. august 2025 kl. 12:30 i mødelokale 820."
    assert missing_detail("hvor mange møder om året skal et afdelingsMED holde", answer, TODAY) is Detail.COUNT
    assert missing_detail("hvor mange møder holder de", "Udvalget holder fire møder om året.", TODAY) is None


def test_an_election_is_a_topic_only_an_answer_about_elections_covers() -> None:
    assert uncovered_topic("hvornår er der valg til lokalMED", "Økonomiudvalget vælger, hvilke forslag der arbejdes videre med.")
    assert not uncovered_topic("hvordan bliver næstformanden valgt", "Næstformanden er valgt blandt medarbejderne.")
    assert not uncovered_topic("hvem er formand", "Formanden er en leder.")


def test_who_becomes_the_new_post_holder_needs_a_name_next_to_the_post() -> None:
    answer = (
        "På mødet oplyste Marie Aasøe og Mette Thastum om forslaget.\n"
        "• Fra 2027 forventes der ansat en IT-projektleder med fokus på IT-strategi."
    )
    assert missing_detail("who will be the new IT project manager that is hired in 2027?", answer) is Detail.PERSON
    assert missing_detail("hvem bliver den nye IT-projektleder", answer) is Detail.PERSON
    named = "Fra 2027 er Hanne Holm ansat som ny IT-projektleder."
    assert missing_detail("hvem bliver den nye IT-projektleder", named) is None
