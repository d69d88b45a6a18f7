"""Process an inbound message activity once, although the channel may send it again.

The Bot Framework connector (or a client, or a probe) may post the same activity twice:
when the bot answered too slowly, or after the bot crashed mid-turn. Processing it twice
would repeat what it did – store a second idea, set a second reminder. As middleware on
the adapter, :class:`InboundDeduplication` skips a message activity whose id (in that
channel and conversation) has been processed completely before:

* the turns of one activity id wait for each other (a copy that arrives while the first
  is still running waits, then finds it done and is skipped);
* an activity is recorded as processed in the same transaction as its turn's dialog
  state (:meth:`InboundDeduplication.record_with_state`, which the composition root
  hands to :class:`~bot.storage.state.SqlStorage`), or after the turn when it saved no
  state. A turn that raised, or a process that died mid-turn, leaves no record, so the
  copy sent again is processed – and what the first attempt may have stored already is
  found again, not stored twice (an idea confirmation is idempotent, see
  :mod:`bot.ideas.submissions`);
* the ``inbound_activities`` table makes this hold across restarts and replicas; it
  holds a hash of channel, conversation and activity id (no id in clear) and is pruned
  after :data:`KEEP_FOR`. When the database cannot be reached, the activity is
  processed: a lost de-duplication is better than a lost message.

Given the turn state's storage (``state``), the check reads the conversation's dialog
state in the same unit of work, and the turn's state load takes it from there
(:meth:`bot.storage.state.SqlStorage.run_with_read`): one round trip to the database
fewer a turn.

Only ``message`` activities with an id are de-duplicated: invokes need their own
answer, and conversation updates are harmless to repeat.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.storage.db import Database
from bot.storage.models import InboundActivityRow
from bot.turnlock import ConversationLocks

__all__ = ["InboundDeduplication", "activity_key"]

log = logging.getLogger(__name__)

_table: sa.Table = InboundActivityRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table

KEEP_FOR = timedelta(days=1)
PRUNE_EVERY = 500
MEMORY_SIZE = 10_000


class EarlyStateReads(Protocol):
    """The part of :class:`~bot.storage.state.SqlStorage` the check reads the state through."""

    async def run_with_read(self, work: Callable[[Connection], Any], keys: Sequence[str]) -> Any: ...

    def forget_read(self) -> None: ...


@dataclass
class _Pending:
    """The running turn's activity, until it is recorded."""

    key: str
    state_key: str  # botbuilder's ConversationState key of the turn's conversation
    recorded: bool = False


def activity_key(activity: Activity) -> str | None:
    """The de-duplication key of a message activity (a hash), or None when it has none."""
    if activity.type != ActivityTypes.message or not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation and activity.conversation.id else ""
    raw = "\x00".join((activity.channel_id or "", conversation, str(activity.id)))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class InboundDeduplication(Middleware):
    """Adapter middleware: each message activity is processed once (see the module doc)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        keep_for: timedelta = KEEP_FOR,
        memory_size: int = MEMORY_SIZE,
        prune_every: int = PRUNE_EVERY,
        state: EarlyStateReads | None = None,
    ) -> None:
        self._db = database
        self._state = state
        self._clock = clock
        self._keep_for = keep_for
        self._memory_size = memory_size
        self._prune_every = prune_every
        self._done: OrderedDict[str, None] = OrderedDict()
        self._locks = ConversationLocks()  # one lock per activity key
        self._recorded = 0
        self._pending: ContextVar[_Pending | None] = ContextVar(f"medbot_inbound_{id(self)}", default=None)
        # Built once: building a statement costs more than running it on SQLite.
        self._select = sa.select(_table.c.key).where(_table.c.key == sa.bindparam("b_key"))
        self._insert = (
            database.insert(_table)
            .values(key=sa.bindparam("b_key"), received_at=sa.bindparam("b_now"))
            .on_conflict_do_nothing(index_elements=[_table.c.key])
        )
        self._prune = sa.delete(_table).where(_table.c.received_at < sa.bindparam("b_before"))

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        key = activity_key(context.activity)
        if key is None:
            await logic()
            return
        activity = context.activity
        conversation = activity.conversation.id if activity.conversation and activity.conversation.id else ""
        state_key = f"{activity.channel_id}/conversations/{conversation}"
        async with self._locks.hold(key):
            try:
                if await self.processed(key, state_key):
                    log.info("message activity processed before; this copy is not processed again")
                    return
                pending = _Pending(key, state_key)
                token = self._pending.set(pending)
                try:
                    await logic()
                finally:
                    self._pending.reset(token)
            finally:
                if self._state is not None:
                    self._state.forget_read()
            if not pending.recorded:
                await self._record(key)
            self._remember(key)

    def record_with_state(self, connection: Connection, keys: Sequence[str]) -> None:
        """Inside a dialog-state write: record the running turn's activity if this write saves
        its conversation's state (so both are stored, or neither)."""
        pending = self._pending.get()
        if pending is None or pending.recorded or pending.state_key not in keys:
            return
        now = self._clock.now()
        connection.execute(self._insert, {"b_key": pending.key, "b_now": now})
        pending.recorded = True
        self._maybe_prune(connection, now)

    async def processed(self, key: str, state_key: str | None = None) -> bool:
        """Whether the activity with this key was processed completely (here or by another replica).

        With ``state_key`` (and the turn state's storage) the same unit of work reads that
        dialog state for the turn."""
        if key in self._done:
            self._done.move_to_end(key)
            return True

        def check(connection: Connection) -> object:
            return connection.execute(self._select, {"b_key": key}).first()

        try:
            if self._state is not None and state_key is not None:
                found = await self._state.run_with_read(check, [state_key])
            else:
                found = await self._db.run(check)
        except SQLAlchemyError:
            log.warning("could not check for a re-sent activity; processing it")
            return False
        if found is not None:
            self._remember(key)
        return found is not None

    async def _record(self, key: str) -> None:
        """Record a turn that saved no dialog state, after it ran."""
        now = self._clock.now()

        def insert(connection: Connection) -> None:
            connection.execute(self._insert, {"b_key": key, "b_now": now})
            self._maybe_prune(connection, now)

        try:
            await self._db.run(insert)
        except SQLAlchemyError:
            log.warning("could not record a processed activity; a copy of it would be processed again")

    def _maybe_prune(self, connection: Connection, now: datetime) -> None:
        self._recorded += 1
        if self._recorded % self._prune_every == 0:
            connection.execute(self._prune, {"b_before": now - self._keep_for})

    def _remember(self, key: str) -> None:
        self._done[key] = None
        self._done.move_to_end(key)
        while len(self._done) > self._memory_size:
            self._done.popitem(last=False)
