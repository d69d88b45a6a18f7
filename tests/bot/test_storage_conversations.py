"""ConversationStore: references for proactive messages, kept across restarts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, timedelta

import pytest
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.clock import FakeClock
from bot.storage.conversations import ConversationStore, InvalidConversationReferenceError
from bot.storage.db import Database


def teams_reference(
    conversation_id: str = "a:1Xyz-personal",
    *,
    user_id: str = "29:user-1",
    service_url: str = "https://smba.trafficmanager.net/emea/",
    tenant_id: str | None = "tenant-1",
    conversation_type: str | None = "personal",
) -> ConversationReference:
    return ConversationReference(
        activity_id="act-1",
        user=ChannelAccount(id=user_id, name="Mette", aad_object_id="aad-1"),
        bot=ChannelAccount(id="28:bot-app-id", name="MED-bot"),
        conversation=ConversationAccount(
            id=conversation_id,
            tenant_id=tenant_id,
            conversation_type=conversation_type,
            is_group=conversation_type not in (None, "personal"),
        ),
        channel_id="msteams",
        locale="da-DK",
        service_url=service_url,
    )


@pytest.fixture
def store(database: Database, clock: FakeClock) -> ConversationStore:
    return ConversationStore(database, clock)


async def test_insert_and_get_round_trips_the_reference(store: ConversationStore, clock: FakeClock) -> None:
    reference = teams_reference()
    conversation_ref_id = await store.upsert_from_activity(reference, "personal", "tenant-1")
    stored = await store.get("msteams", "a:1Xyz-personal")
    assert stored is not None
    assert stored.id == conversation_ref_id
    assert stored.channel_id == "msteams"
    assert stored.service_url == "https://smba.trafficmanager.net/emea/"
    assert stored.tenant_id == "tenant-1"
    assert stored.bot_id == "28:bot-app-id"
    assert stored.bot_name == "MED-bot"
    assert stored.user_id == "29:user-1"
    assert stored.conversation_type == "personal"
    assert stored.unreachable is False
    assert stored.unreachable_reason is None
    assert isinstance(stored.reference, ConversationReference)
    assert stored.reference.serialize() == reference.serialize()
    assert stored.reference.conversation.tenant_id == "tenant-1"
    assert stored.created_at == stored.updated_at == clock.now()
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert await store.get_by_id(conversation_ref_id) == stored
    assert await store.get("msteams", "other") is None
    assert await store.get_by_id(conversation_ref_id + 1000) is None


async def test_upsert_refreshes_the_same_row(store: ConversationStore, clock: FakeClock) -> None:
    first_id = await store.upsert_from_activity(teams_reference(), "personal", "tenant-1")
    created = clock.now()
    clock.advance(timedelta(hours=2))
    moved = teams_reference(service_url="https://smba.trafficmanager.net/emea-2/", user_id="29:user-2")
    second_id = await store.upsert_from_activity(moved, None, None)
    assert second_id == first_id
    stored = await store.get_by_id(first_id)
    assert stored is not None
    assert stored.service_url == "https://smba.trafficmanager.net/emea-2/"
    assert stored.reference.service_url == "https://smba.trafficmanager.net/emea-2/"
    assert stored.user_id == "29:user-2"
    assert stored.created_at == created
    assert stored.updated_at == clock.now() == created + timedelta(hours=2)
    # the arguments were None but the reference itself carried them
    assert stored.tenant_id == "tenant-1"
    assert stored.conversation_type == "personal"
    assert len(await store.list()) == 1


async def test_none_does_not_erase_known_tenant_and_tenant_is_added_to_reference(store: ConversationStore) -> None:
    ref_id = await store.upsert_from_activity(teams_reference(tenant_id=None), "personal", "tenant-9")
    stored = await store.get_by_id(ref_id)
    assert stored is not None
    assert stored.tenant_id == "tenant-9"
    assert stored.reference.conversation.tenant_id == "tenant-9"
    await store.upsert_from_activity(teams_reference(tenant_id=None, conversation_type=None), None, None)
    stored = await store.get_by_id(ref_id)
    assert stored is not None
    assert stored.tenant_id == "tenant-9"
    assert stored.conversation_type == "personal"


async def test_caller_reference_is_not_modified(store: ConversationStore) -> None:
    reference = teams_reference(tenant_id=None)
    await store.upsert_from_activity(reference, "personal", "tenant-9")
    assert reference.conversation.tenant_id is None


async def test_mark_unreachable_and_inbound_activity_clears_it(store: ConversationStore, clock: FakeClock) -> None:
    ref_id = await store.upsert_from_activity(teams_reference(), "personal", "tenant-1")
    clock.advance(timedelta(minutes=5))
    assert await store.mark_unreachable(ref_id, "403 Forbidden: bot blocked") is True
    stored = await store.get_by_id(ref_id)
    assert stored is not None
    assert stored.unreachable is True
    assert stored.unreachable_reason == "403 Forbidden: bot blocked"
    assert [c.id for c in await store.list(include_unreachable=False)] == []
    assert await store.mark_unreachable(ref_id + 99, "gone") is False

    await store.upsert_from_activity(teams_reference(), "personal", "tenant-1")
    stored = await store.get_by_id(ref_id)
    assert stored is not None
    assert stored.unreachable is False
    assert stored.unreachable_reason is None


async def test_list_filters_by_channel(store: ConversationStore) -> None:
    a = await store.upsert_from_activity(teams_reference("c-1"), "personal", "t")
    b = await store.upsert_from_activity(teams_reference("c-2", conversation_type="channel"), "channel", "t")
    slack = teams_reference("C0123", tenant_id=None, conversation_type=None)
    slack.channel_id = "slack"
    slack.service_url = "https://slack.invalid/"
    c = await store.upsert_from_activity(slack, None, None)
    assert [x.id for x in await store.list()] == [a, b, c]
    assert [x.id for x in await store.list("msteams")] == [a, b]
    assert [x.id for x in await store.list(channel_id="slack")] == [c]
    assert (await store.get_by_id(b)).conversation_type == "channel"  # type: ignore[union-attr]  # the row was just stored


async def test_reference_without_essentials_is_refused(store: ConversationStore) -> None:
    reference = teams_reference()
    reference.service_url = None
    with pytest.raises(InvalidConversationReferenceError):
        await store.upsert_from_activity(reference, "personal", "t")
    reference = teams_reference()
    reference.conversation = None
    with pytest.raises(InvalidConversationReferenceError):
        await store.upsert_from_activity(reference, "personal", "t")


async def test_concurrent_upserts_make_one_row(
    database: Database, database_factory: Callable[[], Database], clock: FakeClock
) -> None:
    stores = [ConversationStore(database, clock), ConversationStore(database_factory(), clock)]
    ids = await asyncio.gather(
        *(stores[i % 2].upsert_from_activity(teams_reference("race"), "personal", "t") for i in range(10))
    )
    assert len(set(ids)) == 1
    assert len(await stores[0].list()) == 1


async def test_datetimes_come_back_aware_utc(store: ConversationStore, clock: FakeClock) -> None:
    from datetime import datetime, timezone

    clock.set(datetime(2025, 6, 1, 14, 30, tzinfo=timezone(timedelta(hours=2))))
    ref_id = await store.upsert_from_activity(teams_reference(), "personal", "t")
    stored = await store.get_by_id(ref_id)
    assert stored is not None
    assert stored.updated_at == datetime(2025, 6, 1, 12, 30, tzinfo=UTC)
    assert stored.updated_at.tzinfo is not None and stored.updated_at.utcoffset() == timedelta(0)


async def _statements_during(database: Database, action: Callable[[], object]) -> int:
    """How many SQL statements ``action`` (a coroutine function) sends."""
    import sqlalchemy as sa

    count = 0

    def on_execute(*_args: object) -> None:
        nonlocal count
        count += 1

    for engine in database.sync_engines:
        sa.event.listen(engine, "before_cursor_execute", on_execute)
    try:
        await action()  # type: ignore[misc]  # each action is an awaitable made by the test
    finally:
        for engine in database.sync_engines:
            sa.event.remove(engine, "before_cursor_execute", on_execute)
    return count


async def test_an_unchanged_reference_is_not_rewritten_on_every_message(store: ConversationStore, database: Database, clock: FakeClock) -> None:
    first = await store.upsert_from_activity(teams_reference(), "personal", "tenant-1", always=False)
    later = teams_reference()
    later.activity_id = "act-2"  # every message has a new id; that alone is no reason to write
    assert await _statements_during(database, lambda: store.upsert_from_activity(later, "personal", "tenant-1", always=False)) == 0
    assert await store.upsert_from_activity(later, "personal", "tenant-1", always=False) == first
    # ... but a changed serviceUrl is written at once,
    moved = teams_reference(service_url="https://smba.trafficmanager.net/amer/")
    assert await _statements_during(database, lambda: store.upsert_from_activity(moved, "personal", "tenant-1", always=False)) > 0
    stored = await store.get("msteams", "a:1Xyz-personal")
    assert stored is not None and stored.service_url.endswith("/amer/")
    # ... an unchanged one after REFRESH_AFTER,
    clock.advance(timedelta(minutes=6))
    assert await _statements_during(database, lambda: store.upsert_from_activity(moved, "personal", "tenant-1", always=False)) > 0
    # ... and always=True (installation and conversation updates) always.
    assert await _statements_during(database, lambda: store.upsert_from_activity(moved, "personal", "tenant-1")) > 0


async def test_a_conversation_marked_unreachable_is_stored_again_by_the_next_message(store: ConversationStore, clock: FakeClock) -> None:
    conversation_ref_id = await store.upsert_from_activity(teams_reference(), "personal", "tenant-1", always=False)
    assert await store.mark_unreachable(conversation_ref_id, "403 Forbidden")
    await store.upsert_from_activity(teams_reference(), "personal", "tenant-1", always=False)
    stored = await store.get("msteams", "a:1Xyz-personal")
    assert stored is not None and stored.unreachable is False


async def test_the_recent_set_is_bounded(database: Database, clock: FakeClock) -> None:
    store = ConversationStore(database, clock, recent_capacity=3)
    for n in range(5):
        await store.upsert_from_activity(teams_reference(f"a:{n}"), "personal", "tenant-1", always=False)
    assert len(store._recent) == 3
    assert ("msteams", "a:0") not in store._recent and ("msteams", "a:4") in store._recent
