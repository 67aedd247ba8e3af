"""Receiving at the bench: find the return a scanned or typed key names, and record its receipt.

A seller at the bench holds a parcel and scans whatever barcode is on it — the return label's tracking
number, the RMA on the packing slip, or the order id on the invoice — so one key is tried against all
three (each has an index on ``returns``). Scanners send upper case and typists do not; both spellings
are tried. An order id can name several returns (one per parcel); receiving one of them from an order
id alone would be a guess, so that key is refused with the RMAs to scan instead. The receipt itself is
an ordinary mutation (``record_mutation``): shown at once, queued for the backend, undoable while queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

from seller_desk.domain.enums import MutationKind
from seller_desk.store.meta import device_id
from seller_desk.store.outbox import MutationRefused, record_mutation
from seller_desk.store.prechecks import RECEIVABLE

_FIND = text(
    "SELECT id, rma, status, order_id FROM returns WHERE rma IN (:k, :ku) "
    "UNION SELECT id, rma, status, order_id FROM returns WHERE tracking_number IN (:k, :ku) "
    "UNION SELECT id, rma, status, order_id FROM returns WHERE order_id IN (:k, :ku) "
    "ORDER BY id LIMIT 50"
)


class ReceiveRefused(MutationRefused):
    """The key names no return, or several, or one that cannot be received now; nothing was written."""


class ReturnMatch(NamedTuple):
    id: int
    rma: str
    status: str
    order_id: str


@dataclass(frozen=True, slots=True)
class Received:
    key: str
    return_id: int
    rma: str
    mutation_id: str


def find_returns(session: Session, key: str) -> list[ReturnMatch]:
    """Returns whose RMA, return tracking number or order id is ``key`` (as typed or upper-cased)."""
    key = key.strip()
    if not key:
        return []
    rows = session.execute(_FIND, {"k": key, "ku": key.upper()})
    return [ReturnMatch(*row) for row in rows]


def receive_by_key(session: Session, key: str, *, user: str | None, now: datetime | None = None) -> Received:
    """Record the receipt of the one return ``key`` names; raise ``ReceiveRefused`` saying why not."""
    shown = key.strip()
    matches = find_returns(session, shown)
    if not matches:
        raise ReceiveRefused(f"{shown!r}: no return has this RMA, tracking number or order id")
    waiting = [m for m in matches if m.status in RECEIVABLE]
    if len(waiting) > 1:
        rmas = ", ".join(m.rma for m in waiting)
        raise ReceiveRefused(
            f"{shown!r} names {len(waiting)} returns awaiting receipt ({rmas}); scan the parcel's RMA or "
            "tracking number instead"
        )
    if not waiting:
        states = ", ".join(f"{m.rma} is {m.status}" for m in matches)
        raise ReceiveRefused(f"{shown!r}: nothing to receive ({states})")
    match = waiting[0]
    when = now or datetime.now(UTC)
    try:
        mutation = record_mutation(
            session,
            MutationKind.RETURN_RECEIVED,
            f"return:{match.id}",
            {"received_at": when.isoformat()},
            None,
            user,
            device_id(session),
            now=when,
        )
    except MutationRefused as exc:
        raise ReceiveRefused(f"{shown!r}: {exc}") from exc
    return Received(shown, match.id, match.rma, mutation.id)
