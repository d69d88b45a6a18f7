"""The per-turn speed-ups stay exact (see bot/botframework/fast_json.py, bot/botframework/transport.py, bot/storage/db.py).

* :class:`~bot.botframework.fast_json.FastSerializer` sends the very JSON msrest would, for every kind
  of activity the bot sends (and falls back to msrest for what it does not cover);
* a stored conversation reference reads back as the very model msrest would build
  (:func:`~bot.storage.reference_json.read_model`), msrest itself reading what the
  fast path does not cover;
* the cached connector clients send through the shared aiohttp session, with the bot's
  bearer token, and their HTTP errors still drive the proactive sender's decisions
  (429 + Retry-After, 403, 502, no connection);
* the session is closed with the runtime;
* on a SQLite file the sessions of one process take turns on one connection, and a
  session opened inside another does not deadlock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiohttp import web
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    Mention,
)
from botframework.connector import models as connector_models
from msrest import Serializer

from bot.botframework.fast_json import FastSerializer, Unsupported, model_to_json
from bot.botframework.transport import ConnectorHttp, CredentialsPolicy, SharedSessionSender
from bot.clock import FakeClock
from bot.delivery.protocol import SendStatus
from bot.delivery.sender import THROTTLED, BotFrameworkSender, _header, _status_code
from bot.delivery.tenant import settle_tenant
from bot.runtime import Runtime, build_runtime
from bot.storage import reference_json
from bot.storage.db import Database
from dialogs import qa
from dialogs.activities import to_activity
from dialogs.deps import DialogDeps
from dialogs.reminder_messages import reminder_message
from dialogs.start import greeting_message, help_message, welcome_message
from knowledge.kb import KnowledgeBase
from knowledge.profiles import load_profile
from knowledge.search import Searcher
from tests.activities import installation_update, teams_bot_added, teams_channel_mention, teams_message
from tests.fakes import FakeConnector, Scripted
from tests.harness.teams_http import make_settings
from tests.reminders.helpers import store_conversation

DEPENDENCIES = {k: v for k, v in connector_models.__dict__.items() if isinstance(v, type)}
CHANNELS = ("msteams", "slack", "webchat", "console", "emulator")


def _corpus() -> list[Activity]:
    kb = KnowledgeBase.load()
    deps = DialogDeps(kb=kb, searcher=Searcher(kb), profile=load_profile("albertslund"), unanswered=None, clock=FakeClock(dt.datetime(2026, 1, 5, tzinfo=dt.UTC)))  # type: ignore[arg-type]  # no unanswered log is needed here
    messages = [qa.entry_message(entry, deps) for entry in kb]
    messages += [qa.fallback_message(deps.searcher.search("hvornår har kantinen åbent"))]
    messages += [welcome_message(), help_message(), greeting_message()]
    messages += [reminder_message("sende input til KommuneMED – æøå", dt.datetime(2026, 11, 24, 8, tzinfo=dt.UTC))]
    activities = [to_activity(message, channel) for message in messages for channel in CHANNELS]

    mention = MessageFactory.text("<at>Mette</at> hej")
    mention.entities = [Mention(mentioned=ChannelAccount(id="29:x", name="Mette"), text="<at>Mette</at>", type="mention")]
    mention.timestamp = dt.datetime(2026, 11, 24, 9, 0, 1, 250000, tzinfo=dt.UTC)
    mention.local_timestamp = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    mention.channel_data = {"tenant": {"id": "t"}, "list": [1, 2.5, True, None, "x"], "nested": {"a": {"b": []}}}
    mention.from_property = ChannelAccount(id="28:bot", name="MED-bot")
    mention.recipient = ChannelAccount(id="29:user", name="Mette", aad_object_id="aad")
    mention.conversation = ConversationAccount(id="a:1", tenant_id="t", conversation_type="personal", is_group=False)
    mention.reply_to_id = "1:abc"
    mention.service_url = "https://smba.example/emea/"
    mention.channel_id = "msteams"
    mention.locale = "da-DK"
    activities.append(mention)
    activities.append(Activity(type=ActivityTypes.typing))
    activities.append(Activity(type=ActivityTypes.message, text="", attachments=[Attachment(content_type="text/plain", content="x")]))
    activities.append(Activity(type="message", value={"action": "ja", "n": 1}, text=None, input_hint="acceptingInput"))
    return activities


def test_fast_serializer_sends_what_msrest_sends() -> None:
    corpus = _corpus()
    assert len(corpus) > 100
    fast = FastSerializer(DEPENDENCIES)
    for activity in corpus:
        expected = Serializer(DEPENDENCIES).body(activity, "Activity")
        assert model_to_json(activity) == expected, activity
        assert fast.body(activity, "Activity") == expected, activity


def test_what_the_fast_path_does_not_cover_goes_to_msrest() -> None:
    activity = MessageFactory.text("hej")
    activity.from_property = {"id": "28:bot", "name": "MED-bot"}  # a dict where a model belongs
    with pytest.raises(Unsupported):
        model_to_json(activity)
    assert FastSerializer(DEPENDENCIES).body(activity, "Activity") == Serializer(DEPENDENCIES).body(activity, "Activity")
    odd = MessageFactory.text("hej")
    odd.channel_data = {"when": dt.date(2026, 1, 5), "span": dt.timedelta(minutes=5)}
    with pytest.raises(Unsupported):
        model_to_json(odd)
    assert FastSerializer(DEPENDENCIES).body(odd, "Activity") == Serializer(DEPENDENCIES).body(odd, "Activity")


def test_a_reference_serialises_as_msrest_does() -> None:
    reference = ConversationReference(
        activity_id="1", user=ChannelAccount(id="29:u", name="Mette"), bot=ChannelAccount(id="28:b"),
        conversation=ConversationAccount(id="a:1", tenant_id="t"), channel_id="msteams", locale="da-DK",
        service_url="https://smba.example/",
    )
    assert model_to_json(reference) == reference.serialize()


def _stored_references() -> list[dict[str, Any]]:
    """Reference documents as the conversation store keeps them, from Teams and Slack JSON."""
    url = "https://smba.example/emea/"
    incoming = [
        teams_message(url, "hej"),
        teams_message(url, "hej", conversation_type="groupChat", conversation_id="19:group@thread.v2"),
        teams_channel_mention(url, "hvornår er der møde?"),
        teams_bot_added(url),
        installation_update(url),
        {"type": "message", "id": "1", "channelId": "slack", "serviceUrl": "https://slack.botframework.com/",
         "from": {"id": "U1:T1", "name": "mette"}, "recipient": {"id": "B1:T1", "name": "medbot"},
         "conversation": {"id": "B1:T1:D1", "isGroup": False}, "text": "hej"},
    ]
    documents = []
    for body in incoming:
        activity = Activity().deserialize(body)
        settle_tenant(activity)
        documents.append(dict(TurnContext.get_conversation_reference(activity).serialize()))
    documents.append({
        "user": {"id": "29:u", "name": "Mette", "properties": {"a": [1, 2.5, True, None, "x", {"b": {}}]}, "role": "user"},
        "bot": {"id": "28:b"}, "conversation": {"id": "a:1", "isGroup": True, "tenantID": "t", "properties": None},
        "channelId": "msteams", "serviceUrl": "https://smba.example/", "activityId": None,
    })
    return documents


def test_a_stored_reference_reads_back_as_msrest_reads_it() -> None:
    documents = _stored_references()
    assert any(document["conversation"].get("tenantID") for document in documents)
    for document in documents:
        expected = ConversationReference.deserialize(document)
        fast = reference_json.model_from_json(ConversationReference, document)
        assert fast == expected, document
        assert fast.conversation == expected.conversation and fast.user == expected.user, document
        assert fast.serialize() == expected.serialize()
    # Nothing is shared between two reads (a send may change its own reference).
    first, second = (reference_json.model_from_json(ConversationReference, documents[-1]) for _ in range(2))
    assert first.user is not second.user and first.user.properties is not second.user.properties


@pytest.mark.parametrize(
    "odd",
    [
        {"conversation": {"id": "a:1"}, "channelId": "msteams", "extra": "kept by msrest"},  # a key the model lacks
        {"conversation": {"id": "a:1", "isGroup": "true"}, "channelId": "msteams"},  # a string where a bool belongs
        {"conversation": {"id": 17}, "channelId": "msteams"},  # a number where a string belongs
        {"conversation": "a:1", "channelId": "msteams"},  # a string where a model belongs
        {"user": {"id": "29:u", "unknown": 1}, "channelId": "msteams"},
    ],
)
def test_what_the_fast_read_does_not_cover_goes_to_msrest(odd: dict[str, Any]) -> None:
    with pytest.raises(reference_json.Unsupported):
        reference_json.model_from_json(ConversationReference, odd)
    try:
        expected = ConversationReference.deserialize(odd)
    except Exception as exc:  # noqa: BLE001 - msrest's own error is the expected outcome then
        with pytest.raises(type(exc)):
            reference_json.read_model(ConversationReference, odd)
        return
    assert reference_json.read_model(ConversationReference, odd) == expected


# -- the connector transport --------------------------------------------------------


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    clock = FakeClock(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
    runtime = build_runtime(make_settings(tmp_path), clock=clock)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.close()


def _sender(runtime: Runtime) -> BotFrameworkSender:
    return BotFrameworkSender(runtime.adapter, runtime.conversations, runtime.clock)


async def test_proactive_sends_use_the_shared_session_and_fast_serializer(runtime: Runtime) -> None:
    botframework = runtime.botframework
    async with FakeConnector() as connector:
        conversation = await store_conversation(runtime.conversations, connector.url)
        for n in range(3):
            outcome = await _sender(runtime).send(conversation, reminder_message(f"punkt {n}", runtime.clock.now()))
            assert outcome.status is SendStatus.DELIVERED
        assert len(connector.sent) == 3
        clients = botframework.connector_clients()
        assert len(clients) == 1  # one client, kept across the sends
        session = botframework.http_session
        assert session is not None
        assert isinstance(clients[0].conversations._serialize, FastSerializer)
        assert isinstance(clients[0].config.pipeline._sender, SharedSessionSender)
    await runtime.close()
    assert botframework.http_session is None and session.closed


@pytest.mark.parametrize(
    ("scripted", "status", "throttled"),
    [
        (Scripted(429, {"Retry-After": "7"}), SendStatus.RETRY_LATER, True),
        (Scripted(502), SendStatus.RETRY_LATER, False),
        (Scripted(403), SendStatus.UNREACHABLE, False),
    ],
)
async def test_http_errors_still_drive_the_sender(runtime: Runtime, scripted: Scripted, status: SendStatus, throttled: bool) -> None:
    async with FakeConnector() as connector:
        conversation = await store_conversation(runtime.conversations, connector.url)
        connector.script.append(scripted)
        outcome = await _sender(runtime).send(conversation, reminder_message("x", runtime.clock.now()))
        assert outcome.status is status
        assert outcome.detail.startswith(THROTTLED) is throttled
        if scripted.status == 429:
            assert outcome.retry_after == dt.timedelta(seconds=7)
        assert connector.sent == []


async def test_no_connection_is_a_retry(runtime: Runtime) -> None:
    conversation = await store_conversation(runtime.conversations, "http://127.0.0.1:9/")  # discard port: refused
    outcome = await _sender(runtime).send(conversation, reminder_message("x", runtime.clock.now()))
    assert outcome.status is SendStatus.RETRY_LATER
    assert not outcome.detail.startswith(THROTTLED)


class _Credentials:
    """What the SDK's AppCredentials does in signed_session: set or drop the header."""

    def __init__(self, token: str | None) -> None:
        self.token = token

    def signed_session(self, session: Any) -> Any:
        if self.token:
            session.headers["Authorization"] = f"Bearer {self.token}"
        else:
            session.headers.pop("Authorization", None)
        return session


async def test_the_bearer_token_travels_with_each_request() -> None:
    seen: list[str | None] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization"))
        return web.json_response({"id": "reply-1"})

    app = web.Application()
    app.router.add_post("/v3/conversations/{cid}/activities/{aid}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # the site is started, so it has a server
    http = ConnectorHttp()
    try:
        from botframework.connector.aio import ConnectorClient

        for token in ("abc", None):
            client = http.adopt(ConnectorClient(_Credentials(token), base_url=f"http://127.0.0.1:{port}/"))
            assert any(isinstance(p, CredentialsPolicy) for p in client.config.pipeline._impl_policies)
            response = await client.conversations.reply_to_activity("a:1", "1", MessageFactory.text("hej"))
            assert response.id == "reply-1"
        assert seen == ["Bearer abc", None]
    finally:
        await http.close()
        await runner.cleanup()


async def _capture_server(responses: list[tuple[int, dict[str, str], bytes]]) -> tuple[web.AppRunner, int, list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append({
            "method": request.method,
            "path": request.raw_path,
            "headers": {k: v for k, v in request.headers.items() if k.lower() not in ("host", "accept-encoding", "connection")},
            "body": await request.read(),
        })
        status, headers, body = responses[(len(seen) - 1) % len(responses)]
        return web.Response(status=status, headers=headers, body=body)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1], seen  # type: ignore[union-attr]  # the site is started, so it has a server


def _normalised(headers: dict[str, str]) -> dict[str, str]:
    # aiohttp and requests differ only in the transport headers they add of their own.
    return {k.lower(): v for k, v in headers.items() if k.lower() not in ("accept-encoding", "connection", "content-length")}


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (200, {"Content-Type": "application/json; charset=utf-8"}, b'{"id": "1:reply"}'),
        (201, {"Content-Type": "application/json"}, b'{"id": "2"}'),
        (202, {}, b""),
        (429, {"Retry-After": "7", "Content-Type": "application/json"}, b'{"error": {"code": "Throttled", "message": "slow down"}}'),
        (403, {"Content-Type": "text/plain"}, b"Forbidden"),
        (502, {}, b""),
    ],
)
async def test_fast_conversation_operations_send_and_answer_as_the_stock_ones(status: int, headers: dict[str, str], body: bytes) -> None:
    from botframework.connector.aio import ConnectorClient

    from bot.botframework.transport import FastConversationsOperations

    runner, port, seen = await _capture_server([(status, headers, body)])
    http = ConnectorHttp()
    activity = to_activity(welcome_message(), "msteams")
    activity.conversation = ConversationAccount(id="19:abc@thread.tacv2;messageid=1/2")
    calls = [
        lambda ops: ops.reply_to_activity("19:abc@thread.tacv2;messageid=1/2", "1:x/y ?", activity),
        lambda ops: ops.send_to_conversation("a:1ø", activity),
    ]
    try:
        for call in calls:
            outcomes = []
            for fast in (False, True):
                client = ConnectorClient(_Credentials("tok"), base_url=f"http://127.0.0.1:{port}/emea/")
                if fast:
                    client = http.adopt(client)
                    assert isinstance(client.conversations, FastConversationsOperations)
                try:
                    result = await call(client.conversations)
                    outcomes.append(("ok", result.serialize() if result is not None else None))
                except connector_models.ErrorResponseException as error:
                    # what the proactive sender reads of an error (requests' or aiohttp's response)
                    outcomes.append(("error", str(error), _status_code(error), _header(error, "Retry-After")))
                except Exception as error:  # noqa: BLE001 - whatever the stock path raises, the fast one must too
                    outcomes.append(("raised", type(error).__name__, str(error)))
            assert outcomes[0] == outcomes[1]
            stock, fast_request = seen[-2], seen[-1]
            assert fast_request["method"] == stock["method"] == "POST"
            assert fast_request["path"] == stock["path"] and stock["path"].startswith("/emea/v3/conversations/")
            assert _normalised(fast_request["headers"]) == _normalised(stock["headers"])
            assert fast_request["headers"]["Authorization"] == "Bearer tok"
            assert fast_request["body"] == stock["body"]
    finally:
        await http.close()
        await runner.cleanup()


# -- SQLite sessions take turns -------------------------------------------------------


async def test_sqlite_sessions_take_turns_and_nesting_does_not_deadlock(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'turns.sqlite3'}")
    try:
        async with database.session() as session:
            await session.execute(sa.text("CREATE TABLE t (n INTEGER)"))
        inside = 0
        most = 0

        async def unit(n: int) -> None:
            nonlocal inside, most
            async with database.session() as session:
                inside += 1
                most = max(most, inside)
                await session.execute(sa.text("INSERT INTO t VALUES (:n)"), {"n": n})
                await asyncio.sleep(0)  # a yield inside the unit of work, no waiting on time
                async with database.session() as nested:  # e.g. a check made inside a transaction
                    await nested.execute(sa.text("SELECT count(*) FROM t"))
                inside -= 1

        await asyncio.wait_for(asyncio.gather(*(unit(n) for n in range(20))), timeout=30)  # a bound, not a pause
        assert most == 1
        async with database.session() as session:
            assert (await session.execute(sa.text("SELECT count(*) FROM t"))).scalar_one() == 20
    finally:
        await database.dispose()
