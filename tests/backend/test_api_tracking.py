"""POST /v1/tracking-events: mapping through the domain, dedupe, never backwards, unknown parcels."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from seller_desk.backend.store.models import Return, Shipment, TrackingEvent
from tests.backend.shop import T0, Shop


def _event(tracking: str, hours: int, **fields: Any) -> dict[str, Any]:
    occurred = (T0 + timedelta(hours=hours)).isoformat()
    return {"carrier": "UPS", "tracking_number": tracking, "occurred_at": occurred, **fields}


def _post(shop: Shop, *events: dict[str, Any]) -> dict[str, Any]:
    response = shop.client.post("/v1/tracking-events", json={"events": list(events)})
    assert response.status_code == 200, response.text
    return response.json()


def _return(shop: Shop, return_id: int | None) -> Any:
    with shop.db.reading() as session:
        return session.execute(select(Return.__table__).where(Return.id == return_id)).mappings().one()


def test_raw_codes_are_mapped_and_move_the_return_forward(shop: Shop) -> None:
    seeded = shop.seed(with_return=True)
    tracking = seeded.tracking_number
    assert tracking is not None
    result = _post(
        shop,
        _event(tracking, 1, code="PickupDone", source="shipping_v2", location="Reno, NV"),
        _event(tracking, 20, code="InTransit_003", source="aftership"),
        _event(tracking.lower(), 30, status="delivered"),
        _event(tracking, 30, code="X-UNKNOWN"),
        _event(tracking, 31, code="Delivered", source="bogus-source"),
        _event("1ZNOSUCHPARCEL", 2, status="in_transit"),
        _event(tracking, 40, code="out for delivery") | {"carrier": "ups"},
    )
    assert result["accepted"] == 3, result
    assert result["unknown_parcels"] == 2  # the lower-cased number, and the unknown parcel
    assert result["duplicates"] == 0
    assert result["rejected"] == [
        {
            "index": 3,
            "field": "events.3.code",
            "message": "code 'X-UNKNOWN' is not in any known tracking vocabulary",
        },
        {"index": 4, "field": "events.4.source", "message": "unknown source 'bogus-source'"},
    ]
    ret = _return(shop, seeded.return_id)
    assert ret["status"].value == "in_transit"
    assert ret["tracking_status"].value == "out_for_delivery"
    assert ret["last_scan_at"] == T0 + timedelta(hours=40)
    assert ret["shipped_at"] == T0 + timedelta(hours=1)
    with shop.db.reading() as session:
        ship = (
            session.execute(select(Shipment.__table__).where(Shipment.id == ret["shipment_id"]))
            .mappings()
            .one()
        )
    assert ship["last_location"] is None  # the newest scan had none
    assert ship["status"].value == "out_for_delivery"


def test_duplicates_are_stored_once_and_late_scans_never_move_backwards(shop: Shop) -> None:
    seeded = shop.seed(with_return=True)
    tracking = seeded.tracking_number
    assert tracking is not None
    delivered = _event(
        tracking, 50, status="delivered", estimated_delivery=(T0 + timedelta(hours=48)).isoformat()
    )
    first = _post(shop, _event(tracking, 10, status="in_transit"), delivered)
    assert first["accepted"] == 2
    cursor = shop.pull_all()[1]
    again = _post(shop, delivered, _event(tracking, 10, status="in_transit"))
    assert again == {"accepted": 0, "duplicates": 2, "unknown_parcels": 0, "rejected": []}
    assert shop.changes(cursor).json()["changes"] == [], "a duplicate emits no change"

    late = _post(
        shop,
        _event(tracking, 20, code="Lost", source="shipping_v2"),
        _event(tracking, 5, status="in_transit"),
    )
    assert late["accepted"] == 2
    ret = _return(shop, seeded.return_id)
    assert ret["status"].value == "delivered"
    assert ret["delivered_at"] == T0 + timedelta(hours=50)
    assert ret["tracking_status"].value == "delivered"
    assert ret["eta"] == T0 + timedelta(hours=48)
    assert ret["eta_source"] == "carrier"
    with shop.db.reading() as session:
        stored = session.execute(
            select(func.count())
            .select_from(TrackingEvent)
            .where(TrackingEvent.shipment_id == ret["shipment_id"])
        ).scalar_one()
    assert stored == 4


def test_a_received_return_is_not_moved_by_carrier_scans(shop: Shop) -> None:
    from tests.backend.shop import mutation, now

    seeded = shop.seed(with_return=True)
    target = f"return:{seeded.return_id}"
    assert (
        shop.post(mutation("return_received", target, {"received_at": now().isoformat()})).status_code == 201
    )
    tracking = seeded.tracking_number
    assert tracking is not None
    _post(shop, _event(tracking, 60, status="lost"), _event(tracking, 61, status="delivered"))
    assert _return(shop, seeded.return_id)["status"].value == "received"


def test_scan_changes_reach_the_feed(shop: Shop) -> None:
    seeded = shop.seed(with_return=True)
    cursor = shop.pull_all()[1]
    tracking = seeded.tracking_number
    assert tracking is not None
    _post(shop, _event(tracking, 3, status="delivered", text="Left at dock"))
    page = shop.changes(cursor).json()["changes"]
    assert [c["entity"] for c in page] == ["tracking_event", "shipment", "return"]
    event = page[0]["data"]
    assert event["status"] == "delivered"
    assert event["raw_code"] == "delivered"
    assert event["text"] == "Left at dock"
    assert event["occurred_at"] == int((T0 + timedelta(hours=3)).timestamp())
    assert page[2]["data"]["status"] == "delivered"
