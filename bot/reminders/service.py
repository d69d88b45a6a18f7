"""ReminderService: what the reminder dialogs (through :class:`dialogs.reminder_port.ReminderPort`)
and the ``medbot`` commands do with reminders, subscriptions and calendars."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from botbuilder.schema import ConversationReference

from bot.clock import Clock, ensure_aware_utc
from bot.reminders.calendar_store import CalendarStore, StoredEvent, UpsertResult
from bot.reminders.ics import IcsImport, parse_ics, to_ics
from bot.reminders.nudges import NudgePlanner
from bot.reminders.store import Reminder, ReminderStore, SubscriptionStore
from bot.storage.conversations import ConversationStore, InvalidConversationReferenceError
from bot.storage.models_delivery import STATUS_FAILED
from dialogs import texts
from dialogs.reminder_port import (
    EventView,
    NotDeliverableHere,
    Owner,
    ReminderView,
    SubscribeOutcome,
    SubscribeStatus,
    UnsubscribeOutcome,
)
from knowledge.calendar import (
    CalendarEvent,
    EventKind,
    Topic,
    calendar_orgs,
    event_matches_target,
    load_seed_events,
    org_key,
)
from knowledge.normalize import fold
from knowledge.reminder_text import parse_subscription, resolve_target

__all__ = ["CalendarImportResult", "ReminderError", "ReminderService"]

log = logging.getLogger(__name__)

UPCOMING_SHOWN = 3


class ReminderError(ValueError):
    """A reminder request that cannot be carried out (e.g. a time in the past)."""


@dataclass(frozen=True)
class CalendarImportResult:
    upsert: UpsertResult
    skipped: tuple[str, ...]
    total: int


def _view(reminder: Reminder) -> ReminderView:
    return ReminderView(
        id=reminder.id, text=reminder.text, due_at=reminder.due_at, status=reminder.status, created_at=reminder.created_at
    )


def _event_view(stored: StoredEvent) -> EventView:
    event = stored.event
    return EventView(
        title=event.title,
        starts_at=event.starts_at,
        all_day=event.all_day,
        committee=event.committee,
        location=event.location,
    )


class ReminderService:
    """Implements :class:`dialogs.reminder_port.ReminderPort`, plus calendar administration."""

    def __init__(
        self,
        *,
        clock: Clock,
        conversations: ConversationStore,
        reminders: ReminderStore,
        subscriptions: SubscriptionStore,
        calendar: CalendarStore,
        org: str,
        committees: Mapping[str, str] | None = None,
        planner: NudgePlanner | None = None,
        seed_dir: Path | None = None,
        nudge_days: Sequence[int] = (7, 1),
    ) -> None:
        self._clock = clock
        self._conversations = conversations
        self._reminders = reminders
        self._subscriptions = subscriptions
        self._calendar = calendar
        self.org = org_key(org)
        self._committees = dict(committees or {})
        self._planner = planner
        self._seed_dir = seed_dir
        self._nudge_days = tuple(nudge_days)

    @property
    def orgs(self) -> tuple[str, ...]:
        return calendar_orgs(self.org)

    # -- the conversation behind an owner ------------------------------------------

    async def _conversation_id(self, owner: Owner) -> int:
        stored = await self._conversations.get(owner.channel_id, owner.conversation_id)
        if stored is not None:
            return stored.id
        # Normally the activity handler stored it already; store it now if not.
        reference = ConversationReference().deserialize(dict(owner.reference))
        try:
            return await self._conversations.upsert_from_activity(reference, owner.conversation_type, owner.tenant_id)
        except InvalidConversationReferenceError as exc:
            raise NotDeliverableHere("the conversation cannot receive proactive messages") from exc

    # -- personal reminders ---------------------------------------------------------

    async def create_reminder(self, owner: Owner, text: str, due_at: datetime) -> ReminderView:
        due = ensure_aware_utc(due_at)
        if due <= self._clock.now():
            raise ReminderError("the time has passed")
        conversation_ref_id = await self._conversation_id(owner)
        return _view(await self._reminders.create(conversation_ref_id, owner.user_id, text, due))

    async def list_reminders(self, owner: Owner) -> list[ReminderView]:
        return [_view(r) for r in await self._reminders.upcoming(owner.user_id)]

    async def newest_created(self, owner: Owner) -> ReminderView | None:
        reminder = await self._reminders.newest(owner.user_id)
        return _view(reminder) if reminder is not None else None

    async def last_delivered(self, owner: Owner, within_hours: int = 24) -> ReminderView | None:
        since = self._clock.now() - timedelta(hours=within_hours)
        reminder = await self._reminders.last_sent(owner.user_id, since)
        return _view(reminder) if reminder is not None else None

    async def reschedule_reminder(self, owner: Owner, reminder_id: int, due_at: datetime) -> ReminderView | None:
        due = ensure_aware_utc(due_at)
        if due <= self._clock.now():
            raise ReminderError("the time has passed")
        updated = await self._reminders.reschedule(reminder_id, owner.user_id, due)
        return _view(updated) if updated is not None else None

    async def delete_reminder(self, owner: Owner, reminder_id: int) -> bool:
        return await self._reminders.cancel(reminder_id, owner.user_id)

    # -- subscriptions ------------------------------------------------------------------

    async def _known_committees(self) -> dict[str, str]:
        names = dict(self._committees)
        for committee in await self._calendar.committees(self.orgs):
            names.setdefault(committee, committee)
        return names

    async def subscription_targets(self) -> tuple[str, ...]:
        """The topics first, then the committees in the profile's order (top level first)."""
        committees = list(dict.fromkeys((await self._known_committees()).values()))
        return (Topic.BUDGET.value, Topic.MEDSAMARBEJDET.value, *committees)

    async def subscribe(self, owner: Owner, target_text: str) -> SubscribeOutcome:
        request = parse_subscription(target_text) if target_text else None
        named = request.target_text if request is not None else ""
        target = resolve_target(named or target_text, await self._known_committees())
        if target is None:
            return SubscribeOutcome(
                SubscribeStatus.UNKNOWN_TARGET, known_targets=await self.subscription_targets(), nudge_days=self._nudge_days
            )
        conversation_ref_id = await self._conversation_id(owner)
        added = await self._subscriptions.add(conversation_ref_id, owner.user_id or None, target)
        if added and self._planner is not None:
            await self._planner.plan(self._clock.now())
        upcoming = await self.upcoming_for(target)
        return SubscribeOutcome(
            SubscribeStatus.SUBSCRIBED if added else SubscribeStatus.ALREADY,
            target=target,
            upcoming=tuple(_event_view(e) for e in upcoming[:UPCOMING_SHOWN]),
            nudge_days=self._nudge_days,
        )

    async def unsubscribe(self, owner: Owner, target_text: str | None) -> UnsubscribeOutcome:
        stored = await self._conversations.get(owner.channel_id, owner.conversation_id)
        if stored is None:
            return UnsubscribeOutcome()
        current = [s.target for s in await self._subscriptions.for_conversation(stored.id)]
        if not target_text:
            removed = await self._subscriptions.remove(stored.id, None)
            return UnsubscribeOutcome(removed=tuple(removed))
        known = await self._known_committees()
        known.update({t: t for t in current})
        named = parse_subscription(target_text).target_text or target_text
        target = resolve_target(named, known)
        if target is None or fold(target) not in {fold(t) for t in current}:
            return UnsubscribeOutcome(unknown_target=True, remaining=tuple(current))
        removed = await self._subscriptions.remove(stored.id, target)
        if self._planner is not None:
            await self._planner.plan(self._clock.now())
        remaining = [t for t in current if fold(t) != fold(target)]
        return UnsubscribeOutcome(removed=tuple(removed), remaining=tuple(remaining))

    async def subscriptions(self, owner: Owner) -> tuple[str, ...]:
        stored = await self._conversations.get(owner.channel_id, owner.conversation_id)
        if stored is None:
            return ()
        return tuple(s.target for s in await self._subscriptions.for_conversation(stored.id))

    async def upcoming_for(self, target: str) -> list[StoredEvent]:
        now = self._clock.now()
        events = await self._calendar.list(self.orgs, starts_after=now)
        return [e for e in events if event_matches_target(e.event, target)]

    # -- calendars ------------------------------------------------------------------------

    async def sync_seed_calendars(self, now: datetime | None = None) -> UpsertResult:
        """Put the shipped seed calendars (and this and next year's budget phases) in the database."""
        now = now or self._clock.now()
        years = (now.year, now.year + 1)
        return await self._calendar.upsert(load_seed_events(self.org, years, self._seed_dir))

    async def import_ics(
        self,
        data: bytes,
        *,
        committee: str | None,
        source_name: str,
        kind: EventKind = EventKind.MEETING,
        topic: str | None = None,
        expand_days: int = 400,
    ) -> CalendarImportResult:
        now = self._clock.now()
        canonical = committee
        if committee:
            canonical = resolve_target(committee, await self._known_committees()) or committee
            if canonical in (Topic.BUDGET.value, Topic.MEDSAMARBEJDET.value):
                topic, canonical = canonical, None
        parsed: IcsImport = parse_ics(
            data,
            org=self.org,
            committee=canonical,
            kind=kind,
            topic=topic,
            source=texts.calendar_imported_from(source_name, canonical),
            expand_until=now + timedelta(days=expand_days),
        )
        result = await self._calendar.upsert(parsed.events)
        if self._planner is not None and (result.inserted or result.updated):
            await self._planner.plan(now)
        return CalendarImportResult(upsert=result, skipped=tuple(parsed.skipped), total=len(parsed.events))

    async def events(self, target: str | None = None, *, include_past: bool = False) -> list[CalendarEvent]:
        """The calendar (upcoming only unless ``include_past``), optionally for one committee or topic."""
        after = None if include_past else self._clock.now()
        stored = await self._calendar.list(self.orgs, starts_after=after)
        events = [s.event for s in stored]
        if target:
            resolved = resolve_target(target, await self._known_committees()) or target
            events = [e for e in events if event_matches_target(e, resolved)]
        return events

    async def export_ics(self, target: str | None = None, *, include_past: bool = True) -> bytes:
        events = await self.events(target, include_past=include_past)
        return to_ics(events, now=self._clock.now(), name=texts.calendar_export_name(target))

    # -- for the admins ---------------------------------------------------------------------

    async def failed_reminders(self, limit: int = 200) -> Sequence[Reminder]:
        return await self._reminders.all((STATUS_FAILED,), limit)
