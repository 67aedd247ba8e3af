"""The seller-fulfilled returns flat file (``GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE``): one row per
returned SKU, 32 tab-separated columns (AMAZON.md §1), read into ``ReturnItem`` records.

A row whose return request status says Approved but whose return delivery date is filled is a
delivered return; ``ReturnlessRefund`` means there is no parcel at all. Money fields need the row's
currency code; the order amount is what the buyer paid for the order (the flat file gives no split
into price, tax and shipping).
"""

from __future__ import annotations

from functools import partial

from seller_desk.domain.enums import Channel, Resolution, ReturnStatus
from seller_desk.importers import fields as f
from seller_desk.importers.records import ReturnItem, RowError
from seller_desk.importers.row_reader import RowReader
from seller_desk.importers.vocabulary import LABEL_PAID_BY, MFN_STATUS, RESOLUTION, lookup

ALIASES: dict[str, tuple[str, ...]] = {
    "order_id": ("Order ID", "amazon-order-id", "Amazon Order ID"),
    "order_date": ("Order date",),
    "requested_at": ("Return request date", "Return date"),
    "status": ("Return request status", "Return status"),
    "rma": ("Amazon RMA ID", "RMA ID"),
    "merchant_rma": ("Merchant RMA ID", "Seller RMA ID"),
    "label_type": ("Label type",),
    "label_cost": ("Label cost",),
    "currency": ("Currency code", "Currency"),
    "carrier": ("Return carrier", "Carrier"),
    "tracking": ("Tracking ID", "Tracking number"),
    "label_paid_by": ("Label to be paid by", "Label paid by"),
    "a_to_z": ("A-to-Z Claim", "A-to-z claim", "AtoZ claim"),
    "asin": ("ASIN",),
    "sku": ("Merchant SKU", "Seller SKU", "SKU"),
    "title": ("Item Name", "Product name"),
    "quantity": ("Return quantity", "Quantity"),
    "reason": ("Return Reason", "Return reason code", "Reason"),
    "in_policy": ("In policy",),
    "resolution": ("Resolution",),
    "delivered_at": ("Return delivery date",),
    "order_amount": ("Order Amount",),
    "order_quantity": ("Order quantity",),
    "safet_claim": ("SafeT claim id",),
    "refunded": ("Refunded Amount", "Refund amount"),
}
REQUIRED = ("order_id", "requested_at", "sku", "quantity", "reason")
SIGNATURE = frozenset({"amazonrmaid", "returnrequeststatus", "returnrequestdate"})


_status = partial(lookup, MFN_STATUS, what="return request status")
_resolution = partial(lookup, RESOLUTION, what="resolution")
_paid_by = partial(lookup, LABEL_PAID_BY, what="payer")


class MfnFlatRows(RowReader):
    """Rows of one MFN flat file as records or row errors."""

    aliases = ALIASES
    required = REQUIRED

    def item(self, line: int, row: dict[str, str], errors: list[RowError]) -> ReturnItem | None:
        read = self.reader(line, row, errors)
        order_id = read.required("order_id", f.text)
        sku = read.required("sku", f.text)
        rma = f.text(row.get("rma")) or f.text(row.get("merchant_rma"))
        if rma is None:
            read.fail("rma", "the row has no Amazon RMA ID nor Merchant RMA ID")
        requested_at = read.required("requested_at", f.date_time)
        quantity = read.required("quantity", f.quantity)
        status = read.optional("status", _status)
        resolution = read.optional("resolution", _resolution)
        currency = read.optional("currency", f.currency_code)
        amounts: dict[str, int | None] = {}
        for field in ("order_amount", "label_cost", "refunded"):
            raw = row.get(field)
            if not raw or raw.isspace():
                amounts[field] = None
            elif currency is None:
                read.fail(field, "an amount needs the row's currency code")
                amounts[field] = None
            else:
                amounts[field] = read.optional(field, partial(f.amount_minor, currency=currency))
        delivered_at = read.optional("delivered_at", f.date_time)
        order_date = read.optional("order_date", f.date_time)
        order_quantity = read.optional("order_quantity", f.quantity)
        in_policy = read.optional("in_policy", f.flag)
        a_to_z = read.optional("a_to_z", f.flag)
        paid_by = read.optional("label_paid_by", _paid_by)
        if read.failed or not (order_id and sku and rma and requested_at and quantity):
            return None
        status = status or ReturnStatus.REQUESTED
        if resolution is Resolution.RETURNLESS_REFUND and status is not ReturnStatus.REJECTED:
            status = ReturnStatus.RETURNLESS
        elif delivered_at is not None and status in (ReturnStatus.AUTHORIZED, ReturnStatus.REQUESTED):
            status = ReturnStatus.DELIVERED
        return ReturnItem(
            line=line,
            channel=Channel.MFN,
            rma=rma,
            order_id=order_id,
            sku=sku,
            quantity=quantity,
            requested_at=requested_at,
            status=status,
            reason_raw=(row.get("reason") or "").strip(),
            asin=f.text(row.get("asin")),
            title=f.text(row.get("title")),
            order_date=order_date,
            currency=currency,
            order_amount_minor=amounts["order_amount"],
            order_quantity=order_quantity,
            refunded_minor=amounts["refunded"],
            in_policy=True if in_policy is None else in_policy,
            a_to_z_claim=bool(a_to_z),
            resolution=resolution,
            carrier=f.text(row.get("carrier")),
            tracking_number=f.text(row.get("tracking")),
            label_type=f.text(row.get("label_type")),
            label_cost_minor=amounts["label_cost"] or 0,
            label_paid_by=paid_by,
            delivered_at=delivered_at,
            safet_claim=not f.blank(row.get("safet_claim")),
            category=f.text(row.get("category")),
        )
