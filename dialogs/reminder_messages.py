"""What a delivered reminder or calendar nudge says, as a neutral :class:`Message`."""

from __future__ import annotations

from datetime import datetime

from dialogs import texts
from dialogs.messages import Action, Message
from knowledge.calendar import CalendarEvent, NudgeKind
from knowledge.clock import COPENHAGEN
from knowledge.dates import format_when
from knowledge.sources import source_line

__all__ = ["MATERIAL_SOURCE", "nudge_message", "reminder_message"]

#: Seed 000 asks that material is presented "i så god tid inden møderne".
MATERIAL_SOURCE = source_line("000", texts.REMINDER_MATERIAL_SECTION)


def reminder_message(text: str, due_at: datetime) -> Message:
    return Message(
        title=texts.REMINDER_DELIVERED_TITLE,
        text=text,
        facts=((texts.REMINDER_DELIVERED_FACT, format_when(due_at, True)),),
        note=texts.REMINDER_DELIVERED_NOTE,
        actions=(Action(title=texts.REMINDER_MY_REMINDERS, text=texts.REMINDER_MY_REMINDERS_TEXT),),
    )


def _when(event: CalendarEvent) -> str:
    return format_when(event.starts_at, not event.all_day)


def _in_text(event: CalendarEvent, now: datetime) -> str:
    days = (event.local_date - now.astimezone(COPENHAGEN).date()).days
    if days >= 1:
        return texts.nudge_in(days)
    hours = int((event.starts_at - now).total_seconds() // 3600)
    return texts.nudge_in(0, max(hours, 0))


def _facts(event: CalendarEvent) -> tuple[tuple[str, str], ...]:
    facts = [(texts.NUDGE_FACT_WHEN, _when(event))]
    if event.location:
        facts.append((texts.NUDGE_FACT_WHERE, event.location))
    if event.committee:
        facts.append((texts.NUDGE_FACT_COMMITTEE, event.committee))
    return tuple(facts)


def nudge_message(event: CalendarEvent, kind: NudgeKind, now: datetime) -> Message:
    if kind is NudgeKind.PHASE_START:
        body = texts.nudge_phase(event.title)
        if event.description:
            body += "\n\n" + event.description
        body += "\n\n" + texts.NUDGE_PHASE_FROM_DOCUMENT
        return Message(title=texts.NUDGE_PHASE_TITLE, text=body, source=event.source or None, note=texts.NUDGE_STOP_NOTE)
    if kind is NudgeKind.MATERIAL:
        return Message(
            title=texts.NUDGE_MATERIAL_TITLE,
            text=texts.nudge_material(event.title, _when(event)),
            facts=_facts(event),
            source=MATERIAL_SOURCE,
            note=texts.NUDGE_STOP_NOTE,
        )
    return Message(
        title=texts.NUDGE_TITLE,
        text=texts.nudge_ahead(event.title, _when(event), _in_text(event, now)),
        facts=_facts(event),
        source=event.source or None,
        note=texts.NUDGE_STOP_NOTE,
    )
