"""Every Adaptive Card the bot sends is version ≤ 1.5 and valid against the official
Adaptive Card schema, and card clicks are safe in every dialog (twice, or after the
dialog ended: a polite answer, no crash, nothing done twice)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.runtime import build_runtime
from dialogs import texts
from dialogs.messages import Message
from dialogs.render import to_adaptive_card
from tests.activities import teams_message
from tests.channels.card_validation import CardChecker
from tests.channels.message_catalog import form_sample, generated_messages, qa_messages, text_messages
from tests.harness.chat import START
from tests.harness.teams_http import make_settings, running_bot

log = logging.getLogger(__name__)


@pytest.fixture(scope="module")
def checker() -> CardChecker:
    return CardChecker()


def _assert_valid(checker: CardChecker, named: list[tuple[str, Message]]) -> None:
    failures = {name: problems for name, m in named if (problems := checker.problems(to_adaptive_card(m)))}
    assert failures == {}


def test_the_checker_catches_invalid_and_too_new_cards(checker: CardChecker) -> None:
    assert checker.problems({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "ok"}]}) == []
    assert checker.problems({"type": "AdaptiveCard", "version": "1.6", "body": []})
    assert checker.problems({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlok", "text": "typo"}]})
    assert checker.problems({"type": "AdaptiveCard", "version": "1.5", "actions": [{"type": "Action.Submit", "titel": "x"}]})


def test_every_knowledge_answer_and_fallback_is_a_valid_card(tmp_path: Path, checker: CardChecker) -> None:
    runtime = build_runtime(make_settings(tmp_path), clock=FakeClock(START))
    named = qa_messages(runtime.deps)
    assert len(named) > 10
    _assert_valid(checker, named)


def test_every_sentence_and_a_full_form_are_valid_cards(checker: CardChecker) -> None:
    _assert_valid(checker, [*text_messages(), ("form", form_sample())])


def test_every_message_builder_in_the_dialogs_gives_a_valid_card(checker: CardChecker) -> None:
    made, skipped = generated_messages()
    for line in skipped:
        log.info("not reached with made-up arguments: %s", line)
    assert made, f"no message builder could be called; skipped: {skipped}"
    _assert_valid(checker, made)


# --- the cards the bot really sends, walking through every dialog -----------------

STARTERS = (
    "hej",
    "hjælp",
    "hvad er en amr",
    "hvornår har kantinen åbent",
    "ny idé",
    "hvilket udvalg skal behandle en sag om ny mødestruktur i forvaltningen",
    "påmindelser",
    "mind mig om MED-mødet i morgen kl. 9",
    "abonner",
)
MAX_STEPS = 8
AVOID = ("annuller", "afbryd", "fortryd", "stop")


def _submit_data(card: dict[str, Any]) -> dict[str, Any] | None:
    """What clicking the card's first useful button sends (inputs filled in)."""
    actions = [a for a in card.get("actions", []) if a.get("type") == "Action.Submit"]
    useful = [a for a in actions if not any(w in str(a.get("title", "")).lower() for w in AVOID)]
    if not useful:
        return None
    data = dict(useful[0].get("data") or {})
    for element in card.get("body", []):
        kind = element.get("type", "")
        if kind == "Input.Text":
            data[element["id"]] = element.get("value") or "Fælles indkøb giver besparelser på kontorartikler"
        elif kind == "Input.ChoiceSet":
            data[element["id"]] = element.get("value") or element["choices"][0]["value"]
        elif kind == "Input.Toggle":
            data[element["id"]] = element.get("value") or "false"
    return data


async def _count(runtime: Any, table: str) -> int | None:
    async with runtime.database.engine.connect() as connection:
        names = await connection.run_sync(lambda c: sa.inspect(c).get_table_names())
        if table not in names:
            return None
        return int((await connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}"))).scalar_one())


async def test_cards_sent_in_every_dialog_are_valid_and_clicks_are_safe(tmp_path: Path, checker: CardChecker) -> None:
    async with running_bot(make_settings(tmp_path, user_rate_per_minute=10_000)) as h:
        url = h.connector.url
        seen: list[tuple[str, dict[str, Any]]] = []
        first_clicks: list[dict[str, Any]] = []
        last_clicks: list[dict[str, Any]] = []
        for starter in STARTERS:
            h.connector.clear()
            await h.post(teams_message(url, starter))
            for step in range(MAX_STEPS):
                cards = h.connector.cards()
                seen.extend((f"{starter} / step {step}", c) for c in cards)
                data = _submit_data(cards[-1]) if cards else None
                if data is None:
                    break
                if step == 0:
                    first_clicks.append(data)
                last_clicks.append(data)
                h.connector.clear()
                await h.post(teams_message(url, "", value=data))
            h.connector.clear()
            await h.post(teams_message(url, "annuller"))
        failures = {where: p for where, card in seen if (p := checker.problems(card))}
        assert failures == {}
        assert seen, "the bot sent no cards at all"

        ideas_before = await _count(h.runtime, "ideas")
        reminders_before = await _count(h.runtime, "reminders")
        for data in first_clicks + last_clicks + last_clicks:
            h.connector.clear()
            status = await h.post(teams_message(url, "", value=data))
            assert status in (200, 201)
            said = h.connector.all_text()
            assert texts.ERROR_APOLOGY not in said, f"a stale click on {data} crashed the turn"
            assert said.strip(), f"a stale click on {data} got no answer"
        assert await _count(h.runtime, "ideas") == ideas_before, "a second click created another idea"
        assert await _count(h.runtime, "reminders") == reminders_before, "a second click created another reminder"
