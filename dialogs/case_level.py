"""»Hvilket MED-udvalg skal behandle sagen?«: works out the committee with the user.

The rules are in :mod:`knowledge.levels` (pure); this dialog only asks what the
rules need: the case, and who decides it when the text does not say. »Ved ikke«
gets guidance on how to find out, never a guess.
"""

from __future__ import annotations

import re

from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptValidatorContext, TextPrompt

from dialogs import texts
from dialogs.activities import send
from dialogs.messages import Action, Message
from dialogs.prompts import options
from knowledge.levels import DECIDER_CHOICES, LevelDecision, answer_fields, decide_level, parse_decider
from knowledge.normalize import tokens
from knowledge.profiles import Profile

DIALOG_ID = "case_level"
_CASE_PROMPT = "case_level.case"
_DECIDER_PROMPT = "case_level.decider"

# Words of the request itself ("hvilket udvalg skal behandle sagen?"), not of the case.
_TRIGGER_WORDS = frozenset(
    "hvilket hvilken hvilke med udvalg medudvalg niveau skal bor horer sagen sag den det hvor hvem "
    "behandle behandles behandler drofte droftes tages hen i pa til et en find rette rigtige which committee "
    "jeg vi have har min vores om sporgsmal kan du hjalpe mig".split()
)
_MIN_CASE_WORDS = 2


def case_words(text: str) -> list[str]:
    """The words of ``text`` that describe the case rather than ask the question."""
    return [t for t in tokens(text) if t not in _TRIGGER_WORDS and not re.fullmatch(r"\d+", t)]


def _decider_actions() -> tuple[Action, ...]:
    return tuple(
        Action(title=label, text=label, dialog=DIALOG_ID) for label in texts.LEVEL_DECIDER_CHOICES
    )


def decider_question() -> Message:
    return Message(text=f"{texts.LEVEL_QUESTION}\n{texts.LEVEL_QUESTION_HINT}", actions=_decider_actions())


def decider_retry() -> Message:
    return Message(text=texts.LEVEL_DECIDER_NOT_UNDERSTOOD, actions=_decider_actions())


class CaseLevelDialog(ComponentDialog):
    def __init__(self, profile: Profile) -> None:
        super().__init__(DIALOG_ID)
        self._profile = profile
        self.add_dialog(TextPrompt(_CASE_PROMPT, self._case_validator))
        self.add_dialog(TextPrompt(_DECIDER_PROMPT, self._decider_validator))
        self.add_dialog(
            WaterfallDialog(f"{DIALOG_ID}.steps", [self._ask_case, self._ask_decider, self._answer])
        )
        self.initial_dialog_id = f"{DIALOG_ID}.steps"

    async def _ask_case(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.options if isinstance(step.options, str) else ""
        if len(case_words(text)) >= _MIN_CASE_WORDS:
            return await step.next(text)
        return await step.prompt(
            _CASE_PROMPT,
            options(step, Message(text=texts.LEVEL_ASK_FOR_CASE), Message(text=texts.LEVEL_CASE_TOO_SHORT)),
        )

    async def _ask_decider(self, step: WaterfallStepContext) -> DialogTurnResult:
        case = str(step.result or "")
        step.values["case"] = case
        decision = decide_level(case, self._profile)
        if decision.level != "ask":
            return await step.next(None)
        return await step.prompt(_DECIDER_PROMPT, options(step, decider_question(), decider_retry()))

    async def _answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        case = str(step.values.get("case", ""))
        answer = step.result if isinstance(step.result, str) else None
        if answer is not None and parse_decider(answer) == "unknown":
            mode = decide_level(case, self._profile).mode
            await send(step.context, self._message(texts.level_dont_know_answer(self._profile.level_names(), mode), ()))
            return await step.end_dialog()
        decision = decide_level(case, self._profile, decider=answer)
        await send(step.context, self.answer_message(decision))
        return await step.end_dialog(decision.level)

    def answer_message(self, decision: LevelDecision) -> Message:
        fields = answer_fields(decision, self._profile)
        sources = tuple(fields.pop("sources", ()))
        return self._message(texts.level_answer(**fields), sources)

    @staticmethod
    def _message(text: str, sources: tuple[str, ...]) -> Message:
        return Message(
            title=texts.LEVEL_TITLE,
            text=text,
            source="; ".join(sources) or None,
            actions=(Action(title=texts.LEVEL_ANOTHER_CASE, text="hvilket udvalg"),),
        )

    @staticmethod
    async def _case_validator(prompt: PromptValidatorContext) -> bool:
        value = prompt.recognized.value if prompt.recognized.succeeded else ""
        return len(case_words(value or "")) >= 1

    @staticmethod
    async def _decider_validator(prompt: PromptValidatorContext) -> bool:
        value = prompt.recognized.value if prompt.recognized.succeeded else ""
        return parse_decider(value or "") in set(DECIDER_CHOICES) | {"unknown"}
