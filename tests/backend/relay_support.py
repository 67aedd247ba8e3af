"""Helpers of the relay tests: approve a refund over the API, read the ledger and the upstream file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from seller_desk.backend.relay import Relay, RelaySettings
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import LedgerEntry, RefundRequest
from seller_desk.backend.upstream import FaultPlan, SimulatedMarketplace
from tests.backend.shop import P, Shop, approval

FAST = RelaySettings(max_attempts=5, backoff_base_s=0.0, backoff_cap_s=0.0, poll_interval_s=0.05)


class Crash(BaseException):
    """What a SIGKILL is to the relay: nothing after it runs (BaseException escapes ``except Exception``)."""


def approve(shop: Shop, amount: int = 2000) -> int:
    """A seeded order and refund request, approved over the API; the request's id."""
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    response = shop.post(approval(seeded.request_id, [(line, P.value, amount)]))
    assert response.status_code == 201, response.text
    return seeded.request_id


def ledger(db: Database, seller_id: int) -> list[dict[str, Any]]:
    with db.reading() as session:
        rows = session.execute(
            select(LedgerEntry.__table__).where(LedgerEntry.seller_id == seller_id).order_by(LedgerEntry.id)
        ).mappings()
        return [dict(row) for row in rows]


def request_state(db: Database, request_id: int) -> str:
    with db.reading() as session:
        state = session.execute(
            select(RefundRequest.state).where(RefundRequest.id == request_id)
        ).scalar_one()
    return str(state.value)


def marketplace(tmp_path: Path, faults: FaultPlan | None = None) -> SimulatedMarketplace:
    return SimulatedMarketplace(tmp_path / "marketplace.sqlite3", faults, sleep=lambda _s: None)


def relay_for(shop: Shop, upstream: SimulatedMarketplace, **options: Any) -> Relay:
    settings = options.pop("settings", FAST)
    return Relay(shop.db, upstream, settings, seller_id=shop.seller_id, **options)


def refs_upstream(upstream: SimulatedMarketplace, seller: str) -> list[str]:
    return [refund.upstream_ref for refund in upstream.all_refunds() if refund.seller == seller]
