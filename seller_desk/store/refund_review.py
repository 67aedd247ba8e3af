"""One refund request's review facts from the store, and recording a decision with the checks shown.

`load_review_facts` reads the mirrors once per request (a handful of indexed queries, no ORM objects):
the order lines with their charged amounts, what the request asks, what was paid out or approved
(``refund_payments``: settled is refunded, unsettled is pending), this desktop's own queued approvals
on the order (also pending: they are money promised), and the return's lines with their latest
inspection. `record_decision` turns a draft into the wire payload and queues it through
`outbox.record_mutation`, in the caller's write transaction, with a second audit row that keeps the
policy checks the seller saw.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from seller_desk.domain.enums import (
    ChargeComponent,
    ConditionGrade,
    Disposition,
    MutationKind,
    RefundSource,
    RefundState,
)
from seller_desk.domain.money import Money
from seller_desk.domain.policies.refunds import refundable_now
from seller_desk.domain.refund_review import DecisionDraft, LineFacts, PolicyCheck, ReviewFacts
from seller_desk.store.meta import device_id
from seller_desk.store.models import (
    AuditEntry,
    Decision,
    Inspection,
    Mutation,
    Order,
    OrderLine,
    RefundPayment,
    RefundRequest,
    RefundRequestLine,
    Return,
    ReturnLine,
)
from seller_desk.store.outbox import MutationRefused, record_mutation
from seller_desk.store.prechecks import PENDING
from seller_desk.wire import DecisionComponent, RefundDecisionPayload

__all__ = ["MutationRefused", "load_review_facts", "record_decision"]

_COMPONENT_COLUMNS = tuple((c, f"{c.value}_minor") for c in ChargeComponent)
Sums = dict[int, dict[ChargeComponent, int]]


class RequestNotFound(MutationRefused):
    """The request is not in the local store (not pulled yet, or deleted on the backend)."""


def _sums(rows: object) -> Sums:
    out: Sums = defaultdict(dict)
    for line_id, component, amount in rows:  # type: ignore[attr-defined]
        comp = ChargeComponent(component)
        out[line_id][comp] = out[line_id].get(comp, 0) + int(amount)
    return out


def _money(amounts: dict[ChargeComponent, int], currency: str) -> dict[ChargeComponent, Money]:
    return {c: Money(v, currency) for c, v in amounts.items() if v}


def _queued_approvals(conn: Connection, order_pk: int, line_ids: list[int]) -> Sums:
    """This desktop's approvals on the order that the backend has not settled into payments yet."""
    out: Sums = defaultdict(dict)
    rows = conn.execute(
        select(Decision.components)
        .join(Mutation, Mutation.id == Decision.mutation_id)
        .join(RefundRequest, RefundRequest.id == Decision.refund_request_id)
        .where(Decision.id < 0, Decision.kind == "approve", Mutation.status.in_(PENDING))
        .where(RefundRequest.order_pk == order_pk)
    )
    for (components_json,) in rows:
        for item in json.loads(components_json):
            if item["order_line_id"] in line_ids:
                comp = ChargeComponent(item["component"])
                line = out[item["order_line_id"]]
                line[comp] = line.get(comp, 0) + int(item["amount_minor"])
    return out


ReturnedLine = tuple[int, bool, str | None, str | None]


def _return_lines(conn: Connection, return_id: int | None) -> dict[int, ReturnedLine]:
    """order_line_id -> (returned quantity, in policy, latest condition, latest disposition)."""
    if return_id is None:
        return {}
    latest = (
        select(Inspection.condition, Inspection.disposition)
        .where(Inspection.return_line_id == ReturnLine.id)
        .order_by(Inspection.inspected_at.desc(), Inspection.id.desc())
        .limit(1)
    )
    rows = conn.execute(
        select(
            ReturnLine.order_line_id,
            ReturnLine.quantity,
            ReturnLine.in_policy,
            latest.with_only_columns(Inspection.condition).scalar_subquery(),
            latest.with_only_columns(Inspection.disposition).scalar_subquery(),
        ).where(ReturnLine.return_id == return_id)
    )
    out: dict[int, ReturnedLine] = {}
    for line_id, qty, in_policy, condition, disposition in rows:
        if line_id is not None:
            out[line_id] = (int(qty), bool(in_policy), condition, disposition)
    return out


def load_review_facts(session: Session, request_id: int) -> ReviewFacts:
    """The review snapshot of one request; raises `RequestNotFound` when the store has no such request."""
    conn = session.connection()
    req = conn.execute(
        select(
            RefundRequest.order_pk,
            RefundRequest.order_id,
            RefundRequest.return_id,
            RefundRequest.state,
            RefundRequest.source,
            RefundRequest.reason,
            RefundRequest.currency,
            RefundRequest.requested_minor,
            RefundRequest.needs_authorization,
            RefundRequest.a_to_z_claim,
            RefundRequest.due_at,
            RefundRequest.server_version,
            Order.marketplace,
        )
        .join(Order, Order.id == RefundRequest.order_pk)
        .where(RefundRequest.id == request_id)
    ).one_or_none()
    if req is None:
        raise RequestNotFound(f"refund request {request_id} is not in the local store; sync, then try again")
    order_pk, order_id, return_id, state, source, reason, currency = req[:7]
    requested, needs_auth, claim, due, version, marketplace = req[7:]
    cols = [OrderLine.id, OrderLine.order_item_code, OrderLine.sku, OrderLine.title, OrderLine.quantity]
    lines: Sequence[Any] = conn.execute(
        select(*cols, *(getattr(OrderLine, col) for _, col in _COMPONENT_COLUMNS))
        .where(OrderLine.order_pk == order_pk)
        .order_by(OrderLine.id)
    ).all()
    line_ids = [int(row[0]) for row in lines]
    asked = _sums(
        conn.execute(
            select(
                RefundRequestLine.order_line_id, RefundRequestLine.component, RefundRequestLine.amount_minor
            ).where(RefundRequestLine.refund_request_id == request_id)
        )
    )
    asked_qty: dict[int, int] = {
        int(line_id): int(qty)
        for line_id, qty in conn.execute(
            select(RefundRequestLine.order_line_id, func.max(RefundRequestLine.quantity))
            .where(RefundRequestLine.refund_request_id == request_id)
            .group_by(RefundRequestLine.order_line_id)
        )
    }
    paid = conn.execute(
        select(
            RefundPayment.order_line_id,
            RefundPayment.component,
            RefundPayment.settled,
            func.sum(RefundPayment.amount_minor),
        )
        .where(RefundPayment.order_line_id.in_(line_ids))
        .group_by(RefundPayment.order_line_id, RefundPayment.component, RefundPayment.settled)
    ).all()
    refunded = _sums((r[0], r[1], r[3]) for r in paid if r[2])
    pending = _sums((r[0], r[1], r[3]) for r in paid if not r[2])
    for line_id, comps in _queued_approvals(conn, order_pk, line_ids).items():
        for comp, amount in comps.items():
            pending[line_id][comp] = pending[line_id].get(comp, 0) + amount
    returned = _return_lines(conn, return_id)
    facts_lines: list[LineFacts] = []
    for row in lines:
        line_id = int(row[0])
        charged = {c: Money(int(row[5 + i] or 0), currency) for i, (c, _) in enumerate(_COMPONENT_COLUMNS)}
        charged = {c: m for c, m in charged.items() if m.is_positive}
        done = _money(refunded.get(line_id, {}), currency)
        promised = _money(pending.get(line_id, {}), currency)
        left = refundable_now({"x": charged}, {"x": done}, {"x": promised})["x"]
        ret = returned.get(line_id)
        facts_lines.append(
            LineFacts(
                order_line_id=line_id,
                order_item_code=str(row[1]),
                sku=str(row[2]),
                title=None if row[3] is None else str(row[3]),
                quantity=int(str(row[4])),
                charged=charged,
                refunded=done,
                pending=promised,
                refundable=left,
                asked=_money(asked.get(line_id, {}), currency),
                asked_quantity=asked_qty.get(line_id),
                returned_quantity=None if ret is None else ret[0],
                in_policy=None if ret is None else ret[1],
                condition=None if ret is None or ret[2] is None else ConditionGrade(ret[2]),
                disposition=None if ret is None or ret[3] is None else Disposition(ret[3]),
            )
        )
    rma, return_status = (None, None)
    if return_id is not None:
        got = conn.execute(select(Return.rma, Return.status).where(Return.id == return_id)).one_or_none()
        if got is not None:
            rma, return_status = got[0], str(got[1])
    local = conn.execute(
        select(Mutation.status)
        .where(
            Mutation.target == f"refund_request:{request_id}", Mutation.kind == MutationKind.REFUND_DECISION
        )
        .order_by(Mutation.created_at.desc())
        .limit(1)
    ).scalar()
    return ReviewFacts(
        request_id=request_id,
        order_id=order_id,
        currency=currency,
        state=RefundState(state),
        source=RefundSource(source),
        reason=reason,
        due_at=due,
        server_version=int(version),
        a_to_z_claim=bool(claim),
        needs_authorization=bool(needs_auth),
        return_id=return_id,
        rma=rma,
        return_status=return_status,
        lines=tuple(facts_lines),
        requested=Money(int(requested), currency),
        local_decision=None if local is None else str(local),
        marketplace=marketplace,
    )


def decision_payload(
    facts: ReviewFacts, draft: DecisionDraft, *, user: str | None, now: datetime
) -> RefundDecisionPayload:
    """The wire payload of a draft, components in line then component order (deterministic)."""
    components = [
        DecisionComponent(order_line_id=line_id, component=comp, amount_minor=amount.amount_minor)
        for line_id in sorted(draft.amounts)
        for comp in ChargeComponent
        if (amount := draft.amounts[line_id].get(comp)) is not None and amount.is_positive
    ]
    return RefundDecisionPayload(
        decision=draft.kind.value,
        currency=facts.currency,
        components=components,
        restocking_fee_bp=draft.restocking_fee_bp,
        evidence=list(draft.evidence),
        reason=draft.reason,
        customer_message=(draft.customer_message or None),
        decided_by=user,
        decided_at=now,
    )


def record_decision(
    session: Session,
    draft: DecisionDraft,
    *,
    user: str | None,
    checks: Sequence[PolicyCheck],
    now: datetime | None = None,
    facts: ReviewFacts | None = None,
) -> Mutation:
    """Queue the decision (mutation, outbox, local decision row, audit) and keep the checks shown.

    Raises `MutationRefused` or the domain's `PolicyViolation` without writing anything. Runs in the
    caller's write transaction (``store.writing()`` / a write unit of work) and never commits.
    """
    now = now or datetime.now(UTC)
    facts = facts or load_review_facts(session, draft.request_id)
    payload = decision_payload(facts, draft, user=user, now=now)
    device = device_id(session)
    mutation = record_mutation(
        session,
        MutationKind.REFUND_DECISION,
        f"refund_request:{draft.request_id}",
        payload,
        None,
        user,
        device,
        now=now,
    )
    session.add(
        AuditEntry(
            at=now,
            user=user,
            device=device,
            what="refund_decision.checks_shown",
            target=f"refund_request:{draft.request_id}",
            detail=json.dumps(
                {
                    "mutation_id": mutation.id,
                    "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
                }
            ),
        )
    )
    session.flush()
    return mutation
