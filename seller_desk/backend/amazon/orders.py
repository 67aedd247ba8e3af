"""Orders and their charged amounts from the Orders API (getOrders, getOrderItems), into the backend.

A refund is checked against what each order line was charged, per component, so the returns reports'
single "order amount" is not enough: the order items give price, tax, shipping, shipping tax, gift
wrap and the promotion discount, each a total for the line. They become domain ``Order`` records
(amounts as magnitudes; the promotion is the size of the discount) ingested through the feed writer,
which updates an order a report had created with a guessed amount.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from seller_desk.backend.amazon.clients import SpApi
from seller_desk.backend.amazon.rate_limits import RateLimiter
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.ingest.orders import ingest_order
from seller_desk.backend.store import Database
from seller_desk.domain.entities import Order, OrderLine
from seller_desk.domain.enums import Channel, ChargeComponent
from seller_desk.domain.errors import DomainError
from seller_desk.domain.marketplaces import marketplace_by_amazon_id
from seller_desk.domain.money import Money

COMPONENTS = {
    "ItemPrice": ChargeComponent.PRINCIPAL, "ItemTax": ChargeComponent.TAX,
    "ShippingPrice": ChargeComponent.SHIPPING, "ShippingTax": ChargeComponent.SHIPPING_TAX,
    "GiftWrapPrice": ChargeComponent.GIFT_WRAP, "PromotionDiscount": ChargeComponent.PROMOTION,
}  # fmt: skip


def _money(value: Any, currency: str) -> Money:
    return Money.parse(abs(Decimal(str((value or {}).get("Amount", "0")))), currency)


def order_from(order: dict[str, Any], items: list[dict[str, Any]]) -> Order:
    currency = str((order.get("OrderTotal") or {}).get("CurrencyCode") or "")
    if not currency:  # an order without a total (pending): the items say
        currency = next((str(i["ItemPrice"]["CurrencyCode"]) for i in items if i.get("ItemPrice")), "USD")
    lines = tuple(_line(item, currency) for item in items)
    return Order(
        order_id=str(order["AmazonOrderId"]),
        marketplace=marketplace_by_amazon_id(str(order["MarketplaceId"])).code,
        channel=Channel.FBA if order.get("FulfillmentChannel") == "AFN" else Channel.MFN,
        purchased_at=datetime.fromisoformat(str(order["PurchaseDate"]).replace("Z", "+00:00")),
        currency=currency,
        lines=lines,
    )


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    code = str(item["OrderItemId"])
    sku = str(item.get("SellerSKU") or code)
    return OrderLine(
        order_item_code=code, sku=sku, asin=str(item.get("ASIN") or ""),
        title=str(item.get("Title") or sku)[:300], quantity=max(1, int(item.get("QuantityOrdered") or 1)),
        charged={c: _money(item.get(field), currency) for field, c in COMPONENTS.items() if item.get(field)},
    )  # fmt: skip


def pull_orders(api: SpApi, limits: RateLimiter, since: datetime) -> list[Order]:
    """Orders updated since ``since``, with their items (every page)."""
    orders: list[Order] = []
    token: str | None = None
    while True:
        params = {"NextToken": token} if token else {"LastUpdatedAfter": since.isoformat()}
        page = limits.call("getOrders", partial(api.orders.get_orders, **params)).payload
        for order in page.get("Orders", []):
            order_id = str(order["AmazonOrderId"])
            items = limits.call("getOrderItems", partial(api.orders.get_order_items, order_id)).payload
            orders.append(order_from(order, list(items.get("OrderItems", []))))
        token = page.get("NextToken")
        if not token:
            return orders


def ingest_orders(db: Database, seller_id: int, clock: Callable[[], datetime], orders: list[Order]) -> int:
    """Write the orders (one transaction); how many changed anything."""
    changed = 0
    with db.writing() as session:
        writer = FeedWriter.open(session, seller_id, clock())
        for order in orders:
            before = writer.appended
            try:
                with session.begin_nested():
                    ingest_order(writer, order)
            except DomainError:
                continue
            changed += writer.appended > before
    return changed
