"""Den gode idé: ideas, submitters, events, supports, drafts, notifications, admins, contacts.

Revision ID: 0002_ideas
Revises: 0001
Create Date: 2025-01-07 08:00:00+00:00

"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_ideas"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _conversation_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["conversation_ref_id"],
        ["conversation_refs.id"],
        name=op.f(f"fk_{table}_conversation_ref_id_conversation_refs"),
        ondelete="SET NULL",
    )


def _idea_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["idea_id"], ["ideas.id"], name=op.f(f"fk_{table}_idea_id_ideas"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "ideas",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("budget_year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("potential", sa.Text(), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=True),
        sa.Column("area_name", sa.String(length=200), nullable=True),
        sa.Column("cross_cutting", sa.Boolean(), nullable=False),
        sa.Column("consequences", sa.JSON(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("status_committee", sa.String(length=64), nullable=True),
        sa.Column("committee", sa.String(length=64), nullable=False),
        sa.Column("origin_committee", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ideas")),
        sa.UniqueConstraint("budget_year", "seq", name=op.f("uq_ideas_budget_year_seq")),
    )
    op.create_index(op.f("ix_ideas_status"), "ideas", ["status"], unique=False)
    op.create_index(op.f("ix_ideas_committee"), "ideas", ["committee"], unique=False)

    op.create_table(
        "idea_submitters",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.Text(), nullable=True),
        sa.Column("user_name", sa.Text(), nullable=True),
        sa.Column("conversation_ref_id", sa.Integer(), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        _idea_fk("idea_submitters"),
        _conversation_fk("idea_submitters"),
        sa.PrimaryKeyConstraint("idea_id", name=op.f("pk_idea_submitters")),
    )
    op.create_index(
        op.f("ix_idea_submitters_channel_id"), "idea_submitters", ["channel_id", "user_id"], unique=False
    )

    op.create_table(
        "idea_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Text(), nullable=False),
        sa.Column("actor_name", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=True),
        sa.Column("committee", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _idea_fk("idea_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_events")),
    )
    op.create_index(op.f("ix_idea_events_idea_id"), "idea_events", ["idea_id"], unique=False)

    op.create_table(
        "idea_supports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.Text(), nullable=True),
        sa.Column("user_name", sa.Text(), nullable=True),
        sa.Column("conversation_ref_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _idea_fk("idea_supports"),
        _conversation_fk("idea_supports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_supports")),
        sa.UniqueConstraint(
            "idea_id", "channel_id", "user_id", name=op.f("uq_idea_supports_idea_id_channel_id_user_id")
        ),
    )
    op.create_index(op.f("ix_idea_supports_idea_id"), "idea_supports", ["idea_id"], unique=False)

    op.create_table(
        "idea_drafts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_drafts")),
        sa.UniqueConstraint("channel_id", "user_id", name=op.f("uq_idea_drafts_channel_id_user_id")),
    )

    op.create_table(
        "idea_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient_kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("committee", sa.String(length=64), nullable=True),
        sa.Column("conversation_ref_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        _idea_fk("idea_notifications"),
        _conversation_fk("idea_notifications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_notifications")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_idea_notifications_dedupe_key")),
    )
    op.create_index(op.f("ix_idea_notifications_idea_id"), "idea_notifications", ["idea_id"], unique=False)
    op.create_index(
        op.f("ix_idea_notifications_status"), "idea_notifications", ["status", "next_attempt_at"], unique=False
    )

    op.create_table(
        "idea_admins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("committee", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_admins")),
        sa.UniqueConstraint("user_id", "committee", name=op.f("uq_idea_admins_user_id_committee")),
    )

    op.create_table(
        "committee_contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("committee", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=True),
        sa.Column("conversation_ref_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _conversation_fk("committee_contacts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_contacts")),
        sa.UniqueConstraint("committee", "user_id", name=op.f("uq_committee_contacts_committee_user_id")),
    )


def downgrade() -> None:
    op.drop_table("committee_contacts")
    op.drop_table("idea_admins")
    op.drop_index(op.f("ix_idea_notifications_status"), table_name="idea_notifications")
    op.drop_index(op.f("ix_idea_notifications_idea_id"), table_name="idea_notifications")
    op.drop_table("idea_notifications")
    op.drop_table("idea_drafts")
    op.drop_index(op.f("ix_idea_supports_idea_id"), table_name="idea_supports")
    op.drop_table("idea_supports")
    op.drop_index(op.f("ix_idea_events_idea_id"), table_name="idea_events")
    op.drop_table("idea_events")
    op.drop_index(op.f("ix_idea_submitters_channel_id"), table_name="idea_submitters")
    op.drop_table("idea_submitters")
    op.drop_index(op.f("ix_ideas_committee"), table_name="ideas")
    op.drop_index(op.f("ix_ideas_status"), table_name="ideas")
    op.drop_table("ideas")
