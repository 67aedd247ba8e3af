"""The money an approval is checked against, read inside the approving transaction.

Per order line and component (``LineAmounts`` keyed by the order line's id as text):

* charged: the order line's ``*_minor`` columns;
* refunded: ``refund_payments`` marked settled, over every request of the order;
* approved but unsettled: the other ``refund_payments`` of the order.

Every payment row that exists counts (a payment that will never happen is deleted, see
``store.models.refunds``), so with the seller's lock held the sums cannot move under the check, and
``domain.policies.refunds`` decides with the same functions the desktop uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from seller_desk.backend.store.models import Inspection, OrderLine, RefundPayment, ReturnLine
from seller_desk.backend.store.models.orders import COMPONENT_COLUMNS
from seller_desk.domain.enums import ChargeComponent
from seller_desk.domain.money import Money
from seller_desk.domain.policies.refunds import FeeFacts

LineMoney = dict[str, dict[ChargeComponent, Money]]


@dataclass(frozen=True, slots=True)
class OrderMoney:
    lines: dict[int, RowMapping]  # order line id -> row
    charged: LineMoney
    refunded: LineMoney
    approved_unsettled: LineMoney


def order_money(session: Session, order_pk: int, currency: str) -> OrderMoney:
    query = select(OrderLine.__table__).where(OrderLine.order_pk == order_pk)
    lines = {int(row["id"]): row for row in session.execute(query).mappings()}
    charged: LineMoney = {
        str(line_id): {c: Money(int(row[col]), currency) for c, col in COMPONENT_COLUMNS.items()}
        for line_id, row in lines.items()
    }
    settled: dict[str, dict[ChargeComponent, int]] = defaultdict(lambda: defaultdict(int))
    unsettled: dict[str, dict[ChargeComponent, int]] = defaultdict(lambda: defaultdict(int))
    payments = session.execute(
        select(
            RefundPayment.order_line_id,
            RefundPayment.component,
            RefundPayment.amount_minor,
            RefundPayment.settled,
        )
        .join(OrderLine, OrderLine.id == RefundPayment.order_line_id)
        .where(OrderLine.order_pk == order_pk)
    )
    for line_id, component, amount, is_settled in payments:
        (settled if is_settled else unsettled)[str(line_id)][component] += int(amount)
    return OrderMoney(lines, charged, _as_money(settled, currency), _as_money(unsettled, currency))


def _as_money(sums: Mapping[str, Mapping[ChargeComponent, int]], currency: str) -> LineMoney:
    return {line: {c: Money(v, currency) for c, v in comps.items()} for line, comps in sums.items()}


def fee_facts(session: Session, return_id: int | None, evidence: bool) -> dict[str, FeeFacts]:
    """Restocking-fee facts per order line of the request's return (none without a return)."""
    if return_id is None:
        return {}
    lines = session.execute(
        select(ReturnLine.id, ReturnLine.order_line_id, ReturnLine.in_policy).where(
            ReturnLine.return_id == return_id
        )
    ).all()
    grades = {
        row.return_line_id: row.condition
        for row in session.execute(
            select(Inspection.return_line_id, Inspection.condition)
            .where(Inspection.return_id == return_id)
            .order_by(Inspection.inspected_at, Inspection.id)
        )
    }
    facts: dict[str, FeeFacts] = {}
    for line in lines:
        if line.order_line_id is not None:
            facts[str(line.order_line_id)] = FeeFacts(
                in_policy=bool(line.in_policy), condition=grades.get(line.id), evidence_attached=evidence
            )
    return facts
