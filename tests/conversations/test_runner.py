"""The conversation runner itself: it must be able to fail, and follow the bot to a 1:1 chat."""

from __future__ import annotations

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount, ConversationParameters

from dialogs.activities import plain, send
from tests.conversations.runner import (
    BOT,
    PERSONAL_ID,
    SERVICE_URL,
    TENANT,
    USER,
    BotUnderTest,
    format_results,
    parse_conversation,
    run_conversation,
    summary_line,
)


def conversation(turns: list[dict], chat: str = "personal", org: str = "jammerbugt"):
    return parse_conversation({"id": "unit", "org": org, "chat": chat, "turns": turns}, "unit")


async def test_right_expectations_pass() -> None:
    result = await run_conversation(
        conversation([{"user": "hej", "expect": {"replies": True, "dialog": "none", "reminders": 0, "ideas": 0, "private": False}}])
    )
    assert result.passed, format_results([result])
    assert summary_line([result]) == "conversations: 1 passed, 0 failed (turns: 1/1)"


async def test_a_wrong_expectation_is_reported_as_a_failure() -> None:
    result = await run_conversation(
        conversation(
            [
                {"user": "hej", "expect": {"replies": True}},
                {
                    "user": "hej igen",
                    "expect": {
                        "says_any": ["zzqx-never-said"],
                        "dialog": "idea",
                        "reminders": 3,
                        "replies": False,
                        "level": "top",
                        "reminder": {"text_contains": "budget"},
                        "idea": {"title_contains": "kaffe"},
                    },
                },
            ]
        )
    )
    assert not result.passed
    assert result.turns[0].passed
    failed = result.turns[1].failures
    for key in ("says_any", "dialog", "reminders", "replies", "level", "reminder", "idea"):
        assert any(f.startswith(f"{key}:") for f in failed), (key, failed)
    report = format_results([result])
    assert "FAIL unit turn 2" in report and "says_any: none of ['zzqx-never-said']" in report
    assert report.endswith("conversations: 0 passed, 1 failed (turns: 1/2)")


async def test_an_unknown_expectation_key_is_a_failure() -> None:
    result = await run_conversation(conversation([{"user": "hej", "expect": {"says_anything": ["hej"]}}]))
    assert not result.passed
    assert result.turns[0].failures[0].startswith("says_anything: unknown expectation key")


@pytest.mark.parametrize("how", ["continue", "create"])
async def test_follows_the_bot_to_a_personal_chat(how: str) -> None:
    """A bot that says so in the group and continues in the 1:1 chat passes ``private``; the user follows."""

    async def setup(bot: BotUnderTest) -> None:
        assert bot.runtime is not None
        router = bot.runtime.router
        original = router.on_message
        cloud = bot.runtime.adapter

        async def on_message(turn_context: TurnContext, user_input) -> None:
            if turn_context.activity.conversation.conversation_type == "personal":
                await original(turn_context, user_input)
                return
            await send(turn_context, plain("Det tager vi privat – jeg har skrevet til dig."))

            async def in_private(context: TurnContext) -> None:
                await send(context, plain("Her er vi. Fortæl mig om din idé."))

            if how == "continue":
                reference = TurnContext.get_conversation_reference(turn_context.activity)
                reference.conversation = bot.conversations[PERSONAL_ID]
                await cloud.continue_conversation(reference, in_private, "app-id")
            else:
                parameters = ConversationParameters(
                    is_group=False, bot=BOT, members=[ChannelAccount(id=USER.id)], tenant_id=TENANT
                )
                await cloud.create_conversation("app-id", in_private, parameters, "msteams", SERVICE_URL, None)

        router.on_message = on_message  # type: ignore[method-assign]  # the test replaces the method

    result = await run_conversation(
        conversation(
            [
                {"user": "jeg har en idé", "expect": {"private": True, "says_any": ["privat"]}},
                {"user": "hej", "expect": {"replies": True, "private": False}},
            ],
            chat="group",
        ),
        setup=setup,
    )
    assert result.passed, format_results([result], verbose=True)
    first, second = result.turns
    assert {r.conversation_id for r in first.replies} == {"19:blind-group@thread.v2", PERSONAL_ID}
    assert second.conversation == PERSONAL_ID


async def test_private_fails_when_the_bot_stays_in_the_group() -> None:
    result = await run_conversation(
        conversation([{"user": "hej", "expect": {"private": True}}], chat="group")
    )
    assert result.turns[0].failures == ["private: did not continue in a personal chat"]
