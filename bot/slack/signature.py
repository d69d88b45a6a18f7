"""Verifying that a request really comes from Slack (the ``v0`` signature).

Slack signs ``v0:{X-Slack-Request-Timestamp}:{raw body}`` with the app's signing
secret (HMAC-SHA256). A request is accepted only when the timestamp is within five
minutes of the injected clock (so a captured request cannot be replayed later) and
the signature matches under a constant-time compare (slack-sdk's
:class:`~slack_sdk.signature.SignatureVerifier`, which uses ``hmac.compare_digest``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from slack_sdk.signature import SignatureVerifier

from bot.clock import Clock

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
MAX_AGE = timedelta(minutes=5)
# Seconds since the epoch: 10 digits until the year 2286. Longer is not a timestamp (and a
# 400-digit one overflowed the float comparison below: HTTP 500).
MAX_TIMESTAMP_DIGITS = 12


class SlackSignatureError(Exception):
    """The request is not signed by Slack, or not recently enough."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _EpochClock:
    """slack-sdk's clock interface (seconds since the epoch) on our injected clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock.now().timestamp()


class SlackRequestVerifier:
    def __init__(self, signing_secret: str, clock: Clock) -> None:
        self._clock = clock
        self._verifier = SignatureVerifier(signing_secret, clock=_EpochClock(clock))  # type: ignore[arg-type]  # slack-sdk asks for its Clock class; any object with now() does

    def sign(self, timestamp: str, body: bytes) -> str:
        """The signature Slack would send (used by tests and tools)."""
        return self._verifier.generate_signature(timestamp=timestamp, body=body) or ""

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Raise :class:`SlackSignatureError` unless the request is signed and fresh."""
        lowered = {k.lower(): v for k, v in headers.items()}
        timestamp = lowered.get(TIMESTAMP_HEADER.lower())
        signature = lowered.get(SIGNATURE_HEADER.lower())
        if not timestamp or not signature:
            raise SlackSignatureError("missing signature headers")
        # ASCII digits only: int() would also take " 12", "1_2", "+12" and other scripts' digits.
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS):
            raise SlackSignatureError("malformed timestamp")
        sent = int(timestamp)
        if abs(self._clock.now().timestamp() - sent) > MAX_AGE.total_seconds():
            raise SlackSignatureError("timestamp outside the 5-minute window")
        try:
            valid = self._verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except UnicodeDecodeError as exc:
            raise SlackSignatureError("body is not UTF-8") from exc
        if not valid:
            raise SlackSignatureError("signature mismatch")
