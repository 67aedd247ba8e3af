"""The seller's auto-approve rules (``auto_approve_rules``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 12:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auto_approve_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("max_minor", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("require_received", sa.Boolean(), nullable=False),
        sa.Column("require_sellable", sa.Boolean(), nullable=False),
        sa.Column("in_policy_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),  # epoch seconds (store/types.py)
        sa.Column("switched_on_at", sa.Integer(), nullable=True),
    )
    op.create_index("ix_auto_approve_rules_name", "auto_approve_rules", ["name"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_auto_approve_rules_name", table_name="auto_approve_rules")
    op.drop_table("auto_approve_rules")
