"""The idea service: submitting, routing, the status lifecycle with its audit, and feedback.

:class:`IdeaService` implements :class:`~dialogs.idea_port.IdeaPort` (the idea dialog)
and :class:`~dialogs.idea_port.IdeaAdminPort` (the chat admin commands), and offers
the same operations to the command line as the trusted ``cli`` actor.

Rules that hold here, whoever calls:

* receipt numbers ``<budgetyear>-<seq>`` are allocated per budget year in the INSERT
  itself (``seq = max + 1``) under a unique constraint, retried on a clash;
* only admins of the idea's committee (or the committee it was first routed to)
  may change or comment an idea; the CLI is trusted and audited as ``cli``; admins
  of the top committee may also view every idea;
* a status change writes the idea, its audit event and the outbox rows for the
  submitter, supporters and (when the idea moves) the new committee's contacts in
  ONE transaction (:mod:`bot.ideas.lifecycle`);
* the submitter's identity lives only in ``idea_submitters``: committee views of an
  anonymous idea carry no name, and :meth:`erase_person` removes the identity while
  the idea stays (:mod:`bot.ideas.erasure`).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.clock import Clock
from bot.ideas.actors import CLI_ACTOR, Actor, as_number, by_number
from bot.ideas.addresses import conversation_for
from bot.ideas.config import IdeaConfig
from bot.ideas.directory import TOP, CommitteeDirectory
from bot.ideas.erasure import ErasureReport, erase_person
from bot.ideas.lifecycle import Lifecycle
from bot.ideas.models import IdeaDraftRow
from bot.ideas.nudges import StaleNudger
from bot.ideas.outbox import KIND_NEW, STATUS_FAILED, STATUS_NO_ADDRESS, Enqueuer, notifications
from bot.ideas.submissions import REPEAT_WINDOW, find_submission, submission_key
from bot.ideas.views import events, idea_views, ideas, number_of, status_label, submitters, supports
from bot.storage.db import Database, affected_rows
from dialogs.idea_port import (
    AccessDeniedError,
    AreaOption,
    CommitteeOption,
    IdeaNotFoundError,
    IdeaStorageError,
    IdeaView,
    InvalidIdeaError,
    Person,
    Receipt,
    SimilarIdea,
    StatusChange,
    StoredDraft,
    SupportOutcome,
)
from knowledge.ideas_rules import (
    DUPLICATE_THRESHOLD,
    MAX_SIMILAR,
    OPEN_STATUSES,
    IdeaDraft,
    IdeaNumber,
    IdeaStatus,
    budget_year_for,
    route_committee,
    similarity,
)
from knowledge.profiles import Profile

__all__ = ["Actor", "ErasureReport", "IdeaService"]

log = logging.getLogger(__name__)

drafts: sa.Table = IdeaDraftRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

NUMBER_RETRIES = 20
NUMBER_RETRY_JITTER = 0.01  # seconds, times the attempt
NUMBER_LOCK_KEY = 0x1DEA  # pg_advisory_xact_lock(key, budget_year) while a number is taken


class IdeaService:
    """Ideas on the database. Built once in the composition root (see :mod:`bot.ideas.wiring`)."""

    def __init__(self, database: Database, clock: Clock, profile: Profile, config: IdeaConfig | None = None) -> None:
        self._db = database
        self._clock = clock
        self._profile = profile
        self._config = config or IdeaConfig()
        self.directory = CommitteeDirectory(database, clock, profile)
        self._enqueue = Enqueuer(database, self.directory)
        self._nudger = StaleNudger(database, self.directory, self._enqueue)
        self._lifecycle = Lifecycle(database, clock, self.directory, self._enqueue)

    @property
    def config(self) -> IdeaConfig:
        return self._config

    # == IdeaPort: submitting ===========================================================

    def areas(self) -> Sequence[AreaOption]:
        return tuple(
            AreaOption(id=a.id, name=a.name, committee=a.committee, names=(*a.aliases, *a.committee_aliases))
            for a in self._profile.areas
        )

    def committee_for(self, area_id: str | None, cross_cutting: bool) -> str:
        try:
            return self.directory.name(route_committee(self._profile, area_id, cross_cutting))
        except KeyError:
            return self.directory.name(TOP)

    def budget_year(self) -> int:
        return budget_year_for(self._clock.now())

    def process_notes(self) -> Sequence[str]:
        ideas = self._profile.ideas
        return ideas.notes if ideas.source.configured else ()

    async def find_similar(self, draft: IdeaDraft, person: Person | None = None) -> list[SimilarIdea]:
        """Open ideas of the current budget year that look like ``draft``, best first.

        Ideas ``person`` submitted are marked ``own`` (they are never offered for support).
        """
        year = self.budget_year()
        # The idea this very confirmation already became (a confirmation repeated after a
        # crash) is no look-alike: submit() answers with its receipt.
        same = submission_key(year, person, draft) if person is not None else None
        async with self._db.session() as session:
            rows = (
                await session.execute(
                    sa.select(
                        ideas.c.budget_year,
                        ideas.c.seq,
                        ideas.c.title,
                        ideas.c.description,
                        ideas.c.status,
                        ideas.c.status_committee,
                        submitters.c.channel_id.label("submitter_channel"),
                        submitters.c.user_id.label("submitter_user"),
                        submitters.c.submission_key,
                        ideas.c.created_at,
                    )
                    .select_from(ideas.outerjoin(submitters, submitters.c.idea_id == ideas.c.id))
                    .where(ideas.c.budget_year == year, ideas.c.status.in_([s.value for s in OPEN_STATUSES]))
                )
            ).all()
        repeat_since = self._clock.now() - REPEAT_WINDOW
        rows = [row for row in rows if same is None or row.submission_key != same or row.created_at < repeat_since]
        scored = [
            (similarity(draft.title, draft.description, row.title, row.description), row) for row in rows
        ]
        scored = [pair for pair in scored if pair[0] >= DUPLICATE_THRESHOLD]
        scored.sort(key=lambda pair: (-pair[0], pair[1].seq))
        return [
            SimilarIdea(
                number=number_of(row),
                title=row.title,
                status=IdeaStatus(row.status),
                status_label=status_label(self.directory, row.status, row.status_committee),
                score=score,
                own=person is not None
                and row.submitter_user == person.user_id
                and row.submitter_channel == person.channel_id,
            )
            for score, row in scored[:MAX_SIMILAR]
        ]

    def _validate(self, draft: IdeaDraft) -> None:
        problems = draft.problems()
        if problems:
            raise InvalidIdeaError(f"the idea breaks field limits: {sorted(problems)}")
        if not draft.is_complete():
            raise InvalidIdeaError(f"the idea is incomplete: {draft.missing()}")
        if draft.area_id is not None and draft.area_id not in {a.id for a in self._profile.areas}:
            raise InvalidIdeaError(f"unknown area {draft.area_id!r}")

    async def submit(self, draft: IdeaDraft, submitter: Person) -> Receipt:
        """Store a confirmed idea with its receipt number; queue the notice to the committee.

        The notice is only queued: whether it can be delivered never decides whether
        the idea is stored. Idempotent: the same person confirming the same draft again
        in the same budget year (an activity sent again after a crash) gets the receipt
        of the idea stored the first time (see :mod:`bot.ideas.submissions`).
        """
        self._validate(draft)
        now = self._clock.now()
        year = budget_year_for(now)
        cross = bool(draft.cross_cutting)
        committee = route_committee(self._profile, draft.area_id, cross)
        area_name = self._profile.area(draft.area_id).name if draft.area_id else None
        try:
            async with self._db.session() as session:
                conversation_ref_id = await conversation_for(session, submitter)
            for attempt in range(1, NUMBER_RETRIES + 1):
                try:
                    number, notified, committee, conversation_ref_id = await self._insert_idea(
                        draft, submitter, now, year, committee, area_name, conversation_ref_id
                    )
                    break
                except IntegrityError:
                    if attempt == NUMBER_RETRIES:
                        raise
                    log.info("receipt number clash in budget year %d; retrying (%d)", year, attempt)
                    await asyncio.sleep(random.uniform(0, NUMBER_RETRY_JITTER * attempt))
        except SQLAlchemyError as exc:
            log.exception("could not store an idea")
            raise IdeaStorageError("the idea could not be stored") from exc
        log.info("idea #%s stored and routed to %s", number, committee)
        return Receipt(
            number=number,
            committee_name=self.directory.name(committee),
            anonymous=bool(draft.anonymous),
            feedback_possible=conversation_ref_id is not None,
            committee_notified=notified > 0,
            contact=self.directory.contact_display(committee),
        )

    async def _insert_idea(
        self,
        draft: IdeaDraft,
        submitter: Person,
        now: datetime,
        year: int,
        committee: str,
        area_name: str | None,
        conversation_ref_id: int | None,
    ) -> tuple[str, int, str, int | None]:
        """Insert the idea; returns its number, how many of the committee's contacts get word,
        the committee and the submitter's conversation – of the idea stored before when this
        confirmation was stored already."""
        key = submission_key(year, submitter, draft)
        next_seq = (
            sa.select(sa.func.coalesce(sa.func.max(ideas.c.seq), 0) + 1)
            .where(ideas.c.budget_year == year)
            .scalar_subquery()
        )
        async with self._db.session() as session:
            if self._db.dialect_name == "postgresql":
                # Serialise numbering per budget year; the unique constraint stays the guarantee.
                await session.execute(sa.select(sa.func.pg_advisory_xact_lock(NUMBER_LOCK_KEY, year)))
            stored = await find_submission(session, key)
            if stored is not None and stored.created_at >= now - REPEAT_WINDOW:
                number = str(IdeaNumber(int(stored.budget_year), int(stored.seq)))
                log.info("idea #%s was stored for this confirmation before; its receipt is given again", number)
                return number, int(stored.notified), str(stored.committee), stored.conversation_ref_id
            if stored is not None:  # the same content again, long after: a new idea takes the key
                await session.execute(
                    sa.update(submitters).where(submitters.c.idea_id == stored.id).values(submission_key=None)
                )
            inserted = (
                await session.execute(
                    sa.insert(ideas)
                    .values(
                        budget_year=year,
                        seq=next_seq,
                        title=draft.title.strip(),
                        description=draft.description.strip(),
                        potential=draft.potential.strip(),
                        area_id=draft.area_id,
                        area_name=area_name,
                        cross_cutting=bool(draft.cross_cutting),
                        consequences={k: v.strip() for k, v in draft.consequences.items() if v.strip()},
                        anonymous=bool(draft.anonymous),
                        status=IdeaStatus.MODTAGET.value,
                        status_committee=None,
                        committee=committee,
                        origin_committee=committee,
                        created_at=now,
                        updated_at=now,
                        status_changed_at=now,
                    )
                    .returning(ideas.c.id, ideas.c.seq)
                )
            ).one()
            idea_id, seq = int(inserted.id), int(inserted.seq)
            number = str(IdeaNumber(year, seq))
            await session.execute(
                sa.insert(submitters).values(
                    idea_id=idea_id,
                    channel_id=submitter.channel_id,
                    user_id=submitter.user_id,
                    user_name=submitter.user_name,
                    conversation_ref_id=conversation_ref_id,
                    submission_key=key,
                )
            )
            await session.execute(
                sa.insert(events).values(
                    idea_id=idea_id,
                    at=now,
                    actor_id="submitter",
                    actor_name=None,
                    kind="submitted",
                    from_status=None,
                    to_status=IdeaStatus.MODTAGET.value,
                    committee=committee,
                    reason=None,
                )
            )
            notified = await self._enqueue.to_contacts(
                session,
                idea_id=idea_id,
                number=number,
                kind=KIND_NEW,
                committee=committee,
                payload={"number": number},
                dedupe_base=f"new:{idea_id}",
                now=now,
            )
            await session.execute(
                sa.delete(drafts).where(drafts.c.channel_id == submitter.channel_id, drafts.c.user_id == submitter.user_id)
            )
        return number, notified, committee, conversation_ref_id

    async def support(self, number: str, person: Person) -> SupportOutcome:
        try:
            wanted = as_number(number)
        except IdeaNotFoundError:
            return SupportOutcome.NOT_FOUND
        now = self._clock.now()
        async with self._db.session() as session:
            row = (
                await session.execute(
                    sa.select(ideas.c.id, submitters.c.channel_id, submitters.c.user_id)
                    .select_from(ideas.outerjoin(submitters, submitters.c.idea_id == ideas.c.id))
                    .where(by_number(wanted))
                )
            ).one_or_none()
            if row is None:
                return SupportOutcome.NOT_FOUND
            if row.user_id == person.user_id and row.channel_id == person.channel_id:
                return SupportOutcome.OWN_IDEA
            conversation_ref_id = await conversation_for(session, person)
            insert = self._db.insert(supports).values(
                idea_id=row.id,
                channel_id=person.channel_id,
                user_id=person.user_id,
                user_name=person.user_name,
                conversation_ref_id=conversation_ref_id,
                created_at=now,
            )
            result = await session.execute(
                insert.on_conflict_do_nothing(index_elements=["idea_id", "channel_id", "user_id"])
            )
            if not affected_rows(result):
                return SupportOutcome.ALREADY
            await session.execute(
                sa.insert(events).values(idea_id=row.id, at=now, actor_id="supporter", kind="support")
            )
        log.info("idea #%s got a supporter", wanted)
        return SupportOutcome.SUPPORTED

    # -- drafts ------------------------------------------------------------------------

    async def save_draft(self, person: Person, draft: IdeaDraft) -> None:
        """Keep the half-finished idea (best effort: the dialog state is saved as well)."""
        now = self._clock.now()
        insert = self._db.insert(drafts).values(
            channel_id=person.channel_id, user_id=person.user_id, data=draft.to_dict(), created_at=now, updated_at=now
        )
        try:
            async with self._db.session() as session:
                await session.execute(
                    insert.on_conflict_do_update(
                        index_elements=["channel_id", "user_id"],
                        set_={"data": insert.excluded.data, "updated_at": insert.excluded.updated_at},
                    )
                )
        except SQLAlchemyError:
            log.exception("could not save an idea draft")

    async def load_draft(self, person: Person) -> StoredDraft | None:
        async with self._db.session() as session:
            row = (
                await session.execute(
                    sa.select(drafts.c.data, drafts.c.updated_at).where(
                        drafts.c.channel_id == person.channel_id, drafts.c.user_id == person.user_id
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        return StoredDraft(draft=IdeaDraft.from_dict(row.data), updated_at=row.updated_at)

    async def discard_draft(self, person: Person) -> None:
        async with self._db.session() as session:
            await session.execute(
                sa.delete(drafts).where(drafts.c.channel_id == person.channel_id, drafts.c.user_id == person.user_id)
            )

    # == IdeaAdminPort: admins in chat ===================================================

    async def observe(self, person: Person) -> None:
        """An admin who talks to the bot becomes reachable as a contact of their committees."""
        keys = await self.directory.admin_keys(person.user_id)
        if not keys:
            return
        now = self._clock.now()
        async with self._db.session() as session:
            conversation_ref_id = await conversation_for(session, person)
            for key in sorted(keys):
                await self.directory.upsert_contact(session, key, person.user_id, person.user_name, conversation_ref_id)
                if conversation_ref_id is not None:
                    await self._enqueue.readdress(session, key, person.user_id, conversation_ref_id, now)

    def committees(self) -> list[CommitteeOption]:
        return [CommitteeOption(key=c.key, name=c.name) for c in self.directory.committees()]

    async def admin_committees(self, person: Person) -> list[CommitteeOption]:
        keys = await self.directory.admin_keys(person.user_id)
        return [CommitteeOption(key=k, name=self.directory.name(k)) for k in sorted(keys)]

    async def list_for_admin(self, person: Person, status: IdeaStatus | None = None) -> list[IdeaView]:
        keys = await self.directory.admin_keys(person.user_id)
        if not keys:
            raise AccessDeniedError("not an admin of any committee")
        where: list[sa.ColumnElement[bool]] = [ideas.c.committee.in_(sorted(keys))]
        if status is not None:
            where.append(ideas.c.status == status.value)
        else:
            where.append(ideas.c.status.in_([s.value for s in OPEN_STATUSES]))
        async with self._db.session() as session:
            return await idea_views(session, self.directory, where, committee_facing=True)

    async def my_ideas(self, person: Person) -> list[IdeaView]:
        where = [submitters.c.channel_id == person.channel_id, submitters.c.user_id == person.user_id]
        async with self._db.session() as session:
            return await idea_views(session, self.directory, where, committee_facing=False)

    async def show(self, number: str, person: Person) -> IdeaView:
        wanted = as_number(number)
        async with self._db.session() as session:
            row = (
                await session.execute(
                    sa.select(ideas.c.committee, ideas.c.origin_committee, submitters.c.channel_id, submitters.c.user_id)
                    .select_from(ideas.outerjoin(submitters, submitters.c.idea_id == ideas.c.id))
                    .where(by_number(wanted))
                )
            ).one_or_none()
        if row is None:
            raise IdeaNotFoundError(str(wanted))
        keys = await self.directory.admin_keys(person.user_id)
        if keys & {row.committee, row.origin_committee, TOP}:
            return await self.view(str(wanted), committee_facing=True, with_history=True)
        if row.user_id == person.user_id and row.channel_id == person.channel_id:
            return await self.view(str(wanted), committee_facing=False)
        raise AccessDeniedError("not an admin of the idea's committee")

    async def set_status(
        self,
        number: str,
        status: IdeaStatus,
        person: Person,
        reason: str | None = None,
        committee: str | None = None,
    ) -> StatusChange:
        return await self.change_status(number, status, Actor.of(person), reason=reason, committee=committee)

    async def comment(self, number: str, person: Person, text: str) -> None:
        await self.add_comment(number, Actor.of(person), text)

    async def preview_change(self, number: str, status: IdeaStatus, person: Person) -> None:
        await self._lifecycle.preview(number, status, Actor.of(person))

    # == the operations behind chat and CLI ===============================================

    async def view(self, number: str, *, committee_facing: bool = True, with_history: bool = False) -> IdeaView:
        wanted = as_number(number)
        async with self._db.session() as session:
            found = await idea_views(
                session, self.directory, [by_number(wanted)], committee_facing=committee_facing, with_history=with_history
            )
        if not found:
            raise IdeaNotFoundError(str(wanted))
        return found[0]

    async def list_ideas(
        self,
        status: IdeaStatus | None = None,
        committee: str | None = None,
        year: int | None = None,
    ) -> list[IdeaView]:
        """Committee-facing views (no identity of anonymous submitters), by number."""
        where: list[sa.ColumnElement[bool]] = []
        if status is not None:
            where.append(ideas.c.status == status.value)
        if committee is not None:
            where.append(ideas.c.committee == self.directory.resolve(committee).key)
        if year is not None:
            where.append(ideas.c.budget_year == year)
        async with self._db.session() as session:
            return await idea_views(session, self.directory, where, committee_facing=True)

    async def change_status(
        self,
        number: str,
        status: IdeaStatus,
        actor: Actor,
        *,
        reason: str | None = None,
        committee: str | None = None,
    ) -> StatusChange:
        """Change the status, audit it and queue the feedback, in one transaction (see :mod:`bot.ideas.lifecycle`)."""
        return await self._lifecycle.change_status(number, status, actor, reason=reason, committee=committee)

    async def add_comment(self, number: str, actor: Actor, text: str) -> None:
        await self._lifecycle.add_comment(number, actor, text)

    async def erase_person(self, user_id: str, actor: Actor | None = None) -> ErasureReport:
        """Remove a person's identity from their ideas; the ideas stay (see :mod:`bot.ideas.erasure`)."""
        return await erase_person(self._db, self._clock.now(), user_id, actor or Actor.cli())

    # -- admins and contacts (CLI) --------------------------------------------------------

    async def add_admin(self, user_id: str, committee: str, actor: Actor | None = None) -> tuple[str, bool]:
        key = self.directory.resolve(committee).key
        added = await self.directory.add_admin(user_id, key, (actor or Actor.cli()).name or CLI_ACTOR)
        return key, added

    async def add_contact(self, committee: str, user_id: str, user_name: str | None = None) -> tuple[str, int]:
        """Register a chat user as contact of a committee; returns (key, notices handed over)."""
        key = self.directory.resolve(committee).key
        now = self._clock.now()
        async with self._db.session() as session:
            await self.directory.upsert_contact(session, key, user_id, user_name, None)
            contact = next(c for c in await self.directory.contacts_in(session, key) if c.user_id == user_id)
            moved = await self._enqueue.readdress(session, key, user_id, contact.conversation_ref_id, now)
        return key, moved

    # == background work ===================================================================

    async def nudge_stale(self, now: datetime, threshold: timedelta | None = None) -> int:
        threshold = threshold if threshold is not None else self._config.stale_after
        if threshold is None:
            return 0
        return await self._nudger.nudge_stale(now, threshold)

    async def undelivered(self) -> int:
        """Notifications that could not reach anybody (no address or failed), for monitoring."""
        async with self._db.session() as session:
            return int(
                (
                    await session.execute(
                        sa.select(sa.func.count()).where(
                            notifications.c.status.in_([STATUS_NO_ADDRESS, STATUS_FAILED])
                        )
                    )
                ).scalar_one()
            )
