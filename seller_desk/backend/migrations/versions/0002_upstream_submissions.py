"""``upstream_submissions``: the feeds the SP-API connector sent per ledger entry, so a retry waits for a
feed still being processed instead of sending a second refund (Amazon has no idempotency).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "upstream_submissions",
        sa.Column("id", BIG, nullable=False),
        sa.Column("upstream_ref", sa.String(length=64), nullable=False),
        sa.Column("feed_id", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upstream_submissions")),
    )
    with op.batch_alter_table("upstream_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_upstream_submissions_upstream_ref_id"), ["upstream_ref", "id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("upstream_submissions")
