"""The main conversation: routes each message to a dialog or answers it directly.

Interruptions live here, in one place, for every dialog: »hjælp« shows the help
and repeats the current question; »annuller« ends whatever is running. A click on
a card whose dialog is no longer running gets a polite answer instead of being
taken for a new question.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from botbuilder.core import ConversationState, StatePropertyAccessor, TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogSet, DialogTurnStatus

from dialogs import qa, texts
from dialogs.activities import plain, send
from dialogs.start import greeting_message, help_message
from dialogs.deps import DialogDeps
from dialogs.inbound import UserInput
from knowledge.intents import Intent, classify

log = logging.getLogger(__name__)

DIALOG_STATE_PROPERTY = "DialogState"
LAST_TURN_PROPERTY = "LastTurnAt"
# A conversation left alone this long is not resumed by the next message.
DEFAULT_IDLE_TIMEOUT = timedelta(hours=12)

# Phrases that clearly start another conversation even while one is running.
# (Commands such as »støt idé …« or »slet 2« are also answers inside dialogs, so
# they never switch.)
_SWITCHING_INTENTS = frozenset({Intent.CASE_LEVEL, Intent.IDEA_NEW, Intent.REMINDER_NEW})


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
        self._dialog_set = DialogSet(self._state)
        self._starts: dict[Intent, str] = {}
        for intent, dialog in (dialogs or {}).items():
            if self._dialog_set.find_dialog(dialog.id) is None:
                self._dialog_set.add(dialog)
            self._starts[intent] = dialog.id

    async def on_message(self, turn_context: TurnContext, user_input: UserInput) -> None:
        dc = await self._dialog_set.create_context(turn_context)
        classified = classify(user_input.text) if not user_input.form else None
        intent = classified.intent if classified else None
        if dc.active_dialog and await self._idle_too_long(turn_context):
            # Left for hours: the message is not an answer to the old question.
            # (Ideas keep their draft in the database; »fortsæt min idé« resumes it.)
            await dc.cancel_all_dialogs()
            await send(turn_context, plain(texts.DIALOG_SET_ASIDE))
        await self._last_turn.set(turn_context, self._deps.clock.now().isoformat())
        active = dc.active_dialog.id if dc.active_dialog else None

        if active:
            if intent is Intent.CANCEL:
                await dc.cancel_all_dialogs()
                await send(turn_context, plain(texts.CANCELLED))
                return
            if intent is Intent.HELP:
                await send(turn_context, help_message())
                await dc.reprompt_dialog()
                return
            if intent in _SWITCHING_INTENTS and intent in self._starts and self._starts[intent] != active and not user_input.from_card:
                # "ny idé" in the middle of a reminder: the user has moved on.
                await dc.cancel_all_dialogs()
                await dc.begin_dialog(self._starts[intent], user_input.text)
                return
            if user_input.from_card and user_input.dialog and not self._belongs_to(dc, user_input.dialog):
                await send(turn_context, plain(texts.CARD_EXPIRED))
                await dc.reprompt_dialog()
                return
            result = await dc.continue_dialog()
            if result.status != DialogTurnStatus.Empty:
                return

        if user_input.from_card and (user_input.dialog or user_input.form):
            # A card from a dialog that has ended (or was clicked twice).
            await send(turn_context, plain(texts.CARD_EXPIRED))
            return

        await self._start(dc, turn_context, user_input, intent)

    async def _start(
        self, dc: DialogContext, turn_context: TurnContext, user_input: UserInput, intent: Intent | None
    ) -> None:
        if intent is Intent.HELP:
            await send(turn_context, help_message())
        elif intent is Intent.GREETING:
            await send(turn_context, greeting_message())
        elif intent is Intent.THANKS:
            await send(turn_context, plain(texts.YOU_ARE_WELCOME))
        elif intent is Intent.CANCEL:
            await send(turn_context, plain(texts.NOTHING_TO_CANCEL))
        elif intent is not None and intent in self._starts:
            await dc.begin_dialog(self._starts[intent], user_input.text)
        elif intent is not None and intent is not Intent.QUESTION:
            await send(turn_context, plain(texts.NOT_AVAILABLE_YET))
        else:
            message = await qa.answer(
                user_input.text, self._deps, turn_context.activity.channel_id or "", entry_id=user_input.entry
            )
            await send(turn_context, message)

    async def _idle_too_long(self, turn_context: TurnContext) -> bool:
        last = await self._last_turn.get(turn_context, None)
        if not isinstance(last, str):
            return False
        try:
            then = datetime.fromisoformat(last)
        except ValueError:
            return False
        return self._deps.clock.now() - then > self._idle_timeout

    @staticmethod
    def _belongs_to(dc: DialogContext, dialog_id: str) -> bool:
        """True when ``dialog_id`` is anywhere on the running dialog stack."""
        context: DialogContext | None = dc
        while context is not None:
            if any(instance.id == dialog_id for instance in context.stack):
                return True
            active = context.active_dialog
            child = context.child if active else None
            context = child
        return False
