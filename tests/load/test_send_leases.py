"""Send leases (bot/delivery/leases.py): one replica at a time sends into a tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.clock import FakeClock
from bot.delivery.leases import REFUSED_RETRY, SendLeases, scope_of
from bot.delivery.outbox import Outbox
from bot.delivery.protocol import SendStatus
from bot.delivery.sender import THROTTLED
from bot.reminders.models import ReminderRow
from bot.reminders.store import ReminderStore
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs.messages import Message
from tests.fakes import FakeConnector
from tests.reminders.helpers import make_sender


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await db.upgrade()
    try:
        yield db
    finally:
        await db.dispose()


async def _conversation(database: Database, clock: FakeClock, name: str, tenant: str | None, service_url: str = "http://127.0.0.1:9/") -> int:
    reference = ConversationReference(
        channel_id="msteams",
        service_url=service_url,
        conversation=ConversationAccount(id=name, conversation_type="personal", tenant_id=tenant),
        user=ChannelAccount(id="29:user"),
        bot=ChannelAccount(id="28:medbot"),
    )
    return await ConversationStore(database, clock).upsert_from_activity(reference, "personal", tenant)


async def test_one_owner_at_a_time_until_the_lease_runs_out(database: Database, clock: FakeClock) -> None:
    a = SendLeases(database, clock, "replica-a")
    b = SendLeases(database, clock, "replica-b")
    assert await a.acquire("tenant-1") is None
    assert await b.acquire("tenant-1") == REFUSED_RETRY
    # A keeps sending: with 31 s or more left nothing is written; with less it renews to +45 s.
    clock.advance(timedelta(seconds=10))
    assert await a.acquire("tenant-1") is None
    clock.advance(timedelta(seconds=10))
    assert await a.acquire("tenant-1") is None  # 25 s were left: renewed until t=65
    clock.advance(timedelta(seconds=44))
    assert await b.acquire("tenant-1") == REFUSED_RETRY  # t=64
    # A has stopped sending; its lease runs out more than 30 s after its last send, and B takes over.
    clock.advance(timedelta(seconds=2))
    assert await b.acquire("tenant-1") is None
    assert await a.acquire("tenant-1") == REFUSED_RETRY
    # Scopes are independent.
    assert await a.acquire("tenant-2") is None


async def test_release_hands_the_scope_over_at_once(database: Database, clock: FakeClock) -> None:
    a = SendLeases(database, clock, "replica-a")
    b = SendLeases(database, clock, "replica-b")
    assert await a.acquire("tenant-1") is None
    assert await a.acquire(scope_of(None, "https://smba.example/")) is None
    assert await b.acquire("tenant-1") is not None
    assert await a.release_all() == 2
    assert await b.acquire("tenant-1") is None


async def test_a_refused_send_is_throttled_and_never_reaches_the_connector(database: Database, clock: FakeClock) -> None:
    async with FakeConnector() as connector:
        conversation = await _conversation(database, clock, "a:refused", "tenant-1", connector.url)
        assert await SendLeases(database, clock, "replica-a").acquire("tenant-1") is None
        sender = make_sender(database, clock)
        sender._leases = SendLeases(database, clock, "replica-b")
        outcome = await sender.send(conversation, Message(text="hej"))
        assert outcome.status is SendStatus.RETRY_LATER
        assert outcome.detail.startswith(THROTTLED)
        assert connector.requests == []
        # The holder's sender goes through.
        holder = make_sender(database, clock)
        holder._leases = SendLeases(database, clock, "replica-a")
        assert (await holder.send(conversation, Message(text="hej"))).status is SendStatus.DELIVERED


async def test_the_outbox_leaves_a_busy_tenant_to_its_sender(database: Database, clock: FakeClock) -> None:
    busy = await _conversation(database, clock, "a:busy", "tenant-busy")
    free = await _conversation(database, clock, "a:free", "tenant-free")
    no_tenant = await _conversation(database, clock, "a:no-tenant", None, "https://smba.example/other/")
    store = ReminderStore(database, clock)
    for conversation in (busy, free, busy, no_tenant):
        await store.create(conversation, "29:user", "x", clock.now())
    a = SendLeases(database, clock, "replica-a")
    assert await a.acquire("tenant-busy") is None
    assert await a.acquire(scope_of(None, "https://smba.example/other/")) is None
    outbox = Outbox(database, ReminderRow.__table__)  # type: ignore[arg-type]  # a mapped class's __table__ is a Table
    claimed_by_b = await outbox.claim("replica-b", clock.now(), timedelta(minutes=2), 10)
    assert [row.conversation_ref_id for row in claimed_by_b] == [free]
    claimed_by_a = await outbox.claim("replica-a", clock.now(), timedelta(minutes=2), 10)
    assert sorted(row.conversation_ref_id for row in claimed_by_a) == sorted([busy, busy, no_tenant])
