"""Reading an answer for each kind of prompt (dialogs/answers.py, dialogs/prompts.py)."""

from datetime import UTC, datetime

import pytest

from dialogs.answers import Reading, describes_case, read_answer, read_decider
from dialogs.prompts import Expect, Expectation

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("lederen", Reading.ANSWER),
        ("2", Reading.ANSWER),
        ("det gør afdelingschefen vist", Reading.ANSWER),
        ("Leder af arbejdspladsen", Reading.ANSWER),
        ("ved ikke", Reading.ANSWER),
        ("jeg tror det er min naermeste leder", Reading.ANSWER),
        ("vores leder vil aendre modetiderne i bornehaven", Reading.NEW_CASE),
        ("det er lederen af bornehaven der vil aendre det", Reading.ANSWER),
        ("banan", Reading.NO),
        ("?", Reading.NO),
        ("hvad er en amr?", Reading.NO),
    ],
)
def test_read_decider(text: str, reading: Reading) -> None:
    assert read_decider(text) is reading


def test_describes_case() -> None:
    assert describes_case("nye aabningstider i borgerservice")
    assert not describes_case("banan")


@pytest.mark.parametrize(
    ("text", "command", "reading"),
    [
        ("fredag kl 13", False, Reading.ANSWER),
        ("i gaar", False, Reading.ANSWER),  # a time, though past: the dialog explains
        ("kl 25", False, Reading.ANSWER),  # a time, though impossible
        ("modet er i morgen kl 9", False, Reading.ANSWER),
        ("flyt 1 til fredag kl 13", True, Reading.NO),  # a command, not a time
        ("hvad er en amr?", False, Reading.NO),
        ("blaabaergrod", False, Reading.NO),
    ],
)
def test_read_time(text: str, command: bool, reading: Reading) -> None:
    assert read_answer(Expectation(expects=Expect.TIME), text, NOW, command=command) is reading


def test_yes_no_or_text() -> None:
    expectation = Expectation(expects=Expect.YES_NO_OR_TEXT)
    for text in ("ja", "nej", "spring over", "ingen", "-"):
        assert read_answer(expectation, text, NOW) is Reading.ANSWER
    assert read_answer(expectation, "Mindre spild", NOW) is Reading.NO  # the router takes it as the text


def test_choice_by_number_title_alias_and_typo() -> None:
    expectation = Expectation(
        expects=Expect.CHOICE,
        choices=(("ForvaltningsMED BFF", "bff"), ("STABplus", "stabplus")),
        aliases={"born og familie": "bff"},
    )
    assert expectation.choice_for("1") == "bff"
    assert expectation.choice_for("stab plus") == "stabplus"
    assert expectation.choice_for("Born og familie") == "bff"
    assert expectation.choice_for("forvaltnigsmed bff") == "bff"
    assert expectation.choice_for("teknik") is None


def test_the_expectation_survives_the_dialog_state() -> None:
    expectation = Expectation(expects=Expect.DECIDER, choices=(("A", "a"),), state="case_level.decider", set_aside="x")
    assert Expectation.from_data(expectation.to_data()) == expectation


def test_the_list_takes_commands_and_done_words() -> None:
    expectation = Expectation(expects=Expect.COMMAND)
    for text in ("slet 1", "udsaet 1 1 time", "flyt 2 til fredag kl 10", "faerdig", "tak"):
        assert read_answer(expectation, text, NOW) is Reading.ANSWER
    assert read_answer(expectation, "hvad er en trio?", NOW) is Reading.NO
