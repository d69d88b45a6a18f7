"""Migration 0007: idea notifications take every outbox's columns and status words, rows and all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from bot.storage.db import Database, alembic_config

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE_END = NOW + timedelta(minutes=2)

_old = sa.table(
    "idea_notifications",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("recipient_kind", sa.String()),
    sa.column("recipient", sa.Text()),
    sa.column("payload", sa.JSON()),
    sa.column("dedupe_key", sa.String()),
    sa.column("status", sa.String()),
    sa.column("attempts", sa.Integer()),
    sa.column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _row(n: int, status: str, attempts: int, next_attempt_at: datetime | None) -> dict[str, Any]:
    return {
        "id": n,
        "kind": "status",
        "recipient_kind": "submitter",
        "recipient": "submitter",
        "payload": {},
        "dedupe_key": f"status:{n}:submitter",
        "status": status,
        "attempts": attempts,
        "next_attempt_at": next_attempt_at,
        "created_at": NOW - timedelta(hours=1),
        "updated_at": NOW,
    }


def _columns(connection: Connection) -> dict[str, bool]:
    return {c["name"]: c["nullable"] for c in sa.inspect(connection).get_columns("idea_notifications")}


async def test_upgrade_from_the_previous_head_moves_the_rows_to_the_shared_words(database: Database) -> None:
    def down_and_fill(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "0007_one_outbox-1")
        assert "lease_until" not in _columns(connection)
        connection.execute(
            sa.insert(_old),
            [
                _row(1, "sending", 2, LEASE_END),  # held by a round of the old delivery loop
                _row(2, "pending", 1, NOW + timedelta(minutes=5)),  # waiting for its retry
                _row(3, "sent", 1, None),
                _row(4, "no_address", 0, None),
            ],
        )

    async with database.engine.begin() as connection:
        await connection.run_sync(down_and_fill)
    await database.upgrade()
    assert await database.is_up_to_date()

    async with database.engine.connect() as connection:
        columns = await connection.run_sync(_columns)
        rows = {row.id: row for row in (await connection.execute(sa.text("SELECT * FROM idea_notifications"))).all()}
    assert columns["next_attempt_at"] is False
    assert {"lease_owner", "lease_until", "sent_activity_id"} <= set(columns)
    held = rows[1]
    assert (held.status, held.attempts, held.lease_owner) == ("claimed", 1, "before-upgrade")
    assert _utc(held.lease_until) == LEASE_END  # reclaimed once the old lease has run out
    assert (rows[2].status, rows[2].attempts, rows[2].lease_until) == ("pending", 1, None)
    assert _utc(rows[2].next_attempt_at) == NOW + timedelta(minutes=5)
    assert [(rows[n].status, _utc(rows[n].next_attempt_at)) for n in (3, 4)] == [("sent", NOW), ("no_address", NOW)]

    def down_again(connection: Connection) -> list[Any]:
        command.downgrade(alembic_config(connection), "0007_one_outbox-1")
        return list(connection.execute(sa.select(_old.c.id, _old.c.status, _old.c.attempts).order_by(_old.c.id)).all())

    async with database.engine.begin() as connection:
        back = await connection.run_sync(down_again)
    assert [tuple(row) for row in back] == [(1, "sending", 2), (2, "pending", 1), (3, "sent", 1), (4, "no_address", 0)]
    await database.upgrade()


def _utc(value: datetime | str) -> datetime:
    """A timestamp as the driver returns it (SQLite: text), as an aware UTC datetime."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
