"""Who sent the activity of the running turn, for stores the dialogs call without a turn.

The dialogs log an unanswered question with its text and channel only
(:class:`dialogs.deps.UnansweredSink`). To export or erase a person's questions on
request (``medbot privacy``), the log needs to know who asked; :class:`TurnSpeaker`,
as adapter middleware, keeps the sender's user id for the duration of the turn in a
context variable of its own, and :meth:`TurnSpeaker.current` reads it (``None``
outside a turn, or in a turn of an adapter that does not use this middleware).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from botbuilder.core import Middleware, TurnContext

__all__ = ["TurnSpeaker"]


class TurnSpeaker(Middleware):
    def __init__(self) -> None:
        self._user_id: ContextVar[str | None] = ContextVar(f"medbot_turn_speaker_{id(self)}", default=None)

    def current(self) -> str | None:
        """The user id of the running turn's sender, if known."""
        return self._user_id.get()

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        sender = context.activity.from_property
        token = self._user_id.set(sender.id if sender is not None and sender.id else None)
        try:
            await logic()
        finally:
            self._user_id.reset(token)
