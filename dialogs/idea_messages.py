"""The messages of 'Den gode idé', built once as channel-neutral data.

Used by the idea dialogs (questions, summary, receipt) and by the idea service for
what it sends proactively (feedback to the submitter, notices and nudges to the
committee's contact persons). Every sentence comes from :mod:`dialogs.texts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dialogs import texts
from dialogs.idea_port import AreaOption, IdeaView, SimilarIdea
from dialogs.messages import Action, Form, FormField, Message
from dialogs.prompts import yes_no_actions
from knowledge.clock import COPENHAGEN
from knowledge.ideas_rules import (
    CONSEQUENCE_KEYS,
    CONSEQUENCE_MAX,
    DESCRIPTION_MAX,
    POTENTIAL_MAX,
    TITLE_MAX,
    IdeaDraft,
)

DIALOG_ID = "idea"
FORM_ID = "idea_form"
FIELD_CROSS = "cross_cutting"
FIELD_ANONYMOUS = "anonymous"
AREA_UNKNOWN_VALUE = "__unknown__"
MAX_AREA_BUTTONS = 6
#: The fields »Ret« offers (Teams shows at most six card actions).
EDITABLE_FIELDS = ("title", "description", "area", "potential", "cross_cutting", "consequences")


def consequence_field(key: str) -> str:
    return f"conseq_{key}"


def local_date(moment: datetime) -> str:
    local = moment.astimezone(COPENHAGEN)
    return texts.idea_date(local.day, local.month, local.year)


def local_date_time(moment: datetime) -> str:
    local = moment.astimezone(COPENHAGEN)
    return f"{local.day:02d}-{local.month:02d}-{local.year} {local.hour:02d}:{local.minute:02d}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return texts.IDEA_NOT_FILLED
    return texts.YES if value else texts.NO


# --- questions ------------------------------------------------------------------


def ask(text: str, actions: tuple[Action, ...] = ()) -> Message:
    return Message(text=text, actions=actions)


def ask_yes_no(text: str) -> Message:
    return Message(text=text, actions=yes_no_actions(DIALOG_ID))


def ask_skippable(text: str) -> Message:
    return Message(text=text, actions=(Action(title=texts.IDEA_SKIP, text=texts.IDEA_SKIP.lower(), dialog=DIALOG_ID),))


def ask_yes_no_skippable(text: str) -> Message:
    skip = Action(title=texts.IDEA_SKIP, text=texts.IDEA_SKIP.lower(), dialog=DIALOG_ID)
    return Message(text=text, actions=(*yes_no_actions(DIALOG_ID), skip))


def area_choices(areas: Sequence[AreaOption]) -> list[tuple[str, str]]:
    """(title, value) in the order offered; the last one is "ved ikke"."""
    return [(a.name, a.id) for a in areas] + [(texts.IDEA_AREA_UNKNOWN, AREA_UNKNOWN_VALUE)]


def ask_area(areas: Sequence[AreaOption], intro: str | None = None) -> Message:
    choices = area_choices(areas)
    lines = "\n".join(f"{i}. {title}" for i, (title, _value) in enumerate(choices, start=1))
    heading = intro or texts.IDEA_ASK_AREA
    if len(choices) <= MAX_AREA_BUTTONS:
        actions = tuple(Action(title=title, text=title, dialog=DIALOG_ID) for title, _value in choices)
        return Message(text=heading, actions=actions)
    return Message(text=f"{heading}\n\n{lines}\n\n{texts.IDEA_AREA_HINT}")


def idea_form(areas: Sequence[AreaOption], draft: IdeaDraft | None = None) -> Form:
    draft = draft or IdeaDraft()
    labels = texts.IDEA_FIELD_LABELS
    area_value = draft.area_id or (AREA_UNKNOWN_VALUE if draft.area_unknown else "")
    fields: list[FormField] = [
        FormField(id="title", label=labels["title"], required=True, max_length=TITLE_MAX, value=draft.title),
        FormField(
            id="description",
            label=labels["description"],
            kind="multiline",
            required=True,
            max_length=DESCRIPTION_MAX,
            value=draft.description,
        ),
        FormField(
            id="potential",
            label=labels["potential"],
            kind="multiline",
            required=True,
            max_length=POTENTIAL_MAX,
            value=draft.potential,
        ),
        FormField(
            id="area",
            label=labels["area"],
            kind="choice",
            required=True,
            choices=tuple(area_choices(areas)),
            value=area_value,
        ),
        FormField(
            id=FIELD_CROSS,
            label=texts.IDEA_ASK_CROSS,
            kind="toggle",
            value="true" if draft.cross_cutting else "",
        ),
    ]
    for key in CONSEQUENCE_KEYS:
        fields.append(
            FormField(
                id=consequence_field(key),
                label=texts.idea_consequence_fact(texts.IDEA_CONSEQUENCE_LABELS[key]),
                kind="multiline",
                max_length=CONSEQUENCE_MAX,
                value=draft.consequences.get(key, ""),
            )
        )
    fields.append(
        FormField(id=FIELD_ANONYMOUS, label=texts.IDEA_ASK_ANONYMOUS, kind="toggle", value="true" if draft.anonymous else "")
    )
    return Form(id=FORM_ID, dialog=DIALOG_ID, fields=tuple(fields), submit_title=texts.IDEA_FORM_SUBMIT)


def ask_title(areas: Sequence[AreaOption], with_form: bool, draft: IdeaDraft | None = None, intro: str | None = None) -> Message:
    if with_form:
        text = f"{intro}\n\n{texts.IDEA_FORM_INTRO}" if intro else texts.IDEA_FORM_INTRO
        return Message(title=texts.IDEA_FORM_TITLE, text=text, form=idea_form(areas, draft))
    text = f"{intro}\n\n{texts.IDEA_ASK_TITLE}" if intro else texts.IDEA_ASK_TITLE
    return Message(text=text)


# --- summary and duplicates --------------------------------------------------------


def draft_facts(draft: IdeaDraft, area_name: str | None) -> tuple[tuple[str, str], ...]:
    """What will be sent: the required fields, and the optional ones the user filled in."""
    labels = texts.IDEA_FIELD_LABELS
    facts: list[tuple[str, str]] = [
        (labels["title"], draft.title or texts.IDEA_NOT_FILLED),
        (labels["description"], draft.description or texts.IDEA_NOT_FILLED),
        (labels["area"], area_name or texts.IDEA_NOT_FILLED),
    ]
    if draft.potential:
        facts.append((labels["potential"], draft.potential))
    if draft.cross_cutting is not None:
        facts.append((labels["cross_cutting"], yes_no(draft.cross_cutting)))
    for key in CONSEQUENCE_KEYS:
        if draft.consequences.get(key):
            facts.append((texts.idea_consequence_fact(texts.IDEA_CONSEQUENCE_LABELS[key]), draft.consequences[key]))
    sender = texts.IDEA_SENDER_ANONYMOUS_SUMMARY if draft.anonymous else texts.IDEA_SENDER_NAMED
    facts.append((texts.IDEA_SENDER, sender))
    return tuple(facts)


def summary(
    draft: IdeaDraft, area_name: str | None, committee: str, budget_year: int, sender_name: str | None = None
) -> Message:
    """What will be sent and to whom, with buttons that say what happens."""
    other_way = texts.IDEA_SEND_WITH_NAME if draft.anonymous else texts.IDEA_SEND_ANONYMOUS
    titles = (texts.IDEA_CONFIRM, other_way, texts.IDEA_ADD_MORE, texts.IDEA_EDIT, texts.IDEA_CANCEL)
    return Message(
        title=texts.IDEA_SUMMARY_TITLE,
        text=texts.idea_summary_text(committee, budget_year, anonymous=bool(draft.anonymous), name=sender_name),
        facts=draft_facts(draft, area_name),
        note=texts.IDEA_SUMMARY_HINT,
        actions=tuple(Action(title=title, text=title.lower(), dialog=DIALOG_ID) for title in titles),
    )


def draft_so_far(draft: IdeaDraft, area_name: str | None) -> Message:
    """What the user has written so far (»kan du huske hvad jeg skrev?«)."""
    return Message(title=texts.IDEA_DRAFT_SO_FAR, text="", facts=draft_facts(draft, area_name))


def ask_which_field() -> Message:
    """Every field that can be changed (the sender is chosen with the send buttons)."""
    labels = texts.IDEA_FIELD_LABELS
    return Message(
        text=texts.IDEA_ASK_WHICH_FIELD,
        actions=tuple(
            Action(title=labels[name], text=f"{texts.IDEA_EDIT.lower()} {labels[name].lower()}", dialog=DIALOG_ID)
            for name in EDITABLE_FIELDS
        ),
    )


def duplicates(similar: Sequence[SimilarIdea], budget_year: int) -> Message:
    lines = "\n".join(texts.idea_similar_line(s.number, s.title, s.status_label) for s in similar)
    actions = [
        Action(title=texts.idea_support_action(s.number), text=texts.idea_support_action(s.number).lower(), dialog=DIALOG_ID)
        for s in similar
    ]
    actions.append(Action(title=texts.IDEA_SEND_ANYWAY, text=texts.IDEA_SEND_ANYWAY.lower(), dialog=DIALOG_ID))
    return Message(text=f"{texts.idea_duplicates_text(budget_year)}\n\n{lines}", actions=tuple(actions))


def own_duplicate_choices() -> tuple[tuple[str, str], ...]:
    """(title, value): send the new idea anyway, or keep the old one (and delete the new draft)."""
    return ((texts.IDEA_OWN_SEND_NEW, "send_new"), (texts.IDEA_OWN_KEEP_OLD, "keep_old"))


def own_duplicate(own: SimilarIdea) -> Message:
    """The user's own earlier idea looks like the new one: never offered for support."""
    return Message(
        text=texts.idea_own_duplicate_text(own.number, own.title, own.status_label),
        actions=tuple(Action(title=title, text=title.lower(), dialog=DIALOG_ID) for title, _value in own_duplicate_choices()),
    )


def resume_question(draft: IdeaDraft, updated_at: datetime) -> Message:
    return ask_yes_no(texts.idea_resume_question(draft.title, local_date(updated_at)))


# --- views for admins and the submitter ------------------------------------------------


def idea_facts(view: IdeaView, *, committee_facing: bool) -> tuple[tuple[str, str], ...]:
    labels = texts.IDEA_FIELD_LABELS
    facts: list[tuple[str, str]] = [
        (texts.IDEA_STATUS, view.status_label),
        (texts.IDEA_COMMITTEE, view.committee_name),
        (labels["description"], view.description),
        (labels["potential"], view.potential),
        (labels["area"], view.area_name or texts.IDEA_AREA_UNKNOWN),
        (labels["cross_cutting"], yes_no(view.cross_cutting)),
    ]
    for key in CONSEQUENCE_KEYS:
        if view.consequences.get(key):
            facts.append((texts.idea_consequence_fact(texts.IDEA_CONSEQUENCE_LABELS[key]), view.consequences[key]))
    if committee_facing:
        facts.append((texts.IDEA_SUBMITTER, submitter_label(view)))
    facts.append((texts.IDEA_SUPPORTS, str(view.supports)))
    facts.append((texts.IDEA_RECEIVED, local_date(view.created_at)))
    return tuple(facts)


def submitter_label(view: IdeaView) -> str:
    if view.anonymous:
        return texts.IDEA_SUBMITTER_ANONYMOUS
    return view.submitter or texts.IDEA_SUBMITTER_ERASED


def idea_card(view: IdeaView, *, committee_facing: bool) -> Message:
    notes: list[str] = []
    if committee_facing and view.events:
        lines = [
            texts.idea_event_line(local_date_time(e.at), e.actor, event_what(e.kind, e.status_label), e.reason)
            for e in view.events
        ]
        notes.append(f"{texts.IDEA_EVENTS_HEADING}:\n" + "\n".join(lines))
    if committee_facing and view.contact_unreachable:
        notes.append(texts.IDEA_LIST_CONTACT_WARNING)
    return Message(
        title=f"#{view.number} {view.title}",
        text=f"{texts.IDEA_BUDGET_YEAR} {view.budget_year}",
        facts=idea_facts(view, committee_facing=committee_facing),
        note="\n\n".join(notes) or None,
    )


def event_what(kind: str, status_label: str | None) -> str:
    if kind == "status" and status_label:
        return status_label
    return {
        "submitted": texts.IDEA_EVENT_SUBMITTED,
        "comment": texts.IDEA_EVENT_COMMENT,
        "support": texts.IDEA_EVENT_SUPPORT,
        "erased": texts.IDEA_EVENT_ERASED,
    }.get(kind, kind)


def idea_list(title: str, views: Sequence[IdeaView], *, committee_facing: bool) -> Message:
    lines = []
    for view in views:
        flag = "⚠ " if committee_facing and view.contact_unreachable else ""
        if committee_facing:
            lines.append(flag + texts.idea_list_line(view.number, view.title, view.status_label, view.supports))
        else:
            lines.append(texts.my_idea_list_line(
                view.number, view.title, view.status_label, view.supports, view.committee_name, view.contact
            ))
    note = texts.IDEA_LIST_MORE.format(number=views[0].number) if views and committee_facing else None
    if committee_facing and any(v.contact_unreachable for v in views):
        note = f"{note}\n{texts.IDEA_LIST_CONTACT_WARNING}" if note else texts.IDEA_LIST_CONTACT_WARNING
    return Message(title=title, text="\n".join(lines), note=note)


# --- proactive messages (built by the service at delivery time) -----------------------


def status_feedback(number: str, title: str, status_label: str, reason: str | None, *, supporter: bool) -> Message:
    heading = texts.idea_feedback_title_supporter(number) if supporter else texts.idea_feedback_title(number)
    facts = ((texts.IDEA_REASON, reason),) if reason else ()
    return Message(
        title=heading,
        text=texts.idea_feedback_text(title, status_label),
        facts=facts,
        note=texts.IDEA_FEEDBACK_NOTE,
    )


def contact_notice(
    number: str,
    title: str,
    committee: str,
    facts: Sequence[tuple[str, str]],
    *,
    forwarded: bool,
) -> Message:
    heading = (
        texts.idea_forwarded_for_contact_title(number, committee)
        if forwarded
        else texts.idea_new_for_contact_title(number, committee)
    )
    return Message(title=heading, text=f"»{title}«", facts=tuple(facts), note=texts.idea_contact_note(number))


def nudge(number: str, title: str, status_label: str, days: int) -> Message:
    return Message(
        title=texts.idea_nudge_title(number),
        text=texts.idea_nudge_text(title, status_label, days),
        note=texts.idea_contact_note(number),
    )
