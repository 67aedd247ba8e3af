"""The FBA customer returns report (``GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA``): one row per unit
(or units) a fulfilment centre received back, graded and dispositioned (AMAZON.md §1).

FBA returns have no RMA in the report, so the record's RMA is made from what identifies the unit:
``FBA-<license plate number>``, or without one ``FBA-<order>-<sku>-<return day>``. The same unit in a
later, back-filled report then updates the same return. The fulfilment centre's grading becomes the
return's inspection (``vocabulary.FBA_DISPOSITION``); a status saying the unit's journey is over closes
it, any other leaves it inspected. The report carries no money.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from seller_desk.domain.enums import Channel, ReturnStatus
from seller_desk.importers import fields as f
from seller_desk.importers.records import MAX_LENGTH, ReturnItem, RowError
from seller_desk.importers.row_reader import RowReader
from seller_desk.importers.vocabulary import FBA_CLOSED, FBA_DISPOSITION, lookup, squash

ALIASES: dict[str, tuple[str, ...]] = {
    "returned_at": ("return-date", "return date"),
    "order_id": ("order-id", "amazon-order-id"),
    "sku": ("sku", "merchant-sku", "seller-sku"),
    "asin": ("asin",),
    "title": ("product-name", "item-name"),
    "quantity": ("quantity",),
    "fc": ("fulfillment-center-id",),
    "disposition": ("detailed-disposition",),
    "reason": ("reason",),
    "status": ("status",),
    "lpn": ("license-plate-number",),
    "comment": ("customer-comments", "customer-comment"),
}
REQUIRED = ("returned_at", "order_id", "sku", "quantity")
SIGNATURE = frozenset({"detaileddisposition", "licenseplatenumber", "fulfillmentcenterid"})


class FbaRows(RowReader):
    """Rows of one FBA customer returns report as records or row errors."""

    aliases = ALIASES
    required = REQUIRED

    def item(self, line: int, row: dict[str, str], errors: list[RowError]) -> ReturnItem | None:
        read = self.reader(line, row, errors)
        returned_at = read.required("returned_at", f.date_time)
        order_id = read.required("order_id", f.text)
        sku = read.required("sku", f.text)
        quantity = read.required("quantity", f.quantity)
        graded = read.optional(
            "disposition", lambda raw: lookup(FBA_DISPOSITION, raw, "detailed-disposition")
        )
        if read.failed or not (returned_at and order_id and sku and quantity):
            return None
        lpn = f.text(row.get("lpn"))
        rma = _rma(lpn, order_id, sku, returned_at)
        if graded is None:
            status = ReturnStatus.RECEIVED
        elif squash(row.get("status") or "") in FBA_CLOSED:
            status = ReturnStatus.CLOSED
        else:
            status = ReturnStatus.INSPECTED
        return ReturnItem(
            line=line,
            channel=Channel.FBA,
            rma=rma,
            order_id=order_id,
            sku=sku,
            quantity=quantity,
            requested_at=returned_at,
            status=status,
            reason_raw=(row.get("reason") or "").strip(),
            asin=f.text(row.get("asin")),
            title=f.text(row.get("title")),
            delivered_at=returned_at,
            customer_comment=f.text(row.get("comment")),
            condition=graded[0] if graded else None,
            disposition=graded[1] if graded else None,
            inspected_at=returned_at if graded else None,
        )


def _rma(lpn: str | None, order_id: str, sku: str, returned_at: datetime) -> str:
    """The unit's own key: its license plate, else order, SKU and day (hashed when that is too long
    for an RMA, so two long keys stay two returns)."""
    if lpn:
        return f"FBA-{lpn}"
    plain = f"FBA-{order_id}-{sku}-{returned_at:%Y%m%d}"
    if len(plain) <= MAX_LENGTH["rma"]:
        return plain
    return "FBA-" + hashlib.sha256(plain.encode()).hexdigest()[:32]
