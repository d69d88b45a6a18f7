"""'Den gode idé': submitting an idea, one question at a time or as one form.

The conversation is a small state machine run by a two-step waterfall that loops
(``replace_dialog``): step one asks the current question with a TextPrompt, step
two reads the answer, updates the draft and picks the next question. The state
(the draft and the current question) lives in the waterfall's options, which the
framework persists with the rest of the dialog state, so a restart does not lose
it; every answer is also saved as a draft through the :class:`IdeaPort`, so a
cancelled or abandoned idea can be resumed with »ny idé« or »fortsæt min idé«.

A short dialog: only what an idea cannot be routed or understood without is asked
(title, description, area), then a summary that says what will be sent, to which
committee and that it goes with the user's name, with the buttons Send idéen / Send
uden mit navn / Tilføj flere oplysninger / Ret / Annuller (»ja«, »ja tak«, »send den«
send it). »Tilføj flere oplysninger« asks the optional fields one at a time, each
skippable: economic potential, cross-cutting (yes/no), consequences for the four
forhold (a yes/no that comes before a text, so the text itself is an answer too);
then the summary again.

At any field question »send« (»ja send den«, »send den nu«) says in one line what is
still missing and asks again, or shows the summary when nothing required is missing;
a short message that only names an area (»jeg er i SSB«) sets the area, says so and
asks the same question again – it is never saved as that field.

Before saving, a similar idea of the user's own is never offered for support: the
user is asked whether to send the new one anyway or keep the old one; similar ideas
of others can be backed instead. A draft is never deleted without asking. In card
channels the first question also offers the whole form in one card; a submitted form
fills every field at once.

Each question is a state of :data:`MACHINE` and declares what it expects (see
:mod:`dialogs.prompts`); the router handles questions, commands and small talk
typed at any of them. The state diagram is in ``idea.md`` next to this module.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import TextPrompt

from dialogs import idea_messages as msgs
from dialogs import texts
from dialogs.activities import plain, send, wants_cards
from dialogs.idea_port import IdeaError, IdeaPort, Person, SimilarIdea, SupportOutcome
from dialogs.inbound import read_input
from dialogs.messages import Message
from dialogs.prompts import CONTAINS, Expect, is_skip, match_choice, options, parse_yes_no, without_second_thoughts
from dialogs.speaker import speaker_of
from dialogs.states import END, StateMachine
from knowledge.ideas_rules import (
    CONSEQUENCE_KEYS,
    FIELD_LIMITS,
    OPTIONAL_FIELDS,
    TITLE_MAX,
    FieldCorrection,
    FieldProblem,
    IdeaDraft,
    IdeaStatus,
    apply_typo_fix,
    check_consequence,
    check_description,
    check_potential,
    check_title,
    match_area,
    parse_field_correction,
    parse_idea_number,
    split_idea_message,
)
from knowledge.normalize import fold

log = logging.getLogger(__name__)

DIALOG_ID = msgs.DIALOG_ID
LOOP_ID = "idea.loop"
PROMPT_ID = "idea.text"

# Questions (state["ask"]).
START = "start"
RESUME = "resume"
TITLE = "title"
DESCRIPTION = "description"
POTENTIAL = "potential"
AREA = "area"
CROSS = "cross_cutting"
CONSEQUENCES = "consequences"
CONSEQUENCE = "consequence"
SUMMARY = "summary"
WHICH_FIELD = "which_field"
OWN_DUPLICATE = "own_duplicate"
DUPLICATES = "duplicates"
FIELDS = "fields"
MORE = "more"
#: The anonymity question of the longer dialog, still in dialog states saved before it was shortened.
LEGACY_ANONYMOUS = "anonymous"

MACHINE = StateMachine(
    name=DIALOG_ID,
    start=START,
    expects={
        START: None,
        RESUME: Expect.YES_NO,
        TITLE: Expect.TEXT,
        DESCRIPTION: Expect.TEXT,
        POTENTIAL: Expect.TEXT,
        AREA: Expect.CHOICE,
        CROSS: Expect.YES_NO,
        CONSEQUENCES: Expect.YES_NO_OR_TEXT,
        CONSEQUENCE: Expect.TEXT,
        SUMMARY: Expect.CHOICE,
        WHICH_FIELD: Expect.CHOICE,
        OWN_DUPLICATE: Expect.CHOICE,
        DUPLICATES: Expect.CHOICE,
    },
    groups={FIELDS: (TITLE, DESCRIPTION, AREA), MORE: (POTENTIAL, CROSS, CONSEQUENCES, CONSEQUENCE)},
    transitions={
        START: (RESUME, FIELDS, SUMMARY),
        RESUME: (RESUME, FIELDS, SUMMARY),
        FIELDS: (FIELDS, SUMMARY),
        MORE: (MORE, FIELDS, SUMMARY),
        SUMMARY: (SUMMARY, WHICH_FIELD, FIELDS, MORE, OWN_DUPLICATE, DUPLICATES, END),
        WHICH_FIELD: (WHICH_FIELD, FIELDS, MORE, SUMMARY),
        OWN_DUPLICATE: (OWN_DUPLICATE, DUPLICATES, END),
        DUPLICATES: (DUPLICATES, SUMMARY, END),
    },
)

#: Every question about a field of the draft, required or optional.
_FIELD_QUESTIONS = (*MACHINE.groups[FIELDS], *MACHINE.groups[MORE])
#: Alias values that only let a message through to the dialog, which reads the text itself.
#: Turn state: the receipt number of the idea this turn submitted (the router keeps it as context).
SUBMITTED_IDEA = "medbot.submitted_idea"
SEND_VALUE = "__send__"
DRAFT_VALUE = "__draft__"
ANONYMOUS_VALUE = "__anonymous__"
AREA_VALUE = "__area__"

_CONFIRM = frozenset(fold(w) for w in texts.IDEA_CONFIRM_WORDS)
_CANCEL = frozenset({"annuller", "annuler", "afbryd", "stop", "fortryd", "cancel"})
_SKIP = frozenset(fold(w) for w in texts.IDEA_SKIP_WORDS)
_AREA_UNKNOWN = frozenset(fold(w) for w in (texts.IDEA_AREA_UNKNOWN, *texts.IDEA_AREA_UNKNOWN_WORDS))
_AREA_UNKNOWN_LEADS = tuple(fold(w) for w in texts.IDEA_AREA_UNKNOWN_LEADS)
_SEND_ANYWAY = frozenset(fold(w) for w in texts.IDEA_SEND_ANYWAY_WORDS)
(_OWN_SEND_NEW, _OWN_KEEP_OLD) = (value for _title, value in msgs.own_duplicate_choices())
_RESUME = tuple(fold(w) for w in texts.IDEA_RESUME_WORDS)
_EDIT_WORD = fold(texts.IDEA_EDIT)
_SUPPORT_WORDS = ("stot", "støt")
_ANONYMOUS = frozenset(fold(w) for w in (texts.IDEA_SEND_ANONYMOUS, *texts.IDEA_SEND_ANONYMOUS_WORDS))
_ANONYMOUS_EARLY = frozenset(fold(w) for w in texts.IDEA_ANONYMOUS_EARLY_WORDS)
# »skal mit navn stå på den, vil helst være anonym«: the wish said in a sentence of its own
_WANTS_ANONYMOUS = re.compile(
    r"\b(helst|gerne|hellere|ville|vil) (vaere |vare |være |forblive )?anonym\w*\b|\buden (mit|vores) navn\b|\bikke (have )?mit navn (pa|på|med)\b"
)
_WISH_MAX_WORDS = 14
_SENDS = re.compile(r"\b(send|indsend)\b")
_WITH_NAME = frozenset(fold(w) for w in (texts.IDEA_SEND_WITH_NAME, *texts.IDEA_SEND_WITH_NAME_WORDS))
_ADD_MORE = frozenset(fold(w) for w in (texts.IDEA_ADD_MORE, *texts.IDEA_ADD_MORE_WORDS))
_YES_WORDS = frozenset(fold(w) for w in texts.YES_WORDS)
_ANONYMITY_FIELD = frozenset(fold(w) for w in (texts.IDEA_FIELD_LABELS["anonymous"], *texts.IDEA_FIELD_WORDS["anonymous"]))
_SEND = frozenset(fold(w) for w in texts.IDEA_SEND_WORDS)
_SEND_FILLERS = frozenset(fold(w) for w in texts.IDEA_SEND_FILLER_WORDS)
_AREA_STATEMENT = frozenset(fold(w) for w in texts.IDEA_AREA_STATEMENT_WORDS)
#: The most words a message that only names the area has (»vi hører under forvaltningen BFF«).
_AREA_STATEMENT_MAX_WORDS = 7
#: The answers a later message can correct (»glem titlen, den skal hedde …«, »*kopipapir«).
_CORRECTABLE = (TITLE, DESCRIPTION, POTENTIAL)
# A text too long for a title with this many words is the idea told in full (a description).
_DESCRIPTION_WORDS = 15
#: The questions where a short message naming an area is taken as the area.
_AREA_ELSEWHERE = (TITLE, DESCRIPTION, POTENTIAL, CROSS, CONSEQUENCES, CONSEQUENCE)


def person_of(turn_context: TurnContext) -> Person:
    """Who wrote this turn's activity (see :func:`dialogs.speaker.speaker_of`)."""
    return speaker_of(turn_context)


def _area_named_in(text: str, names: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """The one area whose name stands in a longer answer ("stab plus vel", "vi hører under BFF")."""
    compact = fold(text).replace(" ", "")
    found = {
        area_id
        for area_id, area_names in names
        for name in area_names
        if len(fold(name).replace(" ", "")) >= 3 and fold(name).replace(" ", "") in compact
    }
    return found.pop() if len(found) == 1 else None


def _cross_in_words(text: str) -> bool | None:
    """"det går på tværs af alle forvaltninger" -> True, "nej, kun hos os" -> False, else None."""
    folded = fold(text)
    for phrases, answer in ((texts.IDEA_CROSS_NO_PHRASES, False), (texts.IDEA_CROSS_YES_PHRASES, True)):
        if any(re.search(rf"\b{re.escape(fold(p))}\b", folded) for p in phrases):
            return answer
    return None


def is_send_request(text: str) -> bool:
    """»send«, »ja send den«, »send den nu«: the user wants the idea sent now."""
    words = fold(text).split()
    core = [w for w in words if w not in _SEND_FILLERS]
    return len(core) == 1 and core[0] in _SEND


def send_phrases() -> list[str]:
    """The typed forms of »send« a question lets through as an answer (see :func:`is_send_request`)."""
    return [
        " ".join(p for p in (prefix, verb, rest) if p)
        for prefix in ("", *texts.IDEA_SEND_PHRASE_BEFORE)
        for verb in texts.IDEA_SEND_WORDS
        for rest in ("", *texts.IDEA_SEND_PHRASE_AFTER)
    ]


def area_stated(text: str, names: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """The area a short message only names (»jeg er i SSB«, »vi hører under BFF«), if any.

    A longer text that mentions an area (»Digital vagtplan i VUF«) is not such a message:
    every other word must be one of the few words around an area's name.
    """
    words = fold(text).split()
    if not words or len(words) > _AREA_STATEMENT_MAX_WORDS:
        return None
    found: set[str] = set()
    rest = " " + " ".join(words) + " "
    for area_id, area_names in names:
        for name in sorted({fold(n) for n in area_names if n}, key=len, reverse=True):
            if len(name.replace(" ", "")) >= 3 and f" {name} " in rest:
                found.add(area_id)
                rest = rest.replace(f" {name} ", " ")
    if len(found) != 1 or any(w not in _AREA_STATEMENT for w in rest.split()):
        return None
    return found.pop()


def field_named(text: str) -> str | None:
    """The draft field a user names ("titel", "potentialet", "de fire forhold"), if any."""
    folded = fold(text)
    if not folded:
        return None
    for name, words in texts.IDEA_FIELD_WORDS.items():
        if name not in msgs.EDITABLE_FIELDS:
            continue  # the sender is chosen with the send buttons
        candidates = {fold(w) for w in words} | {fold(texts.IDEA_FIELD_LABELS[name])}
        if folded in candidates:
            return name
    return None


def _problem_text(field_name: str, problem: FieldProblem, value: str) -> str:
    label = texts.IDEA_FIELD_LABELS.get(field_name) or texts.idea_consequence_fact(
        texts.IDEA_CONSEQUENCE_LABELS.get(field_name, field_name)
    )
    if problem is FieldProblem.EMPTY:
        return texts.idea_field_empty(label)
    return texts.idea_field_too_long(label, FIELD_LIMITS[field_name], len(value.strip()))


class IdeaDialog(ComponentDialog):
    """The ComponentDialog with id ``"idea"`` (started by Intent.IDEA_NEW)."""

    def __init__(self, port: IdeaPort, dialog_id: str = DIALOG_ID) -> None:
        super().__init__(dialog_id)
        self._port = port
        self.add_dialog(TextPrompt(PROMPT_ID))
        self.add_dialog(WaterfallDialog(LOOP_ID, [self._ask_step, self._answer_step]))
        self.initial_dialog_id = LOOP_ID

    async def on_begin_dialog(self, inner_dc: DialogContext, options: object) -> DialogTurnResult:
        state: dict[str, Any] = {"ask": START, "text": options if isinstance(options, str) else "", "draft": {}}
        return await inner_dc.begin_dialog(LOOP_ID, state)

    # -- step 1: ask ---------------------------------------------------------------

    async def _ask_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        state: dict[str, Any] = step.options
        if state["ask"] == START:
            await self._start(step, state)
        elif state["ask"] not in MACHINE.expects:
            state["ask"] = self._next(state)  # a question this dialog no longer asks (saved before an update)
        message = self._question(step, state)
        return await step.prompt(PROMPT_ID, self._options(step, state, message))

    def _options(self, step: WaterfallStepContext, state: dict[str, Any], message: Message) -> Any:
        """The prompt's options with what the current question expects (see dialogs.prompts)."""
        ask = state["ask"]
        draft = IdeaDraft.from_dict(state["draft"])
        choices: list[tuple[str, str]] | None = None
        aliases: dict[str, str] = {}
        unmatched: str | None = None
        if ask in (RESUME, CROSS, CONSEQUENCES):
            unmatched = texts.IDEA_YES_NO_RETRY
            if ask == CROSS:
                # "det går på tværs af alle forvaltninger" / "nej, kun hos os": the answer in words.
                aliases = {CONTAINS + w: texts.NO.lower() for w in texts.IDEA_CROSS_NO_PHRASES}
                aliases.update({CONTAINS + w: texts.YES.lower() for w in texts.IDEA_CROSS_YES_PHRASES})
                aliases.update({w: texts.IDEA_SKIP.lower() for w in texts.SKIP_WORDS if parse_yes_no(w) is None})
        elif ask == CONSEQUENCE:
            aliases = {w: texts.IDEA_SKIP.lower() for w in texts.SKIP_WORDS}
        elif ask == AREA:
            areas = self._port.areas()
            choices = msgs.area_choices(areas)
            aliases = {name: a.id for a in areas for name in (a.id, a.name, a.committee, *a.names) if name}
            # an area's name inside a longer answer ("stab plus vel", "vi hører under BFF")
            aliases.update({CONTAINS + name: a.id for a in areas for name in (a.name, *a.names) if len(fold(name)) >= 3})
            aliases.update({word: msgs.AREA_UNKNOWN_VALUE for word in (texts.IDEA_AREA_UNKNOWN, *texts.IDEA_AREA_UNKNOWN_WORDS)})
            aliases.update({CONTAINS + w: msgs.AREA_UNKNOWN_VALUE for w in texts.IDEA_AREA_UNKNOWN_PHRASES})
            # »ja«, »ja tak« at the area question mean »send it«: the dialog says the area is still missing.
            aliases.update({w: SEND_VALUE for w in texts.YES_WORDS})
            unmatched = texts.idea_area_not_found("{answer}")
        elif ask in (SUMMARY, WHICH_FIELD):
            aliases = _field_aliases()
            if ask == WHICH_FIELD:
                aliases.update({w: SEND_VALUE for w in send_phrases()})
            if ask == SUMMARY:
                aliases.update({w: texts.IDEA_CONFIRM.lower() for w in (*texts.IDEA_CONFIRM_WORDS, *texts.YES_WORDS, *send_phrases())})
                aliases.update({w: texts.IDEA_SEND_ANONYMOUS.lower() for w in texts.IDEA_SEND_ANONYMOUS_WORDS})
                aliases.update({w: texts.IDEA_SEND_WITH_NAME.lower() for w in texts.IDEA_SEND_WITH_NAME_WORDS})
                aliases.update({w: texts.IDEA_ADD_MORE.lower() for w in texts.IDEA_ADD_MORE_WORDS})
                aliases[texts.IDEA_EDIT] = texts.IDEA_EDIT.lower()
                unmatched = texts.IDEA_SUMMARY_RETRY
        elif ask == OWN_DUPLICATE:
            aliases = {w: _OWN_SEND_NEW for w in texts.IDEA_OWN_SEND_NEW_WORDS}
            aliases.update({w: _OWN_KEEP_OLD for w in texts.IDEA_OWN_KEEP_OLD_WORDS})
        elif ask == DUPLICATES:
            offered = [str(s["number"]) for s in state.get("similar", [])]
            for number in offered:
                for form in texts.idea_support_words(number):
                    aliases[form] = texts.idea_support_action(number).lower()
            if len(offered) == 1:
                aliases.update({w: texts.idea_support_action(offered[0]).lower() for w in _SUPPORT_WORDS})
            aliases.update({w: texts.IDEA_SEND_ANYWAY.lower() for w in texts.IDEA_SEND_ANYWAY_WORDS})
            unmatched = texts.IDEA_DUPLICATES_RETRY
        if ask in _FIELD_QUESTIONS:
            # »ja send den« at a field question reaches the dialog, which says what is still missing.
            aliases.update({w: SEND_VALUE for w in send_phrases()})
            # »kan du huske hvad jeg skrev?«: the dialog shows the draft so far.
            aliases.update({CONTAINS + w: DRAFT_VALUE for w in texts.IDEA_SHOW_DRAFT_PHRASES})
            # »anonym tak« before the summary: the dialog notes it and asks the same question again.
            aliases.update({w: ANONYMOUS_VALUE for w in texts.IDEA_ANONYMOUS_EARLY_WORDS})
        if ask == CROSS:
            # »jeg er i SSB« at a yes/no question reaches the dialog, which takes it as the area.
            areas = self._port.areas()
            aliases.update({name: AREA_VALUE for a in areas for name in (a.name, *a.names) if len(fold(name)) >= 3})
            aliases.update({CONTAINS + name: AREA_VALUE for a in areas for name in (a.name, *a.names) if len(fold(name)) >= 3})
        return options(
            step,
            message,
            expects=MACHINE.expectation(ask),
            choices=choices,
            aliases=aliases,
            state=MACHINE.state_id(ask),
            unmatched=unmatched,
            set_aside=texts.IDEA_SET_ASIDE if draft.has_content() or state.get("resume") else None,
        )

    @staticmethod
    def _goto(state: dict[str, Any], new: str) -> None:
        """Move to the question ``new`` (a transition of :data:`MACHINE`)."""
        state["ask"] = MACHINE.move(state["ask"], new)

    async def _start(self, step: WaterfallStepContext, state: dict[str, Any]) -> None:
        person = person_of(step.context)
        stored = await self._port.load_draft(person)
        wants_resume = fold(state.get("text", "")).startswith(_RESUME)
        if stored is not None and stored.draft.has_content():
            if wants_resume:
                state["draft"] = stored.draft.to_dict()
                await send(step.context, plain(texts.IDEA_RESUMED))
                self._goto(state, self._next(state))
                return
            state["resume"] = {"draft": stored.draft.to_dict(), "updated_at": stored.updated_at.isoformat()}
            self._goto(state, RESUME)
            return
        if wants_resume:
            await send(step.context, plain(texts.IDEA_NO_DRAFT))
        written = self._written_in_start(state)
        if written is not None:
            await self._port.save_draft(person, IdeaDraft.from_dict(state["draft"]))
        await send(step.context, plain(texts.IDEA_INTRO if written is None else texts.idea_taken_from_message(written)))
        notes = self._port.process_notes()
        if notes:
            # A municipality whose own idea process is not described: never show another's as its own.
            await send(step.context, plain("\n".join(notes)))
        self._goto(state, self._next(state))

    def _written_in_start(self, state: dict[str, Any]) -> list[str] | None:
        """»ny idé: titel. beskrivelse. det hører til SSB«: the fields the first message already
        gives go into the draft (the summary shows them before anything is sent); the labels
        of the fields taken, or None when the message only asked to start."""
        start = split_idea_message(state.get("text", ""))
        if start is None:
            return None
        draft = IdeaDraft.from_dict(state["draft"])
        taken: list[str] = []
        if start.title and check_title(start.title) is None:
            draft.title = start.title[0].upper() + start.title[1:]
            taken.append("title")
        if start.description and check_description(start.description) is None:
            draft.description = start.description
            taken.append("description")
        if start.area_text:
            names = [(a.id, (a.name, a.committee, *a.names)) for a in self._port.areas()]
            area = match_area(start.area_text, names) or _area_named_in(start.area_text, names)
            if area is not None:
                draft.area_id = area
                taken.append("area")
        if not taken:
            return None
        state["draft"] = draft.to_dict()
        return taken

    def _question(self, step: WaterfallStepContext, state: dict[str, Any]) -> Message:
        ask = state["ask"]
        draft = IdeaDraft.from_dict(state["draft"])
        areas = self._port.areas()
        if ask == RESUME:
            resume = state["resume"]
            return msgs.resume_question(IdeaDraft.from_dict(resume["draft"]), datetime.fromisoformat(resume["updated_at"]))
        if ask == TITLE:
            with_form = wants_cards(step.context.activity.channel_id) and not state.get("edit")
            prefill = IdeaDraft.from_dict(state["form_prefill"]) if state.get("form_prefill") else draft
            return msgs.ask_title(areas, with_form, prefill)
        if ask == DESCRIPTION:
            return msgs.ask(texts.IDEA_ASK_DESCRIPTION)
        if ask == POTENTIAL:
            return msgs.ask_skippable(texts.IDEA_ASK_POTENTIAL)
        if ask == AREA:
            return msgs.ask_area(areas)
        if ask == CROSS:
            return msgs.ask_yes_no_skippable(texts.IDEA_ASK_CROSS)
        if ask == CONSEQUENCES:
            return msgs.ask_yes_no(texts.IDEA_ASK_CONSEQUENCES)
        if ask == CONSEQUENCE:
            key = CONSEQUENCE_KEYS[state.get("conseq_i", 0)]
            return msgs.ask_skippable(texts.idea_ask_consequence(texts.IDEA_CONSEQUENCE_LABELS[key]))
        if ask == WHICH_FIELD:
            return msgs.ask_which_field()
        if ask == OWN_DUPLICATE:
            own = _similar_from(state["own"])
            return msgs.own_duplicate(own)
        if ask == DUPLICATES:
            return msgs.duplicates([_similar_from(s) for s in state.get("similar", [])], self._port.budget_year())
        return msgs.summary(
            draft,
            self._area_name(draft),
            self._port.committee_for(draft.area_id, bool(draft.cross_cutting)),
            self._port.budget_year(),
            person_of(step.context).user_name,
        )

    # -- step 2: read the answer ------------------------------------------------------------

    async def _answer_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        state: dict[str, Any] = step.options
        text = self._numbered_choice(step, state, str(step.result or "").strip())
        user_input = read_input(step.context.activity)
        person = person_of(step.context)
        draft = IdeaDraft.from_dict(state["draft"])
        ask = state["ask"]

        if user_input.form == msgs.FORM_ID:
            await self._apply_form(step, state, user_input.values)
            return await step.replace_dialog(LOOP_ID, state)
        if ask not in MACHINE.expects:
            # The answer to a question this dialog no longer asks (»Vil du sende idéen anonymt?«,
            # asked before an update): kept when it can be, then the dialog goes on from the draft.
            if ask == LEGACY_ANONYMOUS and parse_yes_no(text) is not None:
                draft.anonymous = parse_yes_no(text)
                state["draft"] = draft.to_dict()
                await self._port.save_draft(person, draft)
            state["ask"] = self._next(state)
            return await step.replace_dialog(LOOP_ID, state)

        if ask == RESUME:
            return await self._answer_resume(step, state, text, person)
        if ask == SUMMARY:
            return await self._answer_summary(step, state, text, person)
        if ask == WHICH_FIELD:
            chosen = field_named(_strip_edit(text))
            if chosen is None and is_send_request(text):
                self._goto(state, self._next(state))  # nothing to change after all: the summary
            elif chosen is None:
                await send(step.context, plain(texts.IDEA_SUMMARY_RETRY))
            else:
                self._goto(state, self._edit_question(chosen, state))
                state["edit"] = True
            return await step.replace_dialog(LOOP_ID, state)
        if ask == OWN_DUPLICATE:
            return await self._answer_own_duplicate(step, state, text, person)
        if ask == DUPLICATES:
            return await self._answer_duplicates(step, state, text, person)

        if ask in _FIELD_QUESTIONS and any(fold(p) in fold(text) for p in texts.IDEA_SHOW_DRAFT_PHRASES):
            await send(step.context, msgs.draft_so_far(draft, self._area_name(draft)))
            return await step.replace_dialog(LOOP_ID, state)
        early = fold(text) in _ANONYMOUS_EARLY
        wish = len(text.split()) <= _WISH_MAX_WORDS and _WANTS_ANONYMOUS.search(fold(text)) is not None
        if ask in _FIELD_QUESTIONS and (early or wish):
            draft.anonymous = True
            state["draft"] = draft.to_dict()
            if early or ask in _CORRECTABLE:
                # the wish is the whole message, or a text field would keep it as its answer
                await self._port.save_draft(person, draft)
                await send(step.context, plain(texts.IDEA_ANONYMOUS_TAKEN))
                return await step.replace_dialog(LOOP_ID, state)
            # »det er BFF og jeg vil gerne være anonym« at the area: noted, and the rest read as the answer
            await send(step.context, plain(texts.IDEA_ANONYMOUS_TAKEN))
        correction = parse_field_correction(text) if ask in _FIELD_QUESTIONS else None
        if correction is not None:
            target = correction.field or state.get("last_field")
            if target in _CORRECTABLE and target != ask:
                return await self._correct(step, state, draft, str(target), correction, person)
            if target == ask and correction.whole:
                text = correction.value  # »titlen skal hedde …« at the title question: its answer
        if is_send_request(text) or (ask == AREA and fold(text) in _YES_WORDS):
            return await self._answer_send(step, state)
        stated = self._area_stated(text) if ask in _AREA_ELSEWHERE else None
        if stated is not None:
            # »jeg er i SSB« at another question: the area, never this field's answer.
            draft.area_id, draft.area_unknown = stated, False
            state["draft"] = draft.to_dict()
            await self._port.save_draft(person, draft)
            await send(step.context, plain(texts.idea_area_taken(self._area_name(draft) or stated)))
            return await step.replace_dialog(LOOP_ID, state)

        error, follow_up = self._apply_answer(state, draft, ask, text)
        if error is not None:
            await send(step.context, plain(error))
            return await step.replace_dialog(LOOP_ID, state)
        state["draft"] = draft.to_dict()
        state.pop("form_prefill", None)
        await self._port.save_draft(person, draft)
        if state.pop("description_first", None):
            await send(step.context, plain(texts.idea_description_first(TITLE_MAX)))
        if state.pop("taken_as", None):
            await send(step.context, plain(texts.idea_consequence_taken(texts.IDEA_CONSEQUENCE_LABELS[CONSEQUENCE_KEYS[0]])))
        if follow_up is None:
            _asked(state, CONSEQUENCES if ask == CONSEQUENCE else ask)
        if ask in _CORRECTABLE:
            state["last_field"] = ask
        self._goto(state, follow_up or self._next(state))
        return await step.replace_dialog(LOOP_ID, state)

    async def _correct(
        self,
        step: WaterfallStepContext,
        state: dict[str, Any],
        draft: IdeaDraft,
        field_name: str,
        correction: FieldCorrection,
        person: Person,
    ) -> DialogTurnResult:
        """»glem titlen, den skal hedde …«, »*kopipapir mente jeg«: an earlier answer corrected.

        The corrected field changes, the user hears what it is now, and the question that
        was open is asked again.
        """
        previous = str(getattr(draft, field_name) or "")
        value = correction.value if correction.whole else apply_typo_fix(previous, correction.value)
        if value == previous and not correction.whole:
            await send(step.context, plain(texts.IDEA_CORRECTION_NOT_FOUND))
            return await step.replace_dialog(LOOP_ID, state)
        error, _follow = self._apply_answer(state, draft, field_name, value)
        if error is not None:
            await send(step.context, plain(error))
            return await step.replace_dialog(LOOP_ID, state)
        state["draft"] = draft.to_dict()
        await self._port.save_draft(person, draft)
        await send(step.context, plain(texts.idea_field_corrected(texts.IDEA_FIELD_LABELS[field_name], value)))
        return await step.replace_dialog(LOOP_ID, state)

    async def _answer_send(self, step: WaterfallStepContext, state: dict[str, Any]) -> DialogTurnResult:
        """»send« at a field question: what is still missing, in one line, or the summary."""
        self._next(state)  # an organisation without areas needs none
        missing = IdeaDraft.from_dict(state["draft"]).missing()
        if missing:
            labels = [texts.IDEA_FIELD_LABELS[name].lower() for name in missing]
            await send(step.context, plain(texts.idea_still_missing(labels)))
            return await step.replace_dialog(LOOP_ID, state)
        state.pop("more", None)
        state.pop("conseq_i", None)
        self._goto(state, self._next(state))
        return await step.replace_dialog(LOOP_ID, state)

    def _area_stated(self, text: str) -> str | None:
        areas = self._port.areas()
        return area_stated(text, [(a.id, (a.id, a.name, a.committee, *a.names)) for a in areas])

    def _numbered_choice(self, step: WaterfallStepContext, state: dict[str, Any], text: str) -> str:
        """A typed number picks the numbered choice shown in text channels ("1. Bekræft")."""
        if not text.isdigit() or state["ask"] in (TITLE, DESCRIPTION, POTENTIAL, AREA, CONSEQUENCE):
            return text
        actions = self._question(step, state).actions
        index = int(text)
        return actions[index - 1].text if 1 <= index <= len(actions) else text

    def _apply_answer(
        self, state: dict[str, Any], draft: IdeaDraft, ask: str, text: str
    ) -> tuple[str | None, str | None]:
        """Put the answer into the draft.

        Returns ``(error, follow_up)``: an error sentence to re-ask the same question
        with, or the question that must come next (a sub-question); ``(None, None)``
        lets the caller pick the next missing field.
        """
        if ask == POTENTIAL and (fold(text) in _SKIP or is_skip(text)):
            return None, None  # skipped: whatever was there stays
        if ask in (TITLE, DESCRIPTION, POTENTIAL):
            checker = {TITLE: check_title, DESCRIPTION: check_description, POTENTIAL: check_potential}[ask]
            problem = checker(text)
            if (
                ask == TITLE
                and problem is FieldProblem.TOO_LONG
                and len(text.split()) >= _DESCRIPTION_WORDS
                and not draft.description
                and check_description(text) is None
            ):
                # The whole idea typed where the title was asked for: it is the description, and a
                # short title is asked for next (nothing typed is lost)
                draft.description = text
                state["description_first"] = True
                return None, TITLE
            if problem is not None:
                return _problem_text(ask, problem, text), None
            setattr(draft, ask, text)
            return None, None
        if ask == AREA:
            areas = self._port.areas()
            choices = msgs.area_choices(areas)
            names = [(a.id, (a.name, a.committee, *a.names)) for a in areas]
            chosen = match_choice(text, choices) or match_area(text, names)
            if chosen is None and (
                fold(text) in _AREA_UNKNOWN or any(fold(text).startswith(w + " ") for w in _AREA_UNKNOWN_LEADS)
            ):
                chosen = msgs.AREA_UNKNOWN_VALUE  # also »ved ikke hvilken forvaltning«
            if chosen is None:
                chosen = _area_named_in(text, names)
            if chosen is None:
                return texts.idea_area_not_found(text), None
            draft.area_id = None if chosen == msgs.AREA_UNKNOWN_VALUE else chosen
            draft.area_unknown = chosen == msgs.AREA_UNKNOWN_VALUE
            return None, None
        if ask == CONSEQUENCES and parse_yes_no(text) is None and not is_skip(text):
            # The text itself, typed at "Vil du beskrive …?": the user has described the
            # consequences in one go; it is kept (under the first forhold, shown in the
            # summary, where it can be changed) and the four questions are not asked one by one.
            problem = check_consequence(text)
            if problem is not None:
                return _problem_text(CONSEQUENCE_KEYS[0], problem, text), None
            draft.consequences[CONSEQUENCE_KEYS[0]] = text
            draft.consequences_asked = True
            state["taken_as"] = True
            return None, None
        if ask in (CROSS, CONSEQUENCES):
            answer = False if ask == CONSEQUENCES and is_skip(text) else parse_yes_no(text)
            if answer is None and ask == CROSS:
                answer = _cross_in_words(text)
                if answer is None and (fold(text) in _SKIP or is_skip(text)):
                    return None, None  # skipped: whatever was there stays
            if answer is None:
                return texts.IDEA_YES_NO_RETRY, None
            if ask == CROSS:
                draft.cross_cutting = answer
            elif answer:
                state["conseq_i"] = 0
                return None, CONSEQUENCE
            else:
                draft.consequences = {}
                draft.consequences_asked = True
            return None, None
        if ask == CONSEQUENCE:
            index = int(state.get("conseq_i", 0))
            key = CONSEQUENCE_KEYS[index]
            if fold(text) in _SKIP or is_skip(text) or not text:
                draft.consequences.pop(key, None)
            else:
                problem = check_consequence(text)
                if problem is not None:
                    return _problem_text(key, problem, text), None
                draft.consequences[key] = text
            if index + 1 < len(CONSEQUENCE_KEYS):
                state["conseq_i"] = index + 1
                return None, CONSEQUENCE
            draft.consequences_asked = True
            state.pop("conseq_i", None)
            return None, None
        return None, None

    def _next(self, state: dict[str, Any]) -> str:
        draft = IdeaDraft.from_dict(state["draft"])
        if not self._port.areas() and not draft.has_area():
            draft.area_unknown = True
            state["draft"] = draft.to_dict()
        missing = draft.missing()
        if missing:
            return missing[0]
        if state.get("more"):
            # »Tilføj flere oplysninger«: the optional fields one at a time.
            return str(state["more"][0])
        state.pop("more", None)
        state.pop("edit", None)
        return SUMMARY

    def _edit_question(self, field_name: str, state: dict[str, Any]) -> str:
        draft = IdeaDraft.from_dict(state["draft"])
        if field_name == "consequences":
            draft.consequences_asked = False
        state["draft"] = draft.to_dict()
        return {"consequences": CONSEQUENCES}.get(field_name, field_name)

    def _area_name(self, draft: IdeaDraft) -> str | None:
        if draft.area_unknown:
            return texts.IDEA_AREA_UNKNOWN
        for area in self._port.areas():
            if area.id == draft.area_id:
                return area.name
        return None

    # -- answers that end or branch -----------------------------------------------------------

    async def _answer_resume(
        self, step: WaterfallStepContext, state: dict[str, Any], text: str, person: Person
    ) -> DialogTurnResult:
        answer = parse_yes_no(text)
        if answer is None:
            await send(step.context, plain(texts.IDEA_YES_NO_RETRY))
            return await step.replace_dialog(LOOP_ID, state)
        resume = state.pop("resume", {})
        if answer:
            state["draft"] = resume.get("draft", {})
            await send(step.context, plain(texts.IDEA_RESUMED))
        else:
            state["draft"] = {}
            await self._port.discard_draft(person)
            await send(step.context, plain(texts.IDEA_STARTING_OVER))
        self._goto(state, self._next(state))
        return await step.replace_dialog(LOOP_ID, state)

    async def _answer_summary(
        self, step: WaterfallStepContext, state: dict[str, Any], text: str, person: Person
    ) -> DialogTurnResult:
        folded = without_second_thoughts(fold(text))  # »hov nej vent, med mit navn«
        rest = _strip_edit(text)
        if rest in _ANONYMITY_FIELD:
            # »anonymt«: without the name, »ret anonym«: the other way round; shown before anything is sent.
            draft = IdeaDraft.from_dict(state["draft"])
            draft.anonymous = True if folded in _ANONYMITY_FIELD else not draft.anonymous
            state["draft"] = draft.to_dict()
            await self._port.save_draft(person, draft)
            await send(step.context, plain(texts.IDEA_NOW_ANONYMOUS if draft.anonymous else texts.IDEA_NOW_NAMED))
            return await step.replace_dialog(LOOP_ID, state)
        if folded in _ADD_MORE:
            draft = IdeaDraft.from_dict(state["draft"])
            state["more"] = draft.unfilled_optional() or list(OPTIONAL_FIELDS)
            await send(step.context, plain(texts.IDEA_MORE_INTRO))
            self._goto(state, self._next(state))
            return await step.replace_dialog(LOOP_ID, state)
        if folded in _ANONYMOUS or folded in _WITH_NAME:
            draft = IdeaDraft.from_dict(state["draft"])
            draft.anonymous = folded in _ANONYMOUS
            state["draft"] = draft.to_dict()
            await self._port.save_draft(person, draft)
            if not _SENDS.search(folded):
                # »anonymt tak«, »med navn«: the choice, typed; the idea goes when the user says »send«
                await send(step.context, plain(texts.IDEA_NOW_ANONYMOUS if draft.anonymous else texts.IDEA_NOW_NAMED))
                return await step.replace_dialog(LOOP_ID, state)
        if folded in _CONFIRM or folded in _YES_WORDS or folded in _ANONYMOUS or folded in _WITH_NAME or is_send_request(text):
            draft = IdeaDraft.from_dict(state["draft"])
            similar = await self._port.find_similar(draft, person)
            own = [s for s in similar if s.own]
            others = [s for s in similar if not s.own]
            state["similar"] = [_similar_to(s) for s in others]
            if own:
                # Never offer the user's own idea for support: ask what to do with the new one.
                state["own"] = _similar_to(own[0])
                self._goto(state, OWN_DUPLICATE)
                return await step.replace_dialog(LOOP_ID, state)
            if others:
                self._goto(state, DUPLICATES)
                return await step.replace_dialog(LOOP_ID, state)
            return await self._submit(step, state, person)
        if folded in _CANCEL:
            self._goto(state, END)
            await send(step.context, plain(f"{texts.CANCELLED}\n\n{texts.IDEA_SET_ASIDE}"))
            return await step.end_dialog({"cancelled": True})
        if folded.startswith(_EDIT_WORD) or field_named(rest) is not None:
            chosen = field_named(rest)
            if chosen is None:
                self._goto(state, WHICH_FIELD)
            else:
                self._goto(state, self._edit_question(chosen, state))
                state["edit"] = True
            return await step.replace_dialog(LOOP_ID, state)
        await send(step.context, plain(texts.IDEA_SUMMARY_RETRY))
        return await step.replace_dialog(LOOP_ID, state)

    async def _answer_duplicates(
        self, step: WaterfallStepContext, state: dict[str, Any], text: str, person: Person
    ) -> DialogTurnResult:
        offered = [str(s["number"]) for s in state.get("similar", [])]
        folded = fold(text)
        chosen: str | None = None
        number = parse_idea_number(text)
        if number is not None and str(number) in offered:
            chosen = str(number)
        elif text.strip().isdigit() and 1 <= int(text.strip()) <= len(offered) + 1:
            index = int(text.strip())
            if index == len(offered) + 1:
                return await self._submit(step, state, person)
            chosen = offered[index - 1]
        elif folded in _SEND_ANYWAY:
            return await self._submit(step, state, person)
        elif folded in _SUPPORT_WORDS and len(offered) == 1:
            chosen = offered[0]
        if chosen is None:
            await send(step.context, plain(texts.IDEA_DUPLICATES_RETRY))
            return await step.replace_dialog(LOOP_ID, state)
        outcome = await self._port.support(chosen, person)
        if outcome in (SupportOutcome.NOT_FOUND, SupportOutcome.OWN_IDEA):
            # Nothing happened: the draft stays, back to the summary.
            sentence = texts.idea_not_found(chosen) if outcome is SupportOutcome.NOT_FOUND else texts.idea_own_idea(chosen)
            await send(step.context, plain(sentence))
            self._goto(state, SUMMARY)
            return await step.replace_dialog(LOOP_ID, state)
        await self._port.discard_draft(person)
        sentence = texts.idea_supported(chosen) if outcome is SupportOutcome.SUPPORTED else texts.idea_already_supported(chosen)
        await send(step.context, plain(sentence))
        self._goto(state, END)
        return await step.end_dialog({"supported": chosen})

    async def _answer_own_duplicate(
        self, step: WaterfallStepContext, state: dict[str, Any], text: str, person: Person
    ) -> DialogTurnResult:
        own = state.get("own", {})
        choice = match_choice(text, msgs.own_duplicate_choices())
        folded = fold(text)
        if choice is None:
            if folded in {fold(w) for w in texts.IDEA_OWN_SEND_NEW_WORDS}:
                choice = _OWN_SEND_NEW
            elif folded in {fold(w) for w in texts.IDEA_OWN_KEEP_OLD_WORDS}:
                choice = _OWN_KEEP_OLD
        if choice is None:
            await send(step.context, plain(texts.IDEA_YES_NO_RETRY))
            return await step.replace_dialog(LOOP_ID, state)
        if choice == _OWN_KEEP_OLD:
            # The user chose it, on a button that says so.
            await self._port.discard_draft(person)
            self._goto(state, END)
            await send(step.context, plain(texts.idea_own_kept_old(str(own.get("number", "")))))
            return await step.end_dialog({"kept": own.get("number")})
        state.pop("own", None)
        if state.get("similar"):
            self._goto(state, DUPLICATES)
            return await step.replace_dialog(LOOP_ID, state)
        return await self._submit(step, state, person)

    async def _submit(self, step: WaterfallStepContext, state: dict[str, Any], person: Person) -> DialogTurnResult:
        draft = IdeaDraft.from_dict(state["draft"])
        state["ask"] = MACHINE.move(state["ask"], END)
        try:
            receipt = await self._port.submit(draft, person)
        except IdeaError:
            log.exception("could not submit an idea")
            await send(step.context, plain(texts.IDEA_SUBMIT_FAILED))
            return await step.end_dialog({"failed": True})
        parts = [
            texts.idea_receipt(
                receipt.number,
                receipt.committee_name,
                committee_notified=receipt.committee_notified,
                feedback_possible=receipt.feedback_possible,
                contact=receipt.contact,
            )
        ]
        step.context.turn_state[SUBMITTED_IDEA] = receipt.number
        if receipt.anonymous:
            parts.append(texts.IDEA_RECEIPT_ANONYMOUS)
        if not receipt.feedback_possible:
            parts.append(texts.IDEA_RECEIPT_NO_FEEDBACK)
        await send(step.context, plain("\n\n".join(parts)))
        return await step.end_dialog({"submitted": receipt.number})

    # -- a whole form at once ---------------------------------------------------------------

    async def _apply_form(self, step: WaterfallStepContext, state: dict[str, Any], values: Any) -> None:
        person = person_of(step.context)
        draft, problems = self._draft_from_form(values)
        state["draft"] = draft.to_dict()
        await self._port.save_draft(person, draft)
        if problems:
            await send(step.context, plain(texts.idea_form_errors(problems)))
            state["form_prefill"] = _raw_form_draft(values).to_dict()
            state.pop("edit", None)
            self._goto(state, TITLE)
            return
        state.pop("edit", None)
        state.pop("form_prefill", None)
        self._goto(state, self._next(state))

    def _draft_from_form(self, values: Any) -> tuple[IdeaDraft, list[str]]:
        """The valid part of a submitted form, and a sentence for each problem."""
        def value(key: str) -> str:
            return _form_value(values, key)

        problems: list[str] = []
        draft = IdeaDraft()
        for name, checker in (("title", check_title), ("description", check_description), ("potential", check_potential)):
            text = value(name)
            problem = checker(text)
            if problem is not None:
                problems.append(_problem_text(name, problem, text))
            if problem is not FieldProblem.TOO_LONG:
                setattr(draft, name, text)
        area = value("area")
        known = {a.id for a in self._port.areas()}
        if area == msgs.AREA_UNKNOWN_VALUE or (not known and not area):
            draft.area_unknown = True
        elif area in known:
            draft.area_id = area
        elif area:
            problems.append(texts.idea_area_not_found(area))
        else:
            problems.append(texts.idea_field_empty(texts.IDEA_FIELD_LABELS["area"]))
        draft.cross_cutting = value(msgs.FIELD_CROSS).lower() == "true"
        draft.anonymous = value(msgs.FIELD_ANONYMOUS).lower() == "true"
        for key in CONSEQUENCE_KEYS:
            text = value(msgs.consequence_field(key))
            if not text:
                continue
            problem = check_consequence(text)
            if problem is not None:
                problems.append(_problem_text(key, problem, text))
            else:
                draft.consequences[key] = text
        draft.consequences_asked = True
        return draft, problems


def _form_value(values: Any, key: str) -> str:
    raw = values.get(key) if hasattr(values, "get") else None
    return str(raw).strip() if raw is not None else ""


def _raw_form_draft(values: Any) -> IdeaDraft:
    """Everything the form held, unvalidated: to show the form again as the user left it."""
    area = _form_value(values, "area")
    return IdeaDraft(
        title=_form_value(values, "title"),
        description=_form_value(values, "description"),
        potential=_form_value(values, "potential"),
        area_id=area if area and area != msgs.AREA_UNKNOWN_VALUE else None,
        area_unknown=area == msgs.AREA_UNKNOWN_VALUE,
        cross_cutting=_form_value(values, msgs.FIELD_CROSS).lower() == "true",
        consequences={k: _form_value(values, msgs.consequence_field(k)) for k in CONSEQUENCE_KEYS},
        anonymous=_form_value(values, msgs.FIELD_ANONYMOUS).lower() == "true",
    )


def _asked(state: dict[str, Any], field_name: str) -> None:
    """``field_name`` has been answered (or skipped): not asked again in this round of optional fields."""
    more = [f for f in state.get("more") or [] if f != field_name]
    if more:
        state["more"] = more
    else:
        state.pop("more", None)


def _strip_edit(text: str) -> str:
    folded = fold(text)
    if folded.startswith(_EDIT_WORD + " "):
        return folded[len(_EDIT_WORD) + 1 :]
    if folded == _EDIT_WORD:
        return ""
    return folded


def _field_aliases() -> dict[str, str]:
    """Every way to name a field at the summary ("ret potentialet", "titel") -> its button text."""
    out: dict[str, str] = {}
    labels = texts.IDEA_FIELD_LABELS
    edit = texts.IDEA_EDIT.lower()
    for name, words in texts.IDEA_FIELD_WORDS.items():
        target = f"{edit} {labels[name].lower()}"
        for word in (*words, labels[name]):
            out[word] = target
            out[f"{edit} {word}"] = target
    return out


def _similar_to(similar: SimilarIdea) -> dict[str, Any]:
    return {
        "number": similar.number,
        "title": similar.title,
        "status": similar.status.value,
        "status_label": similar.status_label,
        "score": similar.score,
        "own": similar.own,
    }


def _similar_from(data: dict[str, Any]) -> SimilarIdea:
    return SimilarIdea(
        number=str(data["number"]),
        title=str(data["title"]),
        status=IdeaStatus(data["status"]),
        status_label=str(data["status_label"]),
        score=float(data["score"]),
        own=bool(data.get("own", False)),
    )
