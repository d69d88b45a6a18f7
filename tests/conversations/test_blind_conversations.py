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


@pytest.mark.skipif(not CONVERSATIONS, reason=f"no conversations in {DATA}")
@pytest.mark.parametrize("conversation", CONVERSATIONS or [None], ids=[c.label for c in CONVERSATIONS] or ["none"])
async def test_conversation(conversation: Conversation) -> None:
    result = await run_conversation(conversation)
    if not result.passed:
        pytest.fail("\n".join(format_result(result)), pytrace=False)
