"""Refund requests for scripts and exports: keyset pages in refund-clock order, with the money and the
latest decision each one needs.

The Refunds screen has its own queue query with tabs and counts; this one is the plain listing behind
``seller-desk refunds list`` and ``export refunds``: requests in the given server states, the most
urgent deadline first (no deadline last), read a page at a time so a hundred thousand requests never sit
in memory. Each page's review facts come in one batch (`refund_facts`), which gives "refundable now"
exactly as the decision dialog computes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from seller_desk.domain.enums import RefundState
from seller_desk.domain.money import Money
from seller_desk.domain.refund_review import ReviewFacts, full_approval
from seller_desk.store.models import Decision, Mutation, RefundRequest
from seller_desk.store.refund_facts import chunks, load_many_review_facts

PAGE = 500
_NO_DUE = 2**62  # sorts requests without a deadline after every real one


@dataclass(frozen=True, slots=True)
class DecisionSummary:
    kind: str
    amount: Money
    sync_state: str  # the local mutation's status, or "server" for a decision made elsewhere
    decided_by: str | None
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class RefundListRow:
    facts: ReviewFacts
    refundable: Money  # what approving in full would refund now
    decision: DecisionSummary | None


def _latest_decisions(session: Session, ids: Sequence[int]) -> dict[int, DecisionSummary]:
    out: dict[int, DecisionSummary] = {}
    for part in chunks(list(ids)):
        rows = session.execute(
            select(
                Decision.refund_request_id,
                Decision.kind,
                Decision.amount_minor,
                Decision.currency,
                Decision.decided_by,
                Decision.decided_at,
                Mutation.status,
            )
            .outerjoin(Mutation, Mutation.id == Decision.mutation_id)
            .where(Decision.refund_request_id.in_(part))
            .order_by(Decision.decided_at, Decision.id)
        )
        for request_id, kind, minor, currency, by, at, status in rows:
            sync = "server" if status is None else str(status)
            out[int(request_id)] = DecisionSummary(str(kind), Money(int(minor), currency), sync, by, at)
    return out


def iter_refunds(
    session: Session,
    states: Sequence[RefundState] = (),
    *,
    limit: int | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
) -> Iterator[RefundListRow]:
    """Requests in `states` (all when empty) created in [created_from, created_to), the most urgent
    deadline first, then by id."""
    due_key = func.coalesce(type_coerce(RefundRequest.due_at, Integer), _NO_DUE)  # epoch seconds
    after: tuple[int, int] | None = None
    given = 0
    while limit is None or given < limit:
        stmt = select(RefundRequest.id, due_key).order_by(due_key, RefundRequest.id)
        if states:
            stmt = stmt.where(RefundRequest.state.in_(list(states)))
        if created_from is not None:
            stmt = stmt.where(RefundRequest.created_at >= created_from)
        if created_to is not None:
            stmt = stmt.where(RefundRequest.created_at < created_to)
        if after is not None:
            key, last_id = after
            stmt = stmt.where(or_(due_key > key, and_(due_key == key, RefundRequest.id > last_id)))
        want = PAGE if limit is None else min(PAGE, limit - given)
        page = session.execute(stmt.limit(want)).all()
        if not page:
            return
        ids = [int(row[0]) for row in page]
        facts = load_many_review_facts(session, ids)
        decisions = _latest_decisions(session, ids)
        for request_id in ids:
            f = facts[request_id]
            refundable = full_approval(f).total(f.currency)
            yield RefundListRow(f, refundable, decisions.get(request_id))
        given += len(page)
        after = (int(page[-1][1]), ids[-1])
        if len(page) < want:
            return
