"""Prompts that work the same in Teams, the Agents Playground, Slack and the console.

botbuilder's ChoicePrompt renders hero-card buttons in Teams that the Playground
cannot click, and its ConfirmPrompt has no Danish. So every question is a
TextPrompt whose message may carry card buttons (:class:`~dialogs.messages.Action`);
a click arrives as the button's text, exactly as if it had been typed.

The prompt contract
-------------------

Every prompt says what it expects: ``options(step, message, expects=Expect.YES_NO)``.
The :class:`Expectation` is stored in ``PromptOptions.validations``, which the dialog
state persists, and the router (:mod:`dialogs.router`) reads the innermost active
prompt's expectation to decide, for each message, whether it is the answer, a
command, a question, small talk or something to ask about. So a new prompt gets
interruptions, questions, trivial input and "what did you expect" for free.

Kinds (:class:`Expect`):

* ``TEXT``: any text is the answer (``choices`` are shortcuts, e.g. "Spring over");
* ``YES_NO``: ja/nej in any form;
* ``YES_NO_OR_TEXT``: a yes/no that comes before a text: the text itself is also an
  answer, and "spring over"/"ingen"/"nej" mean no;
* ``CHOICE``: one of ``choices`` (by button, number, title or an alias);
* ``DECIDER``: who decides a case (:func:`knowledge.levels.parse_decider`);
* ``TIME``: a date/time (:mod:`knowledge.dates`);
* ``COMMAND``: commands at a list (the reminder list); anything else leaves the list.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from botbuilder.dialogs import WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext
from rapidfuzz import fuzz

from dialogs import texts
from dialogs.activities import to_activity
from dialogs.messages import Action, Message
from knowledge.normalize import fold

_YES = frozenset(fold(w) for w in texts.YES_WORDS)
_NO = frozenset(fold(w) for w in texts.NO_WORDS)
_SKIP = frozenset(f for f in (fold(w) for w in texts.SKIP_WORDS) if f)

#: The key of the expectation inside ``PromptOptions.validations``.
EXPECTATION_KEY = "medbot_expects"
#: Most buttons one card shows (Teams shows six actions).
MAX_BUTTONS = 6
_FUZZY_MIN = 85


class Expect(str, enum.Enum):
    TEXT = "text"
    YES_NO = "yes_no"
    YES_NO_OR_TEXT = "yes_no_or_text"
    CHOICE = "choice"
    DECIDER = "decider"
    TIME = "time"
    COMMAND = "command"
    TARGET = "target"  # a calendar or committee to subscribe to (a button or a name)

    @property
    def takes_text(self) -> bool:
        """True when free text is an answer here (TEXT, YES_NO_OR_TEXT)."""
        return self in (Expect.TEXT, Expect.YES_NO_OR_TEXT)


#: An alias key that starts with this matches when its words occur anywhere in the answer.
CONTAINS = "~"


@dataclass(frozen=True)
class Expectation:
    """What a prompt expects, as plain data (it is persisted with the dialog state).

    ``choices`` are ``(title, value)`` in the order offered (the buttons, numbered in
    text); ``aliases`` map more folded words to a value. ``state`` names the dialog
    state asking (``"case_level.decider"``). ``unmatched`` replaces the standard
    "I did not understand" line (``{answer}`` is replaced by what the user wrote);
    ``set_aside`` is said when the user leaves this prompt for another conversation
    (what happens to what they had started). ``question`` is the prompt's text, to
    say again with "I did not understand".
    """

    expects: Expect = Expect.TEXT
    choices: tuple[tuple[str, str], ...] = ()
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    state: str = ""
    dialog: str | None = None
    question: str = ""
    unmatched: str | None = None
    set_aside: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {
            "expects": self.expects.value,
            "choices": [[title, value] for title, value in self.choices],
            "aliases": dict(self.aliases),
            "state": self.state,
            "dialog": self.dialog,
            "question": self.question,
            "unmatched": self.unmatched,
            "set_aside": self.set_aside,
        }

    @classmethod
    def from_data(cls, data: object) -> Expectation | None:
        if not isinstance(data, Mapping):
            return None
        try:
            expects = Expect(data.get("expects", Expect.TEXT.value))
        except ValueError:
            return None
        choices = tuple((str(c[0]), str(c[1])) for c in data.get("choices") or () if isinstance(c, (list, tuple)) and len(c) == 2)
        aliases = data.get("aliases") or {}
        return cls(
            expects=expects,
            choices=choices,
            aliases=MappingProxyType({str(k): str(v) for k, v in aliases.items()}) if isinstance(aliases, Mapping) else MappingProxyType({}),
            state=str(data.get("state") or ""),
            dialog=data.get("dialog") or None,
            question=str(data.get("question") or ""),
            unmatched=data.get("unmatched") or None,
            set_aside=data.get("set_aside") or None,
        )

    def choice_for(self, text: str) -> str | None:
        """The value of the choice ``text`` names: by number, title, value or alias."""
        value = match_choice(text, self.choices)
        if value is not None:
            return value
        folded = fold(text)
        if not folded:
            return None
        core = without_second_thoughts(folded)
        if core != folded and folded not in self.aliases:
            # »hov nej vent, med mit navn«: the choice after the second thoughts
            found = self.choice_for(core)
            if found is not None:
                return found
        if folded in self.aliases:
            return self.aliases[folded]
        for key, v in self.aliases.items():
            # "~ på tværs": the words anywhere in the answer ("det går på tværs af alle forvaltninger").
            if key.startswith(CONTAINS) and re.search(rf"\b{re.escape(key[len(CONTAINS):].strip())}\b", folded):
                return v
        names = [(fold(title), v) for title, v in self.choices] + list(self.aliases.items())
        compact = folded.replace(" ", "")
        for name, v in names:
            if name.replace(" ", "") == compact:
                return v
        if self.expects is not Expect.CHOICE or len(folded) < 4:
            return None
        # A typo in a longer name ("forvaltnigsMED BFF"): one clear best match.
        scored = sorted(((fuzz.ratio(name, folded), v) for name, v in names if name), reverse=True)
        if scored and scored[0][0] >= _FUZZY_MIN and all(s < scored[0][0] - 5 for s, v in scored[1:] if v != scored[0][1]):
            return scored[0][1]
        return None

    def actions(self) -> tuple[Action, ...]:
        """The choices as buttons (none when there are too many for a card)."""
        if not self.choices or len(self.choices) > MAX_BUTTONS:
            return ()
        return tuple(Action(title=title, text=title, dialog=self.dialog) for title, _value in self.choices)


def expectation_of(prompt_options: object) -> Expectation | None:
    """The expectation stored in a prompt's options (None for a prompt without one)."""
    validations = getattr(prompt_options, "validations", None)
    if isinstance(validations, Mapping):
        return Expectation.from_data(validations.get(EXPECTATION_KEY))
    return None


_INTERJECTIONS = re.compile(r"^(?:(?:hov|nej|vent|ups|ok|okay|ah|arh|undskyld|oh|alligevel)\s+)+")


def without_second_thoughts(folded: str) -> str:
    """A folded answer without the »hov nej vent« before it (itself when nothing else is left)."""
    return _INTERJECTIONS.sub("", folded) or folded


def parse_yes_no(text: str) -> bool | None:
    """True for a Danish (or English) yes, False for a no, None otherwise."""
    folded = fold(text)
    if folded in _YES or folded.split(" ")[0] in {"ja", "jo", "yes"}:
        return True
    if folded in _NO or folded.split(" ")[0] in {"nej", "no"}:
        return False
    return None


def is_skip(text: str) -> bool:
    """"spring over", "ingen", "intet", "-": nothing to add here."""
    folded = fold(text)
    return folded in _SKIP or (not folded and text.strip() in ("-", "–", "—"))


def yes_no_actions(dialog_id: str) -> tuple[Action, ...]:
    return (Action(title=texts.YES, text=texts.YES.lower(), dialog=dialog_id), Action(title=texts.NO, text=texts.NO.lower(), dialog=dialog_id))


def match_choice(text: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """Return the value of the choice ``text`` names: by number, value or title (folded)."""
    stripped = text.strip().rstrip(".")
    if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
        return choices[int(stripped) - 1][1]
    folded = fold(text)
    if not folded:
        return None
    for title, value in choices:
        if folded in (fold(title), fold(value)):
            return value
    return None


def options(
    step: WaterfallStepContext,
    message: Message,
    retry: Message | None = None,
    *,
    expects: Expect = Expect.TEXT,
    choices: Sequence[tuple[str, str]] | None = None,
    aliases: Mapping[str, str] | None = None,
    state: str = "",
    unmatched: str | None = None,
    set_aside: str | None = None,
) -> PromptOptions:
    """The options of a prompt, with what it expects (see the module docstring).

    ``choices`` default to the message's buttons (and ja/nej for ``YES_NO``). The
    retry message (a validator said no) is ``retry``, or the standard "I did not
    understand" for the expectation followed by the question.
    """
    channel = step.context.activity.channel_id
    dialog = next((a.dialog for a in message.actions if a.dialog), None)
    if choices is None:
        choices = tuple((a.title, a.text) for a in message.actions)
        if expects is Expect.YES_NO and not choices:
            choices = ((texts.YES, texts.YES.lower()), (texts.NO, texts.NO.lower()))
    expectation = Expectation(
        expects=expects,
        choices=tuple(choices),
        aliases=MappingProxyType({_alias_key(k): v for k, v in (aliases or {}).items() if fold(k)}),
        state=state,
        dialog=dialog,
        question=message.text,
        unmatched=unmatched,
        set_aside=set_aside,
    )
    retry_message = retry or not_understood_message(expectation, "")
    return PromptOptions(
        prompt=to_activity(message, channel),
        retry_prompt=to_activity(retry_message, channel),
        validations={EXPECTATION_KEY: expectation.to_data()},
    )


def not_understood_message(expectation: Expectation, answer: str) -> Message:
    """"I did not understand": what was expected, the choices, how to stop, and the question again."""
    if expectation.unmatched:
        lead = expectation.unmatched.replace("{answer}", answer.strip())
    else:
        lead = texts.not_understood(expectation.expects.value)
    parts = [lead]
    if expectation.question:
        parts.append(expectation.question)
    actions = expectation.actions()
    choices = [title for title, _value in expectation.choices]
    if choices and not actions and not _numbered_in(expectation.question, choices):
        parts.append(texts.numbered_choices(choices))  # too many for buttons: numbered in the text
    return Message(
        text="\n\n".join(p for p in parts if p),
        note=texts.STOP_HINT,
        actions=actions,
        numbered=expectation.expects in (Expect.CHOICE, Expect.DECIDER, Expect.TARGET) and bool(actions),
    )


def _numbered_in(question: str, choices: Sequence[str]) -> bool:
    return bool(choices) and f"1. {choices[0]}" in question


async def yes_no_validator(prompt_context: PromptValidatorContext) -> bool:
    value = prompt_context.recognized.value if prompt_context.recognized.succeeded else ""
    return parse_yes_no(value or "") is not None


async def non_empty_validator(prompt_context: PromptValidatorContext) -> bool:
    value = prompt_context.recognized.value if prompt_context.recognized.succeeded else ""
    return bool((value or "").strip())


def _alias_key(key: str) -> str:
    """A folded alias key; a contained-phrase key keeps its marker."""
    if key.startswith(CONTAINS):
        return CONTAINS + fold(key[len(CONTAINS):])
    return fold(key)
