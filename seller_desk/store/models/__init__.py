"""SQLAlchemy models of the desktop store. Import from here; the split into modules is by topic."""

from seller_desk.store.models.base import Base
from seller_desk.store.models.catalogue import DailySales, Sku, SkuStock
from seller_desk.store.models.orders import Order, OrderLine, Shipment, TrackingEvent
from seller_desk.store.models.refunds import Decision, RefundPayment, RefundRequest, RefundRequestLine
from seller_desk.store.models.returns import Inspection, Note, Return, ReturnLine, SellableCount
from seller_desk.store.models.rules import AutoApproveRuleRow
from seller_desk.store.models.sync import AppMeta, AuditEntry, Conflict, Mutation, OutboxEntry, SyncState

__all__ = [
    "AppMeta",
    "AuditEntry",
    "AutoApproveRuleRow",
    "Base",
    "Conflict",
    "DailySales",
    "Decision",
    "Inspection",
    "Mutation",
    "Note",
    "Order",
    "OrderLine",
    "OutboxEntry",
    "RefundPayment",
    "RefundRequest",
    "RefundRequestLine",
    "Return",
    "ReturnLine",
    "SellableCount",
    "Shipment",
    "Sku",
    "SkuStock",
    "SyncState",
    "TrackingEvent",
]
