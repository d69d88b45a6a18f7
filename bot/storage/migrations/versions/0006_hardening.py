"""Hardening: processed activities, idempotent idea confirmations, who asked an unanswered question.

Revision ID: 0006_hardening
Revises: 0002_ideas
Create Date: 2026-11-26 09:00:00+00:00

* ``inbound_activities``: message activities already processed (a hash of channel,
  conversation and activity id), so a copy sent again is not processed again.
* ``idea_submitters.submission_key`` (unique): a hash of who confirmed which draft in
  which budget year, so the same confirmation stored twice finds the first idea.
* ``unanswered_questions.asker_key``: a hash of the asker's user id, for a person's
  export and erasure (the editors still see no one).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_hardening"
down_revision: str | None = "0002_ideas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_activities",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_inbound_activities")),
    )
    op.create_index(op.f("ix_inbound_activities_received_at"), "inbound_activities", ["received_at"], unique=False)

    op.add_column("idea_submitters", sa.Column("submission_key", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_idea_submitters_submission_key"), "idea_submitters", ["submission_key"], unique=True)

    op.add_column("unanswered_questions", sa.Column("asker_key", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_unanswered_questions_asker_key"), "unanswered_questions", ["asker_key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_unanswered_questions_asker_key"), table_name="unanswered_questions")
    with op.batch_alter_table("unanswered_questions") as batch:
        batch.drop_column("asker_key")
    op.drop_index(op.f("ix_idea_submitters_submission_key"), table_name="idea_submitters")
    with op.batch_alter_table("idea_submitters") as batch:
        batch.drop_column("submission_key")
    op.drop_index(op.f("ix_inbound_activities_received_at"), table_name="inbound_activities")
    op.drop_table("inbound_activities")
