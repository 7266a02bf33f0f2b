"""Multi-workspace install: Slack installations, OAuth states, HubSpot connections.

Token columns hold Fernet ciphertext (bot/crypto.py, BOOKBOT_ENCRYPTION_KEY), never a token.
``enterprise_id`` / ``team_id`` are "" rather than NULL when absent, so they can be a key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc_datetime() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("enterprise_id", sa.String(64), primary_key=True),
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("is_enterprise_install", sa.Boolean, nullable=False),
        sa.Column("app_id", sa.String(64), nullable=True),
        sa.Column("enterprise_name", sa.Text, nullable=True),
        sa.Column("enterprise_url", sa.Text, nullable=True),
        sa.Column("team_name", sa.Text, nullable=True),
        sa.Column("bot_token", sa.Text, nullable=True),
        sa.Column("bot_refresh_token", sa.Text, nullable=True),
        sa.Column("bot_token_expires_at", _utc_datetime(), nullable=True),
        sa.Column("bot_id", sa.String(64), nullable=True),
        sa.Column("bot_user_id", sa.String(64), nullable=True),
        sa.Column("bot_scopes", sa.Text, nullable=True),
        sa.Column("installer_user_id", sa.String(64), nullable=False),
        sa.Column("token_type", sa.String(32), nullable=True),
        sa.Column("installed_at", _utc_datetime(), nullable=False),
        sa.Column("updated_at", _utc_datetime(), nullable=False),
    )
    op.create_table(
        "oauth_states",
        sa.Column("state", sa.String(128), primary_key=True),
        sa.Column("expires_at", _utc_datetime(), nullable=False),
        sa.Column("consumed", sa.Boolean, nullable=False),
        sa.Column("created_at", _utc_datetime(), nullable=False),
    )
    op.create_index("ix_oauth_states_expires_at", "oauth_states", ["expires_at"])
    op.create_table(
        "hubspot_connections",
        sa.Column("enterprise_id", sa.String(64), primary_key=True),
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("hub_id", sa.String(32), nullable=True),
        sa.Column("hub_domain", sa.Text, nullable=True),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("access_token", sa.Text, nullable=False),
        sa.Column("refresh_token", sa.Text, nullable=False),
        sa.Column("expires_at", _utc_datetime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("broken_reason", sa.Text, nullable=True),
        sa.Column("connected_by", sa.String(64), nullable=True),
        sa.Column("created_at", _utc_datetime(), nullable=False),
        sa.Column("updated_at", _utc_datetime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('connected', 'broken')", name="ck_hubspot_connections_status"
        ),
    )


def downgrade() -> None:
    op.drop_table("hubspot_connections")
    op.drop_index("ix_oauth_states_expires_at", table_name="oauth_states")
    op.drop_table("oauth_states")
    op.drop_table("slack_installations")
