"""Idea notifications join the one outbox: a lease of their own and the shared status words.

Revision ID: 0007_one_outbox
Revises: 0006_hardening
Create Date: 2026-12-07 23:40:00+00:00

``idea_notifications`` gets the delivery columns every outbox shares
(``lease_owner``, ``lease_until``, ``sent_activity_id``) and ``next_attempt_at`` is
required, as in ``reminders`` and ``nudges``. Existing rows move over:

* ``sending`` (a round held the row, its lease end in ``next_attempt_at``) becomes
  ``claimed`` with that lease in ``lease_until``, so it is reclaimed once the lease has
  run out; the attempt counted at the claim is taken back (an attempt is now counted
  when its outcome is recorded).
* a row without ``next_attempt_at`` (sent, failed, no address) gets its ``updated_at``.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_one_outbox"
down_revision: str | None = "0006_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The lease owner of a row that was held by a round before the upgrade.
UPGRADED_OWNER = "before-upgrade"

_notifications = sa.table(
    "idea_notifications",
    sa.column("status", sa.String()),
    sa.column("attempts", sa.Integer()),
    sa.column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("lease_owner", sa.String()),
    sa.column("lease_until", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    t = _notifications
    op.add_column("idea_notifications", sa.Column("lease_owner", sa.String(length=128), nullable=True))
    op.add_column("idea_notifications", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("idea_notifications", sa.Column("sent_activity_id", sa.Text(), nullable=True))
    op.execute(
        t.update()
        .where(t.c.status == "sending")
        .values(
            status="claimed",
            lease_owner=UPGRADED_OWNER,
            lease_until=sa.func.coalesce(t.c.next_attempt_at, t.c.updated_at),
            attempts=sa.case((t.c.attempts > 0, t.c.attempts - 1), else_=0),
        )
    )
    op.execute(t.update().where(t.c.next_attempt_at.is_(None)).values(next_attempt_at=t.c.updated_at))
    with op.batch_alter_table("idea_notifications") as batch:
        batch.alter_column("next_attempt_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    t = _notifications
    with op.batch_alter_table("idea_notifications") as batch:
        batch.alter_column("next_attempt_at", existing_type=sa.DateTime(timezone=True), nullable=True)
    op.execute(
        t.update()
        .where(t.c.status == "claimed")
        .values(status="sending", next_attempt_at=sa.func.coalesce(t.c.lease_until, t.c.next_attempt_at), attempts=t.c.attempts + 1)
    )
    with op.batch_alter_table("idea_notifications") as batch:
        batch.drop_column("sent_activity_id")
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
