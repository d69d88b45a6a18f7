"""The bot's calls to Slack's Web API, paced and retried.

All replies and proactive messages go through :class:`SlackWebApi`, which wraps
slack-sdk's :class:`~slack_sdk.web.async_client.AsyncWebClient` (``base_url`` is
injectable, so tests point it at a fake Slack on 127.0.0.1) and adds:

* pacing per channel: Slack allows about one message per second per channel with
  short bursts (a GCRA bucket: ``burst`` messages at once, then one per ``interval``);
* 429 handling: wait ``Retry-After`` (when short enough and ``wait_on_rate_limit``)
  and try again, else raise :class:`SlackRateLimited` carrying ``retry_after``;
* retries with backoff and jitter for 5xx and network errors;
* specific exceptions for a channel the bot cannot reach any more.

Time comes from the injected clock and waiting from the injected ``sleep``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

# Errors that mean this conversation cannot be written to (bot removed, channel gone).
UNREACHABLE_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "user_disabled",
        "restricted_action",
        "team_access_not_granted",
        "cannot_dm_bot",
    }
)
# Errors worth another try later.
TRANSIENT_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})

DEFAULT_RETRY_AFTER = timedelta(seconds=30)


class SlackApiFailure(Exception):
    """A Web API call did not succeed. ``error`` is Slack's error code."""

    def __init__(self, error: str, *, retry_after: timedelta | None = None, status: int | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.retry_after = retry_after
        self.status = status

    @property
    def transient(self) -> bool:
        return self.error in TRANSIENT_ERRORS or (self.status or 0) >= 500 or self.error == "network"


class SlackRateLimited(SlackApiFailure):
    """429 from Slack, not retried here; try again after ``retry_after``."""


class SlackChannelUnreachable(SlackApiFailure):
    """The bot can no longer post in this channel (removed, archived, user deactivated)."""


class ChannelPacer:
    """GCRA rate limit per channel: ``burst`` messages at once, then one per ``interval``."""

    def __init__(self, clock: Clock, sleep: Sleep, interval: timedelta, burst: int, max_channels: int = 10_000) -> None:
        self._clock = clock
        self._sleep = sleep
        self._interval = interval
        self._tolerance = interval * max(burst - 1, 0)
        self._max_channels = max_channels
        self._tat: OrderedDict[str, datetime] = OrderedDict()

    def reserve(self, channel: str) -> float:
        """Take the channel's next slot; return how many seconds to wait for it."""
        now = self._clock.now()
        tat = max(self._tat.pop(channel, now), now)
        wait = (tat - self._tolerance - now).total_seconds()
        self._tat[channel] = tat + self._interval
        while len(self._tat) > self._max_channels:
            self._tat.popitem(last=False)
        return max(wait, 0.0)

    async def wait(self, channel: str) -> None:
        delay = self.reserve(channel)
        if delay > 0:
            log.debug("pacing channel %s for %.2fs", channel, delay)
            await self._sleep(delay)


@dataclass(frozen=True)
class PostResult:
    channel: str
    ts: str


def _retry_after(error: SlackApiError) -> timedelta:
    headers = getattr(error.response, "headers", None) or {}
    raw = None
    for key, value in dict(headers).items():
        if str(key).lower() == "retry-after":
            raw = value
    try:
        return timedelta(seconds=max(int(str(raw).strip()), 1))
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


def _failure(error: SlackApiError) -> SlackApiFailure:
    status = getattr(error.response, "status_code", None)
    data = getattr(error.response, "data", None)
    code = str(data.get("error")) if isinstance(data, dict) and data.get("error") else f"http_{status}"
    if status == 429 or code == "ratelimited":
        return SlackRateLimited("ratelimited", retry_after=_retry_after(error), status=status)
    if code in UNREACHABLE_ERRORS:
        return SlackChannelUnreachable(code, status=status)
    return SlackApiFailure(code, status=status)


class SlackWebApi:
    """One per process (built by the composition root); owns its HTTP session."""

    def __init__(
        self,
        token: str,
        base_url: str,
        clock: Clock,
        *,
        sleep: Sleep = asyncio.sleep,
        interval: timedelta = timedelta(seconds=1),
        burst: int = 3,
        max_attempts: int = 3,
        max_rate_limit_wait: timedelta = timedelta(seconds=30),
        timeout_seconds: int = 10,
    ) -> None:
        self._token = token
        self._base_url = base_url
        self._sleep = sleep
        self._pacer = ChannelPacer(clock, sleep, interval, burst)
        self._max_attempts = max(max_attempts, 1)
        self._max_rate_limit_wait = max_rate_limit_wait
        self._timeout = timeout_seconds
        self._session: aiohttp.ClientSession | None = None
        self._client: AsyncWebClient | None = None

    @property
    def base_url(self) -> str:
        return self._base_url

    def _web(self) -> AsyncWebClient:
        if self._client is None or self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
            self._client = AsyncWebClient(
                token=self._token,
                base_url=self._base_url,
                session=self._session,
                timeout=self._timeout,
                retry_handlers=[],  # retries are ours: paced, bounded, on the injected clock
            )
        return self._client

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        self._client = None

    async def _call(self, method: str, channel: str, wait_on_rate_limit: bool, **kwargs: Any) -> dict[str, Any]:
        attempt = 0
        while True:
            attempt += 1
            await self._pacer.wait(channel or method)
            try:
                body = {"channel": channel, **kwargs} if channel else dict(kwargs)
                response = await self._web().api_call(method, json=body)
                return dict(response.data) if isinstance(response.data, dict) else {}
            except SlackApiError as exc:
                failure = _failure(exc)
            except (TimeoutError, aiohttp.ClientError) as exc:
                failure = SlackApiFailure("network", retry_after=DEFAULT_RETRY_AFTER)
                log.warning("Slack %s to %s failed: %s", method, channel, type(exc).__name__)
            if attempt >= self._max_attempts or not failure.transient:
                raise failure
            if isinstance(failure, SlackRateLimited):
                wait = failure.retry_after or DEFAULT_RETRY_AFTER
                if not wait_on_rate_limit or wait > self._max_rate_limit_wait:
                    raise failure
                log.info("Slack rate limit on %s: waiting %ss", channel, wait.total_seconds())
                await self._sleep(wait.total_seconds())
            else:
                backoff = 0.5 * (2 ** (attempt - 1))
                await self._sleep(backoff + random.uniform(0, backoff / 2))

    async def post_message(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        *,
        thread_ts: str | None = None,
        wait_on_rate_limit: bool = True,
    ) -> PostResult:
        kwargs: dict[str, Any] = {"text": text, "unfurl_links": False, "unfurl_media": False}
        if blocks:
            kwargs["blocks"] = blocks
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        data = await self._call("chat.postMessage", channel, wait_on_rate_limit, **kwargs)
        return PostResult(channel=str(data.get("channel") or channel), ts=str(data.get("ts") or ""))

    async def update_message(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None = None) -> PostResult:
        kwargs: dict[str, Any] = {"ts": ts, "text": text}
        if blocks is not None:
            kwargs["blocks"] = blocks
        data = await self._call("chat.update", channel, True, **kwargs)
        return PostResult(channel=str(data.get("channel") or channel), ts=str(data.get("ts") or ts))

    async def delete_message(self, channel: str, ts: str) -> None:
        await self._call("chat.delete", channel, True, ts=ts)

    async def open_direct_message(self, user_id: str) -> str:
        """The channel id of the bot's direct messages with ``user_id`` (``conversations.open``,
        scope ``im:write``): the existing DM, or a new one."""
        data = await self._call("conversations.open", "", True, users=user_id)
        channel = data.get("channel")
        channel_id = channel.get("id") if isinstance(channel, dict) else None
        if not isinstance(channel_id, str) or not channel_id:
            raise SlackApiFailure("no_channel")
        return channel_id
