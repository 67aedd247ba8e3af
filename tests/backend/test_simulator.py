"""The marketplace simulator in-process: deterministic, complete, and fed through the real ingest paths.

The long run uses the live backend's database (SQLite and PostgreSQL) under the test's own seller, so
the same run can be checked from a desktop's side: its scans re-posted to ``/v1/tracking-events`` are
duplicates, and approvals of the requests it cancelled, auto-refunded or put under an A-to-z claim are
``409`` conflicts with the matching reason (SYNC.md fault 6).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from seller_desk.backend.simulator import Simulator, SimulatorSettings, World, WorldRates
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import (
    ChangeRow,
    RefundRequest,
    RefundRequestLine,
    Return,
    Shipment,
    Sku,
    TrackingEvent,
)
from seller_desk.domain.enums import RefundState
from tests.backend.live import LiveBackend
from tests.backend.shop import Shop, approval

START = datetime(2026, 3, 1, 12, tzinfo=UTC)
BUSY = WorldRates(
    orders_per_day=3.5, return_rate=0.55, request_rate=0.35, cancel_rate=0.35, claim_rate=0.4,
    first_scan_refund_rate=0.3, stall_rate=0.2, exception_rate=0.2, loss_rate=0.2, duplicate_scan_rate=0.2,
)  # fmt: skip
EVERY_KIND = (
    "order", "return", "refund_request", "cancelled", "claim_opened", "auto_refunded:first_scan",
    "auto_refunded:claim_granted", "stall", "scan:duplicate", "scan:outbound:info_received",
    "scan:outbound:in_transit", "scan:outbound:delivered", "scan:inbound:in_transit",
    "scan:inbound:out_for_delivery", "scan:inbound:delivered", "scan:inbound:exception", "scan:inbound:lost",
)  # fmt: skip


def _fixed_clock() -> datetime:
    return START


def _changes(db: Database, seller_id: int) -> list[tuple[Any, ...]]:
    with db.reading() as session:
        rows = session.execute(
            select(ChangeRow.entity, ChangeRow.entity_id, ChangeRow.version, ChangeRow.op, ChangeRow.data)
            .where(ChangeRow.seller_id == seller_id)
            .order_by(ChangeRow.seq)
        )
        return [tuple(row) for row in rows]


def test_the_same_seed_writes_the_same_rows(tmp_path: Any, sqlite_db_url: str) -> None:
    from seller_desk.backend.store import sqlite_url, upgrade

    settings = SimulatorSettings(seed=5, history_days=0.75, backlog_returns=4)
    runs = []
    for url in (sqlite_db_url, sqlite_url(tmp_path / "second.sqlite3")):
        db = Database(url)
        upgrade(db)
        try:
            sim = Simulator(db, settings, start=START, clock=_fixed_clock)
            assert sim.needs_history
            sim.seed_history()
            sim.advance(START + timedelta(days=1))
            runs.append((_changes(db, sim.seller_id), sim.tally))
        finally:
            db.dispose()
    assert runs[0][1]["order"] > 10 and runs[0][1]["return"] >= 4
    assert runs[0] == runs[1]


def test_the_history_names_what_comes_back_and_when_it_should_land(sqlite_db_url: str) -> None:
    """Desktops show each return's title and ETA: the simulator lists its catalogue and its carriers
    send a delivery estimate with each scan, revised after an exception, left overdue by a stall."""
    from seller_desk.backend.store import upgrade

    db = Database(sqlite_db_url)
    upgrade(db)
    try:
        settings = SimulatorSettings(seed=3, history_days=1, backlog_returns=25, rates=BUSY)
        sim = Simulator(db, settings, start=START, clock=_fixed_clock)
        sim.seed_history()
        sim.seed_history()  # a restart lists the catalogue again: upserts, no second row
        with db.reading() as session:
            skus = session.execute(
                select(Sku.sku, Sku.title, Sku.category, Sku.price_minor).where(
                    Sku.seller_id == sim.seller_id
                )
            ).all()
            on_the_way = session.execute(
                select(Return.rma, Return.eta, Return.eta_source, Return.last_scan_at).where(
                    Return.seller_id == sim.seller_id, Return.status == "in_transit"
                )
            ).all()
    finally:
        db.dispose()
    assert len(skus) == 12 and all(title and category and price > 0 for _, title, category, price in skus)
    assert on_the_way, "the backlog should leave parcels on their way"
    assert all(eta is not None and source == "carrier" for _, eta, source, _ in on_the_way)
    # each promise lies ahead of the parcel's last scan, unless the parcel stalled past it (overdue)
    assert all(eta > scanned or eta <= START for _, eta, _, scanned in on_the_way)
    assert any(eta > START for _, eta, _, _ in on_the_way)


def test_returns_keep_arriving_from_the_first_hours_of_a_busy_demo(tmp_path: Any) -> None:
    """A busy shop seeds a short history; without the pipeline of returning orders placed before it,
    the first new return would open only a simulated day after start (minutes of an empty demo)."""
    from seller_desk.backend.store import sqlite_url, upgrade

    opened = {}
    for pipeline_days in (0.0, 6.0):
        db = Database(sqlite_url(tmp_path / f"busy-{pipeline_days}.sqlite3"))
        upgrade(db)
        try:
            settings = replace(SimulatorSettings(seed=2, pipeline_days=pipeline_days), backlog_returns=0)
            sim = Simulator(db, settings.busier(150), start=START, clock=_fixed_clock)
            sim.seed_history()
            before = sim.tally["return"]
            sim.advance(START + timedelta(hours=12))
            opened[pipeline_days] = sim.tally["return"] - before
        finally:
            db.dispose()
    assert opened[0.0] == 0 and opened[6.0] >= 3, opened


def test_the_event_stream_does_not_depend_on_how_time_is_sliced() -> None:
    whole = [(s.at, type(s.event).__name__) for s in World(9, START).pop_until(START + timedelta(days=6))]
    world, sliced = World(9, START), []
    for hour in range(1, 6 * 24 + 1):
        sliced += [(s.at, type(s.event).__name__) for s in world.pop_until(START + timedelta(hours=hour))]
    assert whole == sliced
    assert whole != [
        (s.at, type(s.event).__name__) for s in World(10, START).pop_until(START + timedelta(days=6))
    ]


def test_every_kind_of_event_happens_and_reaches_desktops_through_the_real_paths(
    backend: LiveBackend, shop: Shop
) -> None:
    sim = Simulator(
        backend.db, SimulatorSettings(seed=4, seller=shop.seller_name, history_days=0, backlog_returns=0,
                                      rates=BUSY), start=START,
    )  # fmt: skip
    assert sim.seller_id == shop.seller_id
    claim_conflicts = 0
    for half_day in range(1, 43):  # 21 days; while a claim is open, a desktop's approval meets it
        sim.advance(START + timedelta(hours=12 * half_day))
        claim_conflicts += _approve_expecting(backend.db, shop, "claim_opened", _OPEN_CLAIM, required=False)
    assert claim_conflicts
    missing = [kind for kind in EVERY_KIND if not sim.tally[kind]]
    assert not missing, f"no {missing} in 21 simulated days: {sorted(sim.tally.items())}"
    assert sim.tally["refused"] == 0
    _check_scans_went_through_tracking_ingest(backend.db, shop, sim.tally)
    _check_marketplace_outcomes_conflict_with_desktop_decisions(backend.db, shop)


def _check_scans_went_through_tracking_ingest(db: Database, shop: Shop, tally: Counter[str]) -> None:
    accepted = sum(n for kind, n in tally.items() if kind.startswith("scan:") and kind != "scan:duplicate")
    with db.reading() as session:
        stored = session.execute(
            select(func.count()).select_from(TrackingEvent).where(TrackingEvent.seller_id == shop.seller_id)
        ).scalar_one()
        event = session.execute(
            select(
                TrackingEvent.occurred_at, TrackingEvent.raw_code, Shipment.carrier, Shipment.tracking_number
            )
            .join(Shipment, Shipment.id == TrackingEvent.shipment_id)
            .where(TrackingEvent.seller_id == shop.seller_id)
            .limit(1)
        ).one()
    assert stored == accepted  # one row per accepted scan: the resent ones were deduplicated
    resend = {
        "carrier": event.carrier,
        "tracking_number": event.tracking_number,
        "occurred_at": event.occurred_at.replace(tzinfo=UTC).isoformat(),
        "code": event.raw_code,
    }
    response = shop.client.post("/v1/tracking-events", json={"events": [resend]})
    assert response.status_code == 200, response.text
    assert (response.json()["accepted"], response.json()["duplicates"]) == (0, 1)


_OPEN_CLAIM = (RefundRequest.state == RefundState.PENDING) & RefundRequest.a_to_z_claim.is_(True)


def _check_marketplace_outcomes_conflict_with_desktop_decisions(db: Database, shop: Shop) -> None:
    _approve_expecting(db, shop, "customer_cancelled", RefundRequest.state == RefundState.CANCELLED)
    _approve_expecting(db, shop, "auto_refunded", RefundRequest.state == RefundState.AUTO_REFUNDED)


def _approve_expecting(db: Database, shop: Shop, reason: str, where: Any, *, required: bool = True) -> int:
    """Approve one request matching ``where`` as a desktop would; it must be a 409 ``reason``."""
    with db.reading() as session:
        found = session.execute(
            select(RefundRequest.id, RefundRequest.currency, RefundRequestLine.order_line_id,
                   RefundRequestLine.component, RefundRequestLine.amount_minor)
            .join(RefundRequestLine, RefundRequestLine.refund_request_id == RefundRequest.id)
            .where(RefundRequest.seller_id == shop.seller_id, where)
            .limit(1)
        ).first()  # fmt: skip
    if found is None:
        assert not required, f"no refund request for {reason}"
        return 0
    request_id, currency, line_id, component, amount = found
    response = shop.post(approval(request_id, [(line_id, component.value, amount)], currency=currency))
    assert response.status_code == 409, response.text
    assert response.json()["reason"] == reason
    return 1
