"""UnansweredLog: questions the bot could not answer, for the editors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.clock import FakeClock, NaiveDatetimeError
from bot.storage.db import Database
from bot.storage.unanswered import UnansweredLog, UnansweredQuestion


@pytest.fixture
def log(database: Database, clock: FakeClock) -> UnansweredLog:
    return UnansweredLog(database, clock)


async def test_add_and_list(log: UnansweredLog, clock: FakeClock) -> None:
    question_id = await log.add("Hvem er formand for HovedMED?", 0.42, ["med-hovedudvalg", "formand"], "msteams")
    [question] = await log.list()
    assert question == UnansweredQuestion(
        id=question_id,
        text="Hvem er formand for HovedMED?",
        score=question.score,
        suggestions=("med-hovedudvalg", "formand"),
        channel_id="msteams",
        asked_at=clock.now(),
        handled=False,
    )
    assert question.score == pytest.approx(0.42)
    assert question.asked_at.tzinfo is not None
    assert question.asked_at.utcoffset() == timedelta(0)


async def test_text_is_cut_to_500_characters(log: UnansweredLog) -> None:
    await log.add("æ" * 1200, 0.1, [], "slack")
    [question] = await log.list()
    assert question.text == "æ" * 500
    assert question.suggestions == ()


async def test_newest_first_limit_and_handled(log: UnansweredLog, clock: FakeClock) -> None:
    ids = []
    for n in range(5):
        ids.append(await log.add(f"spørgsmål {n}", 0.1 * n, [], "msteams"))
        clock.advance(timedelta(minutes=1))
    assert [q.id for q in await log.list()] == list(reversed(ids))
    assert [q.id for q in await log.list(limit=2)] == [ids[4], ids[3]]

    assert await log.mark_handled(ids[4]) is True
    assert await log.mark_handled(9999) is False
    assert ids[4] not in [q.id for q in await log.list()]
    everything = await log.list(include_handled=True)
    assert [q.id for q in everything] == list(reversed(ids))
    assert next(q for q in everything if q.id == ids[4]).handled is True


async def test_erase_older_than(log: UnansweredLog, clock: FakeClock) -> None:
    old = await log.add("gammelt", 0.2, [], "msteams")
    await log.mark_handled(old)
    clock.advance(timedelta(days=40))
    new = await log.add("nyt", 0.2, [], "msteams")
    erased = await log.erase_older_than(clock.now() - timedelta(days=30))
    assert erased == 1
    assert [q.id for q in await log.list(include_handled=True)] == [new]
    # a cutoff in another time zone means the same instant
    cph = clock.now().astimezone(timezone(timedelta(hours=1)))
    assert await log.erase_older_than(cph) == 0
    assert await log.erase_older_than(clock.now() + timedelta(seconds=1)) == 1


async def test_naive_datetimes_are_refused(log: UnansweredLog) -> None:
    with pytest.raises(NaiveDatetimeError):
        await log.erase_older_than(datetime(2025, 1, 1))  # noqa: DTZ001
