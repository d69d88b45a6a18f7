"""WriteThroughConversationState: no change hashing, same storage semantics."""

from __future__ import annotations

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.botframework.turn_state import WriteThroughConversationState
from bot.storage.db import Database
from bot.storage.state import SqlStorage, StorageConcurrencyError


def _context(adapter: TestAdapter) -> TurnContext:
    return TurnContext(
        adapter,
        Activity(
            type=ActivityTypes.message, text="hej", channel_id="test", conversation=ConversationAccount(id="c1"),
            from_property=ChannelAccount(id="u1"), recipient=ChannelAccount(id="b"),
        ),
    )


async def test_state_round_trips_and_is_written_without_hashing(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from jsonpickle import pickler

    storage = SqlStorage(database)
    state = WriteThroughConversationState(storage)
    adapter = TestAdapter()
    context = _context(adapter)
    prop = state.create_property("Count")
    assert await prop.get(context) is None
    await prop.set(context, 1)
    await state.save_changes(context)

    flattened: list[object] = []
    real = pickler.Pickler.flatten

    def counting(self: pickler.Pickler, obj: object, *args: object, **kwargs: object) -> object:
        flattened.append(obj)
        return real(self, obj, *args, **kwargs)

    monkeypatch.setattr(pickler.Pickler, "flatten", counting)
    context = _context(adapter)
    assert await prop.get(context, 0) == 1
    await prop.set(context, 2)
    await state.save_changes(context)
    assert len(flattened) == 1  # the storage's own document, no hashes (botbuilder's BotState: 4)
    assert await prop.get(_context(adapter), 0) == 2


async def test_a_concurrent_update_is_still_refused(database: Database) -> None:
    storage = SqlStorage(database)
    state = WriteThroughConversationState(storage)
    adapter = TestAdapter()
    first, second = _context(adapter), _context(adapter)
    prop = state.create_property("Count")
    await prop.set(first, 1)
    await state.save_changes(first)
    first, second = _context(adapter), _context(adapter)
    await prop.get(first, 0)
    await prop.get(second, 0)
    await prop.set(first, 2)
    await state.save_changes(first)
    await prop.set(second, 3)
    with pytest.raises(StorageConcurrencyError):
        await state.save_changes(second)
