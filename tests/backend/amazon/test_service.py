"""``backend serve --amazon``: the connector running beside a real server process — a desktop's approval
becomes one refund on the (fake) Amazon — and the report schedule's look-back."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from seller_desk.backend.amazon.service import AmazonOptions, AmazonService
from seller_desk.backend.store import sqlite_url
from seller_desk.bench.report_files import write_fba
from tests.backend.amazon.conftest import CREDENTIALS
from tests.backend.amazon.fake_spapi import FakeAmazon
from tests.backend.live import LiveBackend
from tests.backend.relay_support import approve, ledger
from tests.backend.shop import Shop

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def test_the_schedule_pulls_60_days_first_then_a_short_look_back(
    amazon: FakeAmazon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELLER_DESK_SP_API_ENDPOINT", amazon.base_url)
    monkeypatch.setenv("SELLER_DESK_LWA_URL", f"{amazon.base_url}/auth/o2/token")
    amazon.report_data = {kind: write_fba(tmp_path / "fba.txt", 5).read_bytes()
                          for kind in ("GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
                                       "GET_XML_RETURNS_DATA_BY_RETURN_DATE",
                                       "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA")}  # fmt: skip
    amazon.report_outcomes = ["cancelled", "fatal"]  # no flat data; the XML report fails; FBA arrives
    from seller_desk.backend.store import Database, upgrade

    url = sqlite_url(tmp_path / "backend.sqlite3")
    upgrade(Database(url))
    service = AmazonService(AmazonOptions(url, "shop1", "A2X", CREDENTIALS), clock=lambda: NOW)
    service.puller.poll_interval_s = 0.0  # the fake finishes a report after two polls
    assert service.pull_reports() == 1  # a failed report does not stop the others
    first = sorted(r["dataStartTime"] for r in amazon.reports.values())
    assert first[0] == (NOW - timedelta(days=60)).isoformat()
    amazon.reports.clear()
    service.pull_reports()
    assert {r["dataStartTime"] for r in amazon.reports.values()} == {(NOW - timedelta(days=3)).isoformat()}
    service.stop()


def test_a_server_run_with_amazon_refunds_an_approval_once(
    amazon: FakeAmazon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {
        "SELLER_DESK_SP_API_ENDPOINT": amazon.base_url,
        "SELLER_DESK_LWA_URL": f"{amazon.base_url}/auth/o2/token",
        "SELLER_DESK_SP_API_POLL_S": "0.1", "SP_API_REFRESH_TOKEN": CREDENTIALS.refresh_token,
        "LWA_APP_ID": CREDENTIALS.lwa_app_id, "LWA_CLIENT_SECRET": CREDENTIALS.lwa_client_secret,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }  # fmt: skip
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    url = sqlite_url(tmp_path / "backend.sqlite3")
    from seller_desk.backend.store import Database, upgrade

    db = Database(url)
    upgrade(db)
    shop = Shop.open(db, "http://placeholder")
    amazon.report_outcomes = ["cancelled"] * 3  # no returns data in this test
    amazon_args = ("--amazon", shop.seller_name, "--merchant-id", "A2MERCHANT")
    live = LiveBackend.start("sqlite", url, tmp_path / "server.log", extra_args=amazon_args)
    try:
        shop.client.base_url = live.base_url  # type: ignore[assignment]
        shop.base_url = live.base_url
        approve(shop, 999)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and ledger(db, shop.seller_id)[0]["state"] != "executed":
            time.sleep(0.2)
        assert ledger(db, shop.seller_id)[0]["state"] == "executed", live.log_tail()
        assert [a["net"] for a in amazon.applied] == [Decimal("9.99")]
        assert CREDENTIALS.refresh_token not in live.log_tail()
    finally:
        live.stop()
        shop.close()


def gbp(amount: str) -> dict[str, str]:
    return {"CurrencyCode": "GBP", "Amount": amount}


def test_orders_come_with_their_charges_per_line(
    amazon: FakeAmazon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELLER_DESK_SP_API_ENDPOINT", amazon.base_url)
    monkeypatch.setenv("SELLER_DESK_LWA_URL", f"{amazon.base_url}/auth/o2/token")
    amazon.report_outcomes = ["cancelled"] * 3
    for n in range(3):
        order_id = f"202-000000{n}-1234567"
        amazon.orders.append({
            "AmazonOrderId": order_id, "PurchaseDate": "2026-11-01T10:00:00Z",
            "MarketplaceId": "A1F83G8C2ARO7P", "FulfillmentChannel": "AFN" if n == 2 else "MFN",
            "OrderTotal": gbp("27.29"),
        })  # fmt: skip
        amazon.order_items[order_id] = [{
            "OrderItemId": f"1000{n}", "SellerSKU": "LAMP-1", "ASIN": "B0LAMP", "Title": "Desk lamp",
            "QuantityOrdered": 1, "ItemPrice": gbp("25.99"), "ItemTax": gbp("3.90"),
            "PromotionDiscount": gbp("-2.60"),
        }]  # fmt: skip
    from seller_desk.backend.store import Database, upgrade
    from seller_desk.backend.store.models import Order, OrderLine

    url = sqlite_url(tmp_path / "backend.sqlite3")
    db = Database(url)
    upgrade(db)
    service = AmazonService(
        AmazonOptions(url, "shop1", "A2X", CREDENTIALS, marketplace="UK"), clock=lambda: NOW
    )
    service.puller.poll_interval_s = 0.0
    service.pull_reports()
    assert service.orders_changed == 3 and amazon.calls.count("getOrders") == 2  # two pages
    with db.reading() as session:
        lines = session.execute(
            select(Order.marketplace, Order.channel, OrderLine.order_item_code, OrderLine.principal_minor,
                   OrderLine.tax_minor, OrderLine.promotion_minor)
            .join(OrderLine, OrderLine.order_pk == Order.id).order_by(Order.order_id)
        ).all()  # fmt: skip
    assert [(m, c.value, code, p, t, promo) for m, c, code, p, t, promo in lines] == [
        ("UK", "MFN", "10000", 2599, 390, 260), ("UK", "MFN", "10001", 2599, 390, 260),
        ("UK", "FBA", "10002", 2599, 390, 260)]  # fmt: skip
    service.pull_reports()
    assert service.orders_changed == 0  # pulled again: nothing new
    service.stop()
