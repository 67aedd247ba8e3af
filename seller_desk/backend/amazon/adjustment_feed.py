"""``POST_PAYMENT_ADJUSTMENT_DATA``: the XML feed that refunds an order (AMAZON.md §3).

One ``Message`` per refund, one ``AdjustedItem`` per order line, amounts as totals for the line with
Amazon's signs (positive is refunded to the buyer; a restocking fee and a promotion taken back are
negative), written from integer minor units as exact decimals. ``MerchantAdjustmentItemID`` carries
our reference although Amazon ignores it (it has no idempotency): what protects against a second
refund is the ledger and the reconciliation before any resend (``connector``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seller_desk.domain.money import Money

FEED_TYPE = "POST_PAYMENT_ADJUSTMENT_DATA"
CONTENT_TYPE = "text/xml; charset=UTF-8"
PROMOTION = "Promotion"

# Why a refund is made, in Amazon's words: a refund for a returned item, or any other adjustment.
ADJUSTMENT_REASONS = {"return": "CustomerReturn"}  # every other source: GeneralAdjustment


@dataclass(frozen=True, slots=True)
class AdjustmentMessage:
    """One refund as the feed states it: the order, why, and the signed components per order item."""

    message_id: int
    order_id: str
    reason: str  # an AdjustmentReason value
    currency: str
    components: Sequence[dict[str, Any]]  # {"order_item_code", "type", "amount_minor"} (ledger form)
    merchant_ref: str = ""


def adjustment_reason(source: str | None) -> str:
    return ADJUSTMENT_REASONS.get(source or "", "GeneralAdjustment")


def build_feed(merchant_id: str, messages: Sequence[AdjustmentMessage]) -> bytes:
    """The feed document, UTF-8 with its declaration."""
    schema = {"xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
              "xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd"}  # fmt: skip
    envelope = ET.Element("AmazonEnvelope", schema)
    header = ET.SubElement(envelope, "Header")
    ET.SubElement(header, "DocumentVersion").text = "1.01"
    ET.SubElement(header, "MerchantIdentifier").text = merchant_id
    ET.SubElement(envelope, "MessageType").text = "OrderAdjustment"
    for message in messages:
        node = ET.SubElement(envelope, "Message")
        ET.SubElement(node, "MessageID").text = str(message.message_id)
        adjustment = ET.SubElement(node, "OrderAdjustment")
        ET.SubElement(adjustment, "AmazonOrderID").text = message.order_id
        ET.SubElement(adjustment, "ActionType").text = "Refund"
        by_item: dict[str, list[dict[str, Any]]] = {}
        for component in message.components:
            by_item.setdefault(str(component["order_item_code"]), []).append(component)
        for code, components in by_item.items():
            item = ET.SubElement(adjustment, "AdjustedItem")
            ET.SubElement(item, "AmazonOrderItemCode").text = code
            if message.merchant_ref:
                ET.SubElement(item, "MerchantAdjustmentItemID").text = message.merchant_ref[:64]
            ET.SubElement(item, "AdjustmentReason").text = message.reason
            prices = [c for c in components if c["type"] != PROMOTION]
            promotions = [c for c in components if c["type"] == PROMOTION]
            if prices:
                adjustments = ET.SubElement(item, "ItemPriceAdjustments")
                for component in prices:
                    _component(adjustments, component, message.currency)
            if promotions:
                promotion = ET.SubElement(item, "PromotionAdjustments")
                ET.SubElement(promotion, "PromotionClaimCode").text = "_SD_REFUND_"
                ET.SubElement(promotion, "MerchantPromotionID").text = "refund"
                for component in promotions:
                    _component(promotion, {**component, "type": "Principal"}, message.currency)
    document: bytes = ET.tostring(envelope, encoding="utf-8", xml_declaration=True)
    return document


def _component(parent: ET.Element, component: dict[str, Any], currency: str) -> None:
    node = ET.SubElement(parent, "Component")
    ET.SubElement(node, "Type").text = str(component["type"])
    amount = ET.SubElement(node, "Amount", {"currency": currency})
    amount.text = Money(int(component["amount_minor"]), currency).to_decimal_string()
