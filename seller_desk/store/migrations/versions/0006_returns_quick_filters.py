"""Partial indexes for the Returns list's quick filters (arriving, stalled, lost or exception).

Each holds only the returns in flight (a few thousand of a million), so writing closed returns — the
bulk of every pull and import — never touches them. The WHERE texts are the ones the queries repeat
(``store.queries.returns_quick``); they are written out here, as a migration must not change when
that module does.

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-22 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_returns_incoming_eta", ["eta"], "status IN ('authorized', 'in_transit')"),
    ("ix_returns_in_transit_last_scan", ["last_scan_at"], "status = 'in_transit'"),
    (
        "ix_returns_trouble",
        ["requested_at", "id"],
        "(status = 'lost' OR (status = 'in_transit' AND tracking_status IN "
        "('exception', 'failed_attempt', 'returned_to_sender')))",
    ),
)


def upgrade() -> None:
    for name, columns, where in INDEXES:
        op.create_index(name, "returns", columns, unique=False, sqlite_where=sa.text(where))


def downgrade() -> None:
    for name, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name="returns")
