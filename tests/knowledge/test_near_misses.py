"""Near misses answered tentatively, details the material does not give, dates inside sentences."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from knowledge.dates import find_when
from knowledge.details import Detail, missing_detail
from knowledge.ideas_rules import apply_typo_fix, parse_field_correction
from knowledge.kb import KnowledgeBase
from knowledge.search import ANSWER_THRESHOLD, TENTATIVE_THRESHOLD, Searcher, Synonyms

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(scope="module")
def searcher() -> Searcher:
    return Searcher(KnowledgeBase.load(), Synonyms.load(), org="albertslund")


def test_a_clear_near_miss_with_a_med_word_is_answered_tentatively(searcher: Searcher) -> None:
    result = searcher.search("faar jeg traek i loen hvis jeg tager til en temadag ved medsamarbejdet? skal jeg bruge en feriedag")
    assert result.tentative and not result.fallback
    assert result.entry is not None and result.entry.id == "deltagelse-udgifter"
    assert TENTATIVE_THRESHOLD <= result.score < ANSWER_THRESHOLD
    # two entries about as near: no tentative answer, the user chooses
    close = searcher.search("kan jeg paa en anden maade give input til vores folk i kommunemed om budgettet")
    assert close.fallback and not close.tentative


def test_off_topic_questions_are_never_answered_tentatively(searcher: Searcher) -> None:
    for question in ("hvornår har kantinen åbent", "min computer virker ikke", "hvor er kopimaskinen"):
        result = searcher.search(question)
        assert result.fallback and result.entry is None, question


def test_a_phone_number_or_address_not_in_the_answer_is_a_missing_detail() -> None:
    answer = "Kontaktpersonen for SSB er Christina Ebert (atc@jammerbugt.dk)."
    assert missing_detail("tlf nr til christina ebert?", answer) is Detail.CONTACT
    assert missing_detail("hvad er mailen til christina", answer) is None  # the address is there
    assert missing_detail("hvad er mailen til kommuneMEDs sekretaer", "KommuneMEDs sekretær samler input.") is Detail.CONTACT


def test_a_date_expression_inside_a_sentence_is_taken_whole() -> None:
    now = datetime(2026, 12, 7, 10, 0, tzinfo=CPH)
    found = find_when("og mind mig om foraeldremoede naeste fredag d 18 kl 17", now)
    assert found is not None
    when, rest = found
    assert when.value == datetime(2026, 12, 18, 17, 0, tzinfo=CPH) and "18" not in rest
    found = find_when("mind mig om referatet i morgen tidlig kl 7", now)
    assert found is not None and found[0].value == datetime(2026, 12, 8, 7, 0, tzinfo=CPH)


def test_corrections_of_an_earlier_idea_answer() -> None:
    named = parse_field_correction("glem titlen, den skal hedde digitale dagsordener")
    assert named is not None and (named.field, named.value, named.whole) == ("title", "digitale dagsordener", True)
    starred = parse_field_correction("*kopipapir mente jeg")
    assert starred is not None and (starred.field, starred.value, starred.whole) == (None, "kopipapir", False)
    assert parse_field_correction("vi printer dagsordener til alle møder") is None
    assert parse_field_correction("jeg mente at vi kunne spare på papir") is None
    assert apply_typo_fix("faelles indkob af kopipair", "kopipapir") == "faelles indkob af kopipapir"
    assert apply_typo_fix("faelles indkob af papir", "hjemmepleje") == "faelles indkob af papir"
