"""POST real Teams activity JSON to /api/messages; replies arrive on a fake connector."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from dialogs import texts
from tests.activities import installation_update, teams_bot_added, teams_channel_mention, teams_message
from tests.bot.openid import LocalOpenId
from tests.harness.teams_http import make_settings, running_bot


async def test_healthz(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        response = await h.client.get("/healthz")
        assert response.status == 200
        assert (await response.json())["status"] == "ok"


async def test_question_in_personal_chat_gets_a_card_with_source(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        status = await h.post(teams_message(h.connector.url, "hvad er en amr"))
        assert status == 201
        cards = h.connector.cards()
        assert len(cards) == 1
        card = cards[0]
        assert card["version"] == "1.5"
        flat = h.connector.all_text().lower()
        assert "arbejdsmiljø" in flat
        assert "kilde:" in flat
        # The reply goes to the conversation the message came from.
        assert h.connector.sent[0]["_conversation_id"] == "a:1personal-chat-id"


async def test_channel_mention_is_stripped(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        await h.post(teams_channel_mention(h.connector.url, "hvad er en AMR?"))
        with_mention = h.connector.all_text()
        h.connector.clear()
        await h.post(teams_message(h.connector.url, "hvad er en AMR?"))
        assert with_mention == h.connector.all_text()
        assert "<at>" not in with_mention


async def test_bot_added_to_team_says_welcome_once(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        assert await h.post(teams_bot_added(h.connector.url)) == 201
        # A team channel: the welcome says to @mention the bot there.
        assert h.connector.said() == [texts.WELCOME_GROUP]
        await h.post(installation_update(h.connector.url, conversation_id="19:abc@thread.tacv2"))
        assert h.connector.said() == [texts.WELCOME_GROUP]


async def test_simultaneous_install_events_welcome_once(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        statuses = await asyncio.gather(
            h.post(installation_update(h.connector.url)),
            h.post(teams_bot_added(h.connector.url, conversation_id="a:1personal-chat-id", conversation_type="personal")),
        )
        assert statuses == [201, 201]
        assert h.connector.said() == [texts.WELCOME]


async def test_conversation_reference_is_stored_and_refreshed(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        await h.post(teams_message(h.connector.url, "hej"))
        stored = await h.runtime.conversations.get("msteams", "a:1personal-chat-id")
        assert stored is not None
        assert stored.reference.service_url == h.connector.url
        assert stored.tenant_id
        moved = teams_message("http://127.0.0.1:1/moved/", "hej igen")
        moved_status = await h.post(moved)
        assert moved_status in (201, 500)  # the reply cannot be delivered, but the reference is refreshed
        stored = await h.runtime.conversations.get("msteams", "a:1personal-chat-id")
        assert stored is not None and stored.reference.service_url == "http://127.0.0.1:1/moved/"


async def test_empty_and_too_long_messages_get_polite_answers(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        await h.post(teams_message(h.connector.url, "   "))
        assert h.connector.said() == [texts.EMPTY_MESSAGE]
        h.connector.clear()
        await h.post(teams_message(h.connector.url, "a" * 10_000))
        assert h.connector.said() == [texts.too_long(h.runtime.settings.max_message_chars)]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"text": "no type"}', "application/json", 400),
        (b'{"type": "message", "text": "hej", "conversation": {"id": "x"}}', "application/json", 400),
        (b"type=message", "application/x-www-form-urlencoded", 415),
    ],
)
async def test_malformed_requests_are_rejected_clearly(tmp_path: Path, botframework: str, body: bytes, content_type: str, status: int) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        response = await h.client.post("/api/messages", data=body, headers={"Content-Type": content_type})
        assert response.status == status
        assert "error" in await response.json()
        assert h.connector.sent == []


async def test_oversized_body_is_rejected(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework, max_body_bytes=10_000)) as h:
        activity = teams_message(h.connector.url, "x" * 20_000)
        assert await h.post(activity) == 413
        assert h.connector.sent == []


async def test_unknown_activity_type_is_ignored_without_error(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        activity = teams_message(h.connector.url, "hej")
        activity["type"] = "somethingNew"
        assert await h.post(activity) == 201
        assert h.connector.sent == []


async def test_off_topic_question_falls_back_and_is_logged(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        await h.post(teams_message(h.connector.url, "hvornår har kantinen åbent"))
        said = h.connector.all_text()
        assert texts.FALLBACK_UNKNOWN in said
        logged = await h.runtime.unanswered.list()
        assert [q.text for q in logged] == ["hvornår har kantinen åbent"]


async def test_related_question_button_answers_that_entry(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        await h.post(teams_message(h.connector.url, "hvad er en amr"))
        action = h.connector.cards()[0]["actions"][0]
        h.connector.clear()
        await h.post(teams_message(h.connector.url, "", value=action["data"]))
        card = h.connector.cards()[0]
        assert card["body"][0]["text"] == action["title"]


async def test_flood_from_one_user_is_throttled_politely(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework, user_rate_per_minute=3)) as h:
        for _ in range(4):
            await h.post(teams_message(h.connector.url, "hej"))
        assert h.connector.said()[-1] == texts.RATE_LIMITED
        h.clock.advance(timedelta(seconds=60))
        await h.post(teams_message(h.connector.url, "hej"))
        assert h.connector.said()[-1] == texts.GREETING


async def test_with_app_id_only_correctly_signed_tokens_are_accepted(tmp_path: Path, botframework: str) -> None:
    app_id = "00000000-0000-0000-0000-000000000001"
    with LocalOpenId() as openid:
        settings = make_settings(tmp_path, botframework=botframework, app_id=app_id, app_password="secret", openid_metadata_url=openid.url)
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            assert await h.post(activity) == 401  # no token at all
            other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            forged = openid.token(app_id, h.connector.url, key=other_key)
            assert await h.post(activity, headers={"Authorization": f"Bearer {forged}"}) == 401
            wrong_audience = openid.token("someone-else", h.connector.url)
            assert await h.post(activity, headers={"Authorization": f"Bearer {wrong_audience}"}) == 401
            assert await h.runtime.conversations.get("msteams", "a:1personal-chat-id") is None

            valid = openid.token(app_id, h.connector.url)
            assert await h.post(activity, headers={"Authorization": f"Bearer {valid}"}) == 201
            # The turn ran (its conversation was recorded). Its reply needs a token from
            # Azure AD for the outbound call, which this machine cannot reach.
            assert await h.runtime.conversations.get("msteams", "a:1personal-chat-id") is not None


async def test_without_app_id_unauthenticated_local_traffic_is_accepted(tmp_path: Path, botframework: str) -> None:
    async with running_bot(make_settings(tmp_path, botframework=botframework)) as h:
        assert not h.runtime.settings.auth_enabled
        assert await h.post(teams_message(h.connector.url, "hjælp")) == 201
        assert h.connector.said() == [texts.HELP]
