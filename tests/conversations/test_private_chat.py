"""Point 9: an idea or a reminder asked for in a Teams group chat or channel continues in
the user's 1:1 chat, never in front of the colleagues.

Through the real handler, router, dialogs and storage (the runner's
:class:`~tests.conversations.runner.BotUnderTest`: the runtime's CloudAdapter opens the
1:1 chat on a recording adapter, ``create_conversation`` as Teams answers it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from botbuilder.schema import ConversationAccount
from msrest.exceptions import ClientException

from dialogs import texts
from tests.conversations.helpers import OPEN_CASE
from tests.conversations.runner import GROUP_ID, PERSONAL_ID, TENANT, BotUnderTest

CHANNEL_ID = "19:med-kanal@thread.tacv2;messageid=1764000000001"
WHERE = {"group": (GROUP_ID, texts.PRIVATE_CHAT_FROM_GROUP), "channel": (CHANNEL_ID, texts.PRIVATE_CHAT_FROM_CHANNEL)}
REMINDER = "mind mig om at sende dagsorden til AfdelingsMED i morgen kl 9"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    """Albertslund; the user writes in a Teams group chat (GROUP_ID) or a team channel (CHANNEL_ID)."""
    harness = BotUnderTest("albertslund", tmp_path)
    await harness.start()
    harness.conversations[CHANNEL_ID] = ConversationAccount(
        id=CHANNEL_ID, conversation_type="channel", tenant_id=TENANT, is_group=True, name="MED-kanalen"
    )
    yield harness
    await harness.stop()


class Chat:
    """What the bot said in each conversation, turn by turn."""

    def __init__(self, bot: BotUnderTest) -> None:
        self.bot = bot

    async def say(self, text: str, where: str) -> dict[str, list[str]]:
        replies, errors = await self.bot.say(text, where)
        assert not errors, errors
        said: dict[str, list[str]] = {}
        for reply in replies:
            said.setdefault(reply.conversation_id, []).append(reply.text)
        return said

    def all_sent_to(self, conversation_id: str) -> list[str]:
        assert self.bot.adapter is not None
        return [a.text or "" for conv, _type, a in self.bot.adapter.sent if conv == conversation_id]


def joined(lines: list[str] | None) -> str:
    return "\n".join(lines or [])


@pytest.mark.parametrize("chat", ["group", "channel"])
async def test_an_idea_continues_in_the_1on1_chat_and_is_sent_without_the_name(bot: BotUnderTest, chat: str) -> None:
    where, place = WHERE[chat]
    talk = Chat(bot)
    said = await talk.say("ny ide: faelles indkob af papir", where)
    assert said[where] == [texts.PRIVATE_CHAT_MOVED]
    private = joined(said[PERSONAL_ID])
    assert texts.private_chat_opened("ny ide: faelles indkob af papir", place) in private  # nothing typed is lost
    assert texts.idea_taken_from_message(["title"]) in private  # the title written in the group is kept
    assert await bot.active_dialog(where) is None
    assert await bot.active_dialog(PERSONAL_ID) == "idea"

    # The user follows the bot; the 1:1 chat's own dialog state answers the questions.
    said = await talk.say("Vi kober papir ind sammen for hele kommunen", PERSONAL_ID)
    assert list(said) == [PERSONAL_ID]
    said = await talk.say(texts.IDEA_AREA_UNKNOWN, PERSONAL_ID)
    assert texts.IDEA_SEND_ANONYMOUS in joined(said[PERSONAL_ID])  # the summary, with the choice to leave the name out
    said = await talk.say("send uden mit navn", PERSONAL_ID)
    assert texts.IDEA_RECEIPT_ANONYMOUS in joined(said[PERSONAL_ID])
    assert len(await bot.submitted_ideas()) == 1

    # The colleagues saw one short note, nothing of the idea.
    assert talk.all_sent_to(where) == [texts.PRIVATE_CHAT_MOVED]


@pytest.mark.parametrize("chat", ["group", "channel"])
async def test_a_reminder_is_saved_and_delivered_in_the_1on1_chat(bot: BotUnderTest, chat: str) -> None:
    where, place = WHERE[chat]
    talk = Chat(bot)
    said = await talk.say(REMINDER, where)
    assert said[where] == [texts.PRIVATE_CHAT_MOVED]
    private = joined(said[PERSONAL_ID])
    assert texts.private_chat_opened(REMINDER, place) in private
    assert texts.reminder_saved_now("sende dagsorden til AfdelingsMED", "tirsdag 8. december 2026 kl. 09.00") in private
    assert await bot.active_dialog(PERSONAL_ID) is None
    [(text, _due)] = await bot.active_reminders()
    assert text == "sende dagsorden til AfdelingsMED"
    rows = await bot._rows(
        "SELECT c.conversation_id, c.conversation_type FROM reminders r JOIN conversation_refs c ON c.id = r.conversation_ref_id"
    )
    assert [tuple(row) for row in rows] == [(PERSONAL_ID, "personal")]
    assert talk.all_sent_to(where) == [texts.PRIVATE_CHAT_MOVED]


@pytest.mark.parametrize(
    ("text", "setup_failure"),
    [("ny ide", "raise"), (REMINDER, "raise"), ("ny ide", "no_conversation")],
)
async def test_when_the_1on1_chat_cannot_be_opened_no_dialog_runs_in_the_group(
    bot: BotUnderTest, text: str, setup_failure: str
) -> None:
    """No permission, an error, or a client that has no 1:1 chats (the Agents Playground)."""
    assert bot.runtime is not None

    async def cannot(*_args: Any, **_kwargs: Any) -> None:
        if setup_failure == "raise":
            raise ClientException("Operation returned an invalid status code 'Forbidden'")
        # "no_conversation": the call returns without ever opening a conversation.

    bot.runtime.adapter.create_conversation = cannot  # type: ignore[method-assign]  # the test replaces the method
    talk = Chat(bot)
    said = await talk.say(text, GROUP_ID)
    assert said == {GROUP_ID: [texts.private_chat_unavailable(text)]}
    assert await bot.active_dialog(GROUP_ID) is None
    # The next message in the group is not taken as an answer to a dialog there.
    said = await talk.say("Faelles indkob af papir", GROUP_ID)
    assert await bot.active_dialog(GROUP_ID) is None
    assert await bot.drafts() == [] and await bot.active_reminders() == []
    assert texts.IDEA_ASK_DESCRIPTION not in joined(said.get(GROUP_ID))


async def test_questions_the_case_dialog_and_subscriptions_stay_in_the_group(bot: BotUnderTest) -> None:
    assert bot.adapter is not None
    talk = Chat(bot)
    said = await talk.say("hvad er en amr", CHANNEL_ID)
    assert list(said) == [CHANNEL_ID]
    await talk.say("hvilket udvalg", CHANNEL_ID)
    said = await talk.say(OPEN_CASE, CHANNEL_ID)
    assert list(said) == [CHANNEL_ID] and texts.LEVEL_QUESTION in joined(said[CHANNEL_ID])
    assert await bot.active_dialog(CHANNEL_ID) == "case_level"
    await talk.say("annuller", CHANNEL_ID)
    # A channel subscribes to the meeting plans for everyone in it.
    said = await talk.say("abonner paa KommuneMEDs moeder", CHANNEL_ID)
    assert list(said) == [CHANNEL_ID]
    assert bot.adapter.created == []


async def test_a_reminder_typed_at_the_case_question_goes_private_and_the_case_waits(bot: BotUnderTest) -> None:
    talk = Chat(bot)
    await talk.say("hvilket udvalg", GROUP_ID)
    await talk.say(OPEN_CASE, GROUP_ID)
    said = await talk.say(REMINDER, GROUP_ID)
    group = said[GROUP_ID]
    assert group[0] == texts.PRIVATE_CHAT_MOVED and texts.LEVEL_QUESTION in joined(group[1:])
    assert "Jeg minder dig om »sende dagsorden til AfdelingsMED«" in joined(said[PERSONAL_ID])
    assert await bot.active_dialog(GROUP_ID) == "case_level"
    assert await bot.active_dialog(PERSONAL_ID) is None
    assert len(await bot.active_reminders()) == 1


async def test_a_dialog_running_in_the_1on1_chat_asks_again_after_the_one_from_the_group(bot: BotUnderTest) -> None:
    talk = Chat(bot)
    await talk.say("ny ide", PERSONAL_ID)
    said = await talk.say("Faelles indkob af papir", PERSONAL_ID)
    assert texts.IDEA_ASK_DESCRIPTION in joined(said[PERSONAL_ID])

    said = await talk.say(REMINDER, GROUP_ID)
    assert said[GROUP_ID] == [texts.PRIVATE_CHAT_MOVED]
    assert "Jeg minder dig om »sende dagsorden til AfdelingsMED«" in joined(said[PERSONAL_ID])
    assert len(await bot.active_reminders()) == 1
    assert texts.IDEA_ASK_DESCRIPTION in joined(said[PERSONAL_ID])  # back to the idea
    assert await bot.active_dialog(PERSONAL_ID) == "idea"


async def test_annuller_in_the_group_after_a_reminder_stays_in_the_group(bot: BotUnderTest) -> None:
    """»annuller« right after a reminder undoes it only in the 1:1 chat, where reminders are made."""
    talk = Chat(bot)
    await talk.say(REMINDER, GROUP_ID)
    said = await talk.say("annuller", GROUP_ID)
    assert said == {GROUP_ID: [texts.NOTHING_TO_CANCEL]}
    assert len(await bot.active_reminders()) == 1
    said = await talk.say("annuller", PERSONAL_ID)
    assert said == {PERSONAL_ID: [texts.reminder_deleted("sende dagsorden til AfdelingsMED")]}
    assert await bot.active_reminders() == []


async def test_at_the_which_calendar_question_a_question_is_answered_and_an_idea_goes_private(bot: BotUnderTest) -> None:
    talk = Chat(bot)
    said = await talk.say("abonner kanalen", CHANNEL_ID)
    assert texts.SUBSCRIBE_ASK_TARGET in joined(said[CHANNEL_ID])
    said = await talk.say("og hvad er en amr", CHANNEL_ID)  # a question, not a calendar
    answer = joined(said[CHANNEL_ID])
    assert "Kilde:" in answer and "Jeg kender ikke" not in answer
    assert texts.SUBSCRIBE_ASK_TARGET in answer  # asked again after the answer
    said = await talk.say("vi har en ide fra teamet, kan vi indsende den her?", CHANNEL_ID)
    assert said[CHANNEL_ID][0] == texts.PRIVATE_CHAT_MOVED
    assert await bot.active_dialog(PERSONAL_ID) == "idea"
    said = await talk.say("ForvaltningsMED Teknik", CHANNEL_ID)  # names no calendar the bot has
    assert "Jeg kender ikke »ForvaltningsMED Teknik«" in joined(said[CHANNEL_ID])
    said = await talk.say("budgetfristerne", CHANNEL_ID)
    assert texts.subscribed("budget") in joined(said[CHANNEL_ID])
    assert await bot.active_dialog(CHANNEL_ID) is None
