"""The conversation state of a turn, without botbuilder's change check.

botbuilder's ``BotState`` flattens the whole state with jsonpickle when it loads it (to
hash it), again in ``save_changes`` to see whether it changed, and once more after
writing: three full walks of the dialog stack per turn. MED-bot's
router stamps ``LastTurnAt`` on every message, so the state of a message turn always
changes and the check can only say yes. :class:`WriteThroughConversationState` treats
its cached state as changed on every turn and computes no hashes; ``save_changes``
therefore writes whenever the state was loaded (a conversation update that loaded the
state writes it back once more; nothing is lost, and the e-tag still guards against
another replica's update in between).
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.bot_state import CachedBotState


class _AlwaysChanged(CachedBotState):
    def __init__(self, state: dict[str, Any] | None = None) -> None:  # no hash at load
        self.state = state if state is not None else {}
        self.hash = ""

    @property
    def is_changed(self) -> bool:
        return True

    def compute_hash(self, obj: object) -> str:
        return ""


class WriteThroughConversationState(ConversationState):
    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        # BotState.load, with the cached state that skips the hashing.
        cached_state = self.get_cached_state(turn_context)
        if force or not cached_state or not cached_state.state:
            storage_key = self.get_storage_key(turn_context)
            items = await self._storage.read([storage_key])
            turn_context.turn_state[self._context_service_key] = _AlwaysChanged(items.get(storage_key))
