"""»Hvilket MED-udvalg skal behandle sagen?«: works out the committee with the user.

The rules are in :mod:`knowledge.levels` (pure); this dialog only asks what the
rules need: the case, and who decides it when the text does not say. »Ved ikke«
gets guidance on how to find out, never a guess. Every answer repeats the case in
a few words (»Sagen: …«). A personal matter (harassment, bullying) is not a case
for a committee: it gets a short answer pointing to the leader, the AMR and the TR.

What the router does around the prompts (a question at the decider prompt, a new
case typed there, »annuller«) is in :mod:`dialogs.router`.

.. code-block:: mermaid

    stateDiagram-v2
        [*] --> start
        case: case (text)
        decider: decider (decider)
        start --> case
        start --> decider
        start --> [*]
        case --> decider
        case --> [*]
        decider --> [*]

``start`` reads the text the dialog was started with: a case with enough words goes
straight on (to ``decider``, or to the answer when the text names who decides).
"""

from __future__ import annotations

import re
from dataclasses import replace

from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptValidatorContext, TextPrompt

from dialogs import texts
from dialogs.activities import plain, send
from dialogs.answers import case_words
from dialogs.messages import Action, Message
from dialogs.prompts import Expect, options
from dialogs.states import END, StateMachine
from knowledge.chatter import is_personal_matter
from knowledge.intents import Intent, classify, strip_new_case_mark
from knowledge.kb import KnowledgeBase
from knowledge.levels import (
    DECIDER_CHOICES,
    LevelDecision,
    answer_fields,
    decide_level,
    parse_decider,
    principle_sources,
    rank,
)
from knowledge.profiles import Profile
from knowledge.sources import source_line

__all__ = ["ANSWERED_CASE", "ANSWERED_LEVEL", "objection_answer", "DIALOG_ID", "MACHINE", "CaseLevelDialog", "case_answer", "case_words", "personal_matter_message"]

DIALOG_ID = "case_level"
#: turn_state key: the case this turn answered (the router remembers it for a correction
#: of who decides, »nej, det er kommunaldirektøren«).
ANSWERED_CASE = "medbot.answered_case"
#: The level given for that case (turn state), so that an objection can be answered.
ANSWERED_LEVEL = "medbot.answered_level"
_CASE_PROMPT = "case_level.case"
_DECIDER_PROMPT = "case_level.decider"
_MIN_CASE_WORDS = 2

START, CASE, DECIDER = "start", "case", "decider"
MACHINE = StateMachine(
    name=DIALOG_ID,
    start=START,
    expects={START: None, CASE: Expect.TEXT, DECIDER: Expect.DECIDER},
    transitions={START: (CASE, DECIDER, END), CASE: (DECIDER, END), DECIDER: (END,)},
)
#: Knowledge entries offered with the answer to a personal matter (those that exist and apply).
_PERSONAL_RELATED = ("trio", "med-kan-ikke", "stress-vold-mobning")
_GUIDELINES_ENTRY = "stress-vold-mobning"


_CLAUSES = re.compile(r"\s*[,;?!–—]+\s*|\s+-\s+|\s+(?=(?:hvem|hvor|hvilket|hvilken|skal det|er det|kan det|which|who)\b)", re.IGNORECASE)


# »hvem skal tage stilling til at …«, »skal … behandles i MED? og hvor«: the request in front of the case
_ASKED_LEAD = re.compile(
    r"^\s*(?:(?:ok|okay|og|men|hej)[,.]?\s+)*hvem\s+(?:skal|bør|bor|må|ma|kan)\s+(?:så\s+|saa\s+)?"
    r"(?:tage\s+stilling\s+til|drøfte|droefte|drofte|behandle|tage\s+sig\s+af)\s+(?:at\s+)?",
    re.IGNORECASE,
)


def case_summary(case: str) -> str:
    """The case without the request around it: "vores leder vil ændre X, hvem skal drøfte det?"
    -> "vores leder vil ændre X" (kept whole when nothing of the case would be left)."""
    case = _ASKED_LEAD.sub("", case, count=1) or case
    parts = [p for p in _CLAUSES.split(case) if p and p.strip()]
    kept = [p for p in parts if not (classify(p).intent is Intent.CASE_LEVEL and len(case_words(p)) <= 2)]
    summary = " ".join(kept).strip(" ,.?")
    return summary if len(case_words(summary)) >= 1 else case


def _echo(case: str) -> str:
    return texts.level_case_echo(case_summary(case))


def _decider_actions() -> tuple[Action, ...]:
    return tuple(
        Action(title=label, text=label, dialog=DIALOG_ID) for label in texts.LEVEL_DECIDER_CHOICES
    )


def decider_question(case: str = "") -> Message:
    """Which case, who decides, the choices as buttons that are numbered too, and how to stop."""
    parts = [_echo(case)] if case else []
    parts.append(texts.LEVEL_QUESTION)
    return Message(text="\n\n".join(parts), note=texts.LEVEL_QUESTION_HINT, actions=_decider_actions(), numbered=True)


def decider_retry() -> Message:
    return Message(
        text=texts.LEVEL_DECIDER_NOT_UNDERSTOOD, note=texts.STOP_HINT, actions=_decider_actions(), numbered=True
    )


def _applies(entry_municipality: str | None, profile: Profile) -> bool:
    return entry_municipality is None or entry_municipality in (profile.municipality_key, profile.name)


def personal_matter_message(profile: Profile, kb: KnowledgeBase | None = None) -> Message:
    """Harassment and the like: not for a committee; the leader, the AMR and the TR (seed 002)."""
    text = texts.LEVEL_PERSONAL
    related = []
    if kb is not None:
        for entry_id in _PERSONAL_RELATED:
            entry = kb.get(entry_id)
            if entry is not None and _applies(entry.municipality, profile):
                related.append(entry)
        guidelines = kb.get(_GUIDELINES_ENTRY)
        if guidelines is not None and _applies(guidelines.municipality, profile) and guidelines.municipality:
            text += "\n\n" + texts.level_personal_guidelines(profile.level_name("local"))
    return Message(
        title=texts.LEVEL_PERSONAL_TITLE,
        text=text,
        source=source_line("002", texts.LEVEL_PERSONAL_SOURCE_SECTION),
        actions_heading=texts.RELATED_HEADING if related else None,
        actions=tuple(Action(title=e.title, text=e.title, entry=e.id) for e in related),
    )


def case_answer(decision: LevelDecision, profile: Profile, case: str = "") -> Message:
    """The answer: the case in a few words, the committee, why, and the source."""
    fields = answer_fields(decision, profile)
    sources = tuple(fields.pop("sources", ()))
    text = texts.level_answer(**fields)
    if case:
        text = f"{_echo(case)}\n\n{text}"
    return _answer_message(text, sources)


def objection_answer(level: str, profile: Profile, case: str, named: tuple[str, str] | None) -> Message:
    """The level stands: why, and (for a committee below it) how the case can still be taken up there."""
    lower = named is not None and rank(named[0]) < rank(level)
    text = texts.level_objection(profile.level_name(level), named[1] if named else "", bagland=lower)
    return _answer_message(f"{_echo(case)}\n\n{text}", tuple(principle_sources(bagland=lower)))


def not_med_objection_answer(decision: LevelDecision, profile: Profile, case: str) -> Message:
    """»men det gælder jo alle« after »not a matter for MED«: it still is not, and why."""
    answer = case_answer(decision, profile, case)
    return replace(answer, text=f"{texts.LEVEL_NOT_MED_STANDS}\n\n{answer.text}")


def _answer_message(text: str, sources: tuple[str, ...]) -> Message:
    return Message(
        title=texts.LEVEL_TITLE,
        text=text,
        source="; ".join(sources) or None,
        actions=(Action(title=texts.LEVEL_ANOTHER_CASE, text="hvilket udvalg"),),
    )


class CaseLevelDialog(ComponentDialog):
    def __init__(self, profile: Profile, kb: KnowledgeBase | None = None) -> None:
        super().__init__(DIALOG_ID)
        self._profile = profile
        self._kb = kb
        self.add_dialog(TextPrompt(_CASE_PROMPT, self._case_validator))
        self.add_dialog(TextPrompt(_DECIDER_PROMPT, self._decider_validator))
        self.add_dialog(
            WaterfallDialog(f"{DIALOG_ID}.steps", [self._ask_case, self._ask_decider, self._answer])
        )
        self.initial_dialog_id = f"{DIALOG_ID}.steps"

    @staticmethod
    def _move(step: WaterfallStepContext, new: str) -> None:
        step.values["state"] = MACHINE.move(step.values.get("state", START), new)

    async def _ask_case(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.options if isinstance(step.options, str) else ""
        if isinstance(step.options, dict):
            # asked again after an answer that named no level (see _answer)
            text = str(step.options.get("case", ""))
            step.values["retried"] = bool(step.options.get("retried"))
        text = strip_new_case_mark(text)
        if len(case_words(text)) >= _MIN_CASE_WORDS or is_personal_matter(text):
            return await step.next(text)
        self._move(step, CASE)
        return await step.prompt(
            _CASE_PROMPT,
            options(
                step,
                Message(text=texts.LEVEL_ASK_FOR_CASE),
                Message(text=f"{texts.LEVEL_CASE_TOO_SHORT}\n\n{texts.STOP_HINT}"),
                expects=MACHINE.expectation(CASE),
                state=MACHINE.state_id(CASE),
            ),
        )

    async def _ask_decider(self, step: WaterfallStepContext) -> DialogTurnResult:
        case = str(step.result or "")
        step.values["case"] = case
        if is_personal_matter(case):
            self._move(step, END)
            await send(step.context, personal_matter_message(self._profile, self._kb))
            return await step.end_dialog("personal")
        decision = decide_level(case, self._profile)
        if decision.level != "ask":
            return await step.next(None)
        self._move(step, DECIDER)
        return await step.prompt(
            _DECIDER_PROMPT,
            options(
                step,
                decider_question(case),
                decider_retry(),
                expects=MACHINE.expectation(DECIDER),
                state=MACHINE.state_id(DECIDER),
                unmatched=texts.LEVEL_DECIDER_NOT_UNDERSTOOD,
            ),
        )

    async def _answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        self._move(step, END)
        case = str(step.values.get("case", ""))
        step.context.turn_state[ANSWERED_CASE] = case
        answer = step.result if isinstance(step.result, str) else None
        if answer is not None and parse_decider(answer) == "unknown":
            mode = decide_level(case, self._profile).mode
            text = texts.level_dont_know_answer(self._profile.level_names(), mode)
            await send(step.context, self._message(f"{_echo(case)}\n\n{text}", ()))
            return await step.end_dialog()
        decision = decide_level(case, self._profile, decider=answer)
        unclear = str(decision.reason_facts.get("decider_unclear", ""))
        political = bool(decision.reason_facts.get("political_only"))
        if answer is not None and decision.level == "ask" and (unclear or political) and not step.values.get("retried"):
            # »min chef«: a leader the seeds do not place at one level here; »politikerne«: not a MED
            # level, the leader who recommends the case to them is. Say so and ask once more.
            note = (
                texts.LEVEL_POLITICAL_ASK_AGAIN
                if political and not unclear
                else texts.LEVEL_UNCLEAR_DECIDER_NOTE.format(decider=unclear, municipality=self._profile.name)
            )
            await send(step.context, plain(note))
            return await step.replace_dialog(f"{DIALOG_ID}.steps", {"case": case, "retried": True})
        step.context.turn_state[ANSWERED_LEVEL] = str(decision.level)
        await send(step.context, self.answer_message(decision, case))
        return await step.end_dialog(decision.level)

    def answer_message(self, decision: LevelDecision, case: str = "") -> Message:
        return case_answer(decision, self._profile, case)

    @staticmethod
    def _message(text: str, sources: tuple[str, ...]) -> Message:
        return _answer_message(text, sources)

    @staticmethod
    async def _case_validator(prompt: PromptValidatorContext) -> bool:
        value = prompt.recognized.value if prompt.recognized.succeeded else ""
        return len(case_words(value or "")) >= 1

    @staticmethod
    async def _decider_validator(prompt: PromptValidatorContext) -> bool:
        value = prompt.recognized.value if prompt.recognized.succeeded else ""
        return parse_decider(value or "") in set(DECIDER_CHOICES) | {"unknown"}
