"""Per-class plans for reading and writing the Bot Framework's generated models directly.

Both the reply JSON (``bot/botframework/fast_json.py``) and the stored conversation
references (``bot/storage/reference_json.py``) build one plan per model class from its
``_attribute_map`` and fall back to msrest for what a plan does not cover. The cache and
the refusal they share live here, so that storage need not import the seam.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["Unsupported", "cached_plan"]

P = TypeVar("P")


class Unsupported(Exception):
    """Outside what a plan reproduces exactly; msrest does it instead."""


def cached_plan(plans: dict[type, P | None], cls: type, build: Callable[[], P]) -> P:
    """``plans[cls]``, built once by ``build``; a class ``build`` refused (Unsupported)
    stays refused."""
    if cls in plans:
        plan = plans[cls]
        if plan is None:
            raise Unsupported(f"{cls.__name__} is left to msrest")
        return plan
    try:
        plan = build()
    except Unsupported:
        plans[cls] = None
        raise
    plans[cls] = plan
    return plan
