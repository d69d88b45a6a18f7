"""A Bot Framework key endpoint on 127.0.0.1 that can be slow, dead or failing, and tokens
both well made and forged.

The endpoint runs in its own thread: botbuilder's own key fetch (the code these tests
guard against) blocks the event loop, and an endpoint on that loop could never answer it.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"
KID = "security-test-key"
#: The longest the endpoint holds a request it was told to hold (only reached when the
#: bot under test never lets the test release it: a blocked event loop).
HOLD_AT_MOST_S = 3.0


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64json(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def unused_port_url() -> str:
    """An OpenID URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1/.well-known/openidconfiguration"


class KeyEndpoint:
    """OpenID metadata and JWKS for one RSA key endorsed for ``msteams``.

    * ``status``: what the metadata request answers (200, or e.g. 500 for a failing endpoint);
    * ``hold``: when set, each metadata request waits until :attr:`release` is set (at
      most :data:`HOLD_AT_MOST_S`), after :attr:`arrived` says it is there;
    * ``metadata_hits``: how many metadata requests arrived.
    """

    def __init__(self, *, status: int = 200, hold: bool = False, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.key.public_key().public_numbers()
        self.jwks = {
            "keys": [{"kty": "RSA", "use": "sig", "kid": KID, "n": _b64(numbers.n), "e": _b64(numbers.e), "endorsements": list(endorsements)}]
        }
        self.status = status
        self.hold = hold
        self.arrived = threading.Event()
        self.release = threading.Event()
        self._hits_lock = threading.Lock()
        self.metadata_hits = 0
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    def __enter__(self) -> KeyEndpoint:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path.endswith("/openidconfiguration"):
                    with outer._hits_lock:
                        outer.metadata_hits += 1
                    outer.arrived.set()
                    if outer.hold:
                        outer.release.wait(HOLD_AT_MOST_S)
                    if outer.status != 200:
                        self.send_error(outer.status)
                        return
                    body: Any = {"issuer": ISSUER, "jwks_uri": f"{base}/keys", "id_token_signing_alg_values_supported": ["RS256"]}
                elif self.path.endswith("/keys"):
                    body = outer.jwks
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
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1/.well-known/openidconfiguration"
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    # -- tokens -----------------------------------------------------------------------

    def claims(self, app_id: str, service_url: str) -> dict[str, Any]:
        now = int(time.time())
        return {"iss": ISSUER, "aud": app_id, "serviceurl": service_url, "nbf": now - 60, "iat": now - 60, "exp": now + 3600}

    def token(self, app_id: str, service_url: str, *, kid: str | None = KID, key: rsa.RSAPrivateKey | None = None) -> str:
        headers = {"kid": kid} if kid is not None else {}
        return jwt.encode(self.claims(app_id, service_url), key or self.key, algorithm="RS256", headers=headers)

    def forged_tokens(self, app_id: str, service_url: str) -> dict[str, str]:
        """Tokens that must all be refused with 401, by name."""
        claims = self.claims(app_id, service_url)
        other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        unsigned = f"{_b64json({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{_b64json(claims)}."
        return {
            "alg none": unsigned,
            "alg none, no kid": f"{_b64json({'alg': 'none', 'typ': 'JWT'})}.{_b64json(claims)}.",
            "HS256": jwt.encode(claims, "a-shared-secret-nobody-published", algorithm="HS256", headers={"kid": KID}),
            "RS256, unknown kid": self.token(app_id, service_url, kid="no-such-key", key=other_key),
            "RS256, no kid": self.token(app_id, service_url, kid=None),
            "RS256, kid not a string": f"{_b64json({'alg': 'RS256', 'typ': 'JWT', 'kid': ['x']})}.{_b64json(claims)}.c2ln",
            "RS256, the right kid, another key": self.token(app_id, service_url, key=other_key),
            "garbage": "not.a.token",
            "two parts": "abc.def",
            "payload not an object": f"{_b64json({'alg': 'RS256', 'kid': KID})}.{base64.urlsafe_b64encode(b'[1]').rstrip(b'=').decode()}.c2ln",
        }
