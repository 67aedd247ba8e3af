"""Partial indexes for the Shipments list: its urgency order and its "late" quick filter.

``ix_shipments_outbound_open`` holds the outbound parcels not yet delivered (the few in flight among
all the seller ever shipped), in promised-date order: the top of the list and the undelivered half of
"late" (promised before now) are ranges of it. ``ix_shipments_outbound_late_delivered`` holds the
parcels delivered after their promised date, the other half of "late". Exception and lost are one
status each and read the existing ``(direction, status, promised_at)`` index. The WHERE texts are the
ones the queries repeat (``store.queries._shipments_sql``), written out here, as a migration must not
change when that module does.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 09:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_shipments_outbound_open", ["promised_at"], "direction = 'outbound' AND status <> 'delivered'"),
    (
        "ix_shipments_outbound_late_delivered",
        ["promised_at"],
        "direction = 'outbound' AND status = 'delivered' AND delivered_at > promised_at",
    ),
)


def upgrade() -> None:
    for name, columns, where in INDEXES:
        op.create_index(name, "shipments", columns, unique=False, sqlite_where=sa.text(where))


def downgrade() -> None:
    for name, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name="shipments")
