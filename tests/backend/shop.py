"""One seller's world in the test database, and a desktop's view of the API.

Every test gets its own seller (``Shop``), so tests share one live server and one database per
backend kind without seeing each other's rows: that is also what tenancy promises. Records are built
as domain objects and written with the backend's ingest helpers, as the simulator will.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from seller_desk.backend.ingest import ingest_order, ingest_refund_request, ingest_return, ingesting
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import ChangeRow
from seller_desk.backend.tenancy import create_device_token
from seller_desk.domain.entities import Order, OrderLine, Shipment
from seller_desk.domain.enums import (
    Channel,
    ChargeComponent,
    RefundSource,
    RefundState,
    ReturnStatus,
    ShipmentDirection,
)
from seller_desk.domain.money import Money
from seller_desk.domain.return_entities import RefundRequest, Return, ReturnLine

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
P, SHIP, TAX = ChargeComponent.PRINCIPAL, ChargeComponent.SHIPPING, ChargeComponent.TAX


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Seeded:
    order_pk: int
    order_id: str
    line_ids: dict[str, int]
    request_id: int
    return_id: int | None = None
    tracking_number: str | None = None


@dataclass
class Shop:
    db: Database
    base_url: str
    seller_id: int
    seller_name: str
    device_id: int
    token: str
    client: httpx.Client = field(repr=False)

    @classmethod
    def open(cls, db: Database, base_url: str, *, verify: bool = True) -> Shop:
        name = f"seller-{uuid.uuid4().hex[:10]}"
        with db.writing() as session:
            issued = create_device_token(session, name, "bench-pc", now())
        client = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {issued.token}"}, timeout=30, verify=verify
        )
        return cls(db, base_url, issued.seller_id, name, issued.device_id, issued.token, client)

    def close(self) -> None:
        self.client.close()

    def writer(self) -> Any:
        return ingesting(self.db, self.seller_id, now())

    # -- seeding -----------------------------------------------------------------------------------
    def seed(
        self,
        *,
        lines: dict[str, dict[ChargeComponent, int]] | None = None,
        requested: dict[str, dict[ChargeComponent, int]] | None = None,
        with_return: bool = False,
        return_status: ReturnStatus = ReturnStatus.AUTHORIZED,
        in_policy: bool = True,
        currency: str = "USD",
    ) -> Seeded:
        """An order (default: one line, principal 20.00, shipping 5.00, tax 2.00), optionally a return
        with an inbound parcel, and a pending refund request (default: the principal)."""
        lines = lines or {"L1": {P: 2000, SHIP: 500, TAX: 200}}
        requested = requested or {code: {P: comps[P]} for code, comps in lines.items() if P in comps}
        order_id = f"111-{uuid.uuid4().int % 10**7:07d}-{uuid.uuid4().int % 10**7:07d}"
        order = Order(
            order_id=order_id,
            marketplace="US",
            channel=Channel.MFN,
            purchased_at=T0,
            currency=currency,
            lines=tuple(
                OrderLine(code, f"SKU-{code}", f"B0{code}", f"Item {code}", 1,
                          {c: Money(v, currency) for c, v in comps.items()})
                for code, comps in lines.items()
            ),
        )  # fmt: skip
        rma, tracking = None, None
        with self.writer() as writer:
            keys = ingest_order(writer, order)
            return_id = None
            if with_return:
                rma = f"R{uuid.uuid4().hex[:11].upper()}"
                tracking = f"1Z{uuid.uuid4().hex[:16].upper()}"
                ret = Return(
                    rma=rma,
                    order_id=order_id,
                    status=return_status,
                    lines=tuple(
                        ReturnLine.from_raw(
                            f"SKU-{code}", 1, "CR-DEFECTIVE", in_policy=in_policy, order_item_code=code
                        )
                        for code in lines
                    ),
                    requested_at=T0 + timedelta(days=1),
                    authorized_at=T0 + timedelta(days=1),
                    shipment=Shipment("UPS", tracking, ShipmentDirection.INBOUND),
                )
                return_id = ingest_return(writer, ret).return_id
            request = RefundRequest(
                request_id=f"RR-{uuid.uuid4().hex[:12]}",
                order_id=order_id,
                state=RefundState.PENDING,
                source=RefundSource.RETURN if with_return else RefundSource.CUSTOMER,
                reason="CR-DEFECTIVE",
                currency=currency,
                requested={
                    code: {c: Money(v, currency) for c, v in comps.items()}
                    for code, comps in requested.items()
                },
                created_at=T0 + timedelta(days=2),
                rma=rma,
                due_at=T0 + timedelta(days=4),
            )
            request_pk = ingest_refund_request(writer, request)
        return Seeded(keys.order_pk, order_id, keys.line_ids, request_pk, return_id, tracking)

    def add_request(
        self,
        order_id: str,
        requested: dict[str, dict[ChargeComponent, int]],
        *,
        source: RefundSource = RefundSource.A_TO_Z,
        currency: str = "USD",
    ) -> int:
        """Another pending refund request for an order already seeded (e.g. from an A-to-z claim)."""
        request = RefundRequest(
            request_id=f"RR-{uuid.uuid4().hex[:12]}",
            order_id=order_id,
            state=RefundState.PENDING,
            source=source,
            reason="claim",
            currency=currency,
            requested={
                code: {c: Money(v, currency) for c, v in comps.items()} for code, comps in requested.items()
            },
            created_at=T0 + timedelta(days=3),
        )
        with self.writer() as writer:
            return ingest_refund_request(writer, request)

    # -- the API ------------------------------------------------------------------------------------
    def post(self, body: dict[str, Any], key: str | None = None, **headers: str) -> httpx.Response:
        all_headers = {"Idempotency-Key": key or str(uuid.uuid4()), **headers}
        return self.client.post("/v1/mutations", json=body, headers=all_headers)

    def changes(self, cursor: str | None = None, limit: int | None = None) -> httpx.Response:
        params: dict[str, Any] = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        return self.client.get("/v1/changes", params=params)

    def pull_all(self, limit: int = 1000) -> tuple[list[dict[str, Any]], str]:
        """Every change from a bootstrap to the end; (changes, last cursor)."""
        changes: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            response = self.changes(cursor, limit)
            assert response.status_code == 200, response.text
            page = response.json()
            changes.extend(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return changes, cursor

    def change_count(self) -> int:
        with self.db.reading() as session:
            return int(
                session.execute(
                    select(func.count()).where(ChangeRow.seller_id == self.seller_id)
                ).scalar_one()
            )


def mutation(kind: str, target: str, payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "kind": kind,
        "target": target,
        "payload": payload,
        "device_id": "desk-1",
        **extra,
    }


def approval(
    request_id: int,
    components: list[tuple[int, str, int]],
    *,
    currency: str = "USD",
    base_version: int | None = None,
    **payload: Any,
) -> dict[str, Any]:
    body = {
        "decision": "approve",
        "currency": currency,
        "components": [
            {"order_line_id": line, "component": component, "amount_minor": amount}
            for line, component, amount in components
        ],
        "decided_at": now().isoformat(),
        "decided_by": "ana",
        **payload,
    }
    return mutation("refund_decision", f"refund_request:{request_id}", body, base_version=base_version)


def rejection(request_id: int, reason: str = "item not returned") -> dict[str, Any]:
    payload = {"decision": "reject", "currency": "USD", "reason": reason, "decided_at": now().isoformat()}
    return mutation("refund_decision", f"refund_request:{request_id}", payload)
