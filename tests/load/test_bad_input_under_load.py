"""Bad input arriving together with good traffic, with an app id set (token validation on).

Hundreds of requests at once: no token, tokens signed with another key, tokens for
another bot, malformed JSON, oversized bodies, and correctly signed messages. Every bad
one is refused with its own status and leaves no trace; every good one is served.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.activities import teams_message
from tests.bot.openid import LocalOpenId
from tests.harness.teams_http import make_settings, running_bot

APP_ID = "00000000-0000-0000-0000-000000000007"
EACH = 10


async def test_forged_tokens_malformed_and_oversized_requests_among_good_ones(tmp_path: Path) -> None:
    with LocalOpenId() as openid:
        settings = make_settings(tmp_path, app_id=APP_ID, app_password="secret", openid_metadata_url=openid.url)
        async with running_bot(settings) as h:
            other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            valid = openid.token(APP_ID, h.connector.url)
            forged = openid.token(APP_ID, h.connector.url, key=other_key)
            elsewhere = openid.token("another-bot", h.connector.url)

            async def message(kind: str, n: int, token: str | None) -> tuple[str, int]:
                activity = teams_message(h.connector.url, "hej", conversation_id=f"a:{kind}-{n}", user_id=f"29:{kind}-{n}")
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                return kind, await h.post(activity, headers=headers)

            async def raw(kind: str, body: bytes) -> tuple[str, int]:
                response = await h.client.post(
                    "/api/messages", data=body,
                    headers={"Content-Type": "application/json", "Authorization": f"Bearer {valid}"},
                )
                return kind, response.status

            oversized = json.dumps(teams_message(h.connector.url, "x" * (settings.max_body_bytes + 10))).encode()
            jobs = []
            for n in range(EACH):
                jobs += [
                    message("valid", n, valid), message("none", n, None), message("forged", n, forged),
                    message("elsewhere", n, elsewhere), raw("malformed", b'{"type": "message", '),
                    raw("oversized", oversized),
                ]
            results = await asyncio.gather(*jobs)

            by_kind: dict[str, list[int]] = {}
            for kind, status in results:
                by_kind.setdefault(kind, []).append(status)
            assert by_kind == {
                "valid": [201] * EACH,
                "none": [401] * EACH,
                "forged": [401] * EACH,
                "elsewhere": [401] * EACH,
                "malformed": [400] * EACH,
                "oversized": [413] * EACH,
            }
            stored = await h.runtime.conversations.list("msteams")
            assert sorted(c.conversation_id for c in stored) == sorted(f"a:valid-{n}" for n in range(EACH))
            assert (await h.client.get("/healthz")).status == 200
