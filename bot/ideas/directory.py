"""The committees ideas are routed to, who administers them, and how their contacts are reached.

Committees come from the municipality profile (:func:`knowledge.ideas_rules.committees_from_profile`).
Admins (MED secretaries and chairs) are the chat user ids in the profile's
``admin_user_ids`` plus the rows of ``idea_admins`` (``medbot ideas admin add``).
A committee's contact persons are named in the profile, but their chat address is
only known once they have talked to the bot: ``committee_contacts`` maps a
committee to chat users (``medbot ideas contact add``, or automatically when an
admin of the committee talks to the bot).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.ideas.addresses import personal_conversation
from bot.ideas.models import CommitteeContactRow, IdeaAdminRow
from bot.storage.db import Database, affected_rows
from dialogs import texts
from dialogs.idea_port import UnknownCommitteeError
from knowledge.ideas_rules import Committee, committees_from_profile, find_committee
from knowledge.profiles import Profile

__all__ = ["AdminEntry", "CommitteeDirectory", "ContactAddress"]

log = logging.getLogger(__name__)

_admins: sa.Table = IdeaAdminRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_contacts: sa.Table = CommitteeContactRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

TOP = "top"


@dataclass(frozen=True)
class ContactAddress:
    committee: str
    user_id: str
    user_name: str | None
    conversation_ref_id: int | None


@dataclass(frozen=True)
class AdminEntry:
    user_id: str
    committee: str
    source: str  # "profil" or "database"


class CommitteeDirectory:
    def __init__(self, database: Database, clock: Clock, profile: Profile) -> None:
        self._db = database
        self._clock = clock
        self._committees = committees_from_profile(profile)
        self._by_key = {c.key: c for c in self._committees}

    # -- committees ------------------------------------------------------------------

    def committees(self) -> tuple[Committee, ...]:
        return self._committees

    def get(self, key: str) -> Committee | None:
        return self._by_key.get(key)

    def name(self, key: str | None) -> str:
        if key is None:
            return ""
        committee = self._by_key.get(key)
        return committee.name if committee else key

    def resolve(self, text: str) -> Committee:
        """The committee named by ``text`` (key, name or alias); :class:`UnknownCommitteeError` otherwise."""
        committee = self._by_key.get(text.strip()) or find_committee(text, self._committees)
        if committee is None:
            raise UnknownCommitteeError(text)
        return committee

    def contact_display(self, key: str) -> str:
        """The profile's contact persons of a committee (»Navn (mail)«), or "" when none is known."""
        committee = self._by_key.get(key)
        return ", ".join(p for p in (c.display() for c in committee.contacts) if p) if committee else ""

    def contact_labels(self, key: str) -> str:
        """The profile's contact persons of a committee, for logs and the CLI."""
        return self.contact_display(key) or texts.IDEA_NO_CONTACT_IN_PROFILE

    # -- admins ---------------------------------------------------------------------

    async def admin_keys(self, user_id: str) -> set[str]:
        """The committees ``user_id`` administers (profile and database)."""
        keys = {c.key for c in self._committees if user_id in c.admin_user_ids}
        async with self._db.session() as session:
            rows = await session.execute(sa.select(_admins.c.committee).where(_admins.c.user_id == user_id))
            keys.update(str(k) for k in rows.scalars())
        return keys

    async def is_admin_of(self, user_id: str, keys: Iterable[str]) -> bool:
        return bool(await self.admin_keys(user_id) & set(keys))

    async def add_admin(self, user_id: str, key: str, added_by: str) -> bool:
        """Make ``user_id`` an admin of committee ``key``; False when it already was."""
        insert = self._db.insert(_admins).values(
            user_id=user_id, committee=key, added_by=added_by, added_at=self._clock.now()
        )
        async with self._db.session() as session:
            result = await session.execute(insert.on_conflict_do_nothing(index_elements=["user_id", "committee"]))
        added = bool(affected_rows(result))
        if added:
            log.info("idea admin added for committee %s by %s", key, added_by)
        return added

    async def remove_admin(self, user_id: str, key: str) -> bool:
        async with self._db.session() as session:
            result = await session.execute(
                sa.delete(_admins).where(_admins.c.user_id == user_id, _admins.c.committee == key)
            )
        return bool(affected_rows(result))

    async def list_admins(self) -> list[AdminEntry]:
        entries = [
            AdminEntry(user_id=user_id, committee=c.key, source="profil")
            for c in self._committees
            for user_id in c.admin_user_ids
        ]
        async with self._db.session() as session:
            rows = await session.execute(sa.select(_admins.c.user_id, _admins.c.committee).order_by(_admins.c.id))
            entries.extend(AdminEntry(user_id=r.user_id, committee=r.committee, source="database") for r in rows)
        return entries

    # -- contacts ----------------------------------------------------------------------

    async def contacts_in(self, session: AsyncSession, key: str) -> list[ContactAddress]:
        """The chat users registered as contacts of ``key`` (inside the caller's unit of work)."""
        rows = await session.execute(
            sa.select(_contacts.c.user_id, _contacts.c.user_name, _contacts.c.conversation_ref_id)
            .where(_contacts.c.committee == key)
            .order_by(_contacts.c.id)
        )
        return [
            ContactAddress(committee=key, user_id=r.user_id, user_name=r.user_name, conversation_ref_id=r.conversation_ref_id)
            for r in rows
        ]

    async def list_contacts(self) -> list[ContactAddress]:
        async with self._db.session() as session:
            rows = await session.execute(sa.select(_contacts).order_by(_contacts.c.committee, _contacts.c.id))
            return [
                ContactAddress(
                    committee=r.committee,
                    user_id=r.user_id,
                    user_name=r.user_name,
                    conversation_ref_id=r.conversation_ref_id,
                )
                for r in rows
            ]

    async def upsert_contact(
        self,
        session: AsyncSession,
        key: str,
        user_id: str,
        user_name: str | None,
        conversation_ref_id: int | None,
    ) -> None:
        now = self._clock.now()
        if conversation_ref_id is None:
            conversation_ref_id = await personal_conversation(session, user_id)
        insert = self._db.insert(_contacts).values(
            committee=key,
            user_id=user_id,
            user_name=user_name,
            conversation_ref_id=conversation_ref_id,
            created_at=now,
            updated_at=now,
        )
        await session.execute(
            insert.on_conflict_do_update(
                index_elements=["committee", "user_id"],
                set_={
                    "user_name": sa.func.coalesce(insert.excluded.user_name, _contacts.c.user_name),
                    "conversation_ref_id": sa.func.coalesce(
                        insert.excluded.conversation_ref_id, _contacts.c.conversation_ref_id
                    ),
                    "updated_at": insert.excluded.updated_at,
                },
            )
        )

    async def remove_contact(self, key: str, user_id: str) -> bool:
        async with self._db.session() as session:
            result = await session.execute(
                sa.delete(_contacts).where(_contacts.c.committee == key, _contacts.c.user_id == user_id)
            )
        return bool(affected_rows(result))
