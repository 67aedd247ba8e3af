"""Local checks before a seller's act is queued, with the domain's rules on the mirrored facts.

The backend checks everything again inside its own transaction and is the authority; these checks
exist so that the seller hears "over the refundable amount" at the moment of clicking Approve, not
minutes later as a conflict. They read the mirrors plus this desktop's own pending decisions, which
count as "approved but not yet settled" (DOMAIN.md "Refundable now").
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from seller_desk.domain.entities import LineAmounts
from seller_desk.domain.enums import (
    ChargeComponent,
    ConditionGrade,
    MutationKind,
    MutationStatus,
    RefundState,
)
from seller_desk.domain.money import Money, percent_of
from seller_desk.domain.policies.refunds import FeeFacts, build_adjustment
from seller_desk.store.models import (
    Decision,
    Inspection,
    Mutation,
    Order,
    OrderLine,
    RefundPayment,
    RefundRequest,
    Return,
    ReturnLine,
)
from seller_desk.wire import RefundDecisionPayload

PENDING = (MutationStatus.QUEUED, MutationStatus.SENDING, MutationStatus.ACKNOWLEDGED)
_COMPONENT_COLUMNS = {c: f"{c.value}_minor" for c in ChargeComponent}


class MutationRefused(Exception):
    """The act cannot be queued as asked; the message says why, for the seller."""


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    order_pk: int
    server_version: int
    net_minor: int


def _add(
    amounts: dict[str, dict[ChargeComponent, Money]], line: str, comp: ChargeComponent, m: Money
) -> None:
    current = amounts[line].get(comp)
    amounts[line][comp] = m if current is None else current + m


def check_refund_decision(conn: Connection, request_id: int, payload: RefundDecisionPayload) -> DecisionFacts:
    """Refuse a decision the mirrors already show to be impossible; return what the local row needs."""
    request = conn.execute(
        select(
            RefundRequest.state, RefundRequest.currency, RefundRequest.order_pk, RefundRequest.server_version
        ).where(RefundRequest.id == request_id)
    ).one_or_none()
    if request is None:
        raise MutationRefused(f"refund request {request_id} is not in the local store; sync, then try again")
    state, currency, order_pk, version = request
    if state != RefundState.PENDING:
        raise MutationRefused(f"refund request {request_id} is already {state} on the backend")
    waiting = conn.execute(
        select(Mutation.id, Mutation.status).where(
            Mutation.target == f"refund_request:{request_id}",
            Mutation.kind == MutationKind.REFUND_DECISION,
            Mutation.status.in_(PENDING),
        )
    ).first()
    if waiting is not None:
        raise MutationRefused(
            f"refund request {request_id} was already decided on this desktop ({waiting[1]}); "
            "undo that decision first"
        )
    if payload.currency != currency:
        raise MutationRefused(f"refund request {request_id} is in {currency}, not {payload.currency}")
    if payload.decision == "reject":
        return DecisionFacts(order_pk, version, 0)
    return DecisionFacts(order_pk, version, _check_amounts(conn, order_pk, currency, payload))


def _check_amounts(conn: Connection, order_pk: int, currency: str, payload: RefundDecisionPayload) -> int:
    cols = [
        OrderLine.id,
        OrderLine.order_item_code,
        *(getattr(OrderLine, c) for c in _COMPONENT_COLUMNS.values()),
    ]
    lines = {row[0]: row for row in conn.execute(select(*cols).where(OrderLine.order_pk == order_pk))}
    code = {line_id: row[1] for line_id, row in lines.items()}
    charged: LineAmounts = {
        row[1]: {c: Money(int(row[2 + i]), currency) for i, c in enumerate(_COMPONENT_COLUMNS)}
        for row in lines.values()
    }
    asked: dict[str, dict[ChargeComponent, Money]] = defaultdict(dict)
    for item in payload.components:
        if item.order_line_id not in lines:
            order_id = conn.execute(select(Order.order_id).where(Order.id == order_pk)).scalar()
            raise MutationRefused(f"order line {item.order_line_id} is not a line of order {order_id}")
        _add(asked, code[item.order_line_id], item.component, Money(item.amount_minor, currency))
    refunded: dict[str, dict[ChargeComponent, Money]] = defaultdict(dict)
    for line_id, comp, amount in conn.execute(
        select(RefundPayment.order_line_id, RefundPayment.component, func.sum(RefundPayment.amount_minor))
        .where(RefundPayment.order_line_id.in_(list(lines)))
        .group_by(RefundPayment.order_line_id, RefundPayment.component)
    ):
        _add(refunded, code[line_id], comp, Money(int(amount), currency))
    pending: dict[str, dict[ChargeComponent, Money]] = defaultdict(dict)
    for line_id, comps in promised_beyond_payments(conn, [order_pk]).items():
        if line_id in code:
            for comp, minor in comps.items():
                _add(pending, code[line_id], comp, Money(minor, currency))
    fees, facts = _fees(conn, payload, asked, code, currency)
    adjustment = build_adjustment(asked, charged, refunded, pending, fees, facts, currency=currency)
    return adjustment.net.amount_minor


Promised = dict[int, dict[ChargeComponent, int]]  # order_line_id -> component -> minor units


def promised_beyond_payments(conn: Connection, order_pks: Sequence[int]) -> Promised:
    """Per order line and component: this desktop's approvals still on their way (queued, sending,
    acknowledged) on these orders, less what the backend's payments of the same request already show.

    An acknowledged approval's payments arrive by pull, possibly over two pages; counting the larger of
    the local approval and its request's mirrored payments counts the money exactly once, before,
    during and after that pull (the payments themselves are counted by the caller).
    """
    local: dict[tuple[int, int, ChargeComponent], int] = defaultdict(int)
    for request_id, components_json in conn.execute(
        select(Decision.refund_request_id, Decision.components)
        .join(Mutation, Mutation.id == Decision.mutation_id)
        .join(RefundRequest, RefundRequest.id == Decision.refund_request_id)
        .where(Decision.id < 0, Decision.kind == "approve", Mutation.status.in_(PENDING))
        .where(RefundRequest.order_pk.in_(list(order_pks)))
    ):
        for item in json.loads(components_json):
            local[(int(request_id), int(item["order_line_id"]), ChargeComponent(item["component"]))] += int(
                item["amount_minor"]
            )
    paid: dict[tuple[int, int, ChargeComponent], int] = defaultdict(int)
    requests = sorted({key[0] for key in local})
    if requests:
        for request_id, line_id, comp, amount in conn.execute(
            select(
                RefundPayment.refund_request_id,
                RefundPayment.order_line_id,
                RefundPayment.component,
                func.sum(RefundPayment.amount_minor),
            )
            .where(RefundPayment.refund_request_id.in_(requests))
            .group_by(RefundPayment.refund_request_id, RefundPayment.order_line_id, RefundPayment.component)
        ):
            paid[(int(request_id), int(line_id), ChargeComponent(comp))] += int(amount)
    out: Promised = defaultdict(dict)
    for (request_id, line_id, comp), minor in local.items():
        beyond = minor - paid.get((request_id, line_id, comp), 0)
        if beyond > 0:
            out[line_id][comp] = out[line_id].get(comp, 0) + beyond
    return out


def _fees(
    conn: Connection, payload: RefundDecisionPayload, asked: LineAmounts, code: dict[int, str], currency: str
) -> tuple[dict[str, Money], dict[str, FeeFacts]]:
    """The restocking fee per line (on the principal refunded) and the return facts its rule needs."""
    if payload.restocking_fee_bp == 0:
        return {}, {}
    fees = {
        line: percent_of(components[ChargeComponent.PRINCIPAL], payload.restocking_fee_bp)
        for line, components in asked.items()
        if ChargeComponent.PRINCIPAL in components
    }
    by_code = {c: line_id for line_id, c in code.items()}
    facts: dict[str, FeeFacts] = {}
    for line in fees:
        row = conn.execute(
            select(ReturnLine.id, ReturnLine.in_policy)
            .where(ReturnLine.order_line_id == by_code[line])
            .limit(1)
        ).first()
        if row is None:
            continue
        condition = conn.execute(
            select(Inspection.condition)
            .where(Inspection.return_line_id == row[0])
            .order_by(Inspection.id.desc())
        ).scalar()
        facts[line] = FeeFacts(
            in_policy=bool(row[1]),
            condition=None if condition is None else ConditionGrade(condition),
            evidence_attached=bool(payload.evidence),
        )
    return fees, facts


RECEIVABLE = ("authorized", "in_transit", "delivered", "lost")


def check_return(conn: Connection, return_id: int, *, for_kind: MutationKind) -> None:
    """A receipt needs a return on its way; an inspection needs it received (locally or on the server)."""
    row = conn.execute(select(Return.status, Return.rma).where(Return.id == return_id)).one_or_none()
    if row is None:
        raise MutationRefused(f"return {return_id} is not in the local store; sync, then try again")
    status, rma = str(row[0]), row[1]
    if for_kind == MutationKind.RETURN_RECEIVED and status not in RECEIVABLE:
        raise MutationRefused(f"return {rma} is {status}; it cannot be received now")
    if for_kind == MutationKind.INSPECTION_RECORDED and status != "received":
        raise MutationRefused(f"return {rma} is {status}; record its receipt before inspecting it")


def check_note_target(conn: Connection, target_kind: str, target_id: int) -> None:
    table = {"return": Return, "order": Order, "refund_request": RefundRequest}[target_kind].__table__
    if conn.execute(select(table.c.id).where(table.c.id == target_id)).first() is None:
        raise MutationRefused(f"{target_kind} {target_id} is not in the local store; sync, then try again")
