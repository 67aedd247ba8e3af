"""``load_return_detail``: everything the detail pane shows about one return, in one read transaction.

A handful of small queries, each a seek on an index (primary keys, ``ix_order_lines_order_pk``,
``ix_return_lines_return_id``, ``ix_tracking_events_shipment_id_occurred_at``,
``ix_refund_requests_return_id`` / ``_order_pk``, ``ix_decisions_refund_request_id``,
``ix_inspections_return_id``, ``ix_notes_target_kind_target_id``, ``ix_audit_target_at``,
``ix_mutations_target``), so the cost does not grow with the store: a test checks the plans. One
transaction, so the pane never shows a refund request from after a pull beside lines from before it.
Raw SQL text rather than ORM loads: no identity map or lazy loads on the DB thread, and the rows become
the frozen facts of ``return_detail_facts`` directly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, text

from seller_desk.domain.enums import TrackingStatus
from seller_desk.domain.tracking_progress import tracking_progress
from seller_desk.store.queries.return_detail_facts import (
    DecisionFacts,
    HistoryFacts,
    InspectionFacts,
    NoteFacts,
    OrderFacts,
    OrderLineFacts,
    RefundRequestFacts,
    ReturnDetail,
    ReturnLineFacts,
    ReturnNotFound,
    ShipmentFacts,
    TrackingEventFacts,
)
from seller_desk.store.types import from_epoch

_TRACKING_WORDS = frozenset(s.value for s in TrackingStatus)
HISTORY_LIMIT = 200  # a return's history is a few dozen entries; the cap guards a runaway loop

RETURN_SQL = text("""
SELECT r.*, o.order_id AS o_order_id, o.marketplace AS o_marketplace, o.channel AS o_channel,
       o.purchased_at AS o_purchased_at, o.currency AS o_currency, o.buyer_name AS o_buyer_name
FROM returns r JOIN orders o ON o.id = r.order_pk WHERE r.id = :rid""")
_CREDIT = "CASE WHEN p.component = 'promotion' THEN -p.amount_minor ELSE p.amount_minor END"
ORDER_LINES_SQL = text(f"""
SELECT ol.*,
  (SELECT COALESCE(SUM({_CREDIT}), 0) FROM refund_payments p
   WHERE p.order_line_id = ol.id AND p.settled) AS refunded,
  (SELECT COALESCE(SUM({_CREDIT}), 0) FROM refund_payments p
   WHERE p.order_line_id = ol.id AND NOT p.settled) AS pending
FROM order_lines ol WHERE ol.order_pk = :opk ORDER BY ol.id""")
RETURN_LINES_SQL = text("""
SELECT rl.*, COALESCE(ol.title, s.title) AS title FROM return_lines rl
LEFT JOIN order_lines ol ON ol.id = rl.order_line_id LEFT JOIN skus s ON s.sku = rl.sku
WHERE rl.return_id = :rid ORDER BY rl.id""")
SHIPMENT_SQL = text("SELECT carrier, tracking_number, status, delivered_at FROM shipments WHERE id = :sid")
EVENTS_SQL = text("""
SELECT occurred_at, location, status, raw_code, text FROM tracking_events
WHERE shipment_id = :sid ORDER BY occurred_at DESC, id DESC""")
REFUNDS_SQL = text("""
SELECT *, 0 AS by_order FROM refund_requests WHERE return_id = :rid
UNION ALL
SELECT *, 1 AS by_order FROM refund_requests WHERE order_pk = :opk AND return_id IS NULL
ORDER BY created_at, id""")
DECISIONS_SQL = text("""
SELECT d.refund_request_id, d.kind, d.amount_minor, d.currency, d.decided_by, d.decided_at,
       m.status AS m_status, m.error AS m_error
FROM decisions d LEFT JOIN mutations m ON m.id = d.mutation_id
WHERE d.refund_request_id IN :ids ORDER BY d.decided_at, d.id""").bindparams(bindparam("ids", expanding=True))
INSPECTIONS_SQL = text("SELECT * FROM inspections WHERE return_id = :rid ORDER BY inspected_at, id")
NOTES_SQL = text("""
SELECT text, author, created_at FROM notes WHERE target_kind = 'return' AND target_id = :tid
ORDER BY created_at DESC, id DESC""")
AUDIT_SQL = text("""
SELECT at, user, device, what, target, detail FROM audit WHERE target IN :targets
ORDER BY at DESC, id DESC LIMIT :limit""").bindparams(bindparam("targets", expanding=True))
MUTATIONS_SQL = text("SELECT id, status FROM mutations WHERE target IN :targets").bindparams(
    bindparam("targets", expanding=True)
)


def load_return_detail(conn: Connection, return_id: int) -> ReturnDetail:
    """The detail of return ``return_id``; raises ``ReturnNotFound`` if the store has no such return.

    Reads in one transaction: its own, or the caller's if one is already open on ``conn``."""
    with nullcontext() if conn.in_transaction() else conn.begin():
        r = conn.execute(RETURN_SQL, {"rid": return_id}).mappings().first()
        if r is None:
            raise ReturnNotFound(f"return {return_id} is not in the local store")
        requests = _refund_requests(conn, return_id, r["order_pk"])
        targets = [f"return:{return_id}", *(f"refund_request:{q.refund_request_id}" for q in requests)]
        return ReturnDetail(
            return_id=return_id,
            rma=r["rma"],
            status=r["status"],
            currency=r["currency"],
            value_minor=r["value_minor"],
            requested_at=_at(r["requested_at"]),
            authorized_at=from_epoch(r["authorized_at"]),
            shipped_at=from_epoch(r["shipped_at"]),
            delivered_at=from_epoch(r["delivered_at"]),
            received_at=from_epoch(r["received_at"]),
            inspected_at=from_epoch(r["inspected_at"]),
            closed_at=from_epoch(r["closed_at"]),
            reason=r["reason"],
            reason_raw=r["reason_raw"],
            customer_comment=r["customer_comment"],
            in_policy=bool(r["in_policy"]),
            label_type=r["label_type"],
            label_cost_minor=r["label_cost_minor"],
            label_paid_by=r["label_paid_by"],
            resolution=r["resolution"],
            a_to_z_claim=bool(r["a_to_z_claim"]),
            safet_claim=bool(r["safet_claim"]),
            carrier=r["carrier"],
            tracking_number=r["tracking_number"],
            eta=from_epoch(r["eta"]),
            eta_source=r["eta_source"],
            order=_order(conn, r),
            lines=_return_lines(conn, return_id),
            shipment=_shipment(conn, r["shipment_id"]),
            refund_requests=requests,
            inspections=_inspections(conn, return_id),
            notes=tuple(
                NoteFacts(n.text, n.author, _at(n.created_at))
                for n in conn.execute(NOTES_SQL, {"tid": str(return_id)})
            ),
            history=_history(conn, targets),
        )


def _at(epoch: Any) -> datetime:
    """A NOT NULL timestamp column's value as an aware datetime."""
    value = from_epoch(epoch)
    if value is None:
        raise ValueError("a NOT NULL timestamp column held NULL")
    return value


def _order(conn: Connection, r: Any) -> OrderFacts:
    lines = tuple(
        OrderLineFacts(
            order_line_id=x.id,
            order_item_code=x.order_item_code,
            sku=x.sku,
            title=x.title,
            quantity=x.quantity,
            principal_minor=x.principal_minor,
            shipping_minor=x.shipping_minor,
            tax_minor=x.tax_minor,
            shipping_tax_minor=x.shipping_tax_minor,
            gift_wrap_minor=x.gift_wrap_minor,
            promotion_minor=x.promotion_minor,
            refunded_minor=int(x.refunded),
            refund_pending_minor=int(x.pending),
        )
        for x in conn.execute(ORDER_LINES_SQL, {"opk": r["order_pk"]})
    )
    return OrderFacts(
        order_pk=r["order_pk"],
        order_id=r["o_order_id"],
        marketplace=r["o_marketplace"],
        channel=r["o_channel"],
        purchased_at=_at(r["o_purchased_at"]),
        currency=r["o_currency"],
        buyer_name=r["o_buyer_name"],
        lines=lines,
    )


def _return_lines(conn: Connection, return_id: int) -> tuple[ReturnLineFacts, ...]:
    return tuple(
        ReturnLineFacts(
            return_line_id=x.id,
            order_line_id=x.order_line_id,
            sku=x.sku,
            title=x.title,
            quantity=x.quantity,
            reason=x.reason,
            reason_raw=x.reason_raw,
            in_policy=bool(x.in_policy),
            customer_comment=x.customer_comment,
        )
        for x in conn.execute(RETURN_LINES_SQL, {"rid": return_id})
    )


def _shipment(conn: Connection, shipment_id: int | None) -> ShipmentFacts | None:
    if shipment_id is None:
        return None
    s = conn.execute(SHIPMENT_SQL, {"sid": shipment_id}).first()
    if s is None:
        return None
    events = tuple(
        TrackingEventFacts(_at(e.occurred_at), e.location, e.status, e.raw_code, e.text)
        for e in conn.execute(EVENTS_SQL, {"sid": shipment_id})
    )
    progress = tracking_progress(
        ((e.occurred_at, TrackingStatus(e.status)) for e in events if e.status in _TRACKING_WORDS),
        label_exists=True,
    )
    return ShipmentFacts(s.carrier, s.tracking_number, s.status, from_epoch(s.delivered_at), events, progress)


def _refund_requests(conn: Connection, return_id: int, order_pk: int) -> tuple[RefundRequestFacts, ...]:
    rows = conn.execute(REFUNDS_SQL, {"rid": return_id, "opk": order_pk}).mappings().all()
    decisions: dict[int, DecisionFacts] = {}
    if rows:
        for d in conn.execute(DECISIONS_SQL, {"ids": [q["id"] for q in rows]}):
            decisions[d.refund_request_id] = DecisionFacts(  # ordered oldest first: the newest wins
                d.kind, d.amount_minor, d.currency, d.decided_by, _at(d.decided_at), d.m_status, d.m_error
            )
    return tuple(
        RefundRequestFacts(
            refund_request_id=q["id"],
            state=q["state"],
            source=q["source"],
            reason=q["reason"],
            currency=q["currency"],
            requested_minor=q["requested_minor"],
            refunded_minor=q["refunded_minor"],
            due_at=from_epoch(q["due_at"]),
            a_to_z_claim=bool(q["a_to_z_claim"]),
            linked_by_order=bool(q["by_order"]),
            decision=decisions.get(q["id"]),
        )
        for q in rows
    )


def _inspections(conn: Connection, return_id: int) -> tuple[InspectionFacts, ...]:
    return tuple(
        InspectionFacts(
            sku=x.sku,
            condition=x.condition,
            disposition=x.disposition,
            note=x.note,
            photos=tuple(_json_list(x.photos)),
            inspected_at=_at(x.inspected_at),
            inspected_by=x.inspected_by,
        )
        for x in conn.execute(INSPECTIONS_SQL, {"rid": return_id})
    )


def _history(conn: Connection, targets: Sequence[str]) -> tuple[HistoryFacts, ...]:
    states = {m.id: m.status for m in conn.execute(MUTATIONS_SQL, {"targets": list(targets)})}
    entries = []
    for a in conn.execute(AUDIT_SQL, {"targets": list(targets), "limit": HISTORY_LIMIT}):
        mutation_id = _json_dict(a.detail).get("mutation_id")
        entries.append(HistoryFacts(_at(a.at), a.user, a.device, a.what, a.target, states.get(mutation_id)))
    return tuple(entries)


def _json_list(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return [raw] if raw else []  # a bare path written by hand: still worth showing
    return [str(v) for v in value] if isinstance(value, list) else []


def _json_dict(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
