"""The blind conversations (tests/data/conversations/*.jsonl), one test per conversation.

Written by people who never saw the code, in the format of the runner's docstring
(tests/conversations/runner.py). A failing test prints every failed turn with the
bot's reply; ``python -m tests.conversations.runner tests/data/conversations/*.jsonl``
shows the same for the whole set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conversations.runner import Conversation, format_result, load_conversations, run_conversation

DATA = Path(__file__).resolve().parents[1] / "data" / "conversations"


def _conversations() -> list[Conversation]:
    return load_conversations(sorted(DATA.glob("*.jsonl")))


CONVERSATIONS = _conversations()

#: Turns the bot does not meet yet, each with the reason. Every other turn must pass, and a
#: turn listed here must still fail (so the list is kept honest when the bot improves).
KNOWN_MISSES: dict[tuple[str, int], str] = {}


@pytest.mark.skipif(not CONVERSATIONS, reason=f"no conversations in {DATA}")
@pytest.mark.parametrize("conversation", CONVERSATIONS or [None], ids=[c.label for c in CONVERSATIONS] or ["none"])
async def test_conversation(conversation: Conversation) -> None:
    result = await run_conversation(conversation)
    assert result.error is None, result.error
    failed = {(conversation.label, t.number) for t in result.turns if not t.passed}
    known = {key for key in KNOWN_MISSES if key[0] == conversation.label}
    unexpected = failed - known
    if unexpected:
        pytest.fail("\n".join(format_result(result)), pytrace=False)
    fixed = known - failed
    assert not fixed, f"now passing, remove from KNOWN_MISSES: {sorted(fixed)}"
