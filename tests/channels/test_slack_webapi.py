"""Pacing per channel and the mapping of Slack's errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.slack.webapi import ChannelPacer, SlackChannelUnreachable, SlackRateLimited, SlackWebApi
from tests.channels.fake_slack import FakeSlackApi, rate_limited, slack_error
from tests.harness.chat import START
from tests.harness.slack_http import SleepRecorder


def test_a_burst_goes_at_once_then_one_per_interval_per_channel() -> None:
    clock = FakeClock(START)
    pacer = ChannelPacer(clock, SleepRecorder(clock), interval=timedelta(seconds=1), burst=3)
    assert [pacer.reserve("C1") for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]
    assert pacer.reserve("C2") == 0.0  # other channels are not held up
    clock.advance(timedelta(seconds=10))
    assert pacer.reserve("C1") == 0.0


async def test_429_beyond_the_longest_wait_is_raised_with_retry_after() -> None:
    clock = FakeClock(START)
    sleep = SleepRecorder(clock)
    async with FakeSlackApi() as slack:
        api = SlackWebApi("xoxb-test", slack.base_url, clock, sleep=sleep, max_rate_limit_wait=timedelta(seconds=30))
        try:
            slack.script.append(rate_limited(120))
            with pytest.raises(SlackRateLimited) as info:
                await api.post_message("C1", "hej")
            assert info.value.retry_after == timedelta(seconds=120)
            assert 120 not in sleep.slept
            slack.script.append(rate_limited(3))
            result = await api.post_message("C1", "hej")
            assert result.ts and 3 in sleep.slept
            slack.script.append(slack_error("channel_not_found"))
            with pytest.raises(SlackChannelUnreachable):
                await api.post_message("C404", "hej")
        finally:
            await api.close()


async def test_network_errors_are_retried_then_raised() -> None:
    clock = FakeClock(START)
    api = SlackWebApi("xoxb-test", "http://127.0.0.1:9/api/", clock, sleep=SleepRecorder(clock), max_attempts=2)
    try:
        with pytest.raises(Exception) as info:
            await api.post_message("C1", "hej")
        assert getattr(info.value, "error", "") == "network"
    finally:
        await api.close()
