"""The reminder conversation: personal reminders, the list, and calendar subscriptions.

One :class:`ReminderDialog` (id ``"reminder"``) is started by the router for the
intents REMINDER_NEW, REMINDER_LIST, SUBSCRIBE and UNSUBSCRIBE; its first step reads
the text again and picks the inner conversation:

* »mind mig om at sende input til KommuneMED i morgen kl. 9« -> what + when are read
  with :func:`knowledge.dates.find_when`; a missing part is asked for; a date without
  a time gets 09.00 (said in the echo); the bot echoes »… tirsdag 24. november 2026
  kl. 09.00 – er det rigtigt?« (Ja/Nej) and saves on »ja«; »nej« asks for a new time.
  Past or unreadable times get the date layer's Danish explanation and a new question.
* »mine påmindelser« -> a numbered list; then »udsæt 1 1 time«, »flyt 2 til fredag
  kl. 10«, »slet 2« (or »færdig«). The same commands work when the dialog is started
  with them directly.
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
        confirm: confirm (yes_no)
        list: list (command)
        target: target (text)
        start --> what
        start --> when
        start --> confirm
        start --> list
        start --> target
        start --> [*]
        what --> when
        what --> confirm
        when --> when
        when --> confirm
        confirm --> confirm
        confirm --> when
        confirm --> [*]
        list --> list
        list --> [*]
        target --> target
        target --> [*]
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptValidatorContext, TextPrompt

from dialogs import texts
from dialogs.activities import plain, send
from dialogs.messages import Action, Message
from dialogs.prompts import Expect, non_empty_validator, options, parse_yes_no, yes_no_actions, yes_no_validator
from dialogs.reminder_port import (
    NotDeliverableHere,
    Owner,
    ReminderPort,
    ReminderView,
    SubscribeOutcome,
    SubscribeStatus,
)
from dialogs.states import END, StateMachine
from knowledge.calendar import Topic
from knowledge.chatter import is_ack
from knowledge.clock import Clock
from knowledge.dates import DateParseError, ParsedWhen, find_when, format_when, parse_when
from knowledge.intents import Intent, classify
from knowledge.normalize import clean_spaces, fold
from knowledge.reminder_text import (
    DeleteCommand,
    ManageCommand,
    MoveCommand,
    SnoozeCommand,
    is_unsubscribe,
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
_CONFIRM_PROMPT = "reminder.confirm"
_COMMAND_PROMPT = "reminder.command"
_TARGET_PROMPT = "reminder.target"

_DONE = frozenset(fold(w) for w in texts.REMINDER_LIST_DONE_WORDS)

START, WHAT, WHEN, CONFIRM, LIST, TARGET = "start", "what", "when", "confirm", "list", "target"
MACHINE = StateMachine(
    name=REMINDER_DIALOG_ID,
    start=START,
    expects={
        START: None,
        WHAT: Expect.TEXT,
        WHEN: Expect.TIME,
        CONFIRM: Expect.YES_NO,
        LIST: Expect.COMMAND,
        TARGET: Expect.TEXT,
    },
    transitions={
        START: (WHAT, WHEN, CONFIRM, LIST, TARGET, END),
        WHAT: (WHEN, CONFIRM),
        WHEN: (WHEN, CONFIRM),
        CONFIRM: (CONFIRM, WHEN, END),
        LIST: (LIST, END),
        TARGET: (TARGET, END),
    },
)


def _move(step: WaterfallStepContext, new: str) -> None:
    """Move the conversation to ``new``; the state travels in the waterfall's values and options."""
    opts = step.options if isinstance(step.options, dict) else {}
    current = step.values.get("state") or opts.get("from") or START
    step.values["state"] = MACHINE.move(current, new)


def _set_aside(what: str) -> str | None:
    return texts.reminder_set_aside(what) if what else None


def owner_from(context: TurnContext) -> Owner:
    """Who wrote this activity, and the conversation to deliver to."""
    activity = context.activity
    conversation = activity.conversation
    tenant = conversation.tenant_id if conversation is not None else None
    if not tenant and isinstance(activity.channel_data, dict):
        tenant_data = activity.channel_data.get("tenant")
        if isinstance(tenant_data, dict):
            tenant = tenant_data.get("id")
    reference = TurnContext.get_conversation_reference(activity)
    return Owner(
        channel_id=activity.channel_id or "",
        conversation_id=conversation.id if conversation is not None else "",
        user_id=activity.from_property.id if activity.from_property is not None else "",
        reference=reference.serialize(),
        tenant_id=tenant,
        conversation_type=conversation.conversation_type if conversation is not None else None,
    )


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


class ReminderDialog(ComponentDialog):
    def __init__(self, port: ReminderPort, clock: Clock, dialog_id: str = REMINDER_DIALOG_ID) -> None:
        super().__init__(dialog_id)
        self._port = port
        self._clock = clock
        self.add_dialog(WaterfallDialog(_MAIN, [self._route]))
        self.add_dialog(WaterfallDialog(_NEW, [self._new_what, self._new_when, self._new_confirm, self._new_finish]))
        self.add_dialog(WaterfallDialog(_LIST, [self._list_show, self._list_act]))
        self.add_dialog(WaterfallDialog(_SUBSCRIBE, [self._subscribe_ask, self._subscribe_finish]))
        self.add_dialog(TextPrompt(_WHAT_PROMPT, non_empty_validator))
        self.add_dialog(TextPrompt(_WHEN_PROMPT, self._when_validator))
        self.add_dialog(TextPrompt(_CONFIRM_PROMPT, yes_no_validator))
        self.add_dialog(TextPrompt(_COMMAND_PROMPT))
        self.add_dialog(TextPrompt(_TARGET_PROMPT, non_empty_validator))
        self.initial_dialog_id = _MAIN

    def _now(self) -> datetime:
        return self._clock.now()

    # -- routing -------------------------------------------------------------------

    async def _route(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.options if isinstance(step.options, str) else ""
        command = parse_manage_command(text)
        if command is not None:
            _move(step, END)
            await self._execute(step.context, command, None)
            return await step.end_dialog()
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
        values["ask_again"] = bool(opts.get("ask_again"))
        text = opts.get("text", "")
        if text:
            self._read_request(text, values)
        if not values["what"]:
            _move(step, WHAT)
            return await step.prompt(
                _WHAT_PROMPT,
                options(step, plain(texts.REMINDER_ASK_WHAT), expects=MACHINE.expectation(WHAT), state=MACHINE.state_id(WHAT)),
            )
        return await step.next(None)

    def _read_request(self, text: str, values: dict[str, Any]) -> None:
        now = self._now()
        try:
            found = find_when(text, now)
        except DateParseError as exc:
            values["what"] = _what_without_time(text, exc, now)
            values["error"] = _error_text(exc)
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
        if values["error"]:
            question = f"{values['error']}"
        elif values["ask_again"]:
            question = texts.REMINDER_ASK_WHEN_AGAIN
        else:
            question = texts.REMINDER_ASK_WHEN
        _move(step, WHEN)
        return await step.prompt(
            _WHEN_PROMPT,
            options(
                step,
                plain(question),
                plain(texts.REMINDER_ASK_WHEN),
                expects=MACHINE.expectation(WHEN),
                state=MACHINE.state_id(WHEN),
                set_aside=_set_aside(values["what"]),
            ),
        )

    async def _when_validator(self, prompt_context: PromptValidatorContext) -> bool:
        text = prompt_context.recognized.value if prompt_context.recognized.succeeded else ""
        try:
            read_when(text or "", self._now())
        except DateParseError as exc:
            await send(prompt_context.context, plain(_error_text(exc)))
            return False
        return True

    async def _new_confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        values = step.values
        if isinstance(step.result, str):
            due, has_time = read_when(step.result, self._now())
            values["due"] = due.isoformat()
            values["has_time"] = has_time
        due = datetime.fromisoformat(values["due"])
        question = texts.reminder_confirm(values["what"], _when_text(due))
        if not values["has_time"]:
            question = f"{texts.REMINDER_DEFAULT_TIME_NOTE} {question}"
        actions = yes_no_actions(self.id)
        _move(step, CONFIRM)
        return await step.prompt(
            _CONFIRM_PROMPT,
            options(
                step,
                Message(text=question, actions=actions),
                Message(text=texts.CONFIRM_RETRY, actions=actions),
                expects=MACHINE.expectation(CONFIRM),
                state=MACHINE.state_id(CONFIRM),
                set_aside=_set_aside(values["what"]),
            ),
        )

    async def _new_finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        values = step.values
        what = values["what"]
        if not parse_yes_no(step.result or ""):
            return await step.replace_dialog(_NEW, {"what": what, "ask_again": True, "from": CONFIRM})
        due = datetime.fromisoformat(values["due"])
        if due <= self._now():
            return await step.replace_dialog(_NEW, {"what": what, "error": texts.REMINDER_NOT_SAVED_PAST, "from": CONFIRM})
        _move(step, END)
        try:
            view = await self._port.create_reminder(owner_from(step.context), what, due)
        except NotDeliverableHere:
            await send(step.context, plain(texts.REMINDER_NOT_HERE))
            return await step.end_dialog()
        except ValueError:
            await send(step.context, plain(texts.REMINDER_SAVE_FAILED))
            return await step.end_dialog()
        await send(step.context, plain(texts.reminder_saved(_when_text(view.due_at))))
        return await step.end_dialog(view.id)

    # -- the list and its commands -------------------------------------------------

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
        if fold(text) in _DONE or is_ack(text):
            _move(step, END)
            await send(step.context, plain(texts.REMINDER_LIST_DONE_REPLY))
            return await step.end_dialog()
        command = parse_manage_command(text)
        if command is None:
            # Only without the router (which leaves the list itself): say the list is closed.
            _move(step, END)
            await send(step.context, plain(texts.REMINDER_LIST_CLOSED))
            return await step.end_dialog()
        await self._execute(step.context, command, list(step.values.get("ids", [])))
        return await step.replace_dialog(_LIST, {"from": LIST})

    async def _execute(self, context: TurnContext, command: ManageCommand, ids: list[int] | None) -> bool:
        """Carry out a snooze/move/delete; tell the user what happened. True when done."""
        owner = owner_from(context)
        now = self._now()
        upcoming = await self._port.list_reminders(owner)
        by_id: dict[int, ReminderView] = {item.id: item for item in upcoming}
        ids = ids if ids else [item.id for item in upcoming]
        target: ReminderView | None = None
        if command.number is not None:
            if 1 <= command.number <= len(ids) and ids[command.number - 1] in by_id:
                target = by_id[ids[command.number - 1]]
            else:
                await send(context, plain(texts.reminder_not_found(command.number)))
                return False
        else:
            delivered = await self._port.last_delivered(owner) if isinstance(command, SnoozeCommand) else None
            if delivered is not None:
                target = delivered
            elif len(ids) == 1 and ids[0] in by_id:
                target = by_id[ids[0]]
            else:
                await send(context, plain(texts.REMINDER_WHICH))
                return False

        if isinstance(command, DeleteCommand):
            if await self._port.delete_reminder(owner, target.id):
                await send(context, plain(texts.reminder_deleted(target.text)))
                return True
            await send(context, plain(texts.reminder_not_found(command.number or 1)))
            return False

        try:
            if isinstance(command, SnoozeCommand) and command.delay is not None:
                base = target.due_at if target.status in ("pending", "claimed") and target.due_at > now else now
                due = base + command.delay
            else:
                when_text = command.when_text if isinstance(command, (SnoozeCommand, MoveCommand)) else None
                due, _ = read_when(when_text or "", now)
        except DateParseError as exc:
            await send(context, plain(_error_text(exc)))
            return False
        try:
            moved = await self._port.reschedule_reminder(owner, target.id, due)
        except ValueError:
            await send(context, plain(texts.date_error("past")))
            return False
        if moved is None:
            await send(context, plain(texts.reminder_not_found(command.number or 1)))
            return False
        await send(context, plain(texts.reminder_moved(moved.text, _when_text(moved.due_at))))
        return True

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
            _TARGET_PROMPT, options(step, message, expects=MACHINE.expectation(TARGET), state=MACHINE.state_id(TARGET))
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

