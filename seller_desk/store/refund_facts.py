"""Reading refund requests' review facts from the mirrors, many at a time.

One pass per table for a whole batch of requests (IN lists of at most 500), never one query per
request: the dialog asks for one, a bulk approval for a thousand, and both go through the same code.
What a request's lines owe is read from four places:

* ``order_lines``: what was charged, per component;
* ``refund_request_lines``: what the request asks;
* ``refund_payments``: what the backend refunded (settled) or approved and not yet settled (pending);
* this desktop's own approvals on the same order still on their way (``decisions`` with negative ids),
  beyond what their request's mirrored payments already show: money promised, so pending too
  (``prechecks.promised_beyond_payments``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

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
from seller_desk.domain.refund_review import LineFacts, ReviewFacts
from seller_desk.store.models import (
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
from seller_desk.store.prechecks import MutationRefused, promised_beyond_payments

CHUNK = 500
COMPONENT_COLUMNS = tuple((c, f"{c.value}_minor") for c in ChargeComponent)
Sums = dict[int, dict[ChargeComponent, int]]  # order_line_id -> component -> minor units
T = TypeVar("T")


class RequestNotFound(MutationRefused):
    """The request is not in the local store (not pulled yet, or deleted on the backend)."""


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _add(sums: Sums, line_id: int, component: Any, amount: Any) -> None:
    comp = ChargeComponent(component)
    sums[line_id][comp] = sums[line_id].get(comp, 0) + int(amount)


def _rows(conn: Connection, stmt_for: Any, keys: Sequence[Any]) -> Iterable[Any]:
    for part in chunks(list(keys)):
        yield from conn.execute(stmt_for(part))


ReturnedLine = tuple[int, bool, str | None, str | None]


def _returned_lines(conn: Connection, return_ids: Sequence[int]) -> dict[int, ReturnedLine]:
    """order_line_id -> (returned quantity, in policy, latest condition, latest disposition)."""
    latest = (
        select(Inspection.condition)
        .where(Inspection.return_line_id == ReturnLine.id)
        .order_by(Inspection.inspected_at.desc(), Inspection.id.desc())
        .limit(1)
    )
    stmt = lambda part: select(  # noqa: E731 - one statement per chunk
        ReturnLine.order_line_id,
        ReturnLine.quantity,
        ReturnLine.in_policy,
        latest.scalar_subquery(),
        latest.with_only_columns(Inspection.disposition).scalar_subquery(),
    ).where(ReturnLine.return_id.in_(part))
    out: dict[int, ReturnedLine] = {}
    for line_id, qty, in_policy, condition, disposition in _rows(conn, stmt, return_ids):
        if line_id is not None:
            out[int(line_id)] = (int(qty), bool(in_policy), condition, disposition)
    return out


def _line_facts(row: Any, currency: str, sums: dict[str, Sums], returned: dict[int, ReturnedLine],
                asked: Sums, asked_qty: dict[int, int]) -> LineFacts:  # fmt: skip
    line_id = int(row[0])
    charged = {c: Money(int(row[5 + i] or 0), currency) for i, (c, _) in enumerate(COMPONENT_COLUMNS)}
    charged = {c: m for c, m in charged.items() if m.is_positive}
    done = {c: Money(v, currency) for c, v in sums["refunded"].get(line_id, {}).items() if v}
    promised = {c: Money(v, currency) for c, v in sums["pending"].get(line_id, {}).items() if v}
    left = refundable_now({"x": charged}, {"x": done}, {"x": promised})["x"]
    ret = returned.get(line_id)
    return LineFacts(
        order_line_id=line_id,
        order_item_code=str(row[1]),
        sku=str(row[2]),
        title=None if row[3] is None else str(row[3]),
        quantity=int(row[4]),
        charged=charged,
        refunded=done,
        pending=promised,
        refundable=left,
        asked={c: Money(v, currency) for c, v in asked.get(line_id, {}).items() if v},
        asked_quantity=asked_qty.get(line_id),
        returned_quantity=None if ret is None else ret[0],
        in_policy=None if ret is None else ret[1],
        condition=None if ret is None or ret[2] is None else ConditionGrade(ret[2]),
        disposition=None if ret is None or ret[3] is None else Disposition(ret[3]),
    )


_REQUEST_COLUMNS = (
    RefundRequest.id,
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


def load_many_review_facts(session: Session, request_ids: Sequence[int]) -> dict[int, ReviewFacts]:
    """The review facts of every request in `request_ids` that the store has (missing ones are left out)."""
    conn = session.connection()
    requests = list(
        _rows(
            conn,
            lambda part: (
                select(*_REQUEST_COLUMNS)
                .join(Order, Order.id == RefundRequest.order_pk)
                .where(RefundRequest.id.in_(part))
            ),
            request_ids,
        )
    )
    order_pks = sorted({int(r[1]) for r in requests})
    line_cols = (OrderLine.id, OrderLine.order_item_code, OrderLine.sku, OrderLine.title, OrderLine.quantity)
    lines_by_order: dict[int, list[Any]] = defaultdict(list)
    for row in _rows(
        conn,
        lambda part: (
            select(*line_cols, OrderLine.order_pk, *(getattr(OrderLine, col) for _, col in COMPONENT_COLUMNS))
            .where(OrderLine.order_pk.in_(part))
            .order_by(OrderLine.id)
        ),
        order_pks,
    ):
        lines_by_order[int(row[5])].append((*row[:5], *row[6:]))
    line_ids = [int(row[0]) for rows in lines_by_order.values() for row in rows]
    asked: dict[int, Sums] = defaultdict(lambda: defaultdict(dict))
    asked_qty: dict[int, dict[int, int]] = defaultdict(dict)
    for req_id, line_id, component, amount, qty in _rows(
        conn,
        lambda part: select(
            RefundRequestLine.refund_request_id,
            RefundRequestLine.order_line_id,
            RefundRequestLine.component,
            RefundRequestLine.amount_minor,
            RefundRequestLine.quantity,
        ).where(RefundRequestLine.refund_request_id.in_(part)),
        request_ids,
    ):
        _add(asked[int(req_id)], int(line_id), component, amount)
        asked_qty[int(req_id)][int(line_id)] = max(int(qty), asked_qty[int(req_id)].get(int(line_id), 0))
    sums: dict[str, Sums] = {"refunded": defaultdict(dict), "pending": defaultdict(dict)}
    for line_id, component, settled, amount in _rows(
        conn,
        lambda part: (
            select(
                RefundPayment.order_line_id,
                RefundPayment.component,
                RefundPayment.settled,
                func.sum(RefundPayment.amount_minor),
            )
            .where(RefundPayment.order_line_id.in_(part))
            .group_by(RefundPayment.order_line_id, RefundPayment.component, RefundPayment.settled)
        ),
        line_ids,
    ):
        _add(sums["refunded" if settled else "pending"], int(line_id), component, amount)
    for line_id, comps in promised_beyond_payments(conn, order_pks).items():
        for comp, amount in comps.items():
            _add(sums["pending"], line_id, comp, amount)
    return_ids = sorted({int(r[3]) for r in requests if r[3] is not None})
    returned = _returned_lines(conn, return_ids)
    returns = {
        int(rid): (rma, str(status))
        for rid, rma, status in _rows(
            conn,
            lambda part: select(Return.id, Return.rma, Return.status).where(Return.id.in_(part)),
            return_ids,
        )
    }
    local: dict[str, str] = {}
    targets = [f"refund_request:{int(r[0])}" for r in requests]
    for target, status in _rows(
        conn,
        lambda part: (
            select(Mutation.target, Mutation.status)
            .where(Mutation.target.in_(part), Mutation.kind == MutationKind.REFUND_DECISION)
            .order_by(Mutation.created_at)
        ),
        targets,
    ):
        local[target] = str(status)  # the latest decision wins (ordered by creation)
    out: dict[int, ReviewFacts] = {}
    for r in requests:
        req_id, order_pk, return_id, currency = int(r[0]), int(r[1]), r[3], str(r[7])
        rma, return_status = returns.get(return_id, (None, None)) if return_id is not None else (None, None)
        out[req_id] = ReviewFacts(
            request_id=req_id,
            order_id=str(r[2]),
            currency=currency,
            state=RefundState(r[4]),
            source=RefundSource(r[5]),
            reason=r[6],
            due_at=r[11],
            server_version=int(r[12]),
            a_to_z_claim=bool(r[10]),
            needs_authorization=bool(r[9]),
            return_id=return_id,
            rma=rma,
            return_status=return_status,
            lines=tuple(
                _line_facts(row, currency, sums, returned, asked[req_id], asked_qty[req_id])
                for row in lines_by_order[order_pk]
            ),
            requested=Money(int(r[8]), currency),
            local_decision=local.get(f"refund_request:{req_id}"),
            marketplace=r[13],
        )
    return out


def load_review_facts(session: Session, request_id: int) -> ReviewFacts:
    """The review snapshot of one request; raises `RequestNotFound` when the store has no such request."""
    found = load_many_review_facts(session, [request_id]).get(request_id)
    if found is None:
        raise RequestNotFound(f"refund request {request_id} is not in the local store; sync, then try again")
    return found
