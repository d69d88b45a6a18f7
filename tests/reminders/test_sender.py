"""BotFrameworkSender against the local fake connector (CloudAdapter, empty app id)."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.delivery.protocol import SendStatus
from bot.delivery.sender import THROTTLED
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs.messages import Action, Message
from tests.fakes import FakeConnector, Scripted
from tests.reminders.helpers import make_sender, store_conversation

CARD = Message(title="⏰ Påmindelse", text="Send input til KommuneMED – æøå", actions=(Action("Mine påmindelser", "mine påmindelser"),))


async def test_delivers_a_card_with_the_activity_id(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    outcome = await make_sender(database, clock).send(conversation_id, CARD)
    assert outcome.status is SendStatus.DELIVERED
    assert outcome.activity_id == "reply-1"
    [card] = connector.cards()
    assert card["version"] == "1.5"
    assert "Send input til KommuneMED – æøå" in connector.all_text()
    assert connector.sent[0]["conversation"]["tenantID"] == "tenant-1"  # botbuilder-schema spells it so


async def test_plain_text_for_channels_without_cards(
    database: Database, clock: FakeClock, connector: FakeConnector, conversations: ConversationStore
) -> None:
    from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

    reference = ConversationReference(
        channel_id="slack", service_url=connector.url, conversation=ConversationAccount(id="C1"),
        user=ChannelAccount(id="U1"), bot=ChannelAccount(id="B1"),
    )
    conversation = await conversations.upsert_from_activity(reference, "channel", None)
    outcome = await make_sender(database, clock).send(conversation, CARD)
    assert outcome.status is SendStatus.DELIVERED
    assert connector.cards() == []
    assert "Send input til KommuneMED" in connector.texts()[0]


async def test_unknown_and_unreachable_conversations(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int, conversations: ConversationStore
) -> None:
    sender = make_sender(database, clock)
    assert (await sender.send(9999, CARD)).status is SendStatus.NO_CONVERSATION
    await conversations.mark_unreachable(conversation_id, "HTTP 403")
    outcome = await sender.send(conversation_id, CARD)
    assert outcome.status is SendStatus.UNREACHABLE
    assert connector.requests == []


async def test_404_is_unreachable_too(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int, conversations: ConversationStore
) -> None:
    connector.script.append(Scripted(404))
    outcome = await make_sender(database, clock).send(conversation_id, CARD)
    assert outcome.status is SendStatus.UNREACHABLE
    stored = await conversations.get_by_id(conversation_id)
    assert stored is not None and stored.unreachable and "404" in (stored.unreachable_reason or "")


async def test_429_holds_the_conversation_until_retry_after(
    database: Database, clock: FakeClock, connector: FakeConnector, conversation_id: int
) -> None:
    sender = make_sender(database, clock)
    connector.script.append(Scripted(429, {"Retry-After": "12"}))
    outcome = await sender.send(conversation_id, CARD)
    assert outcome.status is SendStatus.RETRY_LATER
    assert outcome.retry_after == timedelta(seconds=12)
    assert outcome.detail.startswith(THROTTLED)
    # A second send during the hold does not reach the connector.
    requests = len(connector.requests)
    held = await sender.send(conversation_id, CARD)
    assert held.status is SendStatus.RETRY_LATER and held.retry_after == timedelta(seconds=12)
    assert len(connector.requests) == requests
    clock.advance(timedelta(seconds=12))
    assert (await sender.send(conversation_id, CARD)).status is SendStatus.DELIVERED


async def test_connection_errors_back_off(
    database: Database, clock: FakeClock, conversations: ConversationStore
) -> None:
    conversation = await store_conversation(conversations, "http://127.0.0.1:1/", conversation_id="a:gone")
    sender = make_sender(database, clock)
    first = await sender.send(conversation, CARD)
    second = await sender.send(conversation, CARD)
    assert first.status is SendStatus.RETRY_LATER and second.status is SendStatus.RETRY_LATER
    assert not first.detail.startswith(THROTTLED)
    assert timedelta(seconds=1) <= first.retry_after <= timedelta(seconds=2)
    assert timedelta(seconds=2) <= second.retry_after <= timedelta(seconds=4)
