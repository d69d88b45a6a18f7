"""Stored conversation references, for proactive messages that survive restarts.

The activity handler calls :meth:`ConversationStore.upsert_from_activity` on every
inbound activity (which also clears an earlier "unreachable" mark); proactive delivery
reads the references back with :meth:`get` / :meth:`list` and calls
:meth:`mark_unreachable` when the channel says the bot was blocked or removed (403).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from botbuilder.schema import ConversationAccount, ConversationReference

from bot.clock import Clock
from bot.storage.db import Database, affected_rows
from bot.storage.models import ConversationRef
from bot.storage.reference_json import read_model

__all__ = ["ConversationStore", "InvalidConversationReferenceError", "StoredConversation", "stored_by_id"]

logger = logging.getLogger(__name__)

_table: sa.Table = ConversationRef.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


class InvalidConversationReferenceError(ValueError):
    """The reference lacks what a proactive message needs (channel, conversation, serviceUrl)."""


@dataclass(frozen=True, slots=True)
class StoredConversation:
    id: int
    channel_id: str
    conversation_id: str
    service_url: str
    tenant_id: str | None
    bot_id: str | None
    bot_name: str | None
    user_id: str | None
    conversation_type: str | None
    reference: ConversationReference
    unreachable: bool
    unreachable_reason: str | None
    created_at: datetime
    updated_at: datetime


# The JSON keys of ConversationAccount.tenant_id / .conversation_type ("tenantID", …).
_TENANT_KEY: str = ConversationAccount._attribute_map["tenant_id"]["key"]
_TYPE_KEY: str = ConversationAccount._attribute_map["conversation_type"]["key"]

_UPSERT_COLUMNS = (
    "channel_id",
    "conversation_id",
    "service_url",
    "tenant_id",
    "bot_id",
    "bot_name",
    "user_id",
    "conversation_type",
    "reference",
    "unreachable",
    "unreachable_reason",
    "created_at",
    "updated_at",
)


def _reference_document(reference: ConversationReference) -> dict[str, Any]:
    """``reference.serialize()`` (a new dict)."""
    return dict(reference.serialize())


def _to_stored(row: sa.Row[Any]) -> StoredConversation:
    # Read for every proactive send: msrest's generic deserialiser only where the stored
    # document has more than the plain shape a reference is stored in.
    reference = read_model(ConversationReference, row.reference)
    return StoredConversation(
        id=row.id,
        channel_id=row.channel_id,
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        tenant_id=row.tenant_id,
        bot_id=row.bot_id,
        bot_name=row.bot_name,
        user_id=row.user_id,
        conversation_type=row.conversation_type,
        reference=reference,
        unreachable=bool(row.unreachable),
        unreachable_reason=row.unreachable_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def stored_by_id(connection: sa.Connection, ids: list[int]) -> list[StoredConversation | None]:
    """The stored conversation of each of ``ids``, in that order (``None`` where there is
    none; an id may repeat, and each gets a reference object of its own), inside a
    :meth:`Database.run` unit of work."""
    if not ids:
        return []
    rows = {row.id: row for row in connection.execute(sa.select(_table).where(_table.c.id.in_(set(ids))))}
    return [_to_stored(rows[id]) if id in rows else None for id in ids]


#: A message whose conversation reference this process stored less than this long ago,
#: unchanged, does not store it again (see :meth:`ConversationStore.upsert_from_activity`).
REFRESH_AFTER = timedelta(minutes=5)
#: Conversations remembered for that check (least recently seen forgotten first).
RECENT_CAPACITY = 10_000


class ConversationStore:
    """The ``conversation_refs`` table."""

    def __init__(
        self, db: Database, clock: Clock, *, refresh_after: timedelta = REFRESH_AFTER, recent_capacity: int = RECENT_CAPACITY
    ) -> None:
        self._db = db
        self._clock = clock
        self._upsert: sa.Executable | None = None
        self._refresh_after = refresh_after
        self._recent_capacity = recent_capacity
        # (channel, conversation) -> (the row's id, what was stored but the activity id, when)
        self._recent: OrderedDict[tuple[str, str], tuple[int, dict[str, Any], datetime]] = OrderedDict()

    def _upsert_statement(self) -> sa.Executable:
        """The upsert of :meth:`upsert_from_activity`, built once (building it costs more than running it)."""
        if self._upsert is None:
            insert = self._db.insert(_table).values({name: sa.bindparam(name) for name in _UPSERT_COLUMNS})
            excluded = insert.excluded
            self._upsert = insert.on_conflict_do_update(
                index_elements=[_table.c.channel_id, _table.c.conversation_id],
                set_={
                    "service_url": excluded.service_url,
                    "tenant_id": sa.func.coalesce(excluded.tenant_id, _table.c.tenant_id),
                    "bot_id": sa.func.coalesce(excluded.bot_id, _table.c.bot_id),
                    "bot_name": sa.func.coalesce(excluded.bot_name, _table.c.bot_name),
                    "user_id": sa.func.coalesce(excluded.user_id, _table.c.user_id),
                    "conversation_type": sa.func.coalesce(excluded.conversation_type, _table.c.conversation_type),
                    "reference": excluded.reference,
                    "unreachable": excluded.unreachable,
                    "unreachable_reason": excluded.unreachable_reason,
                    "updated_at": excluded.updated_at,
                },
            ).returning(_table.c.id)
        return self._upsert

    async def upsert_from_activity(
        self,
        reference: ConversationReference,
        conversation_type: str | None,
        tenant_id: str | None,
        *,
        always: bool = True,
    ) -> int:
        """Insert or refresh the reference for its (channel, conversation); return its id.

        ``conversation_type`` and ``tenant_id`` fall back to the reference's own
        ``conversation`` fields, and a ``None`` never erases a value stored earlier.
        The tenant and type are also written into the stored reference when it lacks
        them (Teams needs the tenant to send proactively).  Clears ``unreachable``.

        With ``always=False`` (the handler passes it for ordinary messages) the write is
        skipped when this process stored the same reference — apart from the id of the
        user's latest activity — less than ``refresh_after`` ago and has not marked the
        conversation unreachable since: a conversation of many messages costs one write
        every few minutes instead of one per message. Another replica's unreachable mark
        is cleared by the next write (at most ``refresh_after`` later) or at once by an
        installation or conversation update, which the handler stores with ``always``.
        """
        conversation = reference.conversation
        channel_id = reference.channel_id
        conversation_id = conversation.id if conversation is not None else None
        service_url = reference.service_url
        if not channel_id or not conversation_id or not service_url:
            raise InvalidConversationReferenceError(
                "a conversation reference needs channel_id, conversation.id and service_url"
            )
        conversation_type = conversation_type or conversation.conversation_type
        tenant_id = tenant_id or conversation.tenant_id

        document = _reference_document(reference)
        stored = document.setdefault("conversation", {})
        if tenant_id and not stored.get(_TENANT_KEY):
            stored[_TENANT_KEY] = tenant_id
        if conversation_type and not stored.get(_TYPE_KEY):
            stored[_TYPE_KEY] = conversation_type

        now = self._clock.now()
        key = (channel_id, conversation_id)
        comparable = {k: v for k, v in document.items() if k != "activityId"}
        comparable["_meta"] = (tenant_id, conversation_type)
        recent = self._recent.get(key)
        if not always and recent is not None and recent[1] == comparable and now - recent[2] < self._refresh_after:
            self._recent.move_to_end(key)
            return recent[0]
        values: dict[str, Any] = {
            "channel_id": channel_id,
            "conversation_id": conversation_id,
            "service_url": service_url,
            "tenant_id": tenant_id,
            "bot_id": reference.bot.id if reference.bot is not None else None,
            "bot_name": reference.bot.name if reference.bot is not None else None,
            "user_id": reference.user.id if reference.user is not None else None,
            "conversation_type": conversation_type,
            "reference": document,
            "unreachable": False,
            "unreachable_reason": None,
            "created_at": now,
            "updated_at": now,
        }
        upsert = self._upsert_statement()
        conversation_ref_id = await self._db.run(lambda connection: connection.execute(upsert, values).scalar_one())
        self._recent[key] = (int(conversation_ref_id), comparable, now)
        self._recent.move_to_end(key)
        while len(self._recent) > self._recent_capacity:
            self._recent.popitem(last=False)
        logger.debug("conversation reference %s stored (%s)", conversation_ref_id, channel_id)
        return int(conversation_ref_id)

    async def get(self, channel_id: str, conversation_id: str) -> StoredConversation | None:
        async with self._db.session() as session:
            row = (
                await session.execute(
                    sa.select(_table).where(
                        _table.c.channel_id == channel_id, _table.c.conversation_id == conversation_id
                    )
                )
            ).one_or_none()
        return _to_stored(row) if row is not None else None

    async def get_by_id(self, id: int) -> StoredConversation | None:
        found = await self._db.run(lambda connection: stored_by_id(connection, [id]))
        return found[0]

    async def list(
        self, channel_id: str | None = None, *, include_unreachable: bool = True
    ) -> list[StoredConversation]:
        """All stored conversations (optionally of one channel), oldest first."""
        statement = sa.select(_table).order_by(_table.c.id)
        if channel_id is not None:
            statement = statement.where(_table.c.channel_id == channel_id)
        if not include_unreachable:
            statement = statement.where(_table.c.unreachable.is_(False))
        async with self._db.session() as session:
            rows = (await session.execute(statement)).all()
        return [_to_stored(row) for row in rows]

    async def mark_unreachable(self, id: int, reason: str) -> bool:
        """Stop proactive sends to this conversation until it writes to the bot again.

        Returns ``False`` when no such conversation is stored.
        """
        async with self._db.session() as session:
            result = await session.execute(
                sa.update(_table)
                .where(_table.c.id == id)
                .values(unreachable=True, unreachable_reason=reason, updated_at=self._clock.now())
            )
        found = affected_rows(result) == 1
        # The next message into it must store the reference again (which clears the mark).
        for key in [k for k, v in self._recent.items() if v[0] == id]:
            del self._recent[key]
        if found:
            logger.info("conversation %s marked unreachable: %s", id, reason)
        else:
            logger.warning("mark_unreachable: no conversation with id %s", id)
        return found
