"""Promotions as magnitudes everywhere: stores seeded before this revision held the demo's promotions as
negative amounts (order lines, refund request lines and refund payments), while the refund policies,
the backend and the wire all take the size of the discount. A negative promotion floored "refundable
now" to zero, so an approval in full did not take the discount back and refunded too much.

Request totals (``requested_minor``, ``refunded_minor``) were already the signed net and stay as they
are. A store mirrored from a backend never held a negative promotion, so the update finds nothing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 14:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE order_lines SET promotion_minor = -promotion_minor WHERE promotion_minor < 0")
    for table in ("refund_request_lines", "refund_payments"):
        op.execute(
            f"UPDATE {table} SET amount_minor = -amount_minor "
            "WHERE component = 'promotion' AND amount_minor < 0"
        )


def downgrade() -> None:
    """Nothing to undo: magnitudes are what every earlier revision's code meant to store."""
