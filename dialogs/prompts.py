"""Prompts that work the same in Teams, the Agents Playground, Slack and the console.

botbuilder's ChoicePrompt renders hero-card buttons in Teams that the Playground
cannot click, and its ConfirmPrompt has no Danish. So every question is a
TextPrompt whose message may carry card buttons (:class:`~dialogs.messages.Action`);
a click arrives as the button's text, exactly as if it had been typed, and the
validators below accept typed answers, numbers and the Danish yes/no words.
"""

from __future__ import annotations

from collections.abc import Sequence

from botbuilder.dialogs import WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext

from dialogs import texts
from dialogs.activities import to_activity
from dialogs.messages import Action, Message
from knowledge.normalize import fold

_YES = frozenset(fold(w) for w in texts.YES_WORDS)
_NO = frozenset(fold(w) for w in texts.NO_WORDS)


def parse_yes_no(text: str) -> bool | None:
    """True for a Danish (or English) yes, False for a no, None otherwise."""
    folded = fold(text)
    if folded in _YES or folded.split(" ")[0] in {"ja", "jo", "yes"}:
        return True
    if folded in _NO or folded.split(" ")[0] in {"nej", "no"}:
        return False
    return None


def yes_no_actions(dialog_id: str) -> tuple[Action, ...]:
    return (Action(title=texts.YES, text=texts.YES.lower(), dialog=dialog_id), Action(title=texts.NO, text=texts.NO.lower(), dialog=dialog_id))


def match_choice(text: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """Return the value of the choice ``text`` names: by number, value or title (folded)."""
    stripped = text.strip().rstrip(".")
    if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
        return choices[int(stripped) - 1][1]
    folded = fold(text)
    for title, value in choices:
        if folded in (fold(title), fold(value)):
            return value
    return None


def options(step: WaterfallStepContext, message: Message, retry: Message | None = None) -> PromptOptions:
    channel = step.context.activity.channel_id
    return PromptOptions(
        prompt=to_activity(message, channel),
        retry_prompt=to_activity(retry or message, channel),
    )


async def yes_no_validator(prompt_context: PromptValidatorContext) -> bool:
    value = prompt_context.recognized.value if prompt_context.recognized.succeeded else ""
    return parse_yes_no(value or "") is not None


async def non_empty_validator(prompt_context: PromptValidatorContext) -> bool:
    value = prompt_context.recognized.value if prompt_context.recognized.succeeded else ""
    return bool((value or "").strip())
