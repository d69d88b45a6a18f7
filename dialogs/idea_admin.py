"""Chat commands about ideas: own ideas for everybody; listing and changing for admins.

»mine idéer«, »støt idé 2027-014«, and for the committee's MED secretary and chair
(admins, see :mod:`bot.ideas.directory`): »idéer«, »idé 2027-014«,
»sæt idé 2027-014 til afvist fordi …«, »kommentér idé 2027-014: …«. Everybody else
gets a polite refusal; the service checks the permission again, whoever calls it.
A status that needs a reason and has none makes the dialog ask for it.

.. code-block:: mermaid

    stateDiagram-v2
        [*] --> command
        reason: reason (text)
        command --> reason
        command --> [*]
        reason --> [*]

``command`` runs the command the dialog was started with; only a status change that
needs a reason and has none goes on to ``reason``. A new command typed at the reason
prompt is run instead of being saved as the reason.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import TextPrompt

from dialogs import idea_messages as msgs
from dialogs import texts
from dialogs.activities import plain, send
from dialogs.idea import person_of
from dialogs.idea_port import (
    AccessDeniedError,
    ConcurrentChangeError,
    IdeaAdminPort,
    IdeaNotFoundError,
    IdeaPort,
    InvalidIdeaError,
    NeedCommitteeError,
    Person,
    SupportOutcome,
    UnknownCommitteeError,
)
from dialogs.messages import Message
from dialogs.prompts import Expect, options
from dialogs.states import END, StateMachine
from knowledge.ideas_rules import (
    REASON_REQUIRED,
    CommandKind,
    IdeaCommand,
    IdeaStatus,
    InvalidTransitionError,
    ReasonRequiredError,
    SameStatusError,
    allowed_next,
    parse_idea_command,
)

log = logging.getLogger(__name__)

DIALOG_ID = "idea_admin"
FLOW_ID = "idea_admin.flow"

COMMAND, REASON = "command", "reason"
MACHINE = StateMachine(
    name=DIALOG_ID,
    start=COMMAND,
    expects={COMMAND: None, REASON: Expect.TEXT},
    transitions={COMMAND: (REASON, END), REASON: (END,)},
)
PROMPT_ID = MACHINE.state_id(REASON)


def _plain_label(status: IdeaStatus) -> str:
    return texts.IDEA_STATUS_SHORT.get(status.value, status.value)


class IdeaAdminDialog(ComponentDialog):
    """The ComponentDialog with id ``"idea_admin"`` (started by Intent.IDEA_LIST)."""

    def __init__(self, admin: IdeaAdminPort, ideas: IdeaPort, dialog_id: str = DIALOG_ID) -> None:
        super().__init__(dialog_id)
        self._admin = admin
        self._ideas = ideas
        self.add_dialog(TextPrompt(PROMPT_ID))
        self.add_dialog(WaterfallDialog(FLOW_ID, [self._command_step, self._reason_step]))
        self.initial_dialog_id = FLOW_ID

    async def show_list(self, context: TurnContext) -> None:
        """»mine idéer« in the middle of another dialog: the list, without starting this one."""
        await send(context, await self._run(IdeaCommand(CommandKind.MY_IDEAS), person_of(context)))

    async def _command_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.options if isinstance(step.options, str) else ""
        person = person_of(step.context)
        await self._admin.observe(person)
        command = parse_idea_command(text)
        if command is None:
            await send(step.context, plain(texts.IDEA_COMMANDS_HELP))
            return await step.end_dialog()
        if command.kind is CommandKind.SET_STATUS and command.status is not None and command.number is not None:
            if command.status in REASON_REQUIRED and not command.reason.strip():
                refusal = await self._preview(command, person)
                if refusal is not None:
                    await send(step.context, refusal)
                    return await step.end_dialog()
                step.values["command"] = {"number": str(command.number), "status": command.status.value, "committee": command.committee_text}
                step.values["state"] = MACHINE.move(COMMAND, REASON)
                question = plain(texts.idea_ask_reason(texts.idea_status_label(command.status.value)))
                return await step.prompt(
                    PROMPT_ID, options(step, question, expects=MACHINE.expectation(REASON), state=PROMPT_ID)
                )
        await send(step.context, await self._run(command, person))
        return await step.end_dialog()

    async def _reason_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        saved: dict[str, Any] = step.values["command"]
        step.values["state"] = MACHINE.move(step.values.get("state", REASON), END)
        reason = str(step.result or "").strip()
        if parse_idea_command(reason) is not None:
            # Not a reason but a new command ("sæt idé … til drøftes"): run that instead.
            return await step.replace_dialog(FLOW_ID, reason)
        person = person_of(step.context)
        message = await self._change(person, saved["number"], IdeaStatus(saved["status"]), reason, saved.get("committee") or None)
        await send(step.context, message)
        return await step.end_dialog()

    async def _preview(self, command: IdeaCommand, person: Person) -> Message | None:
        assert command.number is not None and command.status is not None
        try:
            await self._admin.preview_change(str(command.number), command.status, person)
        except (AccessDeniedError, IdeaNotFoundError, InvalidTransitionError, SameStatusError) as exc:
            return await self._explain(exc, str(command.number), command.status, person)
        return None

    async def _run(self, command: IdeaCommand, person: Person) -> Message:
        number = str(command.number) if command.number is not None else ""
        try:
            if command.kind is CommandKind.MY_IDEAS:
                views = await self._admin.my_ideas(person)
                if not views:
                    return plain(texts.MY_IDEAS_EMPTY)
                return msgs.idea_list(texts.MY_IDEAS_TITLE, views, committee_facing=False)
            if command.kind is CommandKind.LIST:
                committees = ", ".join(c.name for c in await self._admin.admin_committees(person))
                views = await self._admin.list_for_admin(person, command.status)
                if not views:
                    return plain(texts.idea_admin_list_empty(committees))
                return msgs.idea_list(texts.idea_admin_list_title(committees), views, committee_facing=True)
            if command.kind is CommandKind.SHOW:
                view = await self._admin.show(number, person)
                return msgs.idea_card(view, committee_facing=view.committee_view)
            if command.kind is CommandKind.SUPPORT:
                outcome = await self._ideas.support(number, person)
                return plain(
                    {
                        SupportOutcome.SUPPORTED: texts.idea_supported_by_command,
                        SupportOutcome.ALREADY: texts.idea_already_supported,
                        SupportOutcome.OWN_IDEA: texts.idea_own_idea_by_command,
                        SupportOutcome.NOT_FOUND: texts.idea_not_found,
                    }[outcome](number)
                )
            if command.kind is CommandKind.COMMENT:
                if not command.reason.strip():
                    return plain(texts.IDEA_COMMENT_EMPTY)
                await self._admin.comment(number, person, command.reason)
                return plain(texts.idea_comment_saved(number))
            if command.status is None:
                return plain(texts.idea_unknown_status(command.status_text))
            return await self._change(person, number, command.status, command.reason, command.committee_text or None)
        except (AccessDeniedError, IdeaNotFoundError) as exc:
            return await self._explain(exc, number, command.status, person)

    async def _change(
        self, person: Person, number: str, status: IdeaStatus, reason: str, committee: str | None
    ) -> Message:
        try:
            change = await self._admin.set_status(number, status, person, reason=reason or None, committee=committee)
        except (
            AccessDeniedError,
            IdeaNotFoundError,
            InvalidTransitionError,
            SameStatusError,
            ReasonRequiredError,
            NeedCommitteeError,
            UnknownCommitteeError,
            ConcurrentChangeError,
            InvalidIdeaError,
        ) as exc:
            return await self._explain(exc, number, status, person)
        return plain(
            texts.idea_status_changed(change.number, change.status_label, change.notified, change.unreachable_committee)
        )

    async def _explain(self, exc: Exception, number: str, status: IdeaStatus | None, person: Person) -> Message:
        if isinstance(exc, AccessDeniedError):
            return plain(texts.IDEA_ADMIN_ONLY)
        if isinstance(exc, IdeaNotFoundError):
            return plain(texts.idea_not_found(exc.number or number))
        if isinstance(exc, InvalidTransitionError):
            allowed = [_plain_label(s) for s in allowed_next(exc.current)]
            return plain(texts.idea_invalid_transition(_plain_label(exc.current), _plain_label(exc.wanted), allowed))
        if isinstance(exc, SameStatusError):
            return plain(texts.idea_same_status(_plain_label(exc.status)))
        if isinstance(exc, ReasonRequiredError):
            return plain(texts.idea_ask_reason(texts.idea_status_label(exc.wanted.value)))
        if isinstance(exc, NeedCommitteeError):
            committees = self._admin.committees()
            top = committees[0].name if committees else texts.IDEA_COMMITTEE_FALLBACK
            return plain(texts.IDEA_NEED_COMMITTEE.format(top=top))
        if isinstance(exc, UnknownCommitteeError):
            return plain(texts.idea_unknown_committee(exc.text, [c.name for c in self._admin.committees()]))
        if isinstance(exc, ConcurrentChangeError):
            return plain(texts.IDEA_CHANGED_MEANWHILE)
        if isinstance(exc, InvalidIdeaError):
            return plain(texts.IDEA_REASON_TOO_LONG)
        log.error("unexpected idea error %s", type(exc).__name__)
        return plain(texts.ERROR_APOLOGY)
