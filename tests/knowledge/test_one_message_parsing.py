"""Requests written in one message: an idea with its fields, a question marked as one, a
reminder named by its text."""

from __future__ import annotations

import pytest

from knowledge.ideas_rules import IdeaStart, split_idea_message
from knowledge.intents import Intent, cancels_first, classify
from knowledge.reminder_text import DeleteCommand, parse_manage_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ny ide: faelles indkob af papir. vi betaler for meget. det hoerer til ssb",
            IdeaStart("faelles indkob af papir", "vi betaler for meget.", "ssb"),
        ),
        ("jeg har en idé til budgettet – færre biler", IdeaStart("færre biler")),
        ("Forslag: genbrug af møbler. område: BFF", IdeaStart("genbrug af møbler", "", "bff")),
        ("ny idé", None),
        ("jeg har en idé til budgettet", None),
    ],
)
def test_an_idea_is_split_into_its_fields(text: str, expected: IdeaStart | None) -> None:
    assert split_idea_message(text) == expected


def test_a_marked_question_is_classified_without_its_mark() -> None:
    marked = classify("lige et spm: hvilket med udvalg skal behandle at direktoren vil spare")
    assert marked.marked and marked.intent is Intent.CASE_LEVEL and marked.rest.startswith("hvilket")
    assert classify("Et spørgsmål: hvornår mødes hovedmed?").rest == "hvornår mødes hovedmed?"
    assert not classify("hvad er et spm").marked
    assert cancels_first("glem det, andet spm: hvad er apv") and not cancels_first("andet spm: hvad er apv")


@pytest.mark.parametrize("text", ["nej glem det", "glem det bare", "drop det"])
def test_forget_it_cancels(text: str) -> None:
    assert classify(text).intent is Intent.CANCEL


def test_a_leaders_budget_proposal_is_a_case_but_the_users_own_is_an_idea() -> None:
    assert classify("kommunaldirektøren vil indstille budgetforslag om færre ledere").intent is not Intent.IDEA_NEW
    assert classify("jeg har et budgetforslag").intent is Intent.IDEA_NEW
    assert classify("vil gerne foreslaa noget til budgettet").intent is Intent.IDEA_NEW


def test_hearing_about_deadlines_is_a_subscription() -> None:
    assert classify("kan jeg faa besked naar der er budgetfrister").intent is Intent.SUBSCRIBE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slet apv", DeleteCommand(None, about="apv")),
        ("slet alle mine paamindelser", DeleteCommand(None, every=True)),
        ("slet min idé", None),
        ("slet mine data", None),
    ],
)
def test_a_reminder_is_deleted_by_a_word_of_its_text(text: str, expected: DeleteCommand | None) -> None:
    assert parse_manage_command(text) == expected
