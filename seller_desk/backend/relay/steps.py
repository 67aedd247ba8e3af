"""The relay's transactions: each one short, each one committed before anything talks to upstream.

Ledger states (``ledger.STATES``): ``pending`` (written by the approval) → ``executing`` (an attempt is
under way, committed *before* the upstream call, with ``attempts`` + 1) → ``executed``; a failed
attempt leaves ``failed`` with ``last_error``, retryable while ``attempts`` < the maximum and final
after it; ``cancelled`` when the request ended upstream before execution. An entry found
``executing`` when no attempt is running is the trace of a crash between the commit and the answer:
it is retried like a failed one, and the reconciliation that starts every attempt finds out whether
the crashed attempt's refund reached upstream.

The refund request's state moves with it through ``ingest.set_refund_state`` (so desktops see it in
the change feed): ``approved → submitted`` with the first attempt, ``→ completed`` when upstream
confirms, ``→ failed`` when the relay gives up. Every transaction locks the seller first (the
``FeedWriter`` rule), then the entry, so the simulator's cancellations and the relay serialize.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.ingest import set_refund_state
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import LedgerEntry, RefundRequest, Seller
from seller_desk.backend.upstream import RefundSubmission
from seller_desk.domain.enums import RefundState

_ENDED = {
    RefundState.CANCELLED: "the customer cancelled the refund request before execution",
    RefundState.AUTO_REFUNDED: "the marketplace refunded the request by itself before execution",
}


@dataclass(frozen=True, slots=True)
class Attempt:
    """One claimed try at executing a ledger entry, with what the upstream call needs."""

    entry_id: int
    attempt: int
    submission: RefundSubmission


def due_entries(db: Database, max_attempts: int, seller_id: int | None = None) -> list[int]:
    """Entries that still need an attempt: pending, orphaned executing, failed but retryable."""
    query = (
        select(LedgerEntry.id)
        .where(
            or_(
                LedgerEntry.state.in_(("pending", "executing")),
                (LedgerEntry.state == "failed") & (LedgerEntry.attempts < max_attempts),
            )
        )
        .order_by(LedgerEntry.id)
    )
    if seller_id is not None:
        query = query.where(LedgerEntry.seller_id == seller_id)
    with db.reading() as session:
        return [int(entry_id) for entry_id in session.execute(query).scalars()]


def _locked(
    db_session: Session, entry_id: int, now: datetime
) -> tuple[FeedWriter, RowMapping, RowMapping] | None:
    """The seller's feed lock first (the ``FeedWriter`` rule), then the entry and its request."""
    seller_id = db_session.execute(
        select(LedgerEntry.seller_id).where(LedgerEntry.id == entry_id)
    ).scalar_one_or_none()
    if seller_id is None:
        return None
    writer = FeedWriter.open(db_session, int(seller_id), now)
    entry = (
        db_session.execute(select(LedgerEntry.__table__).where(LedgerEntry.id == entry_id).with_for_update())
        .mappings()
        .one()
    )
    request = writer.find("refund_request", {"id": entry["refund_request_id"]})
    assert request is not None  # the ledger's foreign key
    return writer, entry, request


def _set_entry(writer: FeedWriter, entry_id: int, **values: Any) -> None:
    writer.session.execute(update(LedgerEntry).where(LedgerEntry.id == entry_id).values(**values))


def begin_attempt(db: Database, entry_id: int, now: datetime, max_attempts: int) -> Attempt | None:
    """Claim the next attempt (``executing``, attempts + 1) and commit; None when nothing is to run."""
    with db.writing() as session:
        found = _locked(session, entry_id, now)
        if found is None:
            return None
        writer, entry, request = found
        retryable = entry["state"] == "failed" and entry["attempts"] < max_attempts
        if entry["state"] not in ("pending", "executing") and not retryable:
            return None
        state: RefundState = request["state"]
        if state in _ENDED or (request["a_to_z_claim"] and state is RefundState.APPROVED):
            _cancel(writer, entry, request)
            return None
        if state is RefundState.APPROVED:
            set_refund_state(writer, int(request["id"]), RefundState.SUBMITTED)
        elif state is not RefundState.SUBMITTED:
            _set_entry(writer, entry_id, state="failed", attempts=max_attempts,
                       last_error=f"the refund request is {state.value}; nothing to execute")  # fmt: skip
            return None
        attempt = int(entry["attempts"]) + 1
        _set_entry(writer, entry_id, state="executing", attempts=attempt)
        seller = session.execute(select(Seller.name).where(Seller.id == entry["seller_id"])).scalar_one()
        submission = RefundSubmission(
            upstream_ref=entry["upstream_ref"],
            seller=seller,
            order_id=entry["order_id"],
            request_external_id=request["external_id"],
            amount_minor=int(entry["amount_minor"]),
            currency=entry["currency"],
            components=tuple(entry["components"] or ()),
        )
        return Attempt(entry_id, attempt, submission)


def _cancel(writer: FeedWriter, entry: RowMapping, request: RowMapping) -> None:
    state: RefundState = request["state"]
    reason = _ENDED.get(state)
    if reason is None:  # an approved request with an A-to-z claim: the marketplace decides it now
        reason = "an A-to-z claim was opened: the marketplace decides this refund"
        set_refund_state(writer, int(request["id"]), RefundState.CANCELLED)
    _set_entry(writer, int(entry["id"]), state="cancelled", last_error=reason)


def finish_executed(db: Database, entry_id: int, now: datetime) -> None:
    """Upstream has the refund: the entry is executed and the request completed (payments settled)."""
    with db.writing() as session:
        found = _locked(session, entry_id, now)
        assert found is not None
        writer, entry, request = found
        if entry["state"] == "executed":
            return
        _set_entry(writer, entry_id, state="executed", executed_at=now, last_error=None)
        if request["state"] is RefundState.SUBMITTED:
            set_refund_state(writer, int(request["id"]), RefundState.COMPLETED)


def record_failure(db: Database, entry_id: int, error: str, now: datetime, *, final: bool) -> None:
    """A failed attempt: retryable (``failed``, attempts < max) or, when ``final``, failed for good."""
    with db.writing() as session:
        found = _locked(session, entry_id, now)
        assert found is not None
        writer, entry, request = found
        if entry["state"] != "executing":
            return
        _set_entry(writer, entry_id, state="failed", last_error=error[:500])
        if final and request["state"] is RefundState.SUBMITTED:
            set_refund_state(writer, int(request["id"]), RefundState.FAILED)


def request_state(db: Database, entry_id: int) -> RefundState | None:
    """The state of the entry's refund request (for tests and logs)."""
    query = (
        select(RefundRequest.state)
        .join(LedgerEntry, LedgerEntry.refund_request_id == RefundRequest.id)
        .where(LedgerEntry.id == entry_id)
    )
    with db.reading() as session:
        return session.execute(query).scalar_one_or_none()
