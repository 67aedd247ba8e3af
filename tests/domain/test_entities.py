"""Entities: invariants are checked when a record is built, and records cannot be changed afterwards."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from seller_desk.domain.entities import (
    Order,
    OrderLine,
    Shipment,
    SkuStock,
    TrackingEvent,
)
from seller_desk.domain.enums import (
    CanonicalReason,
    Channel,
    ChargeComponent,
    ConditionGrade,
    DecisionKind,
    Disposition,
    RefundSource,
    RefundState,
    ReturnStatus,
    ShipmentDirection,
    TrackingStatus,
)
from seller_desk.domain.errors import IllegalTransition, InvariantViolation
from seller_desk.domain.money import Money
from seller_desk.domain.return_entities import (
    Decision,
    Inspection,
    RefundRequest,
    Return,
    ReturnLine,
)

P, S, T = ChargeComponent.PRINCIPAL, ChargeComponent.SHIPPING, ChargeComponent.TAX
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


def line(code: str = "111", **charged: int) -> OrderLine:
    amounts = {ChargeComponent(k): usd(v) for k, v in (charged or {"principal": 2000, "tax": 160}).items()}
    return OrderLine(code, "SKU-1", "B000TEST", "Mug", 2, amounts)


def order(*lines: OrderLine) -> Order:
    return Order("111-2222222-3333333", "US", Channel.MFN, NOW, "USD", lines or (line(),))


# -- orders ------------------------------------------------------------------------------------------


def test_order_totals_and_lookup() -> None:
    o = order(line("a", principal=2000, promotion=500, tax=120), line("b", principal=1000, shipping=499))
    assert o.total_charged == usd(2000 - 500 + 120 + 1000 + 499)
    assert o.line("b").charged_for(S, "USD") == usd(499)
    assert o.line("a").charged_for(S, "USD") == usd(0)
    assert set(o.charged_by_line) == {"a", "b"}
    with pytest.raises(KeyError):
        o.line("zzz")


def test_order_line_amounts_cannot_be_mutated() -> None:
    source = {P: usd(100)}
    ol = OrderLine("1", "SKU", "ASIN", "t", 1, source)
    source[P] = usd(999)
    assert ol.charged[P] == usd(100)
    with pytest.raises(TypeError):
        ol.charged[P] = usd(1)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ol.quantity = 3  # type: ignore[misc]


@pytest.mark.parametrize("quantity", [0, -1, 1.5])
def test_order_line_quantity_must_be_positive_int(quantity: int) -> None:
    with pytest.raises(InvariantViolation, match="quantity"):
        OrderLine("1", "SKU", "ASIN", "t", quantity, {P: usd(1)})


def test_order_line_rejects_negative_or_mixed_currency_amounts() -> None:
    with pytest.raises(InvariantViolation, match="negative"):
        OrderLine("1", "SKU", "A", "t", 1, {P: usd(-1)})
    with pytest.raises(InvariantViolation, match="mixes currencies"):
        OrderLine("1", "SKU", "A", "t", 1, {P: usd(1), T: Money(1, "EUR")})
    with pytest.raises(InvariantViolation, match="ChargeComponent"):
        OrderLine("1", "SKU", "A", "t", 1, {"principal": usd(1)})  # type: ignore[dict-item]


def test_order_amounts_must_be_in_the_order_currency() -> None:
    eur_line = OrderLine("1", "SKU", "A", "t", 1, {P: Money(100, "EUR")})
    with pytest.raises(InvariantViolation, match="EUR, expected USD"):
        order(eur_line)


def test_order_rejects_duplicate_item_codes_and_no_lines() -> None:
    with pytest.raises(InvariantViolation, match="repeats"):
        order(line("x"), line("x"))
    with pytest.raises(InvariantViolation, match="no lines"):
        Order("o", "US", Channel.FBA, NOW, "USD", ())


@pytest.mark.parametrize(
    "when",
    [datetime(2026, 3, 2, 12), datetime(2026, 3, 2, 12, tzinfo=timezone(timedelta(hours=1)))],
)
def test_order_purchased_at_must_be_utc(when: datetime) -> None:
    with pytest.raises(InvariantViolation, match="UTC"):
        Order("o", "US", Channel.FBA, when, "USD", (line(),))


def test_order_rejects_bad_currency_code() -> None:
    with pytest.raises(ValueError):
        Order("o", "US", Channel.FBA, NOW, "usd", (line(),))


# -- shipments and tracking ---------------------------------------------------------------------------


def test_shipment_latest_event_is_by_time_not_by_arrival() -> None:
    early = TrackingEvent(NOW, TrackingStatus.IN_TRANSIT, "InTransit")
    late = TrackingEvent(NOW + timedelta(days=2), TrackingStatus.DELIVERED, "Delivered", "Austin", "porch")
    parcel = Shipment("UPS", "1Z999", ShipmentDirection.INBOUND, events=[late, early])  # type: ignore[arg-type]
    assert parcel.events == (late, early)
    assert parcel.latest_event is late
    assert parcel.last_scan_at == NOW + timedelta(days=2)
    assert Shipment("UPS", "1Z1", ShipmentDirection.OUTBOUND).last_scan_at is None


def test_tracking_event_and_shipment_validate() -> None:
    with pytest.raises(InvariantViolation):
        TrackingEvent(datetime(2026, 1, 1), TrackingStatus.DELIVERED, "Delivered")
    with pytest.raises(InvariantViolation):
        TrackingEvent(NOW, "delivered", "Delivered")  # type: ignore[arg-type]
    with pytest.raises(InvariantViolation):
        Shipment("UPS", " ", ShipmentDirection.INBOUND)
    with pytest.raises(InvariantViolation):
        Shipment("UPS", "1Z", ShipmentDirection.INBOUND, estimated_delivery=datetime(2026, 1, 1))


# -- stock ---------------------------------------------------------------------------------------------


def test_sku_stock() -> None:
    stock = SkuStock("SKU-1", 12, usd(350), 14, Decimal("2.5"))
    assert stock.stock_value == usd(4200)
    with pytest.raises(InvariantViolation, match="Decimal"):
        SkuStock("SKU-1", 12, usd(350), 14, 2.5)  # type: ignore[arg-type]
    with pytest.raises(InvariantViolation, match="on_hand"):
        SkuStock("SKU-1", -1, usd(350), 14, Decimal(0))
    with pytest.raises(InvariantViolation, match="negative"):
        SkuStock("SKU-1", 1, usd(-1), 14, Decimal(0))


# -- returns -------------------------------------------------------------------------------------------


def a_return(status: ReturnStatus = ReturnStatus.AUTHORIZED) -> Return:
    return Return(
        "RMA1", "111-2222222-3333333", status, (ReturnLine.from_raw("SKU-1", 1, "CR-DEFECTIVE"),), NOW
    )


def test_return_line_from_raw_maps_the_reason_and_keeps_the_raw_code() -> None:
    known = ReturnLine.from_raw("SKU", 1, "CR-APPAREL_TOO_SMALL", customer_comment="tight", in_policy=False)
    assert known.canonical_reason is CanonicalReason.SIZE_FIT and known.raw_reason == "CR-APPAREL_TOO_SMALL"
    assert known.customer_comment == "tight" and known.in_policy is False
    unknown = ReturnLine.from_raw("SKU", 1, "CR-MYSTERY")
    assert unknown.canonical_reason is CanonicalReason.OTHER
    assert unknown.mapped_reason.known is False and unknown.mapped_reason.display_label == "CR-MYSTERY"


def test_return_moves_through_the_lifecycle_and_stamps_times() -> None:
    later = NOW + timedelta(days=3)
    delivered = a_return().moved_to(ReturnStatus.IN_TRANSIT).moved_to(ReturnStatus.DELIVERED, later)
    assert delivered.status is ReturnStatus.DELIVERED and delivered.delivered_at == later
    received = delivered.moved_to(ReturnStatus.RECEIVED, later + timedelta(hours=5))
    assert received.received_at == later + timedelta(hours=5)
    with pytest.raises(IllegalTransition):
        received.moved_to(ReturnStatus.IN_TRANSIT)
    with pytest.raises(InvariantViolation):
        delivered.moved_to(ReturnStatus.RECEIVED, datetime(2026, 3, 5))  # naive stamp refused


def test_return_invariants() -> None:
    with pytest.raises(InvariantViolation, match="no lines"):
        Return("RMA1", "o", ReturnStatus.REQUESTED, (), NOW)
    with pytest.raises(InvariantViolation, match="inbound"):
        dataclasses.replace(a_return(), shipment=Shipment("UPS", "1Z", ShipmentDirection.OUTBOUND))
    with pytest.raises(InvariantViolation, match="negative"):
        dataclasses.replace(a_return(), label_cost=usd(-1))
    with pytest.raises(InvariantViolation, match="quantity"):
        ReturnLine("SKU", 0, "DEFECTIVE", CanonicalReason.DEFECTIVE)


# -- refund requests, decisions, inspections ---------------------------------------------------------------


def test_refund_request() -> None:
    request = RefundRequest("42", "o", RefundState.PENDING, RefundSource.RETURN, "CustomerReturn", "USD",
                            {"111": {P: usd(2000), T: usd(160)}}, NOW, rma="RMA1", due_at=NOW)  # fmt: skip
    assert request.total_requested == usd(2160)
    assert request.moved_to(RefundState.APPROVED).state is RefundState.APPROVED
    with pytest.raises(IllegalTransition, match="refund request 42"):
        request.moved_to(RefundState.COMPLETED)
    with pytest.raises(InvariantViolation, match="EUR, expected USD"):
        dataclasses.replace(request, requested={"111": {P: Money(1, "EUR")}})


def decision(
    kind: DecisionKind, amounts: dict[str, dict[ChargeComponent, Money]], reason: str = ""
) -> Decision:
    return Decision("42", kind, "USD", amounts, {}, reason, "ana", "device-1", NOW)


def test_decisions() -> None:
    approve = decision(DecisionKind.APPROVE, {"111": {P: usd(500)}})
    assert approve.amounts["111"][P] == usd(500)
    reject = decision(DecisionKind.REJECT, {}, "outside the return window")
    assert reject.kind is DecisionKind.REJECT
    with pytest.raises(InvariantViolation, match="must not carry amounts"):
        decision(DecisionKind.REJECT, {"111": {P: usd(1)}}, "no")
    with pytest.raises(InvariantViolation, match="reason"):
        decision(DecisionKind.REJECT, {}, " ")
    with pytest.raises(InvariantViolation, match="refunds nothing"):
        decision(DecisionKind.APPROVE, {"111": {P: usd(0)}})
    with pytest.raises(InvariantViolation, match="device_id"):
        Decision("42", DecisionKind.APPROVE, "USD", {"1": {P: usd(1)}}, {}, "", "ana", "", NOW)


def test_inspection() -> None:
    seen = Inspection("RMA1", "SKU-1", ConditionGrade.DAMAGED, Disposition.CLAIM, NOW, "cracked", ["a.jpg"])  # type: ignore[arg-type]
    assert seen.photo_paths == ("a.jpg",) and seen.has_evidence
    assert not Inspection("RMA1", "SKU-1", ConditionGrade.NEW, Disposition.RESTOCK, NOW).has_evidence
    with pytest.raises(InvariantViolation):
        Inspection("RMA1", "SKU-1", "new", Disposition.RESTOCK, NOW)  # type: ignore[arg-type]
