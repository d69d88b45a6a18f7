"""SQLAlchemy 2 models for MED-bot's own tables.

Every schema change needs a new Alembic revision in ``bot/storage/migrations/versions``;
``tests/bot/test_migrations.py`` fails when the models and the migrations disagree.

Notes on types:

* Timestamps use :class:`UTCDateTime`: aware datetimes in, aware UTC datetimes out, on
  SQLite (stored as naive UTC text) as well as on PostgreSQL (``timestamptz``).
* JSON columns are ``sa.JSON`` (``json`` on PostgreSQL, *not* ``jsonb``): ``json``
  keeps the text as written, and the botbuilder state in ``bot_state.data`` is a
  jsonpickle document whose ``py/id`` back-references depend on key order, which
  ``jsonb`` would not preserve.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.clock import ensure_aware_utc

__all__ = [
    "NAMING_CONVENTION",
    "UNANSWERED_TEXT_MAX_LENGTH",
    "Base",
    "BotStateRow",
    "ConversationRef",
    "InboundActivityRow",
    "UnansweredQuestionRow",
    "UTCDateTime",
    "load_all_models",
]

#: Longest question text kept in ``unanswered_questions.text`` (longer text is cut).
UNANSWERED_TEXT_MAX_LENGTH = 500

#: Deterministic constraint names, identical on SQLite and PostgreSQL, so that
#: later migrations can refer to (and batch-alter) them by name.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    Binding a naive datetime raises :class:`bot.clock.NaiveDatetimeError`.  SQLite has
    no time zones, so there the value is stored as naive UTC and given ``tzinfo=UTC``
    again when read.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        aware = ensure_aware_utc(value)
        if dialect.name == "sqlite":
            return aware.replace(tzinfo=None)
        return aware

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: sa.JSON(),
        list[Any]: sa.JSON(),
    }


class BotStateRow(Base):
    """One botbuilder storage item (conversation/user state) as a jsonpickle document."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(sa.Text(), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON(), nullable=False)
    etag: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class ConversationRef(Base):
    """A conversation the bot can message proactively (refreshed on every inbound activity)."""

    __tablename__ = "conversation_refs"
    __table_args__ = (sa.UniqueConstraint("channel_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    conversation_id: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    service_url: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    tenant_id: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    bot_id: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    bot_name: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    user_id: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    conversation_type: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    reference: Mapped[dict[str, Any]] = mapped_column(sa.JSON(), nullable=False)
    unreachable: Mapped[bool] = mapped_column(sa.Boolean(), nullable=False, default=False, server_default=sa.false())
    unreachable_reason: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class UnansweredQuestionRow(Base):
    """A question the knowledge base could not answer well (for the editors)."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(sa.String(UNANSWERED_TEXT_MAX_LENGTH), nullable=False)
    score: Mapped[float] = mapped_column(sa.Float(), nullable=False)
    suggestions: Mapped[list[Any]] = mapped_column(sa.JSON(), nullable=False)
    channel_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    handled: Mapped[bool] = mapped_column(sa.Boolean(), nullable=False, default=False, server_default=sa.false())
    #: Who asked, as a one-way hash of the user id (bot.storage.unanswered.asker_key):
    #: the editors never see who asked, a person's questions can still be exported or erased.
    asker_key: Mapped[str | None] = mapped_column(sa.String(64), nullable=True, index=True)


class InboundActivityRow(Base):
    """A message activity that was processed (bot.inbound_dedup): a re-sent copy is not processed again.

    ``key`` is a hash of channel, conversation and activity id, so no id is stored;
    rows older than a day are pruned.
    """

    __tablename__ = "inbound_activities"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)


def load_all_models() -> sa.MetaData:
    """Import every model module of the ``bot`` package and return the complete metadata.

    A model module is any ``models.py`` or ``models_<feature>.py`` below ``bot/``
    (``bot/ideas/models.py``, ``bot/slack/models.py``, ...); all register their
    tables on the same :class:`Base`.  Alembic's ``env.py`` and the schema test use
    this so that no table is left out of autogenerate or the comparison.
    """
    root_package = __name__.partition(".")[0]
    root = Path(importlib.import_module(root_package).__path__[0])
    for path in sorted(root.rglob("models*.py")):
        if path.stem != "models" and not path.stem.startswith("models_"):
            continue
        relative = path.relative_to(root).with_suffix("")
        if "migrations" in relative.parts:
            continue
        importlib.import_module(".".join((root_package, *relative.parts)))
    return Base.metadata
