"""The reminder conversation: personal reminders, the list, and calendar subscriptions.

One :class:`ReminderDialog` (id ``"reminder"``) is started by the router for the
intents REMINDER_NEW, REMINDER_LIST, SUBSCRIBE and UNSUBSCRIBE; its first step reads
the text again and picks the inner conversation:

* »mind mig om at sende input til KommuneMED i morgen kl. 9« -> what + when are read
  with :func:`knowledge.dates.find_when`; a missing part is asked for; a date without
  a time gets 09.00 (said in the reply). A complete reminder is saved at once and said
  in one line (»Jeg minder dig om »…« tirsdag 24. november 2026 kl. 09.00.«) with
  buttons that undo it (»Fortryd«) or move it (»Flyt den«); »fortryd« or »slet den«
  typed right after does the same. Past or impossible times get the date layer's
  Danish explanation and a new question; »færdig« at a question ends the dialog.
* »mine påmindelser« -> a numbered list; then »udsæt 1 1 time«, »flyt 2 til fredag
  kl. 10«, »slet 2« (or »færdig«). The same commands work when the dialog is started
  with them directly, and so do commands that name the reminder by what it is about
  (»slet den om Rikke«, »flyt den om AMR til fredag kl 10«, matched fuzzily with
  :func:`knowledge.reminder_text.match_reminders`): when several match, the dialog
  asks which (``which``); a move without a usable time asks for one (``move``).
* »abonnér på HovedMEDs møder« / »stop påmindelser« -> subscriptions of this conversation.

Everything outside goes through :class:`dialogs.reminder_port.ReminderPort`. Each
question is a state of :data:`MACHINE` and declares what it expects; the router
(:mod:`dialogs.router`) answers questions, runs commands (»flyt 1 til fredag kl 13«
at the time question moves reminder 1) and handles small talk at any of them. The
list (``list``) is a soft prompt: »færdig« closes it with a short reply, anything
that is not a list command leaves it quietly.

.. code-block:: mermaid

    stateDiagram-v2
        [*] --> start
        what: what (text)
        when: when (time)
        list: list (command)
        target: target (target)
        which: which (choice)
        move: move (time)
        start --> what
        start --> when
        start --> list
        start --> target
        start --> which
        start --> move
        start --> [*]
        what --> when
        what --> [*]
        when --> when
        when --> [*]
        list --> list
        list --> which
        list --> move
        list --> [*]
        target --> target
        target --> [*]
        which --> move
        which --> [*]
        move --> move
        move --> [*]
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptValidatorContext, TextPrompt

from dialogs import texts
from dialogs.activities import plain, send
from dialogs.messages import Action, Message
from dialogs.prompts import Expect, Expectation, expectation_of, non_empty_validator, options
from dialogs.reminder_port import (
    NotDeliverableHere,
    Owner,
    ReminderPort,
    ReminderView,
    SubscribeOutcome,
    SubscribeStatus,
)
from dialogs.speaker import speaker_of
from dialogs.states import END, StateMachine
from knowledge.calendar import Topic
from knowledge.chatter import is_ack
from knowledge.clock import COPENHAGEN, Clock
from knowledge.dates import DateParseError, ParsedWhen, find_when, format_when, local_datetime, parse_when
from knowledge.intents import Intent, classify
from knowledge.normalize import clean_spaces, fold, tokens
from knowledge.reminder_text import (
    DeleteCommand,
    ManageCommand,
    MoveCommand,
    SnoozeCommand,
    is_unsubscribe,
    is_vague_what,
    match_reminders,
    parse_manage_command,
    parse_subscription,
    strip_reminder_lead,
    strip_time_words,
)

__all__ = ["DEFAULT_TIME", "MACHINE", "REMINDER_DIALOG_ID", "ReminderDialog", "is_subscription_request", "owner_from"]

REMINDER_DIALOG_ID = "reminder"
DEFAULT_TIME = time(9, 0)
LIST_BUTTONS = 5
TARGET_BUTTONS = 8

_MAIN = "reminder.main"
_NEW = "reminder.new"
_LIST = "reminder.list"
_SUBSCRIBE = "reminder.subscribe"
_WHAT_PROMPT = "reminder.what"
_WHEN_PROMPT = "reminder.when"
_COMMAND_PROMPT = "reminder.command"
_TARGET_PROMPT = "reminder.target"
_WHICH = "reminder.which"
_MOVE = "reminder.move"
_WHICH_PROMPT = "reminder.which_prompt"
_MOVE_PROMPT = "reminder.move_prompt"
#: A reminder saved this recently is the one »fortryd« / »slet den« means.
JUST_SAVED = timedelta(minutes=5)
#: The value of a prompt's done words (»færdig«, »nej lad den stå«).
_DONE_VALUE = "__done__"
_NONE_VALUE = "__none__"

_DONE = frozenset(fold(w) for w in texts.REMINDER_LIST_DONE_WORDS)
_DONE_ALIASES = {w: _DONE_VALUE for w in texts.REMINDER_PROMPT_DONE_WORDS}

START, WHAT, WHEN, LIST, TARGET, WHICH, MOVE = "start", "what", "when", "list", "target", "which", "move"
MACHINE = StateMachine(
    name=REMINDER_DIALOG_ID,
    start=START,
    expects={
        START: None,
        WHAT: Expect.TEXT,
        WHEN: Expect.TIME,
        LIST: Expect.COMMAND,
        TARGET: Expect.TARGET,
        WHICH: Expect.CHOICE,
        MOVE: Expect.TIME,
    },
    transitions={
        START: (WHAT, WHEN, LIST, TARGET, WHICH, MOVE, END),
        WHAT: (WHEN, END),
        WHEN: (WHEN, END),
        LIST: (LIST, WHICH, MOVE, END),
        TARGET: (TARGET, END),
        WHICH: (MOVE, END),
        MOVE: (MOVE, END),
    },
)


def _is_done(text: object) -> bool:
    """»færdig«, »nej lad den stå«: the user ends the question (see ``_DONE_ALIASES``)."""
    if not isinstance(text, str):
        return False
    folded = fold(text)
    for word in texts.REMINDER_PROMPT_DONE_WORDS:
        key = fold(word.lstrip("~"))
        if folded == key or (word.startswith("~") and f" {key} " in f" {folded} "):
            return True
    return False


def _move(step: WaterfallStepContext, new: str) -> None:
    """Move the conversation to ``new``; the state travels in the waterfall's values and options."""
    opts = step.options if isinstance(step.options, dict) else {}
    current = step.values.get("state") or opts.get("from") or START
    step.values["state"] = MACHINE.move(current, new)


def _word_aliases(items: list[ReminderView]) -> dict[str, str]:
    """»ringe til AMR«, or a word only one of them has (»den om AMR«), names that reminder."""
    aliases = {item.text: str(item.id) for item in items}
    words: dict[str, set[int]] = {}
    for item in items:
        for word in tokens(item.text):
            if len(word) >= 3:
                words.setdefault(word, set()).add(item.id)
    for word, ids in words.items():
        if len(ids) == 1 and word not in ("til", "med", "den", "det", "for", "fra", "som"):
            aliases[f"~{word}"] = str(next(iter(ids)))
    return aliases


def _which_value(expectation: Expectation, text: str) -> str | None:
    """The reminder picked at »Hvilken påmindelse …?«: a number, a button, or its words (»den om AMR«)."""
    value = expectation.choice_for(text)
    if value is not None:
        return value
    reminders = [(title, v) for title, v in expectation.choices if v not in (_NONE_VALUE, _DONE_VALUE)]
    found = match_reminders(text, [title for title, _v in reminders])
    return reminders[found[0]][1] if len(found) == 1 else None


def _command_data(command: ManageCommand) -> dict[str, Any]:
    """A move or delete waiting for »which one?«, as plain data for the dialog state."""
    if isinstance(command, DeleteCommand):
        return {"kind": "delete"}
    if isinstance(command, SnoozeCommand):
        delay = command.delay.total_seconds() if command.delay is not None else None
        return {"kind": "snooze", "delay": delay, "when": command.when_text or ""}
    when = command.when_text if isinstance(command, (MoveCommand, SnoozeCommand)) else None
    return {"kind": "move", "when": when or ""}


def _command_from(data: object) -> ManageCommand | None:
    if not isinstance(data, dict):
        return None
    if data.get("kind") == "delete":
        return DeleteCommand(None)
    if data.get("kind") == "snooze":
        delay = data.get("delay")
        seconds = timedelta(seconds=float(delay)) if isinstance(delay, (int, float)) else None
        return SnoozeCommand(None, delay=seconds, when_text=str(data.get("when") or "") or None)
    return MoveCommand(None, str(data.get("when") or ""))


def _set_aside(what: str) -> str | None:
    return texts.reminder_set_aside(what) if what else None


def owner_from(context: TurnContext) -> Owner:
    """Who wrote this activity, and the conversation to deliver to."""
    return speaker_of(context, with_reference=True)


def is_subscription_request(text: str) -> bool:
    """True when the dialog, started with ``text``, (un)subscribes the conversation to
    meeting plans and deadlines (as :meth:`ReminderDialog._route` reads it): that concerns
    everyone in a channel, unlike a reminder or the list, which are the writer's own."""
    if parse_manage_command(text) is not None:
        return False
    intent = classify(text).intent
    return intent in (Intent.SUBSCRIBE, Intent.UNSUBSCRIBE) or is_unsubscribe(text)


def _when_text(due: datetime) -> str:
    return format_when(due, True)


def _error_text(error: DateParseError) -> str:
    if error.code == "past" and error.parsed is not None:
        return texts.date_in_past(format_when(error.parsed.value, error.parsed.has_time))
    return texts.date_error(error.code)


def _resolve(parsed: ParsedWhen, now: datetime) -> tuple[datetime, bool]:
    """The moment (aware) and whether the user gave a time; a past moment raises ``past``."""
    due = parsed.at(DEFAULT_TIME)
    if due <= now:
        raise DateParseError("past", str(due), parsed)
    return due, parsed.has_time


def _what_without_time(text: str, error: DateParseError, now: datetime) -> str:
    """What to be reminded of when the time in ``text`` is no use ("i går", "kl 25"): never the time itself."""
    if error.parsed is not None and error.parsed.matched:
        return strip_reminder_lead(clean_spaces(text.replace(error.parsed.matched, " ")))
    rest = strip_time_words(text)
    try:
        found = find_when(rest, now, allow_past=True)
    except DateParseError:
        found = None
    return strip_reminder_lead(found[1] if found else rest)


def _reads_as_time(text: str, now: datetime) -> bool:
    """True when ``text`` is a time, also a past or impossible one."""
    try:
        read_when(text, now)
    except DateParseError as exc:
        return exc.code not in ("unparseable", "empty")
    return True


def read_when(text: str, now: datetime) -> tuple[datetime, bool]:
    """A when-answer ("i morgen kl. 9", "fredag"): the moment and whether it had a time.

    Raises :class:`DateParseError` (``unparseable`` when nothing is found).
    """
    try:
        parsed = parse_when(text, now)
    except DateParseError as exc:
        if exc.code != "unparseable":
            raise
        found = find_when(text, now)
        if found is None:
            raise
        parsed = found[0]
    return _resolve(parsed, now)


def _time_on_day(when_text: str, day: date, now: datetime) -> datetime | None:
    """``when_text`` on ``day`` when it is a time alone (»kvart over ni«, »kl 15 mente jeg«)."""
    if "i dag" in fold(when_text) or "idag" in fold(when_text):
        return None
    anchor = local_datetime(day, time(0))
    try:
        same, same_time = read_when(when_text, anchor)
        later, _ = read_when(when_text, anchor + timedelta(days=1))
    except DateParseError:
        return None
    if same_time and same.date() == day and later.date() == day + timedelta(days=1) and same > now:
        return same
    return None


_CLOCK_TIME = re.compile(r"\b(?:kl\.?|klokken)\s*\d{1,2}(?:[.:]\d{1,2})?(?![\d/])", re.IGNORECASE)


def _day_without_time(text: str, now: datetime) -> date | None:
    """The day in a request whose time is no use (»til 31/12 kl 25«): kept for the time asked next."""
    try:
        found = find_when(_CLOCK_TIME.sub(" ", text), now)
    except DateParseError:
        return None
    if found is None or found[0].has_time:
        return None
    return found[0].at(DEFAULT_TIME).date()


def _move_due(when_text: str, now: datetime, current: datetime) -> datetime:
    """The new moment for a reminder due at ``current``: a time alone (»kvart over ni«)
    keeps the reminder's day, a day alone its time; anything else is read as a when-answer."""
    day = current.astimezone(COPENHAGEN).date()
    if current > now and (same := _time_on_day(when_text, day, now)) is not None:
        return same
    due, has_time = read_when(when_text, now)
    if not has_time:
        # »flyt den til onsdag (samme tid)«: a day alone keeps the reminder's time of day
        kept = local_datetime(due.astimezone(COPENHAGEN).date(), current.astimezone(COPENHAGEN).time())
        if kept > now:
            return kept
    return due


class ReminderDialog(ComponentDialog):
    def __init__(self, port: ReminderPort, clock: Clock, dialog_id: str = REMINDER_DIALOG_ID) -> None:
        super().__init__(dialog_id)
        self._port = port
        self._clock = clock
        self.add_dialog(WaterfallDialog(_MAIN, [self._route]))
        self.add_dialog(WaterfallDialog(_NEW, [self._new_what, self._new_when, self._new_save]))
        self.add_dialog(WaterfallDialog(_LIST, [self._list_show, self._list_act]))
        self.add_dialog(WaterfallDialog(_SUBSCRIBE, [self._subscribe_ask, self._subscribe_finish]))
        self.add_dialog(WaterfallDialog(_WHICH, [self._which_ask, self._which_pick]))
        self.add_dialog(WaterfallDialog(_MOVE, [self._move_ask, self._move_finish]))
        self.add_dialog(TextPrompt(_WHAT_PROMPT, non_empty_validator))
        self.add_dialog(TextPrompt(_WHEN_PROMPT, self._when_validator))
        self.add_dialog(TextPrompt(_COMMAND_PROMPT))
        self.add_dialog(TextPrompt(_TARGET_PROMPT, non_empty_validator))
        self.add_dialog(TextPrompt(_WHICH_PROMPT, self._which_validator))
        self.add_dialog(TextPrompt(_MOVE_PROMPT, self._when_validator))
        self.initial_dialog_id = _MAIN

    def _now(self) -> datetime:
        return self._clock.now()

    # -- routing -------------------------------------------------------------------

    async def _route(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.options if isinstance(step.options, str) else ""
        command = parse_manage_command(text)
        if command is not None:
            return await self._manage(step, command, None, START)
        intent = classify(text).intent
        if intent is Intent.UNSUBSCRIBE or is_unsubscribe(text):
            _move(step, END)
            await self._unsubscribe(step.context, text)
            return await step.end_dialog()
        if intent is Intent.REMINDER_LIST:
            return await step.replace_dialog(_LIST)
        if intent is Intent.SUBSCRIBE:
            return await step.replace_dialog(_SUBSCRIBE, {"text": text})
        return await step.replace_dialog(_NEW, {"text": text})

    # -- a new reminder --------------------------------------------------------------

    async def _new_what(self, step: WaterfallStepContext) -> DialogTurnResult:
        opts: dict[str, Any] = step.options if isinstance(step.options, dict) else {}
        values = step.values
        values["what"] = opts.get("what", "")
        values["due"] = None
        values["has_time"] = True
        values["error"] = opts.get("error")
        text = opts.get("text", "")
        if text:
            self._read_request(text, values)
        if is_vague_what(values["what"]):
            values["what"] = ""  # »kan du minde mig om noget«: ask what, before when
        if not values["what"]:
            _move(step, WHAT)
            return await step.prompt(
                _WHAT_PROMPT,
                options(
                    step,
                    plain(texts.REMINDER_ASK_WHAT),
                    expects=MACHINE.expectation(WHAT),
                    aliases=_DONE_ALIASES,
                    state=MACHINE.state_id(WHAT),
                ),
            )
        return await step.next(None)

    def _read_request(self, text: str, values: dict[str, Any]) -> None:
        now = self._now()
        try:
            found = find_when(text, now)
        except DateParseError as exc:
            values["what"] = _what_without_time(text, exc, now)
            values["error"] = _error_text(exc)
            day = _day_without_time(text, now)
            values["day"] = day.isoformat() if day is not None else None
            return
        if found is None:
            values["what"] = strip_reminder_lead(text)
            return
        parsed, rest = found
        values["what"] = strip_reminder_lead(rest)
        try:
            due, has_time = _resolve(parsed, now)
        except DateParseError as exc:
            values["error"] = _error_text(exc)
            return
        values["due"] = due.isoformat()
        values["has_time"] = has_time

    async def _new_when(self, step: WaterfallStepContext) -> DialogTurnResult:
        values = step.values
        if _is_done(step.result):
            _move(step, END)
            await send(step.context, plain(texts.REMINDER_DONE_NOTHING))
            return await step.end_dialog()
        if isinstance(step.result, str) and step.result.strip():
            # The answer to »Hvad skal jeg minde dig om?« may carry the time too.
            if values["due"]:
                values["what"] = strip_reminder_lead(step.result)
            else:
                values["error"] = None
                self._read_request(step.result, values)
            values["what"] = values["what"] or clean_spaces(step.result)
        if values["due"]:
            return await step.next(None)
        ask_when = texts.reminder_ask_when(values["what"]) if values["what"] else texts.REMINDER_ASK_WHEN
        question = values["error"] or ask_when
        _move(step, WHEN)
        return await step.prompt(
            _WHEN_PROMPT,
            options(
                step,
                plain(question),
                plain(ask_when),
                expects=MACHINE.expectation(WHEN),
                aliases=_DONE_ALIASES,
                state=MACHINE.state_id(WHEN),
                set_aside=_set_aside(values["what"]),
            ),
        )

    async def _when_validator(self, prompt_context: PromptValidatorContext) -> bool:
        text = prompt_context.recognized.value if prompt_context.recognized.succeeded else ""
        if _is_done(text):
            return True
        try:
            read_when(text or "", self._now())
        except DateParseError as exc:
            await send(prompt_context.context, plain(_error_text(exc)))
            return False
        return True

    async def _new_save(self, step: WaterfallStepContext) -> DialogTurnResult:
        values = step.values
        what = values["what"]
        if _is_done(step.result):
            _move(step, END)
            await send(step.context, plain(texts.reminder_not_saved_done(what)))
            return await step.end_dialog()
        if isinstance(step.result, str):
            day = values.get("day")
            kept = _time_on_day(step.result, date.fromisoformat(day), self._now()) if day else None
            # »kl 15 mente jeg« after »til 31/12 kl 25«: the time on the day already given
            due, has_time = (kept, True) if kept is not None else read_when(step.result, self._now())
            values["due"] = due.isoformat()
            values["has_time"] = has_time
        due = datetime.fromisoformat(values["due"])
        if due <= self._now():
            return await step.replace_dialog(_NEW, {"what": what, "error": texts.REMINDER_NOT_SAVED_PAST, "from": WHEN})
        _move(step, END)
        owner = owner_from(step.context)
        try:
            for item in await self._port.list_reminders(owner):
                if fold(item.text) == fold(what) and item.due_at == due:
                    # The same request again (typed twice): one reminder is enough.
                    await send(step.context, plain(texts.reminder_already(item.text, _when_text(item.due_at))))
                    return await step.end_dialog(item.id)
            view = await self._port.create_reminder(owner, what, due)
        except NotDeliverableHere:
            await send(step.context, plain(texts.REMINDER_NOT_HERE))
            return await step.end_dialog()
        except ValueError:
            await send(step.context, plain(texts.REMINDER_SAVE_FAILED))
            return await step.end_dialog()
        said = texts.reminder_saved_now(view.text, _when_text(view.due_at))
        if not values["has_time"]:
            said = f"{said} {texts.REMINDER_DEFAULT_TIME_NOTE}"
        await send(step.context, Message(text=said, actions=self._saved_actions(view.text)))
        return await step.end_dialog(view.id)

    @staticmethod
    def _saved_actions(what: str) -> tuple[Action, ...]:
        """Undo or move the reminder just saved. The dialog has ended: the clicks are typed commands."""
        return (
            Action(title=texts.REMINDER_UNDO_BUTTON, text=texts.reminder_undo_command(what)),
            Action(title=texts.REMINDER_MOVE_BUTTON, text=texts.reminder_move_command(what)),
        )

    # -- the list and its commands -------------------------------------------------

    async def show_list(self, context: TurnContext) -> None:
        """The list as a plain message, while a new reminder is being written (no list state)."""
        owner = owner_from(context)
        items = await self._port.list_reminders(owner)
        if not items:
            await send(context, plain(texts.REMINDER_LIST_EMPTY))
            return
        lines = [texts.reminder_list_line(i, _when_text(item.due_at), item.text) for i, item in enumerate(items, start=1)]
        await send(context, Message(title=texts.REMINDER_LIST_TITLE, text="\n\n".join(lines)))

    async def _list_show(self, step: WaterfallStepContext) -> DialogTurnResult:
        owner = owner_from(step.context)
        items = await self._port.list_reminders(owner)
        recent = await self._port.last_delivered(owner)
        if not items and recent is None:
            _move(step, END)
            await send(step.context, plain(texts.REMINDER_LIST_EMPTY))
            return await step.end_dialog()
        step.values["ids"] = [item.id for item in items]
        lines = [texts.reminder_list_line(i, _when_text(item.due_at), item.text) for i, item in enumerate(items, start=1)]
        if not items:
            lines.append(texts.REMINDER_LIST_EMPTY)
        if recent is not None:
            lines.append(texts.reminder_last_sent(_when_text(recent.due_at), recent.text))
        actions = tuple(
            Action(title=texts.reminder_delete_action(i), text=f"slet {i}", dialog=self.id)
            for i in range(1, min(len(items), LIST_BUTTONS) + 1)
        ) + (Action(title=texts.REMINDER_LIST_DONE, text=texts.REMINDER_LIST_DONE.lower(), dialog=self.id),)
        message = Message(title=texts.REMINDER_LIST_TITLE, text="\n\n".join(lines), note=texts.REMINDER_LIST_HELP, actions=actions)
        _move(step, LIST)
        return await step.prompt(
            _COMMAND_PROMPT,
            options(
                step,
                message,
                plain(texts.REMINDER_LIST_HELP),
                expects=MACHINE.expectation(LIST),
                choices=(),
                state=MACHINE.state_id(LIST),
            ),
        )

    async def _list_act(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.result if isinstance(step.result, str) else ""
        if fold(text) in _DONE or is_ack(text) or _is_done(text):
            _move(step, END)
            await send(step.context, plain(texts.REMINDER_LIST_DONE_REPLY))
            return await step.end_dialog()
        command = parse_manage_command(text)
        if command is None:
            # Only without the router (which leaves the list itself): say the list is closed.
            _move(step, END)
            await send(step.context, plain(texts.REMINDER_LIST_CLOSED))
            return await step.end_dialog()
        return await self._manage(step, command, list(step.values.get("ids", [])), LIST)

    async def _manage(
        self, step: WaterfallStepContext, command: ManageCommand, ids: list[int] | None, state: str
    ) -> DialogTurnResult:
        """Carry out a snooze/move/delete, or ask which reminder or when; back to the list after one from it."""
        target, candidates, command = await self._target(step.context, command, ids)
        if target is None and candidates:
            return await step.replace_dialog(
                _WHICH, {"from": state, "ids": [c.id for c in candidates], "command": _command_data(command)}
            )
        if target is not None:
            follow = await self._carry_out(step.context, command, target)
            if follow is not None:
                return await step.replace_dialog(_MOVE, {"from": state, "id": target.id, "error": follow})
        if state == LIST:
            return await step.replace_dialog(_LIST, {"from": LIST})
        _move(step, END)
        return await step.end_dialog()

    async def _target(
        self, context: TurnContext, command: ManageCommand, ids: list[int] | None
    ) -> tuple[ReminderView | None, list[ReminderView], ManageCommand]:
        """The reminder ``command`` means, or the candidates to ask about (both empty: said
        why), and the command as it is to be carried out."""
        owner = owner_from(context)
        upcoming = await self._port.list_reminders(owner)
        by_id: dict[int, ReminderView] = {item.id: item for item in upcoming}
        ids = ids if ids else [item.id for item in upcoming]
        if command.number is not None:
            if 1 <= command.number <= len(ids) and ids[command.number - 1] in by_id:
                return by_id[ids[command.number - 1]], [], command
            await send(context, plain(texts.reminder_not_found(command.number)))
            return None, [], command
        if isinstance(command, SnoozeCommand):
            delivered = await self._port.last_delivered(owner)
            if delivered is not None:
                return delivered, [], command
        about = command.about if isinstance(command, (MoveCommand, DeleteCommand)) else None
        if isinstance(command, (DeleteCommand, MoveCommand)) and command.just_saved:
            recent = await self._just_saved(owner, upcoming)
            if recent is None:
                none = texts.NOTHING_TO_CANCEL if isinstance(command, DeleteCommand) else texts.REMINDER_NOTHING_JUST_SAVED
                await send(context, plain(none))
            return recent, [], command
        if not upcoming:
            await send(context, plain(texts.REMINDER_NONE_TO_CHANGE))
            return None, [], command
        if isinstance(command, DeleteCommand) and command.every:
            # »slet alle mine påmindelser«: said plainly, so done at once, and listed in the reply
            deleted = [item.text for item in upcoming if await self._port.delete_reminder(owner, item.id)]
            await send(context, plain(texts.reminders_deleted(deleted)))
            return None, [], command
        if about:
            reminder_texts = [item.text for item in upcoming]
            found = []
            if isinstance(command, MoveCommand) and command.when_text and not _reads_as_time(command.when_text, self._now()):
                # »flyt den om ringe til Lise« (the »Flyt den« button): the »til« was part of the text.
                whole = " til ".join((about, command.when_text))
                found = [upcoming[i] for i in match_reminders(whole, reminder_texts)]
                if found:
                    command = replace(command, when_text="", about=whole)
            found = found or [upcoming[i] for i in match_reminders(about, reminder_texts)]
            if not found:
                await send(context, plain(texts.reminder_no_match(about)))
                return None, [], command
            return (found[0], [], command) if len(found) == 1 else (None, found, command)
        if len(upcoming) == 1:
            return upcoming[0], [], command
        recent = await self._just_saved(owner, upcoming)
        if recent is not None:
            return recent, [], command
        return None, upcoming, command

    async def _just_saved(self, owner: Owner, upcoming: list[ReminderView]) -> ReminderView | None:
        """The reminder saved a moment ago (what »fortryd« and »slet den« mean right after).

        Only the newest one the user made, and only while it is still there: a second
        »fortryd« does not reach back to the one before.
        """
        newest = await self._port.newest_created(owner)
        if newest is None or newest.created_at is None or newest.created_at < self._now() - JUST_SAVED:
            return None
        return next((item for item in upcoming if item.id == newest.id), None)

    async def _carry_out(self, context: TurnContext, command: ManageCommand, target: ReminderView) -> str | None:
        """Delete, move or snooze ``target`` and say so. Returns the question to ask when
        a move needs a (new) time: the reason the time was no use, or »Hvornår …?«."""
        owner = owner_from(context)
        now = self._now()
        if isinstance(command, DeleteCommand):
            if await self._port.delete_reminder(owner, target.id):
                await send(context, plain(texts.reminder_deleted(target.text)))
            else:
                await send(context, plain(texts.reminder_not_found(command.number or 1)))
            return None
        if isinstance(command, MoveCommand) and not command.when_text:
            return texts.reminder_ask_move(target.text)
        try:
            if isinstance(command, SnoozeCommand) and command.delay is not None:
                base = target.due_at if target.status in ("pending", "claimed") and target.due_at > now else now
                due = base + command.delay
            elif isinstance(command, MoveCommand):
                due = _move_due(command.when_text, now, target.due_at)
            else:
                due, _ = read_when(command.when_text or "", now)
        except DateParseError as exc:
            if isinstance(command, MoveCommand):
                return _error_text(exc)
            await send(context, plain(_error_text(exc)))
            return None
        await self._reschedule(context, target, due, command.number)
        return None

    async def _reschedule(self, context: TurnContext, target: ReminderView, due: datetime, number: int | None) -> bool:
        try:
            moved = await self._port.reschedule_reminder(owner_from(context), target.id, due)
        except ValueError:
            await send(context, plain(texts.date_error("past")))
            return False
        if moved is None:
            await send(context, plain(texts.reminder_not_found(number or 1)))
            return False
        await send(context, plain(texts.reminder_moved(moved.text, _when_text(moved.due_at))))
        return True

    # -- which reminder, and when to move it to -------------------------------------

    async def _which_ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        opts: dict[str, Any] = step.options if isinstance(step.options, dict) else {}
        step.values.update(ids=list(opts.get("ids", [])), command=opts.get("command"))
        by_id = {item.id: item for item in await self._port.list_reminders(owner_from(step.context))}
        items = [by_id[i] for i in step.values["ids"] if i in by_id]
        choices = [(texts.reminder_choice(item.text, _when_text(item.due_at)), str(item.id)) for item in items]
        choices.append((texts.CLARIFY_NONE, _NONE_VALUE))
        step.values["choices"] = choices
        command = _command_from(step.values["command"])
        question = texts.reminder_which(isinstance(command, DeleteCommand))
        actions = tuple(Action(title=title, text=title, dialog=self.id) for title, _value in choices) if len(choices) <= 6 else ()
        # With buttons the choices are numbered under the question; without (too many), in the text.
        lines = [question] + ([] if actions else [f"{i}. {title}" for i, (title, _value) in enumerate(choices, start=1)])
        message = Message(text="\n".join(lines), actions=actions, numbered=bool(actions))
        _move(step, WHICH)
        return await step.prompt(
            _WHICH_PROMPT,
            options(
                step,
                message,
                expects=MACHINE.expectation(WHICH),
                choices=choices,
                aliases={**_DONE_ALIASES, "ingen": _NONE_VALUE, fold(texts.CLARIFY_NONE): _NONE_VALUE, **_word_aliases(items)},
                state=MACHINE.state_id(WHICH),
            ),
        )

    async def _which_validator(self, prompt_context: PromptValidatorContext) -> bool:
        text = prompt_context.recognized.value if prompt_context.recognized.succeeded else ""
        expectation = expectation_of(prompt_context.options)
        return expectation is not None and _which_value(expectation, text or "") is not None

    async def _which_pick(self, step: WaterfallStepContext) -> DialogTurnResult:
        aliases = {**_DONE_ALIASES, "ingen": _NONE_VALUE, fold(texts.CLARIFY_NONE): _NONE_VALUE}
        picked = _which_value(
            Expectation(
                expects=Expect.CHOICE,
                choices=tuple((str(t), str(v)) for t, v in step.values.get("choices", [])),
                aliases={fold(k.lstrip("~")) if not k.startswith("~") else "~" + fold(k[1:]): v for k, v in aliases.items()},
            ),
            str(step.result or ""),
        )
        if picked in (None, _NONE_VALUE, _DONE_VALUE):
            _move(step, END)
            await send(step.context, plain(texts.REMINDER_WHICH_NONE))
            return await step.end_dialog()
        by_id = {item.id: item for item in await self._port.list_reminders(owner_from(step.context))}
        target = by_id.get(int(picked))
        command = _command_from(step.values["command"])
        if target is None or command is None:
            _move(step, END)
            await send(step.context, plain(texts.reminder_not_found(1)))
            return await step.end_dialog()
        follow = await self._carry_out(step.context, command, target)
        if follow is not None:
            return await step.replace_dialog(_MOVE, {"from": WHICH, "id": target.id, "error": follow})
        _move(step, END)
        return await step.end_dialog()

    async def _move_ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        opts: dict[str, Any] = step.options if isinstance(step.options, dict) else {}
        step.values["id"] = opts.get("id")
        by_id = {item.id: item for item in await self._port.list_reminders(owner_from(step.context))}
        target = by_id.get(step.values["id"])
        if target is None:
            _move(step, END)
            await send(step.context, plain(texts.reminder_not_found(1)))
            return await step.end_dialog()
        ask = texts.reminder_ask_move(target.text)
        question = opts.get("error") or ask
        if question != ask:
            question = f"{question}\n\n{ask}"
        _move(step, MOVE)
        return await step.prompt(
            _MOVE_PROMPT,
            options(
                step,
                plain(question),
                plain(ask),
                expects=MACHINE.expectation(MOVE),
                aliases=_DONE_ALIASES,
                state=MACHINE.state_id(MOVE),
                set_aside=texts.reminder_not_moved(target.text, _when_text(target.due_at)),
            ),
        )

    async def _move_finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        by_id = {item.id: item for item in await self._port.list_reminders(owner_from(step.context))}
        target = by_id.get(step.values.get("id"))
        if target is not None and not _is_done(step.result):
            try:
                due = _move_due(str(step.result or ""), self._now(), target.due_at)
            except DateParseError as exc:
                return await step.replace_dialog(_MOVE, {"from": MOVE, "id": target.id, "error": _error_text(exc)})
        _move(step, END)
        if target is None:
            await send(step.context, plain(texts.reminder_not_found(1)))
        elif _is_done(step.result):
            await send(step.context, plain(texts.reminder_not_moved(target.text, _when_text(target.due_at))))
        else:
            await self._reschedule(step.context, target, due, None)
        return await step.end_dialog()

    # -- subscriptions ---------------------------------------------------------------

    def _target_actions(self, targets: tuple[str, ...], dialog: str | None) -> tuple[Action, ...]:
        def title(target: str) -> str:
            if target == Topic.BUDGET.value:
                return texts.TARGET_BUDGET_BUTTON
            if target == Topic.MEDSAMARBEJDET.value:
                return texts.TARGET_MEDSAMARBEJDET_BUTTON
            return target

        return tuple(Action(title=title(t), text=t, dialog=dialog) for t in targets[:TARGET_BUTTONS])

    async def _subscribe_ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        opts: dict[str, Any] = step.options if isinstance(step.options, dict) else {}
        unknown = opts.get("unknown")
        if not unknown:
            named = parse_subscription(opts.get("text", "")).target_text
            if named:
                return await step.next(named)
        targets = await self._port.subscription_targets()
        question = texts.subscribe_unknown(unknown) if unknown else texts.SUBSCRIBE_ASK_TARGET
        message = Message(text=question, actions=self._target_actions(targets, self.id))
        _move(step, TARGET)
        return await step.prompt(
            _TARGET_PROMPT,
            options(
                step,
                message,
                expects=MACHINE.expectation(TARGET),
                aliases={target: target for target in targets},
                state=MACHINE.state_id(TARGET),
                unmatched=texts.SUBSCRIBE_UNMATCHED,
            ),
        )

    async def _subscribe_finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        target_text = clean_spaces(step.result or "")
        owner = owner_from(step.context)
        try:
            outcome = await self._port.subscribe(owner, target_text)
        except NotDeliverableHere:
            await send(step.context, plain(texts.REMINDER_NOT_HERE))
            return await step.end_dialog()
        if outcome.status is SubscribeStatus.UNKNOWN_TARGET:
            return await step.replace_dialog(_SUBSCRIBE, {"unknown": target_text, "from": step.values.get("state") or START})
        await send(step.context, plain(self._subscribed_text(outcome, owner)))
        return await step.end_dialog(outcome.target)

    def _subscribed_text(self, outcome: SubscribeOutcome, owner: Owner) -> str:
        assert outcome.target is not None
        if outcome.status is SubscribeStatus.ALREADY:
            parts = [texts.already_subscribed(outcome.target)]
        else:
            parts = [texts.subscribed(outcome.target)]
        if outcome.upcoming:
            lines = [
                texts.upcoming_line(format_when(e.starts_at, not e.all_day), e.title, e.location)
                for e in outcome.upcoming
            ]
            parts.append(texts.SUBSCRIPTION_UPCOMING + "\n" + "\n".join(lines))
        else:
            parts.append(texts.SUBSCRIPTION_NO_UPCOMING)
        if outcome.status is SubscribeStatus.SUBSCRIBED:
            parts.append(texts.subscription_how(list(outcome.nudge_days)))
            if not owner.is_personal:
                parts.append(texts.SUBSCRIPTION_CHANNEL_NOTE)
        return "\n\n".join(parts)

    async def _unsubscribe(self, context: TurnContext, text: str) -> None:
        named = parse_subscription(text).target_text
        outcome = await self._port.unsubscribe(owner_from(context), named or None)
        if outcome.removed:
            await send(context, plain(texts.unsubscribed(list(outcome.removed))))
        elif outcome.unknown_target:
            await send(context, plain(texts.unsubscribe_not_found(named, list(outcome.remaining))))
        else:
            await send(context, plain(texts.UNSUBSCRIBE_NOTHING))

