"""Send leases: across replicas, one sender at a time per tenant.

Teams limits a bot per tenant (~50 requests/s) and per conversation (7/1 s, 8/2 s,
60/30 s). The limits are counted in each process
(:class:`~bot.delivery.ratelimit.DeliveryRateLimiter`); with two replicas that is not
enough — each stays inside the limits and the two together break them (bench/fanout.py,
bursts into a few conversations, before this: 14 per-conversation violations in 3,000
sends and a peak of 98 sends/s into the one tenant). So before a proactive send a
replica must hold the lease of the conversation's *scope*: its tenant (or
``service:<serviceUrl>`` when the tenant is unknown), in table ``send_leases``:

* taking or renewing it is one conditional upsert — granted when the row is absent,
  ours, or expired — so two replicas never both hold it;
* a lease is renewed (to ``now + hold``) whenever less than ``guard`` of it is left, so
  after every send it runs at least ``guard`` (31 s) longer. Another replica can only
  start sending into the scope more than 30 s after this one's last send there: its own
  1 s / 2 s / 30 s windows then contain every send into the tenant and its
  conversations, and its local limiter enforces them exactly. (The hourly window per
  conversation, 1800/h, stays per replica.)
* a replica that is refused answers RETRY_LATER (throttled, 2 s) and the outbox stops
  offering it that scope's rows while the lease is held elsewhere
  (:func:`busy_elsewhere` in :meth:`Outbox.claim`), so they go to the holder;
* on shutdown the leases are handed back; after a crash they run out within ``hold``
  (45 s), which is then the longest pause in that tenant's deliveries.

One tenant's proactive messages are therefore sent by one replica at a time — which is
all Teams allows (~50/s) anyway; several tenants spread over the replicas. Renewing
costs one statement per scope every ``hold - guard`` (14 s) at most.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.clock import Clock
from bot.storage.db import Database, affected_rows
from bot.storage.models import ConversationRef
from bot.storage.models_delivery import SendLeaseRow

__all__ = ["DEFAULT_GUARD", "DEFAULT_HOLD", "LEASE_TABLE", "SendLeases", "busy_elsewhere", "scope_of"]

log = logging.getLogger(__name__)

LEASE_TABLE: sa.Table = SendLeaseRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
_conversations: sa.Table = ConversationRef.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table
#: The longest Teams window a lease must cover, plus a second: renew when less is left.
DEFAULT_GUARD = timedelta(seconds=31)
#: How long a lease is taken for (a crashed holder pauses its scope this long at most).
DEFAULT_HOLD = timedelta(seconds=45)
#: A refused replica's rows wait this long (meanwhile the outbox offers them to the holder).
REFUSED_RETRY = timedelta(seconds=2)
SERVICE_PREFIX = "service:"


def scope_of(tenant_id: str | None, service_url: str) -> str:
    """The lease scope of a conversation: its tenant, else its serviceUrl (as the limiter keys it)."""
    return tenant_id or f"{SERVICE_PREFIX}{service_url}"


class SendLeases:
    """The send leases one owner id holds; one per process, built in the composition root."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        owner: str,
        *,
        hold: timedelta = DEFAULT_HOLD,
        guard: timedelta = DEFAULT_GUARD,
        max_tracked: int = 10_000,
    ) -> None:
        if hold <= guard:
            raise ValueError("a lease must be taken for longer than its guard")
        self._db = database
        self._clock = clock
        self.owner = owner
        self._hold = hold
        self._guard = guard
        self._held: OrderedDict[str, datetime] = OrderedDict()
        self._max_tracked = max_tracked
        self._statement: sa.Executable | None = None

    async def acquire(self, scope: str) -> timedelta | None:
        """``None`` when this owner may send into ``scope`` now; else when to try again."""
        now = self._clock.now()
        until = self._held.get(scope)
        if until is not None and until - now >= self._guard:
            return None
        new_until = now + self._hold
        async with self._db.session() as session:
            granted = (
                await session.execute(self._upsert(), {"scope": scope, "owner": self.owner, "until": new_until, "now": now})
            ).first()
        if granted is None:
            self._held.pop(scope, None)
            return REFUSED_RETRY
        self._held[scope] = new_until
        self._held.move_to_end(scope)
        while len(self._held) > self._max_tracked:
            self._held.popitem(last=False)
        return None

    def _upsert(self) -> sa.Executable:
        if self._statement is None:
            t = LEASE_TABLE
            insert = self._db.insert(t).values(scope=sa.bindparam("scope"), owner=sa.bindparam("owner"), until=sa.bindparam("until"))
            self._statement = insert.on_conflict_do_update(
                index_elements=[t.c.scope],
                set_={"owner": insert.excluded.owner, "until": insert.excluded.until},
                where=sa.or_(t.c.owner == insert.excluded.owner, t.c.until < sa.bindparam("now", type_=t.c.until.type)),
            ).returning(t.c.owner)
        return self._statement

    async def release_all(self) -> int:
        """Hand back every lease of this owner (on shutdown): others may send at once."""
        self._held.clear()
        async with self._db.session() as session:
            result = await session.execute(sa.delete(LEASE_TABLE).where(LEASE_TABLE.c.owner == self.owner))
        released = affected_rows(result)
        if released:
            log.info("released %d send leases of %s", released, self.owner)
        return released


def busy_elsewhere(
    conversation_column: sa.ColumnElement[int],
    owner: str | sa.BindParameter[str],
    now: datetime | sa.BindParameter[datetime],
) -> sa.ColumnElement[bool]:
    """SQL: another owner holds an unexpired send lease on the scope of the row's conversation."""
    t, c = LEASE_TABLE, _conversations
    scope = sa.func.coalesce(c.c.tenant_id, sa.literal(SERVICE_PREFIX) + c.c.service_url)
    return (
        sa.exists()
        .where(c.c.id == conversation_column, t.c.scope == scope, t.c.owner != owner, t.c.until >= now)
    )
