"""Refund requests as a table to export: what the queue shows, money exact, the decision and its sync.

Rows come from the same paged listing as ``seller-desk refunds list`` (the most urgent refund clock
first), a page at a time. Each request's money is given per order line and component in one cell
("OI-1 principal 12.50; OI-1 tax 1.00"), so a spreadsheet keeps one row per request.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from seller_desk.domain.enums import RefundState
from seller_desk.domain.refund_review import LineFacts
from seller_desk.exports.tables import Cell, Steps, table_steps
from seller_desk.store.queries.refund_list import RefundListRow, iter_refunds

HEADERS = (
    "Request", "Order", "State", "Source", "Reason", "RMA", "Return status", "Due (UTC)", "Currency",
    "Requested", "Refundable now", "Asked per line", "Refunded per line", "Decision", "Decision amount",
    "Sync state", "Decided by", "Decided at (UTC)", "A-to-z claim",
)  # fmt: skip


def _per_line(lines: Sequence[LineFacts], pick: str) -> str:
    parts = [
        f"{line.order_item_code} {component.value} {amount.to_decimal_string()}"
        for line in lines
        for component, amount in getattr(line, pick).items()
        if amount.is_positive
    ]
    return "; ".join(parts)


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _cells(row: RefundListRow) -> tuple[Cell, ...]:
    f, d = row.facts, row.decision
    return (
        f.request_id, f.order_id, f.state.value, f.source.value, f.reason, f.rma, f.return_status,
        _utc(f.due_at), f.currency, f.requested.to_decimal(), row.refundable.to_decimal(),
        _per_line(f.lines, "asked"), _per_line(f.lines, "refunded"),
        None if d is None else d.kind, None if d is None else d.amount.to_decimal(),
        None if d is None else d.sync_state, None if d is None else d.decided_by,
        None if d is None else _utc(d.decided_at), "yes" if f.a_to_z_claim else "",
    )  # fmt: skip


def refund_rows(
    session: Session, states: Sequence[RefundState], created: tuple[datetime | None, datetime | None]
) -> Iterator[tuple[Cell, ...]]:
    for row in iter_refunds(session, states, created_from=created[0], created_to=created[1]):
        yield _cells(row)


def export_refunds(
    session: Session,
    states: Sequence[RefundState],
    path: Path,
    created: tuple[datetime | None, datetime | None] = (None, None),
) -> Steps:
    """Write the requests in `states` (all when empty), created in [from, to), to `path` (.csv or
    .xlsx), yielding progress."""
    return table_steps(path, HEADERS, refund_rows(session, states, created), sheet="Refunds")
