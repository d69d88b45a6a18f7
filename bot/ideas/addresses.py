"""Where a person can be reached proactively: a stored personal conversation.

Feedback about an idea goes to the person's own chat, never into a team channel or
group chat where the idea may have been written: a conversation counts only when
it is personal (Teams ``personal``, the console) or of unknown type (channels that
do not say, such as a direct message elsewhere).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ConversationRef
from dialogs.idea_port import Person

__all__ = ["GROUP_CONVERSATION_TYPES", "conversation_for", "personal_conversation"]

#: Conversation types that are shared with others: never used for personal feedback.
GROUP_CONVERSATION_TYPES = frozenset({"channel", "groupChat", "group", "groupchat"})

_refs: sa.Table = ConversationRef.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


def _personal() -> sa.ColumnElement[bool]:
    return sa.or_(_refs.c.conversation_type.is_(None), _refs.c.conversation_type.not_in(GROUP_CONVERSATION_TYPES))


async def personal_conversation(session: AsyncSession, user_id: str, channel_id: str | None = None) -> int | None:
    """The newest reachable personal conversation of ``user_id`` (in ``channel_id`` if given)."""
    statement = (
        sa.select(_refs.c.id)
        .where(_refs.c.user_id == user_id, _personal(), _refs.c.unreachable.is_(False))
        .order_by(_refs.c.updated_at.desc(), _refs.c.id.desc())
        .limit(1)
    )
    if channel_id:
        statement = statement.where(_refs.c.channel_id == channel_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def conversation_for(session: AsyncSession, person: Person) -> int | None:
    """The conversation the person is writing in, if it is personal; else their personal chat."""
    if person.conversation_id and person.conversation_type not in GROUP_CONVERSATION_TYPES:
        current = (
            await session.execute(
                sa.select(_refs.c.id, _refs.c.conversation_type).where(
                    _refs.c.channel_id == person.channel_id, _refs.c.conversation_id == person.conversation_id
                )
            )
        ).one_or_none()
        if current is not None and current.conversation_type not in GROUP_CONVERSATION_TYPES:
            return int(current.id)
    return await personal_conversation(session, person.user_id, person.channel_id)
