"""The Refunds screen's queue: requests in tabs, the most urgent refund clock first, a page at a time.

A request's tab joins two facts: its state on the backend (the source of truth) and what this desktop
did to it and has not heard back about yet (a decision mutation still queued, sending or
acknowledged, or one the backend refused as a conflict). Local decisions are few (they live in the
outbox until the backend settles them), so they are read first as small id sets and the big tabs are
plain index ranges on ``refund_requests(state, due_at)``:

* **pending**: pending on the backend, no local decision on its way, no open conflict;
* **awaiting sync**: decided here, not yet confirmed by the backend;
* **submitted**: approved or submitted to the marketplace; **completed**: completed or refunded by the
  marketplace itself; **failed**; **rejected**: rejected or cancelled;
* **conflicts**: the backend refused this desktop's decision and the seller has not resolved it.

Pages are keyset pages on (deadline present, deadline, id): requests with a deadline in deadline
order, then those without one by id, so 50,000 pending requests cost one index range per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Integer, func, literal, or_, select, tuple_, type_coerce
from sqlalchemy.orm import Session

from seller_desk.domain.enums import MutationKind, MutationStatus, RefundState
from seller_desk.domain.money import Money
from seller_desk.domain.refund_review import full_approval
from seller_desk.store.models import Conflict, Decision, Mutation, RefundRequest
from seller_desk.store.refund_facts import chunks, load_many_review_facts


class QueueTab(StrEnum):
    PENDING = "pending"
    AWAITING_SYNC = "awaiting_sync"
    SUBMITTED = "submitted"
    COMPLETED = "completed"
    FAILED = "failed"
    CONFLICTS = "conflicts"
    REJECTED = "rejected"


TAB_TITLES = {
    QueueTab.PENDING: "To decide",
    QueueTab.AWAITING_SYNC: "Decided, awaiting sync",
    QueueTab.SUBMITTED: "Submitted",
    QueueTab.COMPLETED: "Completed",
    QueueTab.FAILED: "Failed",
    QueueTab.CONFLICTS: "Conflicts",
    QueueTab.REJECTED: "Rejected",
}
TAB_STATES: dict[QueueTab, tuple[RefundState, ...]] = {
    QueueTab.PENDING: (RefundState.PENDING,),
    QueueTab.SUBMITTED: (RefundState.APPROVED, RefundState.SUBMITTED),
    QueueTab.COMPLETED: (RefundState.COMPLETED, RefundState.AUTO_REFUNDED),
    QueueTab.FAILED: (RefundState.FAILED,),
    QueueTab.REJECTED: (RefundState.REJECTED, RefundState.CANCELLED),
}
WAITING = (MutationStatus.QUEUED, MutationStatus.SENDING, MutationStatus.ACKNOWLEDGED)
QueueKey = tuple[int, int, int]  # (no deadline: 0/1, deadline epoch or 0, request id)


@dataclass(frozen=True, slots=True)
class LocalDecision:
    mutation_id: str
    status: str  # queued / sending / acknowledged / conflict / settled / rejected
    kind: str
    amount: Money


@dataclass(frozen=True, slots=True)
class QueueRow:
    request_id: int
    order_id: str
    state: RefundState
    source: str
    reason: str | None
    due_at: datetime | None
    requested: Money
    refundable: Money
    items: str  # "LAMP-2 ×2, SHADE-1" (what the request asks for)
    rma: str | None
    return_status: str | None
    inspection: str | None  # "good, like_new" per inspected line
    a_to_z_claim: bool
    needs_authorization: bool
    local: LocalDecision | None
    key: QueueKey


def _request_id(target: str) -> int:
    return int(target.split(":", 1)[1])


def local_sets(session: Session) -> tuple[set[int], set[int]]:
    """(requests with a local decision on its way, requests with an unresolved conflict)."""
    waiting = {
        _request_id(t)
        for (t,) in session.execute(
            select(Mutation.target).where(
                Mutation.kind == MutationKind.REFUND_DECISION, Mutation.status.in_(WAITING)
            )
        )
    }
    conflicted = {
        _request_id(t)
        for (t,) in session.execute(
            select(Mutation.target)
            .join(Conflict, Conflict.mutation_id == Mutation.id)
            .where(Mutation.kind == MutationKind.REFUND_DECISION, Conflict.resolved_at.is_(None))
        )
    }
    return waiting, conflicted


def _tab_filter(tab: QueueTab, waiting: set[int], conflicted: set[int]) -> list[ColumnElement[bool]]:
    if tab == QueueTab.AWAITING_SYNC:
        return [RefundRequest.id.in_(sorted(waiting - conflicted))]
    if tab == QueueTab.CONFLICTS:
        return [RefundRequest.id.in_(sorted(conflicted))]
    clauses: list[ColumnElement[bool]] = [RefundRequest.state.in_(list(TAB_STATES[tab]))]
    mine = waiting | conflicted
    if mine:
        clauses.append(RefundRequest.id.not_in(sorted(mine)))
    return clauses


def _search_filter(search: str) -> list[ColumnElement[bool]]:
    text = search.strip()
    if not text:
        return []
    from seller_desk.store.models import Return

    rma_ids = select(Return.id).where(Return.rma == text).scalar_subquery()
    clauses = [RefundRequest.order_id == text, RefundRequest.return_id == rma_ids]
    if text.isdigit():
        clauses.append(RefundRequest.id == int(text))
    return [or_(*clauses)]


def tab_counts(session: Session) -> dict[QueueTab, int]:
    """How many requests each tab holds (one GROUP BY on the state index, plus the small local sets)."""
    waiting, conflicted = local_sets(session)
    per_state = select(RefundRequest.state, func.count()).group_by(RefundRequest.state)
    by_state = {RefundState(state): int(n) for state, n in session.execute(per_state)}
    mine_states: dict[RefundState, int] = {}
    for part in chunks(sorted(waiting | conflicted)):
        for state, n in session.execute(per_state.where(RefundRequest.id.in_(part))):
            mine_states[RefundState(state)] = mine_states.get(RefundState(state), 0) + int(n)
    counts = {
        tab: sum(by_state.get(s, 0) - mine_states.get(s, 0) for s in states)
        for tab, states in TAB_STATES.items()
    }
    counts[QueueTab.AWAITING_SYNC] = len(waiting - conflicted)
    counts[QueueTab.CONFLICTS] = len(conflicted)
    return counts


_RAW_DUE = type_coerce(RefundRequest.due_at, Integer)


def page_ids(
    session: Session, tab: QueueTab, *, search: str = "", after: QueueKey | None = None, limit: int = 200
) -> list[tuple[int, QueueKey]]:
    """The next `limit` request ids of `tab` after `after`, with their keys."""
    waiting, conflicted = local_sets(session)
    where = [*_tab_filter(tab, waiting, conflicted), *_search_filter(search)]
    out: list[tuple[int, QueueKey]] = []
    if after is None or after[0] == 0:
        stmt = select(RefundRequest.id, _RAW_DUE).where(*where, RefundRequest.due_at.is_not(None))
        if after is not None:
            stmt = stmt.where(
                tuple_(_RAW_DUE, RefundRequest.id) > tuple_(literal(after[1]), literal(after[2]))
            )
        for rid, due in session.execute(stmt.order_by(RefundRequest.due_at, RefundRequest.id).limit(limit)):
            out.append((int(rid), (0, int(due), int(rid))))
        if len(out) == limit:
            return out
        after = None
    undated = select(RefundRequest.id).where(*where, RefundRequest.due_at.is_(None))
    if after is not None:
        undated = undated.where(RefundRequest.id > after[2])
    for (rid,) in session.execute(undated.order_by(RefundRequest.id).limit(limit - len(out))):
        out.append((int(rid), (1, 0, int(rid))))
    return out


def count_tab(session: Session, tab: QueueTab, search: str = "") -> int:
    waiting, conflicted = local_sets(session)
    where = [*_tab_filter(tab, waiting, conflicted), *_search_filter(search)]
    counted = select(func.count()).select_from(RefundRequest).where(*where)
    return int(session.execute(counted).scalar_one())


def _local_decisions(session: Session, ids: Sequence[int]) -> dict[int, LocalDecision]:
    out: dict[int, LocalDecision] = {}
    targets = [f"refund_request:{i}" for i in ids]
    for part in chunks(targets):
        rows = session.execute(
            select(
                Mutation.target,
                Mutation.id,
                Mutation.status,
                Decision.kind,
                Decision.amount_minor,
                Decision.currency,
            )
            .join(Decision, Decision.mutation_id == Mutation.id)
            .where(Mutation.target.in_(part), Mutation.kind == MutationKind.REFUND_DECISION)
            .order_by(Mutation.created_at)
        )
        for target, mid, status, kind, minor, currency in rows:
            out[_request_id(target)] = LocalDecision(
                str(mid), str(status), str(kind), Money(int(minor), currency)
            )
    return out


def _item(sku: str, quantity: int | None) -> str:
    return f"{sku} ×{quantity}" if quantity and quantity > 1 else sku


def load_rows(session: Session, keyed: Sequence[tuple[int, QueueKey]]) -> list[QueueRow]:
    """The queue rows of these ids, in the given order (facts read in one batch)."""
    ids = [rid for rid, _ in keyed]
    facts = load_many_review_facts(session, ids)
    local = _local_decisions(session, ids)
    rows: list[QueueRow] = []
    for rid, key in keyed:
        f = facts.get(rid)
        if f is None:
            continue
        asked = [line for line in f.lines if line.asked]
        items = ", ".join(
            line.sku + (f" ×{line.asked_quantity}" if (line.asked_quantity or 1) > 1 else "")
            for line in asked
        )
        inspected = [str(line.condition) for line in f.lines if line.condition is not None]
        rows.append(
            QueueRow(
                request_id=rid,
                order_id=f.order_id,
                state=f.state,
                source=f.source.value,
                reason=f.reason,
                due_at=f.due_at,
                requested=f.requested,
                refundable=full_approval(f).total(f.currency),
                items=items,
                rma=f.rma,
                return_status=f.return_status,
                inspection=", ".join(inspected) or None,
                a_to_z_claim=f.a_to_z_claim,
                needs_authorization=f.needs_authorization,
                local=local.get(rid),
                key=key,
            )
        )
    return rows
