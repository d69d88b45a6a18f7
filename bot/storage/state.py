"""botbuilder ``Storage`` on the ``bot_state`` table (conversation and user state).

Semantics follow botbuilder's own storages (its in-memory storage, and the Azure
``CosmosDbPartitionedStorage`` / ``BlobStorage`` whose serialisation this mirrors):

* An item is a ``dict`` (what ``BotState`` writes) or any object (``StoreItem``).  It
  is flattened with jsonpickle's ``Pickler().flatten`` (so ``DialogState``,
  ``DialogInstance``, ``PromptOptions``/``Activity`` objects inside the state survive)
  and restored with ``Unpickler().restore`` on read, exactly as the Cosmos storage does.
* The ``e_tag`` is not part of the stored document; it lives in the ``etag`` column
  and is put back on the item when read (``item["e_tag"]`` for dicts, the ``e_tag``
  attribute for objects).  Every successful write gives the row a new etag.
* Writing an item whose ``e_tag`` is ``None``/absent or ``"*"`` overwrites (or creates)
  the key unconditionally.  An item with any other ``e_tag`` is written only if the
  stored row still has that etag; otherwise :class:`StorageConcurrencyError` is raised
  (also when the key was deleted meanwhile, as Cosmos and Blob storage do).  An empty
  ``e_tag`` (``""``) is refused with :class:`StorageETagMissingError`.
* One ``write`` call is one transaction: if any key conflicts, nothing is written.
* After a successful write the caller's item gets the new etag (in place), so a second
  ``save_changes`` in the same turn does not conflict with the first one.

The checks are single SQL statements (``UPDATE ... WHERE key = :k AND etag = :e`` and
``INSERT ... ON CONFLICT (key) DO UPDATE``), so two processes on one PostgreSQL (or
two connections on one SQLite file) cannot lose each other's updates.

Each ``read``, ``write`` and ``delete`` is one :meth:`~bot.storage.db.Database.run` unit
of work (one hand-off to the SQLite worker thread).

:meth:`SqlStorage.run_with_read` puts a read into another unit of work (the inbound
de-duplication's check at the start of a turn): the turn's next :meth:`~SqlStorage.read`
of those keys takes the rows read there instead of another round trip, unless this
storage has written or deleted one of them since (a turn of the same conversation queued
before it), in which case it reads again. Another process's write in between is refused
by the e-tag at the turn's write, as it is between any read and write.

``also_in_write`` (optional) runs inside every write's transaction with the written keys
(a plain function of the connection, like the rest of the unit),
so that something else is stored exactly when the state is: the inbound de-duplication
records a turn's activity as processed together with that turn's dialog state
(:mod:`bot.inbound_dedup`).
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy.engine import Connection

from bot.clock import Clock, SystemClock
from bot.storage.db import Database, affected_rows
from bot.storage.models import BotStateRow

__all__ = [
    "SqlStorage",
    "StorageArgumentError",
    "StorageConcurrencyError",
    "StorageETagMissingError",
    "StorageError",
    "StorageSerializationError",
]

logger = logging.getLogger(__name__)

ETAG_FIELD = "e_tag"
WILDCARD_ETAG = "*"
_READ_CHUNK = 500
#: Keys whose latest write this process remembers, for the early reads' check.
WRITES_REMEMBERED = 10_000

T = TypeVar("T")
_Row = tuple[str, dict[str, Any], str]

_table: sa.Table = BotStateRow.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


class StorageError(Exception):
    """Base class of the errors raised by :class:`SqlStorage`."""


class StorageConcurrencyError(StorageError):
    """An optimistic-concurrency conflict: the stored item is not the one that was read."""

    def __init__(self, key: str, expected_etag: str) -> None:
        super().__init__(f"etag conflict for storage key {key!r}: expected etag {expected_etag!r}")
        self.key = key
        self.expected_etag = expected_etag


class StorageETagMissingError(StorageError, ValueError):
    """An item carried an empty ``e_tag`` (botbuilder's 'etag missing')."""


class StorageArgumentError(StorageError, ValueError):
    """``read``/``write``/``delete`` were called without keys or changes."""


class StorageSerializationError(StorageError, TypeError):
    """An item could not be turned into a JSON document."""


@dataclass(frozen=True, slots=True)
class _PreparedWrite:
    key: str
    item: object
    expected_etag: str | None  # None: unconditional
    document: dict[str, Any]
    new_etag: str


@dataclass(frozen=True, slots=True)
class _EarlyRead:
    """Rows read by :meth:`SqlStorage.run_with_read`, as of write number ``as_of``."""

    keys: frozenset[str]
    rows: dict[str, tuple[dict[str, Any], str]]
    as_of: int


def _item_etag(item: object) -> str | None:
    if isinstance(item, Mapping):
        value = item.get(ETAG_FIELD)
    else:
        value = getattr(item, ETAG_FIELD, None)
    if value is None:
        return None
    return str(value)


def _set_item_etag(item: object, etag: str) -> None:
    if isinstance(item, dict):
        item[ETAG_FIELD] = etag
        return
    try:
        setattr(item, ETAG_FIELD, etag)
    except (AttributeError, TypeError):
        # Immutable or slotted objects simply do not carry an etag.
        logger.debug("cannot set e_tag on %s", type(item).__name__)


def _to_document(key: str, item: object) -> dict[str, Any]:
    flattened = Pickler().flatten(item)
    if not isinstance(flattened, dict):
        raise StorageSerializationError(
            f"storage item for key {key!r} is a {type(item).__name__}; expected a dict or an object"
        )
    flattened.pop(ETAG_FIELD, None)
    return flattened


def _from_document(document: dict[str, Any], etag: str) -> object:
    item = Unpickler().restore(dict(document))
    _set_item_etag(item, etag)
    return item


def _new_etag() -> str:
    return uuid.uuid4().hex


def _keys_list(keys: Iterable[str] | None, operation: str) -> list[str]:
    if keys is None:
        raise StorageArgumentError(
            "Keys are required when reading" if operation == "read" else f"Keys are required when {operation}"
        )
    if isinstance(keys, str):
        raise StorageArgumentError(f"{operation}: keys must be a collection of strings, not a string")
    # de-duplicate, keep order
    return list(dict.fromkeys(keys))


class SqlStorage(Storage):
    """botbuilder ``Storage`` on the ``bot_state`` table of a :class:`Database`."""

    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        *,
        also_in_write: Callable[[Connection, Sequence[str]], None] | None = None,
    ) -> None:
        super().__init__()
        self._db = db
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._also_in_write = also_in_write
        # Statements are built once (building one costs more than running it on SQLite).
        self._select = sa.select(_table.c.key, _table.c.data, _table.c.etag).where(
            _table.c.key.in_(sa.bindparam("keys", expanding=True))
        )
        self._update = (
            sa.update(_table)
            .where(_table.c.key == sa.bindparam("b_key"), _table.c.etag == sa.bindparam("b_expected"))
            .values(data=sa.bindparam("b_data"), etag=sa.bindparam("b_etag"), updated_at=sa.bindparam("b_now"))
        )
        self._upsert: sa.Executable | None = None
        # Writes and deletes are numbered; each key remembers the number of its latest one
        # (the oldest forgotten first, their highest number kept), so an early read can
        # tell whether it is still what is stored.
        self._writes = 0
        self._last_write: OrderedDict[str, int] = OrderedDict()
        self._forgotten_write = 0
        self._early: ContextVar[_EarlyRead | None] = ContextVar(f"medbot_state_early_{id(self)}", default=None)

    def _upsert_statement(self) -> sa.Executable:
        if self._upsert is None:
            insert = self._db.insert(_table).values(
                key=sa.bindparam("b_key"), data=sa.bindparam("b_data"), etag=sa.bindparam("b_etag"),
                updated_at=sa.bindparam("b_now"),
            )
            self._upsert = insert.on_conflict_do_update(
                index_elements=[_table.c.key],
                set_={
                    "data": insert.excluded.data,
                    "etag": insert.excluded.etag,
                    "updated_at": insert.excluded.updated_at,
                },
            )
        return self._upsert

    async def read(self, keys: Iterable[str]) -> dict[str, Any]:
        """The stored items for ``keys`` (missing keys are left out)."""
        wanted = _keys_list(keys, "read")
        if not wanted:
            return {}
        early = self._early.get()
        if early is not None and early.keys.issuperset(wanted):
            self._early.set(None)  # used once
            if self._unwritten_since(wanted, early.as_of):
                return {key: _from_document(*early.rows[key]) for key in wanted if key in early.rows}
        found = {key: _from_document(data, etag) for key, data, etag in await self._db.run(lambda c: self._rows(c, wanted))}
        # the caller's order
        return {key: found[key] for key in wanted if key in found}

    async def run_with_read(self, work: Callable[[Connection], T], keys: Sequence[str]) -> T:
        """``work`` and a read of ``keys`` in one unit of work; returns what ``work`` returns.

        The next :meth:`read` of these keys in the caller's context takes the rows read
        here, unless this storage has written or deleted one of them since (see the
        module doc). :meth:`forget_read` drops them.
        """
        wanted = _keys_list(keys, "read")
        as_of = self._writes

        def unit(connection: Connection) -> tuple[T, list[_Row]]:
            return work(connection), self._rows(connection, wanted)

        result, rows = await self._db.run(unit)
        self._early.set(_EarlyRead(frozenset(wanted), {key: (data, etag) for key, data, etag in rows}, as_of))
        return result

    def forget_read(self) -> None:
        """Drop the rows of :meth:`run_with_read` not used yet (in the caller's context)."""
        self._early.set(None)

    def _rows(self, connection: Connection, keys: Sequence[str]) -> list[_Row]:
        rows: list[_Row] = []
        for start in range(0, len(keys), _READ_CHUNK):
            result = connection.execute(self._select, {"keys": keys[start : start + _READ_CHUNK]})
            rows.extend((key, data, etag) for key, data, etag in result.all())
        return rows

    def _unwritten_since(self, keys: Iterable[str], as_of: int) -> bool:
        return all(self._last_write.get(key, self._forgotten_write) <= as_of for key in keys)

    def _written(self, keys: Iterable[str]) -> None:
        """Number a write or delete of ``keys`` (done, failed or undone alike)."""
        self._writes += 1
        for key in keys:
            self._last_write[key] = self._writes
            self._last_write.move_to_end(key)
        while len(self._last_write) > WRITES_REMEMBERED:
            _, number = self._last_write.popitem(last=False)
            self._forgotten_write = max(self._forgotten_write, number)

    async def write(self, changes: Mapping[str, object]) -> None:
        """Store ``changes`` in one transaction (see the module doc for the etag rules)."""
        if changes is None:
            raise StorageArgumentError("Changes are required when writing")
        if not changes:
            return
        prepared = [self._prepare(key, item) for key, item in changes.items()]
        now = self._clock.now()
        upsert = self._upsert_statement()
        # A fixed (sorted) order: two multi-key writers lock rows in the same order
        # and so cannot deadlock each other on PostgreSQL.
        ordered = sorted(prepared, key=lambda w: w.key)

        def store(connection: Connection) -> None:
            for write in ordered:
                values = {"b_key": write.key, "b_data": write.document, "b_etag": write.new_etag, "b_now": now}
                if write.expected_etag is None:
                    connection.execute(upsert, values)
                    continue
                result = connection.execute(self._update, {**values, "b_expected": write.expected_etag})
                if affected_rows(result) != 1:
                    logger.info("storage etag conflict on %r; nothing written", write.key)
                    raise StorageConcurrencyError(write.key, write.expected_etag)
            if self._also_in_write is not None:
                self._also_in_write(connection, [write.key for write in prepared])

        try:
            await self._db.run(store)
        finally:
            self._written(changes)
        for write in prepared:
            _set_item_etag(write.item, write.new_etag)

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove ``keys`` (unknown keys are ignored)."""
        doomed = _keys_list(keys, "deleting")
        if not doomed:
            return
        def remove(connection: Connection) -> None:
            for start in range(0, len(doomed), _READ_CHUNK):
                connection.execute(sa.delete(_table).where(_table.c.key.in_(doomed[start : start + _READ_CHUNK])))

        try:
            await self._db.run(remove)
        finally:
            self._written(doomed)

    @staticmethod
    def _prepare(key: str, item: object) -> _PreparedWrite:
        if not isinstance(key, str) or not key:
            raise StorageArgumentError(f"storage keys must be non-empty strings, got {key!r}")
        etag = _item_etag(item)
        if etag == "":
            raise StorageETagMissingError(f"storage item for key {key!r} has an empty e_tag")
        return _PreparedWrite(
            key=key,
            item=item,
            expected_etag=None if etag in (None, WILDCARD_ETAG) else etag,
            document=_to_document(key, item),
            new_etag=_new_etag(),
        )
