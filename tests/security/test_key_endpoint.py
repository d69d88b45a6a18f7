"""Issue 13, item 2: the token key fetch never blocks the event loop.

A key endpoint that answers slowly, never, or with an error must not stall other users:
``/healthz`` answers within a second meanwhile, concurrent requests share one fetch, and a
failed fetch is not repeated on every request (only after a back-off, on the bot's clock).
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.activities import teams_message
from tests.harness.teams_http import make_settings, running_bot
from tests.security.conftest import APP_ID, bearer
from tests.security.keys import KeyEndpoint, unused_port_url

FORGED_AT_ONCE = 5


@pytest.mark.parametrize(("then", "expected"), [(200, 201), (503, 401)], ids=["slow", "never-answers-then-fails"])
async def test_healthz_answers_within_a_second_while_the_key_endpoint_hangs(tmp_path: Path, then: int, expected: int) -> None:
    with KeyEndpoint(hold=True, status=then) as keys:
        settings = make_settings(tmp_path, app_id=APP_ID, app_password="secret", openid_metadata_url=keys.url)
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            started = time.monotonic()
            waiting = [
                asyncio.create_task(h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))))
                for _ in range(FORGED_AT_ONCE)
            ]
            assert await asyncio.to_thread(keys.arrived.wait, 10.0), "the bot never asked for the keys"
            health = await h.client.get("/healthz")
            elapsed = time.monotonic() - started
            assert health.status == 200
            assert elapsed < 1.0, f"/healthz took {elapsed:.1f} s while the key endpoint hung"
            assert not any(task.done() for task in waiting)
            keys.release.set()
            assert await asyncio.gather(*waiting) == [expected] * FORGED_AT_ONCE
            assert keys.metadata_hits == 1, "concurrent requests share one fetch"


async def test_a_failed_key_fetch_is_not_retried_on_every_request(tmp_path: Path) -> None:
    with KeyEndpoint(status=500) as keys:
        settings = make_settings(tmp_path, app_id=APP_ID, app_password="secret", openid_metadata_url=keys.url)
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            for _ in range(5):
                assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 401
            assert keys.metadata_hits == 1
            # After the back-off (30 s), the next request tries again; the endpoint is back.
            keys.status = 200
            h.clock.advance(timedelta(seconds=29))
            assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 401
            assert keys.metadata_hits == 1
            h.clock.advance(timedelta(seconds=2))
            assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 201
            assert keys.metadata_hits == 2


async def test_a_dead_key_endpoint_gives_401_and_healthz_stays_up(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, app_id=APP_ID, app_password="secret", openid_metadata_url=unused_port_url())
    with KeyEndpoint() as minter:  # only for its tokens
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            for _ in range(3):
                assert await h.post(activity, headers=bearer(minter.token(APP_ID, h.connector.url))) == 401
            assert (await h.client.get("/healthz")).status == 200


async def test_keys_a_day_old_are_kept_while_the_endpoint_fails(tmp_path: Path) -> None:
    with KeyEndpoint() as keys:
        settings = make_settings(tmp_path, app_id=APP_ID, app_password="secret", openid_metadata_url=keys.url)
        async with running_bot(settings) as h:
            activity = teams_message(h.connector.url, "hej")
            assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 201
            keys.status = 500
            h.clock.advance(timedelta(days=1, seconds=1))
            for _ in range(3):
                assert await h.post(activity, headers=bearer(keys.token(APP_ID, h.connector.url))) == 201
            assert keys.metadata_hits == 2, "one refresh attempt, then the back-off"
