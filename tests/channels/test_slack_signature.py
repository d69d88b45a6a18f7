"""The v0 signature check: HMAC-SHA256, 5-minute window on the injected clock,
constant-time compare."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.slack.signature import SlackRequestVerifier, SlackSignatureError
from tests.channels.slack_payloads import SIGNING_SECRET, sign

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
BODY = b'{"type":"event_callback","event":{"type":"message","text":"hej \xc3\xa6\xc3\xb8\xc3\xa5"}}'


def verifier() -> tuple[SlackRequestVerifier, FakeClock]:
    clock = FakeClock(NOW)
    return SlackRequestVerifier(SIGNING_SECRET, clock), clock


def now_ts() -> int:
    return int(NOW.timestamp())


def test_a_correctly_signed_request_passes() -> None:
    v, _ = verifier()
    v.verify(BODY, sign(BODY, now_ts()))


def test_slacks_documented_example_signature() -> None:
    # The example from Slack's "Verifying requests from Slack" guide.
    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    clock = FakeClock(datetime.fromtimestamp(1531420618, tz=UTC))
    SlackRequestVerifier(secret, clock).verify(
        body,
        {
            "X-Slack-Request-Timestamp": "1531420618",
            "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        },
    )


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing signature headers"),
        ({"X-Slack-Request-Timestamp": str(now_ts())}, "missing signature headers"),
        ({"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"}, "malformed timestamp"),
        ({"X-Slack-Request-Timestamp": str(now_ts()), "X-Slack-Signature": "v0=" + "0" * 64}, "signature mismatch"),
        ({"X-Slack-Request-Timestamp": str(now_ts()), "X-Slack-Signature": "garbage"}, "signature mismatch"),
    ],
)
def test_missing_malformed_or_wrong_signatures_are_refused(headers: dict[str, str], reason: str) -> None:
    v, _ = verifier()
    with pytest.raises(SlackSignatureError) as info:
        v.verify(BODY, headers)
    assert info.value.reason == reason


def test_another_secret_or_another_body_fails() -> None:
    v, _ = verifier()
    with pytest.raises(SlackSignatureError):
        v.verify(BODY, sign(BODY, now_ts(), secret="someone-else"))
    with pytest.raises(SlackSignatureError):
        v.verify(BODY + b" ", sign(BODY, now_ts()))


@pytest.mark.parametrize("offset", [timedelta(minutes=5, seconds=1), timedelta(hours=3), -timedelta(minutes=5, seconds=1)])
def test_timestamps_outside_five_minutes_are_refused(offset: timedelta) -> None:
    v, _ = verifier()
    ts = int((NOW - offset).timestamp())
    with pytest.raises(SlackSignatureError) as info:
        v.verify(BODY, sign(BODY, ts))
    assert "5-minute" in info.value.reason


def test_the_window_follows_the_injected_clock() -> None:
    v, clock = verifier()
    headers = sign(BODY, now_ts())
    clock.advance(timedelta(minutes=5))
    v.verify(BODY, headers)  # exactly five minutes: still accepted
    clock.advance(timedelta(seconds=1))
    with pytest.raises(SlackSignatureError):
        v.verify(BODY, headers)


def test_header_names_are_case_insensitive() -> None:
    v, _ = verifier()
    v.verify(BODY, {k.lower(): val for k, val in sign(BODY, now_ts()).items()})


def test_the_compare_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    v, _ = verifier()
    headers = sign(BODY, now_ts())
    v.verify(BODY, headers)
    assert calls and calls[-1][1] == headers["X-Slack-Signature"]


def test_a_body_that_is_not_utf8_is_refused() -> None:
    v, _ = verifier()
    body = b"\xff\xfe"
    with pytest.raises(SlackSignatureError):
        v.verify(body, sign(body, now_ts()))


def test_sign_produces_what_slack_sends() -> None:
    v, _ = verifier()
    assert v.sign(str(now_ts()), BODY) == sign(BODY, now_ts())["X-Slack-Signature"]
