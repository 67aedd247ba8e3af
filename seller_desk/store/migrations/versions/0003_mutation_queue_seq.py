"""Mutations carry their outbox ``seq`` (``queue_seq``), so the push claim walks an index.

The claim takes the oldest queued mutation of each target with nothing earlier unfinished. It used to
join every queued mutation to its outbox row and sort them all by ``outbox.seq`` per claim (O(queue)),
with a correlated subquery per row. ``queue_seq`` is written once, with the outbox row, and never
changes, so copying it onto the mutation cannot drift; ``(status, queue_seq)`` gives the queued
mutations already in queue order, and ``(target, status, queue_seq)`` answers "anything earlier
unfinished for this target?" with one index probe.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_seq", sa.Integer(), nullable=True))
    op.execute("UPDATE mutations SET queue_seq = (SELECT seq FROM outbox WHERE outbox.mutation_id = mutations.id)")
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mutations_status_queue_seq"), ["status", "queue_seq"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mutations_target_status_queue_seq"), ["target", "status", "queue_seq"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mutations_target_status_queue_seq"))
        batch_op.drop_index(batch_op.f("ix_mutations_status_queue_seq"))
        batch_op.drop_column("queue_seq")
