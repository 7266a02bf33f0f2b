"""Bookings ledger and per-person preferences.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc_datetime() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("page_slug", sa.String(255), nullable=False),
        sa.Column("page_name", sa.Text, nullable=False),
        sa.Column("start_at", _utc_datetime(), nullable=False),
        sa.Column("end_at", _utc_datetime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("guest_email", sa.String(320), nullable=False),
        sa.Column("guest_first_name", sa.Text, nullable=False),
        sa.Column("guest_last_name", sa.Text, nullable=False),
        sa.Column("thread_ts", sa.String(32), nullable=True),
        sa.Column("calendar_event_id", sa.String(255), nullable=True),
        sa.Column("contact_id", sa.String(64), nullable=True),
        sa.Column("web_conference_url", sa.Text, nullable=True),
        sa.Column("location", sa.Text, nullable=True),
        sa.Column("message_channel", sa.String(64), nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.Column("reminder_id", sa.String(64), nullable=True),
        sa.Column("reminder_at", _utc_datetime(), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error_message", sa.Text, nullable=True),
        sa.Column("created_at", _utc_datetime(), nullable=False),
        sa.Column("updated_at", _utc_datetime(), nullable=False),
        sa.UniqueConstraint("key", name="uq_bookings_key"),
        sa.CheckConstraint(
            "status IN ('pending', 'booked', 'failed', 'unknown')", name="ck_bookings_status"
        ),
    )
    op.create_index("ix_bookings_team_user_end", "bookings", ["team_id", "user_id", "end_at"])
    op.create_table(
        "preferences",
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("last_page_slug", sa.String(255), nullable=True),
        sa.Column("duration_minutes", sa.Integer, nullable=True),
        sa.Column("timezone", sa.String(64), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("updated_at", _utc_datetime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("preferences")
    op.drop_index("ix_bookings_team_user_end", table_name="bookings")
    op.drop_table("bookings")
