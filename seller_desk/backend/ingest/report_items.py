"""Report items (``importers.ReturnItem``) into the backend's tables, through the feed writer, so every
desktop of the team receives them with the next pull.

Items are grouped by RMA (a report lists one row per returned SKU) and become domain records: the
order, when the backend does not know it yet (a known order, perhaps pulled from SP-API with its real
charges, is never overwritten by a report's single "order amount"), and the return with its lines and
inbound parcel, through ``ingest_order``/``ingest_return``, whose status rule keeps an older report
from dragging a return back. Counting follows the CLI: an item is new when its return line was not
there, updated when the feed recorded a change for its RMA, unchanged otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.ingest.catalogue import SkuRecord, ingest_sku
from seller_desk.backend.ingest.orders import ingest_order
from seller_desk.backend.ingest.returns import ingest_return
from seller_desk.domain.entities import Order, OrderLine, Shipment
from seller_desk.domain.enums import ChargeComponent, ShipmentDirection
from seller_desk.domain.marketplaces import marketplace_for_currency
from seller_desk.domain.money import Money
from seller_desk.domain.return_entities import Return, ReturnLine
from seller_desk.importers import ReturnItem
from seller_desk.importers.records import UNCATEGORIZED


@dataclass
class ItemCounts:
    imported: int = 0
    updated: int = 0
    skipped: int = 0


def ingest_report_items(
    writer: FeedWriter, items: Sequence[ReturnItem], default_marketplace: str, counts: ItemCounts
) -> None:
    """Write a batch of items (later items with the same RMA and SKU win) and add to ``counts``."""
    groups: dict[str, dict[str, ReturnItem]] = {}
    for item in items:
        groups.setdefault(item.rma, {})[item.sku] = item
    for rma, by_sku in groups.items():
        first = next(iter(by_sku.values()))
        existing = writer.find("return", {"rma": rma}, lock=False)
        known_skus: set[str] = set()
        if existing is not None:
            for sku in by_sku:
                if writer.find("return_line", {"return_id": existing["id"], "sku": sku}, lock=False):
                    known_skus.add(sku)
        for sku, item in by_sku.items():
            if writer.find("sku", {"sku": sku}, lock=False) is None:  # a real catalogue entry is kept
                ingest_sku(writer, _catalogue_entry(item))
        if writer.find("order", {"order_id": first.order_id}, lock=False) is None:
            ingest_order(writer, _order(list(by_sku.values()), default_marketplace))
        before = writer.appended
        ingest_return(writer, _return(rma, list(by_sku.values())))
        changed = writer.appended > before
        for sku in by_sku:
            if sku not in known_skus:
                counts.imported += 1
            elif changed:
                counts.updated += 1
            else:
                counts.skipped += 1


def _catalogue_entry(item: ReturnItem) -> SkuRecord:
    return SkuRecord(sku=item.sku, title=item.title or item.sku, category=item.category or UNCATEGORIZED,
                     currency=item.currency or "USD", price_minor=item.unit_price_minor, unit_cost_minor=0,
                     asin=item.asin)  # fmt: skip


def _order(items: list[ReturnItem], default_marketplace: str) -> Order:
    first = items[0]
    found = marketplace_for_currency(first.currency, default_marketplace)
    market, currency = found.code, first.currency or found.currency
    lines = []
    for index, item in enumerate(items):
        # The flat file's order amount is the whole order's; it stands for the first line's price only.
        amount = item.order_amount_minor if index == 0 and item.order_amount_minor else 0
        lines.append(OrderLine(order_item_code=item.sku, sku=item.sku, asin=item.asin or "",
                               title=item.title or item.sku, quantity=item.order_quantity or item.quantity,
                               charged={ChargeComponent.PRINCIPAL: Money(amount, currency)}))  # fmt: skip
    purchased = first.order_date or first.requested_at
    return Order(order_id=first.order_id, marketplace=market, channel=first.channel, purchased_at=purchased,
                 currency=currency, lines=tuple(lines))  # fmt: skip


def _return(rma: str, items: list[ReturnItem]) -> Return:
    first = items[0]
    lines = tuple(
        ReturnLine.from_raw(item.sku, item.quantity, item.reason_raw, in_policy=item.in_policy,
                            customer_comment=item.customer_comment or "", order_item_code=item.sku)
        for item in items
    )  # fmt: skip
    shipment = None
    if first.tracking_number:
        shipment = Shipment(carrier=first.carrier or "Unknown carrier", tracking_number=first.tracking_number,
                            direction=ShipmentDirection.INBOUND)  # fmt: skip
    currency = first.currency
    return Return(
        rma=rma, order_id=first.order_id, status=first.status, lines=lines, requested_at=first.requested_at,
        label_type=first.label_type,
        label_cost=Money(first.label_cost_minor, currency) if currency and first.label_cost_minor else None,
        label_paid_by=first.label_paid_by, resolution=first.resolution, a_to_z_claim=first.a_to_z_claim,
        safet_claim=first.safet_claim, shipment=shipment, delivered_at=first.delivered_at,
        received_at=first.delivered_at if first.inspected_at else None,
    )  # fmt: skip
