"""The upstream refund ledger as the operator sees it (``seller-desk backend ledger``).

Entries are written by the approving transaction (``mutations.refund_decision``) in state ``pending``;
the relay (``backend.relay``) moves them to ``executing``, ``executed`` or ``failed`` (retryable until
its last attempt; ``last_error`` says why) and counts ``attempts``; an entry whose request ended
upstream before execution is ``cancelled`` and must never be executed. ``upstream_ref`` is derived
from the mutation id so that, before any resend, the relay can recognise its own earlier submission
in what upstream reports (Amazon has no idempotency).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seller_desk.backend.store.models import LedgerEntry, Seller
from seller_desk.domain.money import Money

STATES = ("pending", "executing", "executed", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class LedgerLine:
    id: int
    seller: str
    refund_id: int
    mutation_id: str
    amount: Money
    state: str
    upstream_ref: str
    attempts: int
    created_at: datetime
    executed_at: datetime | None
    last_error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The CLI's JSON object (design/CLI.md): add fields, never rename them."""
        return {
            "refund_id": self.refund_id,
            "mutation_id": self.mutation_id,
            "amount": {"amount": self.amount.to_decimal_string(), "currency": self.amount.currency},
            "executed_at": self.executed_at.isoformat() if self.executed_at else None,
            "upstream_ref": self.upstream_ref,
            "state": self.state,
            "id": self.id,
            "seller": self.seller,
            "attempts": self.attempts,
            "created_at": self.created_at.isoformat(),
            "last_error": self.last_error,
        }


def list_ledger(session: Session, *, seller_id: int | None = None) -> list[LedgerLine]:
    query = (
        select(LedgerEntry, Seller.name)
        .join(Seller, Seller.id == LedgerEntry.seller_id)
        .order_by(LedgerEntry.id)
    )
    if seller_id is not None:
        query = query.where(LedgerEntry.seller_id == seller_id)
    return [
        LedgerLine(
            id=entry.id,
            seller=seller,
            refund_id=entry.refund_request_id,
            mutation_id=entry.mutation_id,
            amount=Money(entry.amount_minor, entry.currency),
            state=entry.state,
            upstream_ref=entry.upstream_ref,
            attempts=entry.attempts,
            created_at=entry.created_at,
            executed_at=entry.executed_at,
            last_error=entry.last_error,
        )
        for entry, seller in session.execute(query)
    ]
