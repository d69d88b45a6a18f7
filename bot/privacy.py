"""Everything MED-bot stores about one person: export it (right of access), erase it (right to erasure).

``medbot privacy export PERSON`` / ``medbot privacy erase PERSON``. ``PERSON`` is the chat
user id (Teams ``29:…``, Slack ``U…``, ``activity.from.id``) or the person's Azure AD
object id, which the stored conversation references map to their user ids.

What belongs to the person, table by table:

* ``conversation_refs`` – their personal conversations with the bot (user id, display
  name, AAD object id, tenant): deleted, and with them, by foreign key, their reminders,
  subscriptions and calendar nudges there. In a shared conversation (a team channel, a
  group chat) the reference keeps the last writer: the person is removed from it, the
  conversation stays for the others.
* ``bot_state`` – the dialog state of their personal conversations (a half-finished
  idea, a reminder being set, a case description): deleted; a shared conversation's
  state that mentions them (their id, name, or a text of theirs) is deleted as well –
  the dialog running there starts over.
* ``reminders`` – theirs, also in shared conversations, with their text: deleted
  (``delivery_log`` rows of those deliveries too); ``subscriptions`` they made in a
  shared conversation stay for the conversation, without their id.
* Den gode idé – ``idea_drafts``: deleted; ``idea_submitters``, ``idea_supports``: the
  link to the person is erased (:func:`bot.ideas.erasure.erase_identity`, as
  ``medbot ideas erase-person``) and waiting feedback cancelled. The ideas they sent stay
  with the committee without their name, unless ``delete_ideas``: then the ideas go
  (with their history, supports and notifications). ``idea_admins``,
  ``committee_contacts``: their rows are deleted; notices addressed to them as a contact
  lose the address (and are cancelled when still waiting); audit events they made as an
  admin name no one any more (``erased``), the committee's record of what happened stays.
* ``unanswered_questions`` – the questions they asked (kept with a hash of their id, see
  :func:`bot.storage.unanswered.asker_key`): deleted.

Tables with nothing personal: ``calendar_events``, ``send_leases``, ``slack_events`` and
``inbound_activities`` (hashes of activity ids). Committee contacts named in the
profile's configuration are not stored data and are not touched.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.ideas.actors import Actor
from bot.ideas.addresses import GROUP_CONVERSATION_TYPES
from bot.ideas.erasure import erase_identity, forget_deliveries
from bot.ideas.models import CommitteeContactRow, IdeaAdminRow, IdeaDraftRow
from bot.ideas.outbox import RECIPIENT_CONTACT, STATUS_CLAIMED, STATUS_FAILED, STATUS_NO_ADDRESS, STATUS_PENDING
from bot.ideas.views import ERASED_ACTOR, events, ideas, notifications, number_of, submitters, supports
from bot.reminders.models import NudgeRow, ReminderRow, SubscriptionRow
from bot.storage.db import Database, affected_rows
from bot.storage.models import BotStateRow, ConversationRef, UnansweredQuestionRow
from bot.storage.models_delivery import DeliveryLogRow
from bot.storage.unanswered import asker_key
from dialogs.texts import IDEA_NOTICE_RECIPIENT_ERASED

__all__ = ["ErasureSummary", "PersonalData", "Subject"]

log = logging.getLogger(__name__)

_refs: sa.Table = ConversationRef.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_state: sa.Table = BotStateRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_unanswered: sa.Table = UnansweredQuestionRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_reminders: sa.Table = ReminderRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_subscriptions: sa.Table = SubscriptionRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_nudges: sa.Table = NudgeRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_delivery_log: sa.Table = DeliveryLogRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_drafts: sa.Table = IdeaDraftRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_admins: sa.Table = IdeaAdminRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_contacts: sa.Table = CommitteeContactRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

#: Shorter names and texts are not looked for in a shared conversation's dialog state
#: (a two-letter name would match anything).
MIN_NAME_LENGTH = 3
MIN_TEXT_LENGTH = 6


@dataclass(frozen=True)
class Subject:
    """Who ``PERSON`` is in the database."""

    query: str
    user_ids: frozenset[str]
    aad_ids: frozenset[str]
    names: frozenset[str]
    personal_refs: tuple[int, ...]  # conversation_refs ids of their own conversations
    shared_refs: tuple[int, ...]  # shared conversations whose stored reference names them
    state_keys: tuple[str, ...]  # bot_state keys of their own conversations
    has_rows: bool  # reminders, ideas, roles, questions … under one of the user ids

    @property
    def found(self) -> bool:
        return bool(self.personal_refs or self.shared_refs or self.has_rows)


@dataclass(frozen=True)
class ErasureSummary:
    conversations: int = 0
    shared_conversations: int = 0
    dialog_states: int = 0
    reminders: int = 0
    subscriptions: int = 0
    drafts: int = 0
    unanswered: int = 0
    ideas_anonymised: int = 0
    ideas_deleted: int = 0
    supports: int = 0
    roles: int = 0
    notifications: int = 0


def _state_key(channel_id: str, conversation_id: str) -> str:
    """botbuilder's ConversationState storage key."""
    return f"{channel_id}/conversations/{conversation_id}"


def _user_of(reference: Any) -> Mapping[str, Any]:
    user = reference.get("user") if isinstance(reference, Mapping) else None
    return user if isinstance(user, Mapping) else {}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _mentions(document: Any, markers: Iterable[str]) -> bool:
    text = json.dumps(document, ensure_ascii=False)
    return any(marker in text for marker in markers)


class PersonalData:
    """Export and erasure of one person's data (see the module doc). Built by the CLI."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    # -- who ----------------------------------------------------------------------------

    async def subject(self, person: str) -> Subject:
        person = person.strip()
        async with self._db.session() as session:
            return await self._subject(session, person)

    async def _subject(self, session: AsyncSession, person: str) -> Subject:
        refs = (await session.execute(sa.select(_refs))).all()
        user_ids = {person}
        aad_ids: set[str] = set()
        for row in refs:
            user = _user_of(row.reference)
            if person and user.get("aadObjectId") == person and user.get("id"):
                user_ids.add(str(user["id"]))
                aad_ids.add(person)
        if person in aad_ids and not any(row.user_id == person or _user_of(row.reference).get("id") == person for row in refs):
            user_ids.discard(person)  # PERSON was the AAD object id, not a user id
        names: set[str] = set()
        personal: list[int] = []
        shared: list[int] = []
        state_keys: list[str] = []
        for row in refs:
            user = _user_of(row.reference)
            if row.user_id not in user_ids and user.get("id") not in user_ids:
                continue
            if user.get("aadObjectId"):
                aad_ids.add(str(user["aadObjectId"]))
            if user.get("name"):
                names.add(str(user["name"]))
            if row.conversation_type in GROUP_CONVERSATION_TYPES:
                shared.append(int(row.id))
            else:
                personal.append(int(row.id))
                state_keys.append(_state_key(row.channel_id, row.conversation_id))
        ids = sorted(user_ids)
        for table in (submitters, supports, _contacts):
            names.update(
                str(name)
                for name in (
                    await session.execute(sa.select(table.c.user_name).where(table.c.user_id.in_(ids)))
                ).scalars()
                if name
            )
        known = await self._has_rows(session, ids)
        return Subject(
            query=person,
            user_ids=frozenset(user_ids),
            aad_ids=frozenset(aad_ids),
            names=frozenset(names),
            personal_refs=tuple(personal),
            shared_refs=tuple(shared),
            state_keys=tuple(state_keys),
            has_rows=known,
        )

    @staticmethod
    async def _has_rows(session: AsyncSession, ids: Sequence[str]) -> bool:
        keys = [asker_key(i) for i in ids]
        checks = (
            sa.select(_reminders.c.id).where(_reminders.c.user_id.in_(ids)),
            sa.select(_subscriptions.c.id).where(_subscriptions.c.user_id.in_(ids)),
            sa.select(_drafts.c.id).where(_drafts.c.user_id.in_(ids)),
            sa.select(submitters.c.idea_id).where(submitters.c.user_id.in_(ids)),
            sa.select(supports.c.id).where(supports.c.user_id.in_(ids)),
            sa.select(_admins.c.id).where(_admins.c.user_id.in_(ids)),
            sa.select(_contacts.c.id).where(_contacts.c.user_id.in_(ids)),
            sa.select(events.c.id).where(events.c.actor_id.in_(ids)),
            sa.select(_unanswered.c.id).where(_unanswered.c.asker_key.in_(keys)),
        )
        for check in checks:
            if (await session.execute(check.limit(1))).first() is not None:
                return True
        return False

    async def _private_texts(self, session: AsyncSession, subject: Subject, *, with_ideas: bool) -> set[str]:
        """Texts the person wrote that may sit in a shared conversation's dialog state."""
        ids = sorted(subject.user_ids)
        found: set[str] = set()
        for data in (await session.execute(sa.select(_drafts.c.data).where(_drafts.c.user_id.in_(ids)))).scalars():
            if isinstance(data, Mapping):
                found.update(str(v) for k, v in data.items() if k in ("title", "description", "potential"))
                consequences = data.get("consequences")
                if isinstance(consequences, Mapping):
                    found.update(str(v) for v in consequences.values())
        found.update((await session.execute(sa.select(_reminders.c.text).where(_reminders.c.user_id.in_(ids)))).scalars())
        keys = [asker_key(i) for i in ids]
        found.update((await session.execute(sa.select(_unanswered.c.text).where(_unanswered.c.asker_key.in_(keys)))).scalars())
        if with_ideas:
            rows = await session.execute(
                sa.select(ideas.c.title, ideas.c.description, ideas.c.potential)
                .select_from(ideas.join(submitters, submitters.c.idea_id == ideas.c.id))
                .where(submitters.c.user_id.in_(ids))
            )
            for row in rows:
                found.update((row.title, row.description, row.potential))
        return {text.strip() for text in found if text and len(text.strip()) >= MIN_TEXT_LENGTH}

    def _markers(self, subject: Subject, texts: set[str]) -> set[str]:
        markers = {i for i in subject.user_ids | subject.aad_ids if i}
        markers.update(name for name in subject.names if len(name) >= MIN_NAME_LENGTH)
        return markers | texts

    async def _states(self, session: AsyncSession, subject: Subject, markers: set[str]) -> list[tuple[str, Any]]:
        """(key, document) of every dialog state that is the person's or mentions them."""
        own = set(subject.state_keys)
        found: list[tuple[str, Any]] = []
        for key, data in (await session.execute(sa.select(_state.c.key, _state.c.data).order_by(_state.c.key))).all():
            if key in own or (markers and _mentions(data, markers)):
                found.append((key, data))
        return found

    # -- export -------------------------------------------------------------------------

    async def export(self, person: str) -> dict[str, Any] | None:
        """Everything stored about ``person`` as a JSON-ready dict; None when nothing is."""
        async with self._db.session() as session:
            subject = await self._subject(session, person.strip())
            if not subject.found:
                return None
            ids = sorted(subject.user_ids)
            texts = await self._private_texts(session, subject, with_ideas=False)
            states = await self._states(session, subject, self._markers(subject, texts))
            refs = (
                await session.execute(
                    sa.select(_refs).where(_refs.c.id.in_([*subject.personal_refs, *subject.shared_refs])).order_by(_refs.c.id)
                )
            ).all()
            reminders = (
                await session.execute(sa.select(_reminders).where(_reminders.c.user_id.in_(ids)).order_by(_reminders.c.id))
            ).all()
            subscriptions = (
                await session.execute(
                    sa.select(_subscriptions)
                    .where(
                        sa.or_(
                            _subscriptions.c.user_id.in_(ids),
                            _subscriptions.c.conversation_ref_id.in_(subject.personal_refs or [-1]),
                        )
                    )
                    .order_by(_subscriptions.c.id)
                )
            ).all()
            submitted = (
                await session.execute(
                    sa.select(ideas, submitters.c.user_name)
                    .select_from(ideas.join(submitters, submitters.c.idea_id == ideas.c.id))
                    .where(submitters.c.user_id.in_(ids))
                    .order_by(ideas.c.id)
                )
            ).all()
            supported = (
                await session.execute(
                    sa.select(ideas.c.budget_year, ideas.c.seq, ideas.c.title, supports.c.user_name, supports.c.created_at)
                    .select_from(supports.join(ideas, ideas.c.id == supports.c.idea_id))
                    .where(supports.c.user_id.in_(ids))
                    .order_by(supports.c.id)
                )
            ).all()
            drafts = (await session.execute(sa.select(_drafts).where(_drafts.c.user_id.in_(ids)).order_by(_drafts.c.id))).all()
            support_ids = [f"support:{r}" for r in (await session.execute(sa.select(supports.c.id).where(supports.c.user_id.in_(ids)))).scalars()]
            told = (
                await session.execute(
                    sa.select(notifications, ideas.c.budget_year, ideas.c.seq)
                    .select_from(notifications.outerjoin(ideas, ideas.c.id == notifications.c.idea_id))
                    .where(
                        sa.or_(
                            sa.and_(notifications.c.recipient_kind == "submitter", notifications.c.idea_id.in_([r.id for r in submitted] or [-1])),
                            notifications.c.recipient.in_([*support_ids, *ids]),
                        )
                    )
                    .order_by(notifications.c.id)
                )
            ).all()
            admin_of = (await session.execute(sa.select(_admins).where(_admins.c.user_id.in_(ids)).order_by(_admins.c.id))).all()
            contact_of = (
                await session.execute(sa.select(_contacts).where(_contacts.c.user_id.in_(ids)).order_by(_contacts.c.id))
            ).all()
            acted = (
                await session.execute(
                    sa.select(events, ideas.c.budget_year, ideas.c.seq)
                    .select_from(events.join(ideas, ideas.c.id == events.c.idea_id))
                    .where(events.c.actor_id.in_(ids))
                    .order_by(events.c.id)
                )
            ).all()
            asked = (
                await session.execute(
                    sa.select(_unanswered)
                    .where(_unanswered.c.asker_key.in_([asker_key(i) for i in ids]))
                    .order_by(_unanswered.c.id)
                )
            ).all()
        return {
            "person": subject.query,
            "exported_at": _iso(self._clock.now()),
            "user_ids": ids,
            "aad_object_ids": sorted(subject.aad_ids),
            "names": sorted(subject.names),
            "conversations": [
                {
                    "channel": r.channel_id,
                    "conversation_id": r.conversation_id,
                    "conversation_type": r.conversation_type,
                    "shared": r.id in subject.shared_refs,
                    "tenant_id": r.tenant_id,
                    "user": dict(_user_of(r.reference)),
                    "first_seen": _iso(r.created_at),
                    "last_seen": _iso(r.updated_at),
                    "unreachable": bool(r.unreachable),
                }
                for r in refs
            ],
            "dialog_state": [{"key": key, "data": data} for key, data in states],
            "reminders": [
                {"text": r.text, "due_at": _iso(r.due_at), "status": r.status, "created_at": _iso(r.created_at), "sent_at": _iso(r.sent_at)}
                for r in reminders
            ],
            "subscriptions": [{"target": r.target, "created_at": _iso(r.created_at)} for r in subscriptions],
            "ideas_submitted": [
                {
                    "number": number_of(r),
                    "title": r.title,
                    "description": r.description,
                    "potential": r.potential,
                    "area": r.area_name,
                    "consequences": r.consequences,
                    "anonymous": bool(r.anonymous),
                    "submitted_as": r.user_name,
                    "status": r.status,
                    "committee": r.committee,
                    "created_at": _iso(r.created_at),
                }
                for r in submitted
            ],
            "ideas_supported": [
                {"number": number_of(r), "title": r.title, "supported_as": r.user_name, "created_at": _iso(r.created_at)}
                for r in supported
            ],
            "idea_drafts": [{"draft": r.data, "created_at": _iso(r.created_at), "updated_at": _iso(r.updated_at)} for r in drafts],
            "idea_notifications": [
                {
                    "number": number_of(r) if r.seq is not None else None,
                    "kind": r.kind,
                    "status": r.status,
                    "created_at": _iso(r.created_at),
                    "sent_at": _iso(r.sent_at),
                }
                for r in told
            ],
            "idea_admin_of": [{"committee": r.committee, "added_at": _iso(r.added_at)} for r in admin_of],
            "committee_contact_of": [{"committee": r.committee, "name": r.user_name} for r in contact_of],
            "idea_events_by_person": [
                {"number": number_of(r), "at": _iso(r.at), "kind": r.kind, "to_status": r.to_status, "reason": r.reason}
                for r in acted
            ],
            "unanswered_questions": [{"text": r.text, "asked_at": _iso(r.asked_at)} for r in asked],
        }

    # -- erasure --------------------------------------------------------------------------

    async def erase(self, person: str, *, delete_ideas: bool = False, actor: Actor | None = None) -> ErasureSummary | None:
        """Erase ``person`` from every table and dialog state, in one unit of work; None when nothing is stored."""
        actor = actor or Actor.cli()
        now = self._clock.now()
        async with self._db.session() as session:
            subject = await self._subject(session, person.strip())
            if not subject.found:
                return None
            summary = await self._erase(session, subject, now, actor, delete_ideas=delete_ideas)
        log.info("erased a person on request: %s", summary)
        return summary

    async def _erase(
        self, session: AsyncSession, subject: Subject, now: datetime, actor: Actor, *, delete_ideas: bool
    ) -> ErasureSummary:
        ids = sorted(subject.user_ids)
        keys = [asker_key(i) for i in ids]
        personal = list(subject.personal_refs) or [-1]

        # The dialog states first: what to look for in shared ones is still stored.
        texts = await self._private_texts(session, subject, with_ideas=delete_ideas)
        states = [key for key, _ in await self._states(session, subject, self._markers(subject, texts))]
        for start in range(0, len(states), 500):
            await session.execute(sa.delete(_state).where(_state.c.key.in_(states[start : start + 500])))

        # Reminders (with their delivery log), subscriptions, nudges.
        reminder_keys = list(
            (
                await session.execute(
                    sa.select(_reminders.c.dedupe_key).where(
                        sa.or_(_reminders.c.user_id.in_(ids), _reminders.c.conversation_ref_id.in_(personal))
                    )
                )
            ).scalars()
        )
        nudge_keys = list(
            (await session.execute(sa.select(_nudges.c.dedupe_key).where(_nudges.c.conversation_ref_id.in_(personal)))).scalars()
        )
        for start in range(0, len(reminder_keys + nudge_keys), 500):
            chunk = (reminder_keys + nudge_keys)[start : start + 500]
            await session.execute(sa.delete(_delivery_log).where(_delivery_log.c.dedupe_key.in_(chunk)))
        reminders = len(reminder_keys)
        await session.execute(sa.delete(_reminders).where(_reminders.c.user_id.in_(ids)))
        subscriptions = affected_rows(
            await session.execute(sa.delete(_subscriptions).where(_subscriptions.c.conversation_ref_id.in_(personal)))
        )
        await session.execute(sa.update(_subscriptions).where(_subscriptions.c.user_id.in_(ids)).values(user_id=None))

        # Den gode idé.
        deleted_ideas = 0
        if delete_ideas:
            own = list(
                (await session.execute(sa.select(submitters.c.idea_id).where(submitters.c.user_id.in_(ids)))).scalars()
            )
            if own:
                deleted_ideas = affected_rows(await session.execute(sa.delete(ideas).where(ideas.c.id.in_(own))))
        anonymised = supports_erased = drafts = cancelled = 0
        for user_id in ids:
            report = await erase_identity(session, now, user_id, actor)
            anonymised += report.ideas
            supports_erased += report.supports
            drafts += report.drafts
            cancelled += report.notifications
        cancelled += affected_rows(
            await session.execute(
                sa.update(notifications)
                .where(
                    notifications.c.recipient_kind == RECIPIENT_CONTACT,
                    notifications.c.recipient.in_(ids),
                    notifications.c.status.in_([STATUS_PENDING, STATUS_CLAIMED, STATUS_NO_ADDRESS]),
                )
                .values(
                    status=STATUS_FAILED,
                    last_error=IDEA_NOTICE_RECIPIENT_ERASED,
                    lease_owner=None,
                    lease_until=None,
                    updated_at=now,
                )
            )
        )
        for user_id in ids:
            # A contact's notices name them in the recipient and in the de-duplication key
            # ("new:12:29:…"); the key keeps its uniqueness with a hash instead of the id.
            token = f"{ERASED_ACTOR}-{hashlib.sha256(user_id.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
            to_contact = sa.and_(notifications.c.recipient_kind == RECIPIENT_CONTACT, notifications.c.recipient == user_id)
            await forget_deliveries(session, to_contact)
            await session.execute(
                sa.update(notifications)
                .where(notifications.c.recipient_kind == RECIPIENT_CONTACT, notifications.c.recipient == user_id)
                .values(
                    recipient=ERASED_ACTOR,
                    conversation_ref_id=None,
                    dedupe_key=sa.func.replace(notifications.c.dedupe_key, user_id, token),
                )
            )
        roles = affected_rows(await session.execute(sa.delete(_admins).where(_admins.c.user_id.in_(ids))))
        roles += affected_rows(await session.execute(sa.delete(_contacts).where(_contacts.c.user_id.in_(ids))))
        who = [*ids, *sorted(subject.names)]
        await session.execute(sa.update(_admins).where(_admins.c.added_by.in_(who)).values(added_by=ERASED_ACTOR))
        await session.execute(
            sa.update(events).where(events.c.actor_id.in_(ids)).values(actor_id=ERASED_ACTOR, actor_name=None)
        )
        await session.execute(sa.update(events).where(events.c.actor_name.in_(sorted(subject.names))).values(actor_name=None))

        # Unanswered questions, then the conversations themselves (cascading to what is left).
        unanswered = affected_rows(await session.execute(sa.delete(_unanswered).where(_unanswered.c.asker_key.in_(keys))))
        conversations = affected_rows(await session.execute(sa.delete(_refs).where(_refs.c.id.in_(personal))))
        for ref_id in subject.shared_refs:
            await self._forget_writer(session, ref_id)
        return ErasureSummary(
            conversations=conversations,
            shared_conversations=len(subject.shared_refs),
            dialog_states=len(states),
            reminders=reminders,
            subscriptions=subscriptions,
            drafts=drafts,
            unanswered=unanswered,
            ideas_anonymised=anonymised,
            ideas_deleted=deleted_ideas,
            supports=supports_erased,
            roles=roles,
            notifications=cancelled,
        )

    @staticmethod
    async def _forget_writer(session: AsyncSession, ref_id: int) -> None:
        """A shared conversation stays for the others; its reference no longer names the person.

        Proactive messages to a conversation need its id, serviceUrl, bot and tenant, not
        the last writer (``user``) or their last message (``activityId``).
        """
        reference = (await session.execute(sa.select(_refs.c.reference).where(_refs.c.id == ref_id))).scalar_one()
        kept = {k: v for k, v in dict(reference).items() if k not in ("user", "activityId")}
        await session.execute(sa.update(_refs).where(_refs.c.id == ref_id).values(reference=kept, user_id=None))
