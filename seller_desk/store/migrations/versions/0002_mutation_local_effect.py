"""Mutations remember their local optimistic effect and the backend's outcome.

``local_effect`` (JSON) lets a pull replay the seller's pending acts on top of freshly pulled rows and
lets an undo or a conflict revert them; ``outcome`` (JSON) keeps the backend's stored response of an
acknowledged mutation.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("local_effect", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.drop_column("outcome")
        batch_op.drop_column("local_effect")
