"""Parse a request body as JSON within limits, so hostile JSON is a 400 and not a 500.

``json.loads`` raises :class:`RecursionError` on very deeply nested input (100,000
``[``) and :class:`ValueError` (not :class:`json.JSONDecodeError`) on an integer of more
than 4,300 digits; both escaped the routes as HTTP 500. And JSON nested a few hundred
levels deep parses, but then overflows the recursion of whatever walks it later
(msrest's deserialiser, the dialog state's serialiser). :func:`parse_json_body` turns all
of that into :class:`JsonBodyError`, and refuses nesting deeper than :data:`MAX_DEPTH`
(far beyond any Teams or Slack payload).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "JsonBodyError", "parse_json_body"]

#: Containers (objects, arrays) nested deeper than this are refused. Teams activities and
#: Slack payloads, Adaptive Cards included, stay well under 20.
MAX_DEPTH = 64


class JsonBodyError(ValueError):
    """The body is not JSON the bot will read; ``reason`` says why (safe to show)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` has containers nested more than ``limit`` deep (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if type(node) is dict else node
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, depth + 1))
    return False


def parse_json_body(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(data)``, or :class:`JsonBodyError` for anything it cannot or should not give."""
    try:
        value = json.loads(data)
    except RecursionError as exc:
        raise JsonBodyError("JSON nested too deeply") from exc
    except UnicodeDecodeError as exc:  # a ValueError too; bytes that are not UTF-8/16/32
        raise JsonBodyError("the body is not UTF-8") from exc
    except ValueError as exc:  # JSONDecodeError, and integers beyond Python's digit limit
        raise JsonBodyError("invalid JSON") from exc
    kind = type(value)
    if kind is dict or kind is list:
        # Nesting can never exceed the number of brackets: most bodies skip the walk.
        brackets = data.count(b"{") + data.count(b"[") if isinstance(data, bytes) else data.count("{") + data.count("[")
        if brackets > max_depth and _depth_exceeds(value, max_depth):
            raise JsonBodyError("JSON nested too deeply")
    return value
