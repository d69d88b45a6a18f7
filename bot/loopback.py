"""Unauthenticated mode stays on this machine.

Without an app id the bot checks no tokens and posts its replies to whatever serviceUrl
an activity names. That is right for local use (the Agents Playground, the Emulator,
the benchmarks), but a server that listens on 0.0.0.0 and forgets the app id would be an
open relay. So, unless the operator says otherwise (``MEDBOT_UNAUTHENTICATED=anywhere``),
an unauthenticated activity is taken only when

* it comes from a loopback address (127.0.0.0/8, ::1),
* not forwarded by a proxy on this machine (no ``Forwarded``/``X-Forwarded-For``/
  ``X-Real-IP`` header), and
* its serviceUrl, if any, is on this machine too (localhost or a loopback address).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping

from yarl import URL

__all__ = ["FORWARDING_HEADERS", "LoopbackOnly", "is_loopback_host", "refusal"]

FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")


def is_loopback_host(host: str | None) -> bool:
    """``localhost`` or a loopback IP address (also as an IPv4-mapped IPv6 address)."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _service_url_is_local(service_url: str) -> bool:
    try:
        host = URL(service_url).host
    except (ValueError, TypeError):
        return False
    return is_loopback_host(host)


def refusal(
    remote: str | None,
    headers: Mapping[str, str],
    service_url: str | None,
    *,
    service_url_is_local: Callable[[str], bool] = _service_url_is_local,
) -> str | None:
    """Why an unauthenticated activity is refused in loopback mode, or None to take it."""
    if not is_loopback_host(remote):
        return "unauthenticated requests are taken only from this machine"
    if any(name in headers for name in FORWARDING_HEADERS):
        return "unauthenticated requests are not taken through a proxy"
    if service_url and not service_url_is_local(service_url):
        return "without an app id the bot replies only to a serviceUrl on this machine"
    return None


class LoopbackOnly:
    """:func:`refusal`, remembering its verdict on the few serviceUrls a local bot sees
    (parsing a URL is most of the check's cost)."""

    def __init__(self, remembered: int = 256) -> None:
        self._remembered = remembered
        self._service_urls: dict[str, bool] = {}

    def _service_url_is_local(self, service_url: str) -> bool:
        verdict = self._service_urls.get(service_url)
        if verdict is None:
            verdict = _service_url_is_local(service_url)
            if len(self._service_urls) >= self._remembered:
                self._service_urls.clear()
            self._service_urls[service_url] = verdict
        return verdict

    def refusal(self, remote: str | None, headers: Mapping[str, str], service_url: str | None) -> str | None:
        return refusal(remote, headers, service_url, service_url_is_local=self._service_url_is_local)
