"""Durable after-ack work: each booking's follow-up steps (an outbox in the ledger's database).

``bookings.followup`` keeps what the steps after HubSpot's answer need (the modal's view id, the
person's locale and form, where to post), written with the ``pending`` row before HubSpot is
called. ``booking_steps`` holds one row per step due (modal, card, reminder, announce),
written in the same transaction as the booking's change of status, claimed by one process at a
time (``claimed_by`` until ``claimed_until``) and marked ``done_at`` once carried out; a restart
(or another process) resumes the steps whose claim lapsed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc_datetime() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("followup", sa.Text, nullable=True))
    op.create_table(
        "booking_steps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("booking_key", sa.String(255), nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("done_at", _utc_datetime(), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until", _utc_datetime(), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", _utc_datetime(), nullable=False),
        sa.Column("updated_at", _utc_datetime(), nullable=False),
        sa.UniqueConstraint("booking_key", "step", name="uq_booking_steps_key_step"),
    )
    op.create_index("ix_booking_steps_due", "booking_steps", ["done_at", "claimed_until"])
    # The reconciler looks for `pending` rows older than the booking timeout.
    op.create_index("ix_bookings_status_updated", "bookings", ["status", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_bookings_status_updated", table_name="bookings")
    op.drop_index("ix_booking_steps_due", table_name="booking_steps")
    op.drop_table("booking_steps")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("followup")
