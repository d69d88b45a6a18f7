"""The main conversation: routes each message to a dialog or answers it directly.

The conversation model lives here, in one place, for every dialog. Each prompt says
what it expects (:class:`dialogs.prompts.Expectation`, stored with the dialog state);
the router reads the innermost active prompt's expectation and decides, for every
message while a dialog runs, in this order:

a. the expected answer in any natural form (button, number, words; at a text
   question the text itself) → the dialog continues;
b. a global command (»hjælp«, »annuller«, »mine påmindelser«, »ny idé«, a reminder
   request or command such as »flyt 1 til fredag kl 13«, a new case, »mine idéer«,
   a personal matter) → handled; leaving a dialog says what happens to what the user
   had started (idea drafts are kept in the database);
c. a question (»?« at the end or an asking first word) that the knowledge base
   answers → answered, then the prompt again (at a text question with a button to
   use the text as the answer after all; at the reminder list the list just ends);
d. trivial input (punctuation, one emoji, keyboard mash) → a short friendly reply
   and the prompt again, never logged as an unanswered question;

otherwise a text question takes the text as the answer, the reminder list ends
quietly and the message is handled as if no dialog ran, a case typed at the decider
prompt starts the case over, and any other prompt says what it expected, with the
choices and how to stop. When a message could be two things, the router asks
(»… eller …?« with »Ingen af dem«) and keeps the text in the conversation state
until the user has chosen: nothing typed is silently reinterpreted or thrown away.

English is answered in Danish, and the first English message in a conversation gets
one English sentence saying so. A click on a card whose dialog is no longer running
gets a polite answer instead of being taken for a new question.

A personal dialog (an idea, reminders: :func:`is_personal_dialog`) asked for in a group
chat or channel does not start there: it starts in the user's 1:1 chat with the bot,
with the text typed in the group, and the group gets one short note (or, when the 1:1
chat cannot be opened, a request to write to the bot directly). The 1:1 chat's own
dialog state is the one that continues. Questions and the case dialog stay in the group.

.. code-block:: mermaid

    stateDiagram-v2
        [*] --> idle
        idle --> dialog: a command starts a dialog
        idle --> idle: question, small talk, trivial input
        dialog --> dialog: answer / question / trivial / not understood
        dialog --> asking: two readings
        asking --> dialog: »Det var mit svar«
        asking --> dialog: the other reading starts a dialog
        asking --> idle: »Ingen af dem«
        dialog --> idle: dialog ends, »annuller«, list left
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from botbuilder.core import ConversationState, StatePropertyAccessor, TurnContext
from botbuilder.dialogs import ComponentDialog, Dialog, DialogContext, DialogInstance, DialogSet

from dialogs import qa, texts
from dialogs.activities import plain, send
from dialogs.answers import Reading, describes_case, read_answer
from dialogs.case_level import ANSWERED_CASE, ANSWERED_LEVEL, personal_matter_message
from dialogs.deps import DialogDeps
from dialogs.idea import DIALOG_ID as IDEA_DIALOG_ID
from dialogs.idea import SUBMITTED_IDEA
from dialogs.inbound import UserInput
from dialogs.messages import Action, Message
from dialogs.prompts import Expect, Expectation, expectation_of, not_understood_message, parse_yes_no
from dialogs.recent import QUESTION_FOLLOW_UP, RecentContext, recent, sure
from dialogs.reminders import REMINDER_DIALOG_ID, is_subscription_request
from dialogs.start import greeting_message, help_message, is_group
from knowledge.chatter import (
    asks_for_english,
    drawn_out,
    is_ack,
    is_chit_chat,
    is_english,
    is_trivial,
    looks_like_question,
)
from knowledge.followup import follow_up_question
from knowledge.ideas_rules import CommandKind, parse_idea_command
from knowledge.intents import Classified, Intent, cancels_first, classify
from knowledge.levels import DECIDER_CHOICES, parse_decider
from knowledge.normalize import fold
from knowledge.reminder_text import DeleteCommand, parse_manage_command
from knowledge.search import SearchResult

log = logging.getLogger(__name__)

DIALOG_STATE_PROPERTY = "DialogState"
LAST_TURN_PROPERTY = "LastTurnAt"
HELD_PROPERTY = "HeldInput"
ENGLISH_PROPERTY = "EnglishNoted"
#: The dialog id on the buttons of a »did you mean …« question.
ASK_DIALOG = "router.ask"
# A conversation left alone this long is not resumed by the next message.
DEFAULT_IDLE_TIMEOUT = timedelta(hours=12)

#: Intents that are commands wherever the user is.
COMMAND_INTENTS = frozenset(
    {
        Intent.CASE_LEVEL,
        Intent.IDEA_NEW,
        Intent.IDEA_LIST,
        Intent.REMINDER_NEW,
        Intent.REMINDER_LIST,
        Intent.SUBSCRIBE,
        Intent.UNSUBSCRIBE,
        Intent.PERSONAL,
    }
)
# At a text question, a command is taken as a command when it is clear: an exact command
# phrase ("mine påmindelser"), a command of a strict form ("mind mig om …", "flyt 1 til …",
# "støt idé 2027-014"), or a short message for the intents found anywhere in a text
# ("ny idé", "hvilket udvalg"). Otherwise (a long text, or "afmeld papirpost" as an idea's
# title) it could be the answer: the router asks.
_STRICT_INTENTS = frozenset({Intent.REMINDER_NEW, Intent.REMINDER_LIST, Intent.IDEA_LIST})
_SHORT_INTENTS = frozenset({Intent.CASE_LEVEL, Intent.IDEA_NEW, Intent.PERSONAL})
_SHORT_COMMAND_WORDS = 6

#: Dialogs that hold a person's own data (drafts, reminders). See :func:`is_personal_dialog`.
PERSONAL_DIALOG_IDS = frozenset({"idea", "idea_admin", REMINDER_DIALOG_ID})


def is_personal_dialog(dialog_id: str, text: str = "") -> bool:
    """True when ``dialog_id``, started with ``text``, is a personal conversation (own
    ideas, the anonymity question included; own reminders).

    Started in a group chat or channel, such a dialog continues in the user's 1:1 chat
    (:meth:`Router._begin`). A subscription is not personal: a channel subscribes to the
    meeting plans for everyone in it, so it stays where it was typed.
    """
    if dialog_id not in PERSONAL_DIALOG_IDS:
        return False
    return not (dialog_id == REMINDER_DIALOG_ID and is_subscription_request(text))


# »hvad mener du?«, »hvad betyder det?«, »forstår ikke«: the user asks what the bot meant
_WHAT_DO_YOU_MEAN = re.compile(
    r"^(hva|hvad|hm+|oh)?\s*(mener du|betyder det|menes der|mente du)\s*\??$|^(jeg )?forstar (det )?(ikke|ik)\b|^what do you mean\b"
)
# What a question asked inside a dialog is about, when it says no more than »den«.
_DIALOG_TOPICS = {IDEA_DIALOG_ID: texts.IDEA_DIALOG_TOPIC}
# A question about the prompt itself: what the bot wants to be told.
_ABOUT_PROMPT = re.compile(
    r"\bwhat do you (need|want|mean)\b|\bwhat (should|do) i (write|type|answer|do)\b|\bi do ?n.?t understand\b"
    r"|\bhvad (skal|vil) (jeg|du) (skrive|svare|have)\b|\bhvad mener du\b|\bjeg forstar (ikke|ik)\b"
    r"|\bhvor (var|er) vi( nu| henne)?$|\bwhere were we\b|\bhvad (var|er) det (nu )?(du spurgte|du spurgte om|du ville)\b"
)
# Words that open a remark, not an answer: »hov det her er jo teamkanalen«, »hmm skal sådan noget …«
_INTERJECTION = r"(?:og|men|ok|okay|hov|vent|hmm+|hm|na|oh|oeh|uh|ups|arh|ah|fedt|super|godt|fint|btw|forresten)"
_REMARK = re.compile(r"^(hov|hmm+|hm|ups|oeh|uh|arh|na)\b")
# A first word that asks (after "btw", "og", "men"): the message is a question, not an answer.
# A question without its question mark, as phones send it: »og hvad sker der så med den bagefter«,
# »skal den ikke forbi vores lokalmed først« (a description rarely opens like this)
_ASKS_PLAINLY = re.compile(
    rf"^({_INTERJECTION} )*(hvem|hvad|hvor|hvordan|hvornar|hvorfor|hvilke\w*"
    r"|(skal|kan|ma|bliver|kommer) (den|det|jeg|vi|man|de|ideen|forslaget|sadan|saadan|dette) )\b"
)
_ASKS = re.compile(
    rf"^({_INTERJECTION} )*(hvad|hvem|hvor|hvordan|hvornar|hvorfor|hvilke\w*|kan|ma|skal|er|har|what|who|why|how|when|is|can)\b"
)


def _only_the_list(intent: Intent, text: str) -> bool:
    """»mine påmindelser«, »mine idéer«: only a look at the list (not »slet 2«, »idé 2027-001«)."""
    if intent is Intent.REMINDER_LIST:
        return parse_manage_command(text) is None
    if intent is Intent.IDEA_LIST:
        command = parse_idea_command(text)
        return command is not None and command.kind is CommandKind.MY_IDEAS
    return False


@runtime_checkable
class ShowsList(Protocol):
    """A dialog that can show its list without starting over (the reminders, the ideas)."""

    async def show_list(self, context: TurnContext) -> None: ...


class Move(enum.Enum):
    CONTINUE = "continue"  # the expected answer: the dialog goes on
    COMMAND = "command"  # a global command
    NEW_CASE = "new_case"  # a new case typed at the decider prompt
    ASK_DECIDER_OR_CASE = "ask_decider_or_case"
    ASK_ANSWER_OR_COMMAND = "ask_answer_or_command"
    QUESTION = "question"  # answered, then the prompt again
    QUESTION_OR_ANSWER = "question_or_answer"  # answered, with a button to use it as the answer
    QUESTION_LEAVE = "question_leave"  # answered; the (soft) prompt ends
    ASK_ANSWER_OR_QUESTION = "ask_answer_or_question"  # a question-shaped text at a text prompt
    QUESTION_UNKNOWN = "question_unknown"  # a question the knowledge cannot answer: "ved jeg ikke", then the prompt
    SMALL_TALK = "small_talk"
    TRIVIAL = "trivial"
    LEAVE = "leave"  # a soft prompt (a list) ends; the message is handled afresh
    NOT_UNDERSTOOD = "not_understood"


@dataclass(frozen=True)
class Decision:
    move: Move
    intent: Intent | None = None
    search: SearchResult | None = None


class Router:
    """Owns the DialogSet. ``dialogs`` maps the intents that start a dialog to it."""

    def __init__(
        self,
        deps: DialogDeps,
        conversation_state: ConversationState,
        dialogs: Mapping[Intent, Dialog] | None = None,
        idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        self._deps = deps
        self._idle_timeout = idle_timeout
        self._last_turn: StatePropertyAccessor = conversation_state.create_property(LAST_TURN_PROPERTY)
        self._state: StatePropertyAccessor = conversation_state.create_property(DIALOG_STATE_PROPERTY)
        self._held: StatePropertyAccessor = conversation_state.create_property(HELD_PROPERTY)
        self._english: StatePropertyAccessor = conversation_state.create_property(ENGLISH_PROPERTY)
        self._dialog_set = DialogSet(self._state)
        self._starts: dict[Intent, str] = {}
        for intent, dialog in (dialogs or {}).items():
            if self._dialog_set.find_dialog(dialog.id) is None:
                self._dialog_set.add(dialog)
            self._starts[intent] = dialog.id
        self._recent = RecentContext(deps, conversation_state, places_cases=Intent.CASE_LEVEL in self._starts)

    # -- the turn ----------------------------------------------------------------------

    async def on_message(self, turn_context: TurnContext, user_input: UserInput) -> None:
        await self._on_message(turn_context, user_input)
        answered = turn_context.turn_state.get(ANSWERED_CASE)
        if answered:
            await self._recent.last_case.set(
                turn_context,
                {"case": answered, "at": self._deps.clock.now().isoformat(), "level": turn_context.turn_state.get(ANSWERED_LEVEL)},
            )
        if turn_context.turn_state.get(SUBMITTED_IDEA):
            # »hvad sker der så nu?« right after sending an idea is about the idea
            await self._recent.last_question.set(
                turn_context, {"text": texts.IDEA_SUBMITTED_CONTEXT, "at": self._deps.clock.now().isoformat()}
            )

    async def _on_message(self, turn_context: TurnContext, user_input: UserInput) -> None:
        dc = await self._dialog_set.create_context(turn_context)
        if not user_input.from_card and (plain_text := drawn_out(user_input.text)) != user_input.text:
            user_input = replace(user_input, text=plain_text)  # »jaaa send« is »ja send« to every prompt
            turn_context.activity.text = plain_text
        classified = classify(user_input.text) if not user_input.form else None
        if classified is not None and classified.marked and classified.rest:
            # »lige et spm: …«, »glem det, andet spm: …«: a new question or case, never an answer
            if dc.active_dialog and cancels_first(user_input.text):
                await dc.cancel_all_dialogs()
            user_input = replace(user_input, text=classified.rest)
            turn_context.activity.text = classified.rest
        if dc.active_dialog and await self._idle_too_long(turn_context):
            # Left for hours: the message is not an answer to the old question.
            # (Ideas keep their draft in the database; »fortsæt min idé« resumes it.)
            await dc.cancel_all_dialogs()
            await self._held.set(turn_context, None)
            await send(turn_context, plain(texts.DIALOG_SET_ASIDE))
        await self._last_turn.set(turn_context, self._deps.clock.now().isoformat())

        typed = not user_input.from_card
        if typed and asks_for_english(user_input.text):
            await self._english.set(turn_context, True)
            await send(turn_context, plain(texts.ENGLISH_EXPLANATION))
            if dc.active_dialog:
                await dc.reprompt_dialog()
            return
        if typed and is_english(user_input.text) and not await self._english.get(turn_context, False):
            await self._english.set(turn_context, True)
            await send(turn_context, plain(texts.ENGLISH_NOTE))

        held = await self._held.get(turn_context, None)
        if held is not None:
            await self._held.set(turn_context, None)
            offer = _picked_offer(held, user_input)
            if offer is not None:
                await self._resolve(dc, turn_context, held, offer)
                return
        if user_input.from_card and user_input.dialog == ASK_DIALOG:
            await send(turn_context, plain(texts.CLARIFY_EXPIRED))
            if dc.active_dialog:
                await dc.reprompt_dialog()
            return

        if dc.active_dialog:
            await self._in_dialog(dc, turn_context, user_input, classified)
            return
        if user_input.from_card and (user_input.dialog or user_input.form):
            # A card from a dialog that has ended (or was clicked twice).
            await send(turn_context, plain(texts.CARD_EXPIRED))
            return
        await self._start(dc, turn_context, user_input, classified.intent if classified else None)

    async def _in_dialog(
        self, dc: DialogContext, turn_context: TurnContext, user_input: UserInput, classified: Classified | None
    ) -> None:
        expectation = await self.expectation(dc) or Expectation()
        if user_input.from_card:
            if user_input.entry:
                # A related question under an answer: answer it, then ask our question again.
                await send(turn_context, await self._answer_question(turn_context, user_input))
                await dc.reprompt_dialog()
                return
            if user_input.dialog and not await self._belongs_to(dc, user_input.dialog):
                await send(turn_context, plain(texts.CARD_EXPIRED))
                await dc.reprompt_dialog()
                return
            if user_input.dialog or user_input.form:
                await dc.continue_dialog()
                return
            # A start button (welcome, help) is a typed command.
        split = _answer_and_command(user_input.text)
        if split is not None and read_answer(expectation, split[0], self._deps.clock.now()) is Reading.ANSWER:
            # »ja og mind mig om at spørge til den i morgen kl 9«: the answer, then the command
            answer, rest, then = split
            turn_context.activity.text = answer
            await dc.continue_dialog()
            turn_context.activity.text = rest
            if dc.active_dialog is not None:
                await self._command(dc, turn_context, then, rest, await self.expectation(dc) or Expectation())
            else:
                await self._start(dc, turn_context, UserInput(text=rest), then)
            return
        intent = classified.intent if classified else None
        if intent is Intent.CANCEL:
            await dc.cancel_all_dialogs()
            await send(turn_context, plain(_with_note(texts.CANCELLED, expectation.set_aside)))
            return
        if intent is Intent.HELP:
            await send(turn_context, help_message(self._group(turn_context)))
            await dc.reprompt_dialog()
            return
        if classified is None:
            await dc.continue_dialog()
            return
        decision = self.decide(expectation, user_input.text, classified, dc.active_dialog.id)
        log.debug("message at %s: %s", expectation.state or "?", decision.move.value)
        await self._carry_out(dc, turn_context, user_input, expectation, decision)

    def decide(self, expectation: Expectation, text: str, classified: Classified, active: str) -> Decision:
        """What a message means at a prompt (pure but for the knowledge search)."""
        intent = classified.intent
        command = intent in COMMAND_INTENTS
        reading = Reading.NO if classified.marked else read_answer(expectation, text, self._deps.clock.now(), command=command)
        if reading in (Reading.NEW_CASE, Reading.UNSURE) and command and intent is not Intent.CASE_LEVEL:
            # "mind mig om at spørge min leder i morgen kl 8" names a leader, but it is a reminder
            reading = Reading.NO
        if reading is Reading.ANSWER:
            return Decision(Move.CONTINUE)
        if reading in (Reading.NEW_CASE, Reading.UNSURE) and intent in (Intent.REMINDER_NEW, Intent.REMINDER_LIST):
            # »mind mig om at spørge min leder …« names a leader, but it is a reminder, not a case.
            return Decision(Move.COMMAND, intent)
        if reading is Reading.NEW_CASE:
            if looks_like_question(text) and _ASKS.match(fold(text)):
                # "hvorfor spørger du, hvem der bestemmer?": a question about the prompt, not a case
                result = self._deps.searcher.search(text)
                if sure(result):
                    return Decision(Move.QUESTION, search=result)
            return Decision(Move.NEW_CASE)
        if reading is Reading.UNSURE and intent is Intent.CASE_LEVEL:
            # »jeg er afdelingschef og vil ændre åbningstiderne …, hvor skal det drøftes«: a new case, asked as one
            return Decision(Move.NEW_CASE)
        if reading is Reading.UNSURE:
            return Decision(Move.ASK_DECIDER_OR_CASE)
        if command:
            same_dialog = self._starts.get(intent) == active
            clear = (
                classified.rest == ""
                or classified.marked
                or intent in _STRICT_INTENTS
                or (intent in _SHORT_INTENTS and len(text.split()) <= _SHORT_COMMAND_WORDS)
                # »hvilket MED-udvalg skal behandle et budgetforslag om …?« is never a title
                or (intent is Intent.CASE_LEVEL and looks_like_question(text) and _ASKS.match(fold(text)) is not None)
            )
            # A question about the running dialog (»skal lokalMED være med i den gode idé??« at the
            # idea's area question) is a question, not the dialog started again.
            about_this_dialog = same_dialog and not clear and looks_like_question(text)
            if (not expectation.expects.takes_text or clear) and not about_this_dialog:
                return Decision(Move.COMMAND, intent)
            if not same_dialog:
                return Decision(Move.ASK_ANSWER_OR_COMMAND, intent)
            # "… en idé …" inside the idea dialog's own text answer: part of the answer.
        if intent is Intent.THANKS and expectation.expects is Expect.DECIDER:
            # »tak for hjælpen« at »Hvem træffer beslutningen?«: the user is done (a case holds nothing to keep)
            return Decision(Move.LEAVE)
        if intent in (Intent.GREETING, Intent.THANKS):
            return Decision(Move.SMALL_TALK, intent)
        # A filler ("hmm") at a choice is better met with the choices than with small talk.
        if is_trivial(text, fillers=expectation.expects.takes_text):
            return Decision(Move.TRIVIAL)
        topic = _DIALOG_TOPICS.get(active)
        in_topic: SearchResult | None = None  # the question read as about the running dialog, once
        if looks_like_question(text):
            result = self._deps.searcher.search(text)
            if not sure(result) and topic is not None:
                # »hvornår hører jeg noget?« at the idea's area question: about the idea
                in_topic = self._deps.searcher.search(f"{topic} {text}")
                result = in_topic if sure(in_topic) else result
            if sure(result):
                if expectation.expects is Expect.COMMAND:
                    return Decision(Move.QUESTION_LEAVE, search=result)
                if expectation.expects.takes_text and not classified.marked:
                    return Decision(Move.QUESTION_OR_ANSWER, search=result)
                return Decision(Move.QUESTION, search=result)
            if classified.marked and expectation.expects is not Expect.COMMAND:
                return Decision(Move.QUESTION_UNKNOWN)
            if not expectation.expects.takes_text and expectation.expects is not Expect.COMMAND and _ASKS.match(fold(text)):
                # A question the knowledge cannot answer, at a yes/no or choice: say so, then ask again.
                return Decision(Move.QUESTION_UNKNOWN)
        if expectation.expects.takes_text and (fold(text) in _CLOSING or _ABOUT_PROMPT.search(fold(text))):
            # »færdig« before anything was written, »what do you need from me?«: say what is asked
            return Decision(Move.NOT_UNDERSTOOD)
        if expectation.expects is Expect.TEXT and parse_yes_no(text) is not None and len(text.split()) <= 2:
            # A bare "ja"/"nej" where a text is asked for (a title, a description) is an answer
            # to some other question: say what is asked instead of saving it.
            return Decision(Move.NOT_UNDERSTOOD)
        if expectation.expects.takes_text:
            if ("?" in text and looks_like_question(text) and _ASKS.match(fold(text))) or _ASKS_PLAINLY.match(fold(text)):
                about = in_topic if in_topic is not None or topic is None else self._deps.searcher.search(f"{topic} {text}")
                if about is not None and sure(about):
                    # »hvem får den at se?«, »og hvad sker der så med den bagefter« in the idea
                    # dialog: a question about the idea (answered, with a button to use it as the answer)
                    return Decision(Move.QUESTION_OR_ANSWER, search=about)
                # "hvad sker der med idéerne?", »skal den ikke forbi vores lokalmed først« at the
                # title or description: an answer or a question? Ask (nothing typed is lost).
                return Decision(Move.ASK_ANSWER_OR_QUESTION)
            if _REMARK.match(fold(text)):
                # »hov det her er jo teamkanalen, alle kan se det 🙈«: a remark, not a title; ask
                return Decision(Move.ASK_ANSWER_OR_QUESTION)
            return Decision(Move.CONTINUE)
        if expectation.expects is Expect.COMMAND:
            return Decision(Move.LEAVE)
        if expectation.expects is Expect.DECIDER and describes_case(text):
            return Decision(Move.NEW_CASE)
        return Decision(Move.NOT_UNDERSTOOD)

    async def _carry_out(
        self,
        dc: DialogContext,
        turn_context: TurnContext,
        user_input: UserInput,
        expectation: Expectation,
        decision: Decision,
    ) -> None:
        move = decision.move
        text = user_input.text
        if move is Move.CONTINUE:
            await dc.continue_dialog()
        elif move is Move.COMMAND:
            assert decision.intent is not None
            await self._command(dc, turn_context, decision.intent, text, expectation)
        elif move is Move.NEW_CASE:
            await self._new_case(dc, turn_context, text)
        elif move is Move.ASK_DECIDER_OR_CASE:
            label = _decider_label(text)
            offers: list[tuple[str, str | None, str]] = [("answer", None, texts.ANSWER_BUTTON), ("new_case", None, texts.LEVEL_NEW_CASE_BUTTON)]
            await self._ask(dc, turn_context, text, texts.level_decider_or_new_case(label), offers)
        elif move is Move.ASK_ANSWER_OR_QUESTION:
            offers = [("answer", None, texts.ANSWER_BUTTON), ("question", None, texts.QUESTION_BUTTON)]
            await self._ask(dc, turn_context, text, texts.CLARIFY_ANSWER_OR_QUESTION, offers)
        elif move is Move.ASK_ANSWER_OR_COMMAND:
            assert decision.intent is not None
            key = decision.intent.value
            offers = [("answer", None, texts.ANSWER_BUTTON), ("intent", key, texts.COMMAND_BUTTONS[key])]
            await self._ask(dc, turn_context, text, texts.clarify_answer_or_command(texts.COMMAND_PHRASES[key]), offers)
        elif move in (Move.QUESTION, Move.QUESTION_OR_ANSWER, Move.QUESTION_LEAVE):
            assert decision.search is not None and decision.search.entry is not None
            answer = qa.entry_message(decision.search.entry, self._deps)
            if move is Move.QUESTION_LEAVE:
                await dc.cancel_all_dialogs()
                await send(turn_context, answer)
                return
            await send(turn_context, answer)
            if move is Move.QUESTION_OR_ANSWER:
                await self._hold(turn_context, text, dc, [("answer", None, texts.USE_AS_ANSWER)])
                await send(turn_context, Message(text=texts.USE_AS_ANSWER_NOTE, actions=(_ask_action(texts.USE_AS_ANSWER),)))
            await dc.reprompt_dialog()
        elif move is Move.QUESTION_UNKNOWN:
            await send(turn_context, await self._answer_question(turn_context, user_input))
            await dc.reprompt_dialog()
        elif move is Move.SMALL_TALK:
            await send(turn_context, plain(texts.GREETING_IN_DIALOG if decision.intent is Intent.GREETING else texts.THANKS_IN_DIALOG))
            await dc.reprompt_dialog()
        elif move is Move.TRIVIAL:
            await send(turn_context, plain(texts.TRIVIAL_IN_DIALOG))
            await dc.reprompt_dialog()
        elif move is Move.LEAVE:
            await dc.cancel_all_dialogs()
            await self._start(dc, turn_context, user_input, classify(text).intent)
        else:
            await send(turn_context, not_understood_message(expectation, text))

    # -- starting, switching and asking ----------------------------------------------------

    async def _begin(self, dc: DialogContext, dialog_id: str, text: str) -> None:
        """Start ``dialog_id`` with ``text``: the one place every dialog starts.

        A personal dialog (:func:`is_personal_dialog`) asked for in a group chat or
        channel starts in the user's 1:1 chat instead (:meth:`_begin_privately`).
        """
        if self._group(dc.context) and is_personal_dialog(dialog_id, text):
            await self._begin_privately(dc, dialog_id, text)
            return
        await dc.begin_dialog(dialog_id, text)

    async def _begin_privately(self, dc: DialogContext, dialog_id: str, text: str) -> None:
        """Start ``dialog_id`` in the user's 1:1 chat, with the text typed in the group.

        The group gets one short note: that we continue in the 1:1 chat, or, when that
        chat cannot be opened, that the user should write to the bot directly. The
        dialog never runs in the group. A dialog already running in the group (a case)
        asks its question again.
        """
        turn_context = dc.context
        conversation = turn_context.activity.conversation
        channel = conversation is not None and conversation.conversation_type == "channel"
        where = texts.PRIVATE_CHAT_FROM_CHANNEL if channel else texts.PRIVATE_CHAT_FROM_GROUP

        async def there(private_context: TurnContext) -> None:
            await self._start_in_private_chat(private_context, dialog_id, text, where)

        chats = self._deps.private_chats
        opened = chats is not None and await chats.continue_privately(turn_context, there)
        await send(turn_context, plain(texts.PRIVATE_CHAT_MOVED if opened else texts.private_chat_unavailable(text)))
        if dc.active_dialog is not None:
            await dc.reprompt_dialog()

    async def _start_in_private_chat(self, turn_context: TurnContext, dialog_id: str, text: str, where: str) -> None:
        """In the 1:1 chat's own turn (and dialog state): say why we are here, then start
        the dialog with the text from the group, as if the user had typed it here."""
        dc = await self._dialog_set.create_context(turn_context)
        if dc.active_dialog and await self._idle_too_long(turn_context):
            await dc.cancel_all_dialogs()
        await self._held.set(turn_context, None)
        await self._last_turn.set(turn_context, self._deps.clock.now().isoformat())
        await send(turn_context, plain(texts.private_chat_opened(text, where)))
        expectation = (await self.expectation(dc) or Expectation()) if dc.active_dialog else Expectation()
        await self._open(dc, turn_context, dialog_id, text, expectation)

    async def _open(
        self, dc: DialogContext, turn_context: TurnContext, dialog_id: str, text: str, expectation: Expectation
    ) -> None:
        """Start ``dialog_id`` while another dialog may run.

        The new dialog starts on top of the running one; when it ends, the one below
        asks its question again (botbuilder resumes a ComponentDialog with a reprompt).
        One level only: on top of two, or over itself, it replaces what runs (saying
        what happens to it).
        """
        if dc.active_dialog is not None and len(dc.stack) == 1 and dc.active_dialog.id != dialog_id:
            await self._begin(dc, dialog_id, text)
            return
        if dc.active_dialog is not None:
            await dc.cancel_all_dialogs()
            if expectation.set_aside and not _retyped(expectation.set_aside, text):
                await send(turn_context, plain(expectation.set_aside))
        await self._begin(dc, dialog_id, text)

    async def _command(
        self, dc: DialogContext, turn_context: TurnContext, intent: Intent, text: str, expectation: Expectation
    ) -> None:
        """A command while a dialog runs: do it, then come back to the dialog.

        The command's dialog starts on top of the running one; when it ends, the one
        below asks its question again (botbuilder resumes a ComponentDialog with a
        reprompt). One level only: a command inside a command leaves both (saying what
        happens to the first) and starts afresh. See :meth:`_open`.
        """
        dialog_id = self._starts.get(intent)
        if dialog_id is None and intent is not Intent.PERSONAL:
            await send(turn_context, plain(texts.NOT_AVAILABLE_YET))
            await dc.reprompt_dialog()
            return
        if dialog_id is None:
            await send(turn_context, personal_matter_message(self._deps.profile, self._deps.kb))
            await dc.reprompt_dialog()
            return
        shown = dc.find_dialog_sync(dialog_id)
        if dc.active_dialog is not None and isinstance(shown, ShowsList) and _only_the_list(intent, text):
            # »mine påmindelser« in the middle of something: the list, then the question again
            await shown.show_list(turn_context)
            await dc.reprompt_dialog()
            return
        await self._open(dc, turn_context, dialog_id, text, expectation)

    async def _new_case(self, dc: DialogContext, turn_context: TurnContext, text: str) -> None:
        dialog_id = self._starts.get(Intent.CASE_LEVEL)
        await dc.cancel_all_dialogs()
        if dialog_id is None:
            await self._start(dc, turn_context, UserInput(text=text), classify(text).intent)
            return
        await send(turn_context, plain(texts.LEVEL_NEW_CASE))
        await self._begin(dc, dialog_id, text)

    async def _hold(
        self,
        turn_context: TurnContext,
        text: str,
        dc: DialogContext,
        offers: list[tuple[str, str | None, str]],
        *,
        numbered: bool = False,
    ) -> None:
        """Keep ``text`` until the user has said what it was (the offers, then »Ingen af dem«).

        ``numbered``: the offers were numbered in the text, so a typed number picks one.
        """
        await self._held.set(
            turn_context,
            {
                "text": text,
                "dialog": dc.active_dialog.id if dc.active_dialog else None,
                "numbered": numbered,
                "offers": [{"do": do, "intent": intent, "title": title} for do, intent, title in offers]
                + [{"do": "none", "intent": None, "title": texts.CLARIFY_NONE}],
            },
        )

    async def _ask(
        self, dc: DialogContext, turn_context: TurnContext, text: str, question: str, offers: list[tuple[str, str | None, str]]
    ) -> None:
        await self._hold(turn_context, text, dc, offers, numbered=True)
        titles = [title for _do, _intent, title in offers] + [texts.CLARIFY_NONE]
        await send(turn_context, Message(text=question, actions=tuple(_ask_action(t) for t in titles), numbered=True))

    async def _resolve(self, dc: DialogContext, turn_context: TurnContext, held: Mapping[str, Any], offer: Mapping[str, Any]) -> None:
        """Carry out what the user picked for a held message."""
        text = str(held.get("text", ""))
        do = offer.get("do")
        active = dc.active_dialog.id if dc.active_dialog else None
        if do == "answer":
            if active is None or active != held.get("dialog"):
                await send(turn_context, plain(texts.CLARIFY_EXPIRED))
                return
            # Give the held text to the prompt as if it had been typed now.
            turn_context.activity.text = text
            turn_context.activity.value = None
            await dc.continue_dialog()
            return
        if do == "new_case":
            await self._new_case(dc, turn_context, text)
            return
        if do == "question":
            await send(turn_context, await self._answer_question(turn_context, UserInput(text=text)))
            if active is not None:
                await dc.reprompt_dialog()
            return
        if do == "intent":
            try:
                intent = Intent(str(offer.get("intent")))
            except ValueError:
                intent = None
            if intent is not None:
                expectation = await self.expectation(dc) or Expectation()
                if active is None:
                    await self._start(dc, turn_context, UserInput(text=text), intent)
                else:
                    await self._command(dc, turn_context, intent, text, expectation)
                return
        await send(turn_context, plain(texts.CLARIFY_NONE_DONE))
        if active is not None:
            await dc.reprompt_dialog()

    async def _start(
        self, dc: DialogContext, turn_context: TurnContext, user_input: UserInput, intent: Intent | None
    ) -> None:
        """A message while no dialog runs."""
        if intent is Intent.HELP:
            await send(turn_context, help_message(self._group(turn_context)))
        elif intent is Intent.GREETING:
            await send(turn_context, greeting_message())
        elif intent is Intent.THANKS:
            await send(turn_context, plain(texts.YOU_ARE_WELCOME))
        elif (
            intent is Intent.CANCEL
            and Intent.REMINDER_LIST in self._starts
            and not self._group(turn_context)
            and _is_undo(user_input.text)
        ):
            # »fortryd« with nothing running: the reminder just saved (the dialog says when there is none).
            # Not in a group chat: reminders are made in the 1:1 chat, and »annuller« there is no reminder's.
            await self._begin(dc, self._starts[Intent.REMINDER_LIST], user_input.text)
        elif intent is Intent.CANCEL:
            await send(turn_context, plain(texts.NOTHING_TO_CANCEL))
        elif intent is Intent.PERSONAL:
            await send(turn_context, personal_matter_message(self._deps.profile, self._deps.kb))
            await self._recent.last_question.set(
                turn_context, {"text": user_input.text, "at": self._deps.clock.now().isoformat(), "personal": True}
            )
        elif intent is Intent.QUESTION and self._recent.asks_whom_to_turn_to(user_input.text) and await self._recent.after_personal(turn_context):
            # »hvem skal jeg så snakke med?« right after a personal matter: the same people again
            await send(turn_context, personal_matter_message(self._deps.profile, self._deps.kb))
        elif intent is Intent.QUESTION and not user_input.entry and await self._recent.which_year(turn_context, user_input.text):
            pass  # »er det datoerne for i år?« right after an answer with dates
        elif intent in (Intent.QUESTION, Intent.CASE_LEVEL) and not user_input.entry and await self._recent.objection(turn_context, user_input.text):
            pass  # »hvorfor ikke AfdelingsMED, når det gælder alle lærerne?« right after a case answer
        elif (
            intent is Intent.QUESTION
            and Intent.IDEA_NEW in self._starts
            and not user_input.entry
            and await self._recent.wants_to_send_one(turn_context, user_input.text)
        ):
            await self._begin(dc, self._starts[Intent.IDEA_NEW], user_input.text)
        elif intent is Intent.CASE_LEVEL and (earlier := await self._recent.case_in_context(turn_context, user_input.text)):
            # »og hvilket udvalg laver dem hos os?« right after a question: the case is that question's subject
            await self._begin(dc, self._starts[intent], f"{earlier} – {user_input.text}")
        elif intent is not None and intent in self._starts:
            await self._begin(dc, self._starts[intent], user_input.text)
        elif intent is not None and intent is not Intent.QUESTION:
            await send(turn_context, plain(texts.NOT_AVAILABLE_YET))
        elif intent is Intent.QUESTION and not user_input.entry and (other := await self._recent.another_case(turn_context, user_input.text)):
            # »okay men hvad med et nyt IT-system til hele kommunen« right after a case: the same question about it
            await self._begin(dc, self._starts[Intent.CASE_LEVEL], other)
        elif intent is Intent.QUESTION and not user_input.entry and await self._recent.correct_case(turn_context, user_input.text):
            pass  # »nej, det er kommunaldirektøren, der beslutter det« right after a case answer
        elif not user_input.entry and fold(user_input.text) in _CLOSING:
            # »færdig« after a reminder was saved (the reminder questions end with it): nothing to look up.
            await send(turn_context, plain(texts.REMINDER_LIST_DONE_REPLY))
        elif not user_input.entry and parse_yes_no(user_input.text) is not None and len(user_input.text.split()) <= 2:
            # »ja« out of habit after a reminder was saved, »nope« with no question open: nothing to look up.
            await send(turn_context, plain(texts.ACK_REPLY))
        elif not user_input.entry and is_chit_chat(user_input.text):
            await send(turn_context, plain(texts.CHIT_CHAT_REPLY))  # not a MED question: not logged
        elif not user_input.entry and _WHAT_DO_YOU_MEAN.match(fold(user_input.text)) and await self._recent.just_placed_a_case(turn_context):
            # »hvad mener du?« right after a case was placed: the rule behind the answer, and what to tell
            await send(turn_context, plain(texts.LEVEL_WHAT_I_MEANT))
        elif not user_input.entry and is_trivial(user_input.text):
            # Not a question: never logged as unanswered.
            await send(turn_context, plain(texts.ACK_REPLY if is_ack(user_input.text) else texts.TRIVIAL_REPLY))
        elif not user_input.entry and self._recent.reads_as_case(user_input.text):
            # "kommunaldirektøren beslutter at lukke kantinen, men kun vi bliver berørt"
            await self._begin(dc, self._starts[Intent.CASE_LEVEL], user_input.text)
        else:
            await self._answer_and_remember(turn_context, user_input)

    async def _answer_and_remember(self, turn_context: TurnContext, user_input: UserInput) -> None:
        """Answer a question; a bare name right after one (»og HovedMED?«) asks that question again about it."""
        now = self._deps.clock.now()
        asked, result = user_input.text, None
        last = await self._recent.last_question.get(turn_context, None)
        if not user_input.entry and recent(last, now, QUESTION_FOLLOW_UP):
            again = follow_up_question(str(last["text"]), user_input.text, self._deps.profile.names())
            if again is not None:
                found = self._deps.searcher.search(again, now.date())
                if sure(found):
                    asked, result = again, found
        if result is None and not user_input.entry:
            asked, result = await self._recent.in_context(turn_context, user_input.text, last)
        message = await qa.answer(
            asked, self._deps, turn_context.activity.channel_id or "", entry_id=user_input.entry, result=result
        )
        await send(turn_context, message)
        if message.meta.get("entry") and not user_input.entry:
            await self._recent.last_question.set(
                turn_context, {"text": asked, "at": now.isoformat(), "entry": message.meta.get("entry")}
            )

    async def _answer_question(self, turn_context: TurnContext, user_input: UserInput) -> Message:
        return await qa.answer(
            user_input.text, self._deps, turn_context.activity.channel_id or "", entry_id=user_input.entry
        )

    # -- reading the state -----------------------------------------------------------------

    @staticmethod
    async def active_path(dc: DialogContext) -> list[DialogInstance]:
        """The active dialog instances from the root down to the innermost (a prompt while a question is open).

        (botbuilder's ``DialogContext.child`` does not descend into a Python
        ``ComponentDialog``, so the inner stacks are read from the component's state.)
        """
        path: list[DialogInstance] = []
        instance = dc.active_dialog
        dialog: Dialog | None = dc.find_dialog_sync(instance.id) if instance is not None else None
        while instance is not None:
            path.append(instance)
            if not isinstance(dialog, ComponentDialog) or not isinstance(instance.state, dict):
                break
            inner = instance.state.get(ComponentDialog.persisted_dialog_state)
            stack = getattr(inner, "dialog_stack", None) or []
            if not stack:
                break
            instance = stack[0]
            dialog = await dialog.find_dialog(instance.id)
        return path

    async def expectation(self, dc: DialogContext) -> Expectation | None:
        """What the innermost active prompt expects (None when it declared nothing)."""
        path = await self.active_path(dc)
        if not path or not isinstance(path[-1].state, dict):
            return None
        return expectation_of(path[-1].state.get("options"))

    @staticmethod
    def _group(turn_context: TurnContext) -> bool:
        conversation = turn_context.activity.conversation
        return is_group(conversation.conversation_type if conversation else None)

    async def _idle_too_long(self, turn_context: TurnContext) -> bool:
        last = await self._last_turn.get(turn_context, None)
        if not isinstance(last, str):
            return False
        try:
            then = datetime.fromisoformat(last)
        except ValueError:
            return False
        return self._deps.clock.now() - then > self._idle_timeout

    async def _belongs_to(self, dc: DialogContext, dialog_id: str) -> bool:
        """True when ``dialog_id`` is on the running dialog stack."""
        return any(instance.id == dialog_id for instance in dc.stack) or any(
            instance.id == dialog_id for instance in await self.active_path(dc)
        )


# »ja og mind mig om …«, »send den, og vis mine påmindelser«: a short answer, then a command.
_ANSWER_THEN = re.compile(r"^\s*(?P<answer>[^,.!?]{1,25}?)[,.!]?\s+og\s+(?P<rest>\S.*)$", re.IGNORECASE)
_THEN_COMMANDS = frozenset({Intent.REMINDER_NEW, Intent.REMINDER_LIST, Intent.IDEA_LIST, Intent.IDEA_NEW, Intent.HELP})


def _answer_and_command(text: str) -> tuple[str, str, Intent] | None:
    """(answer, command text, command) when ``text`` is a short answer followed by »og« and a command."""
    found = _ANSWER_THEN.match(text)
    if found is None or len(found.group("answer").split()) > 3:
        return None
    then = classify(found.group("rest")).intent
    if then not in _THEN_COMMANDS:
        return None
    return found.group("answer").strip(), found.group("rest").strip(), then


_CLOSING = frozenset(fold(w) for w in texts.CLOSING_WORDS)
_QUOTED = re.compile(r"»([^«]+)«")


def _retyped(set_aside: str, text: str) -> bool:
    """True when ``text`` repeats what the set-aside note names (»mind mig om X kl 15« after
    »Påmindelsen om »X« er ikke gemt«): the user is starting it again, not leaving it."""
    named = _QUOTED.search(set_aside)
    return named is not None and bool(fold(named.group(1))) and fold(named.group(1)) in fold(text)


def _is_undo(text: str) -> bool:
    command = parse_manage_command(text)
    return isinstance(command, DeleteCommand) and command.just_saved


def _with_note(text: str, note: str | None) -> str:
    return f"{text}\n\n{note}" if note else text


def _ask_action(title: str) -> Action:
    return Action(title=title, text=title, dialog=ASK_DIALOG)


def _decider_label(text: str) -> str:
    decider = parse_decider(text)
    if decider in DECIDER_CHOICES:
        return texts.LEVEL_DECIDER_CHOICES[DECIDER_CHOICES.index(decider)]
    return text


def _picked_offer(held: object, user_input: UserInput) -> Mapping[str, Any] | None:
    """The offer of a held message that ``user_input`` picks (button, number or title)."""
    if not isinstance(held, Mapping):
        return None
    offers = [o for o in held.get("offers") or () if isinstance(o, Mapping)]
    if user_input.from_card and user_input.dialog != ASK_DIALOG:
        return None
    stripped = user_input.text.strip().rstrip(".")
    if held.get("numbered") and stripped.isdigit() and 1 <= int(stripped) <= len(offers):
        return offers[int(stripped) - 1]
    folded = fold(user_input.text)
    for offer in offers:
        if folded and folded == fold(str(offer.get("title", ""))):
            return offer
    return None
