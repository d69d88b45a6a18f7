"""The »hvilket MED-udvalg« dialog, through the whole bot, each path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from botbuilder.core import ConversationState
from botbuilder.testing import DialogTestClient

from bot.storage.db import Database
from bot.storage.state import SqlStorage
from dialogs import texts
from dialogs.case_level import CaseLevelDialog, case_words
from knowledge.profiles import load_profile
from tests.harness.chat import ChatHarness, reply_text

ANSWERED = "hører sagen hjemme i"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[ChatHarness]:
    harness = await ChatHarness(tmp_path).start()
    yield harness
    await harness.stop()


async def test_case_with_decider_in_the_text_is_answered_at_once(bot: ChatHarness) -> None:
    reply = await bot.say("hvilket udvalg skal behandle det, når lederen af plejecentret vil ændre vagtplanen fremover?")
    assert "ArbejdspladsMED" in reply and ANSWERED in reply
    assert texts.LEVEL_QUESTION not in reply
    assert texts.LEVEL_MODE_EXPLANATIONS["medindflydelse"].split(":")[0] in reply


async def test_trigger_alone_asks_for_the_case_then_for_the_decider(bot: ChatHarness) -> None:
    assert texts.LEVEL_ASK_FOR_CASE in await bot.say("hvilket udvalg")
    reply = await bot.say("Vi skal have ny ferieplanlægning i afdelingen")
    assert texts.LEVEL_QUESTION in reply
    assert bot.buttons()[: len(texts.LEVEL_DECIDER_CHOICES)] == list(texts.LEVEL_DECIDER_CHOICES)
    reply = await bot.say("2")
    assert "AfdelingsMED" in reply and ANSWERED in reply


async def test_decider_from_a_card_click(bot: ChatHarness) -> None:
    await bot.say("hvor skal sagen behandles: vi skal flytte hele afdelingen til rådhuset")
    reply = await bot.say(value=bot.button_data("Direktør/kommunaldirektør"))
    assert "KommuneMED" in reply and ANSWERED in reply


async def test_ved_ikke_gets_guidance_not_a_guess(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg: vi skal have et nyt IT-system")
    reply = await bot.say("ved ikke")
    assert texts.LEVEL_UNKNOWN_GUIDANCE in reply
    assert ANSWERED not in reply
    for name in ("ArbejdspladsMED", "AfdelingsMED", "KommuneMED"):
        assert name in reply  # the ladder: which level follows which decider


async def test_not_med_case_says_so_and_where_to_go(bot: ChatHarness) -> None:
    reply = await bot.say("hvilket udvalg skal behandle min kollegas advarsel?")
    assert texts.LEVEL_NOT_MED_HEADLINE in reply
    assert ANSWERED not in reply


async def test_unclear_decider_answer_is_asked_again(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg: ny ferieplanlægning i afdelingen")
    assert texts.LEVEL_DECIDER_NOT_UNDERSTOOD in await bot.say("banan")
    assert "ArbejdspladsMED" in await bot.say("1")


async def test_help_mid_dialog_repeats_the_question(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg: ny ferieplanlægning i afdelingen")
    reply = await bot.say("hjælp")
    assert texts.HELP in reply and texts.LEVEL_QUESTION in reply
    assert "AfdelingsMED" in await bot.say("afdelingschef")


async def test_cancel_mid_dialog_ends_it(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg: ny ferieplanlægning i afdelingen")
    assert texts.CANCELLED in await bot.say("annuller")
    # "1" is no longer an answer to the decider question.
    assert ANSWERED not in await bot.say("1")


async def test_abandoned_dialog_resumes_after_a_restart(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg: ny ferieplanlægning i afdelingen")
    bot.clock.advance(timedelta(hours=2))
    await bot.restart()
    reply = await bot.say("Leder af arbejdspladsen")
    assert "ArbejdspladsMED" in reply and ANSWERED in reply


async def test_dialog_left_for_a_day_is_set_aside(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg: ny ferieplanlægning i afdelingen")
    bot.clock.advance(timedelta(days=1))
    reply = await bot.say("1")
    assert texts.DIALOG_SET_ASIDE in reply and ANSWERED not in reply


async def test_card_clicked_after_the_dialog_ended(bot: ChatHarness) -> None:
    await bot.say("hvilket udvalg: ny ferieplanlægning i afdelingen")
    click = bot.button_data("Leder af arbejdspladsen")
    assert "ArbejdspladsMED" in await bot.say(value=click)
    assert await bot.say(value=click) == texts.CARD_EXPIRED


async def test_jammerbugt_names_its_own_committees(tmp_path: Path) -> None:
    bot = await ChatHarness(tmp_path, org="jammerbugt").start()
    try:
        reply = await bot.say("hvilket udvalg, når kommunaldirektøren indstiller en besparelse til kommunalbestyrelsen?")
        assert "HovedMED" in reply and ANSWERED in reply
    finally:
        await bot.stop()


def test_case_words_ignore_the_question_itself() -> None:
    assert case_words("Hvilket MED-udvalg skal behandle sagen?") == []
    assert len(case_words("hvilket udvalg: nyt IT-system til hele forvaltningen")) >= 2


async def test_dialog_alone_with_botbuilder_testing(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'dialog.sqlite3'}")
    await database.upgrade()
    try:
        client = DialogTestClient(
            "test",
            CaseLevelDialog(load_profile("albertslund")),
            initial_dialog_options="ny ferieplanlægning i afdelingen",
            conversation_state=ConversationState(SqlStorage(database)),
        )
        first = await client.send_activity("start")
        assert texts.LEVEL_QUESTION in _text(first)
        answer = await client.send_activity("3")
        assert "KommuneMED" in _text(answer)
        assert client.dialog_turn_result.result == "top"
    finally:
        await database.dispose()


def _text(activity: object) -> str:
    return reply_text(activity)  # type: ignore[arg-type]  # the test hands on what the harness gave it
