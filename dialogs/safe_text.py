"""Text from users, made safe for where it goes: the database, a terminal, a CSV cell, a card.

Pure functions without dependencies, usable from ``dialogs/`` and ``bot/`` alike:

* :func:`without_surrogates` – a lone UTF-16 surrogate (``"\\ud800"``, which JSON can
  carry) cannot be encoded as UTF-8, so no database accepts it; it becomes U+FFFD.
  :func:`scrub` does the same for every string in a JSON-like value.
* :func:`for_terminal` – control characters (ESC sequences that rewrite the screen,
  carriage returns that overwrite a line, bidi overrides that reorder it) are shown as
  visible escapes (``\\x1b``) instead of being obeyed.
* :func:`markdown_literal` – the characters Teams' card markdown reacts to are
  backslash-escaped, so ``[tekst](https://…)`` from a user is shown, not made a link.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["for_terminal", "json_for_terminal", "markdown_literal", "scrub", "without_surrogates"]

REPLACEMENT = "\ufffd"

_SURROGATE = re.compile("[\ud800-\udfff]")

# C0 and C1 controls, DEL, and the invisible characters that reorder or break lines.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# What ``json.dumps(ensure_ascii=False)`` leaves as it is and a terminal would act on.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# What Adaptive Card markdown in Teams acts on inline: emphasis, links, code.
_MARKDOWN = re.compile(r"([\\*_\[\]`~])")


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (a surrogate pair becomes its character)."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def scrub(value: Any) -> Any:
    """:func:`without_surrogates` on every string (and dict key) of a JSON-like value; new containers."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v) for v in value)
    return value


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str | None, *, multiline: bool = False) -> str:
    """``text`` as it may be printed: controls shown as ``\\x1b``-style escapes.

    ``multiline`` keeps line feeds and tabs (a description); otherwise they are shown as
    escapes too, so one value cannot start a line of its own in a listing.
    """
    if not text:
        return ""
    text = without_surrogates(text)
    pattern = _CONTROL_KEEP_LINES if multiline else _CONTROL
    return pattern.sub(_visible, text)


def json_for_terminal(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON with æøå as they are and every character a terminal would act on
    escaped (``\\u009b``); ``json.loads`` gives ``value`` back unchanged."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def markdown_literal(text: str) -> str:
    """``text`` with Teams' inline markdown characters escaped, so it shows as typed."""
    return _MARKDOWN.sub(r"\\\1", text)
