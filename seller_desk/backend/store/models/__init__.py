"""The backend's tables. Import from here; modules split them by topic."""

from seller_desk.backend.store.models.base import Base, MirroredMixin
from seller_desk.backend.store.models.catalogue import DailySales, Sku, SkuStock
from seller_desk.backend.store.models.orders import Order, OrderLine, Shipment, TrackingEvent
from seller_desk.backend.store.models.refunds import (
    Decision,
    LedgerEntry,
    RefundApproval,
    RefundPayment,
    RefundRequest,
    RefundRequestLine,
    UpstreamSubmission,
)
from seller_desk.backend.store.models.returns import Inspection, Note, Return, ReturnLine
from seller_desk.backend.store.models.sync import ChangeRow, FeedState, IdempotencyKey, MutationRecord
from seller_desk.backend.store.models.tenancy import Device, Seller

__all__ = [
    "Base",
    "ChangeRow",
    "DailySales",
    "Decision",
    "Device",
    "FeedState",
    "IdempotencyKey",
    "Inspection",
    "LedgerEntry",
    "MirroredMixin",
    "MutationRecord",
    "Note",
    "Order",
    "OrderLine",
    "RefundApproval",
    "RefundPayment",
    "RefundRequest",
    "RefundRequestLine",
    "Return",
    "ReturnLine",
    "Seller",
    "Shipment",
    "Sku",
    "SkuStock",
    "TrackingEvent",
    "UpstreamSubmission",
]
