"""The server side of the desktop's refund-cap property: a shop whose refunds move by themselves.

``RefundWorld`` is the protocol-keeping ``FakeBackend`` seeded with orders whose lines carry several
units and every kind of charge component (a promotion too, which a refund gives back as a debit),
plus the server events a desktop learns of only by pulling: another desktop's approval (sent through
the same mutation code as this desktop's), a marketplace auto-refund of some components, a refund
settled, a submission that failed and went back to ``approved`` for a retry, a customer cancelling, a
new request. Every event writes rows with the desktop mirror's columns into the change feed, so the
desktop's real pull code (``sync.pull`` → ``store.mirror.apply_page``) applies them.

The world keeps the server's own promise — refunded + approved ≤ charged per line and component —
as the real backend does (``tests/backend/test_refund_invariants.py`` proves that one), and it records
which payments came from *outside* this desktop, so the desktop's property can tell money it could
not have known of from a cap it broke itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from seller_desk.store.types import to_epoch
from seller_desk.wire import MutationIn
from tests.sync.fakes import FakeBackend, KeyRecord

COMPONENTS = ("principal", "shipping", "tax", "promotion")
# Two orders of two lines; (units, principal, shipping, tax, promotion) per line.
LINES: dict[int, dict[int, tuple[int, int, int, int, int]]] = {
    1: {11: (2, 2000, 500, 200, 300), 12: (1, 1500, 0, 150, 0)},
    2: {21: (3, 900, 300, 90, 0), 22: (2, 4000, 600, 400, 500)},
}


@dataclass
class RefundWorld(FakeBackend):
    foreign_payments: set[int] = field(default_factory=set)  # payment ids that did not come from this desk
    next_request: int = 100

    def seed_shop(self) -> None:
        now = to_epoch(self.clock.now())
        for order, lines in LINES.items():
            self.put("orders", order, order_id=f"111-{order:07d}-0000001", marketplace="US", channel="MFN",
                     purchased_at=now - 86400 * 20, currency="USD", buyer_name=f"Buyer {order}")  # fmt: skip
            for line_id, (units, principal, shipping, tax, promotion) in lines.items():
                self.put("order_lines", line_id, order_pk=order, order_item_code=f"OI{line_id}",
                         sku=f"SKU-{line_id}", asin=None, title=f"Item {line_id}", quantity=units,
                         principal_minor=principal, shipping_minor=shipping, tax_minor=tax,
                         shipping_tax_minor=0, gift_wrap_minor=0, promotion_minor=promotion)  # fmt: skip
            for _ in range(2):
                self.new_request(order)

    def new_request(self, order: int) -> int:
        """A pending request for the principal of every line of ``order`` (one unit's worth each)."""
        request_id = self.next_request
        self.next_request += 1
        now = to_epoch(self.clock.now())
        lines = LINES[order]
        asked = {line: principal // units for line, (units, principal, *_rest) in lines.items()}
        self.put("refund_requests", request_id, order_pk=order, order_id=f"111-{order:07d}-0000001",
                 return_id=None, state="pending", source="customer", reason="defective", currency="USD",
                 requested_minor=sum(asked.values()), refunded_minor=0, needs_authorization=False,
                 a_to_z_claim=False, created_at=now, due_at=now + 2 * 86400, updated_at=now)  # fmt: skip
        for line, amount in asked.items():
            self.put("refund_request_lines", request_id * 100 + line, refund_request_id=request_id,
                     order_line_id=line, quantity=1, component="principal", amount_minor=amount)  # fmt: skip
        return request_id

    def order_of(self, request_id: int) -> int:
        return int(self.rows["refund_requests"][request_id]["order_pk"])

    def left(self, line: int, component: str) -> int:
        """Refundable now on the server: charged - every payment that exists (settled or not)."""
        return self.charged(line, component) - self.paid(line, component)

    def _payment_ids(self) -> set[int]:
        return set(self.rows.get("refund_payments", {}))

    # -- events from outside this desktop ------------------------------------------------------------
    def other_desktop_decides(self, request_id: int, components: list[dict[str, Any]]) -> int:
        """Another desktop's decision, through the same server code as this desktop's POSTs; the status."""
        before = self._payment_ids()
        payload: dict[str, Any] = {"currency": "USD", "decided_at": self.clock.now().isoformat()}
        if components:
            payload.update(decision="approve", components=components)
        else:
            payload.update(decision="reject", reason="not returned")
        target = f"refund_request:{request_id}"
        body = MutationIn(mutation_id=uuid.uuid4(), kind="refund_decision", target=target, payload=payload,
                          base_version=None, device_id="desk-b")  # fmt: skip
        key = uuid.uuid4().hex
        self.keys[key] = KeyRecord(body_hash=key)
        status = self._finish(key, body).status_code
        self._mark_foreign(before)
        return status

    def marketplace_refunds(self, request_id: int, components: list[tuple[int, str, int]]) -> bool:
        """The marketplace refunds by itself (auto_refunded): the seller's unsent payments of the request
        are voided, then what it paid (within what is left) is recorded settled."""
        request = self.rows["refund_requests"][request_id]
        if request["state"] not in ("pending", "approved"):
            return False
        for payment in self._payments(request_id):
            self.remove("refund_payments", payment["id"])
        before = self._payment_ids()
        paid = 0
        for line, component, amount in components:
            amount = min(amount, self.left(line, component))
            if amount > 0:
                self.put("refund_payments", self.new_id(), refund_request_id=request_id, order_line_id=line,
                         component=component, amount_minor=amount, settled=True)  # fmt: skip
                paid += amount
        self.put("refund_requests", request_id, state="auto_refunded", refunded_minor=paid)
        self._mark_foreign(before)
        return True

    def _mark_foreign(self, before: set[int]) -> None:
        for payment_id in self._payment_ids() - before:
            self.foreign_payments.add(payment_id)

    # -- the relay and upstream ------------------------------------------------------------------------
    def relay_moves(self, request_id: int, outcome: str) -> bool:
        """One step of a request's life after approval: ``submit`` (approved → submitted), ``complete``
        (submitted → completed, payments settled), ``fail`` (submitted → failed), ``retry`` (failed →
        approved). False when the request is not where the step starts."""
        start, end = {"submit": ("approved", "submitted"), "complete": ("submitted", "completed"),
                      "fail": ("submitted", "failed"), "retry": ("failed", "approved")}[outcome]  # fmt: skip
        if self.rows["refund_requests"][request_id]["state"] != start:
            return False
        extra: dict[str, Any] = {}
        if outcome == "complete":
            for payment in self._payments(request_id):
                self.put("refund_payments", payment["id"], settled=True)
            extra["refunded_minor"] = sum(p["amount_minor"] for p in self._payments(request_id))
        self.put("refund_requests", request_id, state=end, updated_at=to_epoch(self.clock.now()), **extra)
        return True

    def server_paid(self) -> dict[tuple[int, str], int]:
        totals: dict[tuple[int, str], int] = {}
        for payment in self.rows.get("refund_payments", {}).values():
            key = (int(payment["order_line_id"]), str(payment["component"]))
            totals[key] = totals.get(key, 0) + int(payment["amount_minor"])
        return totals
