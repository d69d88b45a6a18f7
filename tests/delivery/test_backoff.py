"""The one back-off of every outbox: the sender's wait when it names one, else doubling, capped."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.backoff import retry_delay

BASE = timedelta(seconds=30)
CAP = timedelta(hours=6)


def test_the_senders_wait_is_followed() -> None:
    assert retry_delay(1, timedelta(seconds=90), base=BASE, cap=CAP) == timedelta(seconds=90)
    assert retry_delay(7, timedelta(seconds=2), base=BASE, cap=CAP) == timedelta(seconds=2)


def test_without_one_the_wait_doubles_per_failed_attempt_up_to_the_cap() -> None:
    waits = [retry_delay(n, None, base=BASE, cap=CAP) for n in range(1, 12)]
    assert waits[:4] == [BASE, BASE * 2, BASE * 4, BASE * 8]
    assert waits[-1] == CAP and max(waits) == CAP
    assert retry_delay(0, None, base=BASE, cap=CAP) == BASE  # a throttled row counts no failure
    assert retry_delay(10_000, None, base=BASE, cap=CAP) == CAP
