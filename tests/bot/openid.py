"""A local OpenID metadata + JWKS endpoint and a token minter, for auth tests.

The endpoint runs in its own thread, not on the test's loop: the bot fetches the keys
with aiohttp (bot/botframework/openid_keys.py), but botbuilder's own fetch, which that replaced, was a
blocking ``requests`` call on the event loop, and an endpoint on that loop could not answer it.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class LocalOpenId:
    def __init__(self, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "local-test-key"
        numbers = self.key.public_key().public_numbers()
        self._jwks = {"keys": [{"kty": "RSA", "use": "sig", "kid": self.kid, "n": _b64(numbers.n), "e": _b64(numbers.e), "endorsements": list(endorsements)}]}
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    def __enter__(self) -> LocalOpenId:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path.endswith("/openidconfiguration"):
                    body: Any = {"issuer": ISSUER, "jwks_uri": f"{base}/keys", "id_token_signing_alg_values_supported": ["RS256"]}
                elif self.path.endswith("/keys"):
                    body = outer._jwks
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1/.well-known/openidconfiguration"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def token(self, app_id: str, service_url: str, *, key: rsa.RSAPrivateKey | None = None) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": app_id, "serviceurl": service_url, "nbf": now - 60, "iat": now - 60, "exp": now + 3600}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})
