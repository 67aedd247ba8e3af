"""Refund caps, the restocking-fee rule and the signed adjustment that goes upstream.

The same checks run on the desktop (before a decision is queued) and on the backend (before a feed is
sent), so they live here as pure functions of their inputs. Amounts coming in are magnitudes per order
line (order item code) and charge component; only `build_adjustment` gives them the signs Amazon's
order-adjustment feed wants (AMAZON.md §3): positive is refunded to the buyer, a restocking fee is
negative, and a promotion is negative too, because refunding a discounted item takes the discount back.

Rules (DOMAIN.md "Policies", AMAZON.md §5):

* refundable now = charged - already refunded - approved but not yet settled, never below zero;
  an approval above it for any line and component is refused (`RefundCapExceeded`).
* restocking fee: never for an in-policy return in original condition (NEW or LIKE_NEW; an in-policy
  return not yet inspected counts as original: nothing shows otherwise); it is charged on the
  principal only, so it needs principal refunded on that line and cannot exceed it; a fee of 20 %
  (2000 basis points) or more of that principal needs evidence attached.
* the net of the whole adjustment must be a credit to the buyer (> 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from seller_desk.domain.entities import ComponentAmounts, LineAmounts
from seller_desk.domain.enums import ChargeComponent, ConditionGrade
from seller_desk.domain.errors import PolicyViolation, RefundCapExceeded
from seller_desk.domain.money import BASIS_POINTS_PER_UNIT, Money, total, zero

RESTOCKING_EVIDENCE_THRESHOLD_BP = 2000
"""A restocking fee at or above this share of the refunded principal needs evidence (a photo)."""

ORIGINAL_CONDITION: frozenset[ConditionGrade] = frozenset({ConditionGrade.NEW, ConditionGrade.LIKE_NEW})

_EMPTY: LineAmounts = {}


class AdjustmentType(StrEnum):
    """Component types of Amazon's `OrderAdjustment` feed; values are the upstream spelling.

    `PROMOTION` is the only one that upstream goes in `PromotionAdjustments` rather than
    `ItemPriceAdjustments`; the feed writer places it there.
    """

    PRINCIPAL = "Principal"
    SHIPPING = "Shipping"
    TAX = "Tax"
    SHIPPING_TAX = "ShippingTax"
    GIFT_WRAP = "GiftWrap"
    PROMOTION = "Promotion"
    RESTOCKING_FEE = "RestockingFee"


UPSTREAM_TYPE: Mapping[ChargeComponent, AdjustmentType] = MappingProxyType(
    {
        ChargeComponent.PRINCIPAL: AdjustmentType.PRINCIPAL,
        ChargeComponent.SHIPPING: AdjustmentType.SHIPPING,
        ChargeComponent.TAX: AdjustmentType.TAX,
        ChargeComponent.SHIPPING_TAX: AdjustmentType.SHIPPING_TAX,
        ChargeComponent.GIFT_WRAP: AdjustmentType.GIFT_WRAP,
        ChargeComponent.PROMOTION: AdjustmentType.PROMOTION,
    }
)

# Components that reduce the buyer's credit when refunded.
_DEBIT_COMPONENTS = frozenset({ChargeComponent.PROMOTION})


@dataclass(frozen=True, slots=True)
class FeeFacts:
    """What the restocking-fee rule needs to know about one returned line."""

    in_policy: bool
    condition: ConditionGrade | None
    evidence_attached: bool


@dataclass(frozen=True, slots=True)
class AdjustmentComponent:
    """One signed component of an adjusted item, exactly as it goes upstream."""

    type: AdjustmentType
    amount: Money


@dataclass(frozen=True, slots=True)
class AdjustedItem:
    """The signed components for one order item code."""

    order_item_code: str
    components: tuple[AdjustmentComponent, ...]

    def net(self, currency: str) -> Money:
        return total((c.amount for c in self.components), currency)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A whole refund adjustment: signed items and their net, which is always a credit (> 0)."""

    currency: str
    items: tuple[AdjustedItem, ...]
    net: Money


def _get(amounts: LineAmounts, line: str, component: ChargeComponent, currency: str) -> Money:
    return amounts.get(line, {}).get(component, zero(currency))


def refundable_now(
    charged: LineAmounts, refunded: LineAmounts = _EMPTY, approved_unsettled: LineAmounts = _EMPTY
) -> dict[str, dict[ChargeComponent, Money]]:
    """Per line and component: charged - refunded - approved but unsettled, floored at zero.

    The result has an entry for every charged line and component; anything not charged is not
    refundable. Amounts of different currencies raise `CurrencyMismatch`.
    """
    result: dict[str, dict[ChargeComponent, Money]] = {}
    for line, components in charged.items():
        result[line] = {}
        for component, amount in components.items():
            left = (
                amount
                - _get(refunded, line, component, amount.currency)
                - _get(approved_unsettled, line, component, amount.currency)
            )
            result[line][component] = left if left.amount_minor > 0 else zero(amount.currency)
    return result


def check_approval(
    asked: LineAmounts,
    charged: LineAmounts,
    refunded: LineAmounts = _EMPTY,
    approved_unsettled: LineAmounts = _EMPTY,
) -> None:
    """Refuse an approval that asks, for any line and component, more than is refundable now.

    Raises `RefundCapExceeded` (a `PolicyViolation`) naming the line, component, asked and allowed
    amounts; raises `PolicyViolation` for a negative amount (refund amounts are magnitudes).
    """
    allowed = refundable_now(charged, refunded, approved_unsettled)
    for line, components in asked.items():
        for component, amount in components.items():
            if amount.is_negative:
                raise PolicyViolation(f"line {line}, {component.value}: negative amount {amount}")
            cap = allowed.get(line, {}).get(component, zero(amount.currency))
            if amount > cap:
                raise RefundCapExceeded(line, component.value, amount, cap)


def fee_needs_evidence(fee: Money, principal: Money) -> bool:
    """Whether `fee` is at least 20 % of `principal`: the evidence threshold, compared exactly in integers."""
    threshold = principal.amount_minor * RESTOCKING_EVIDENCE_THRESHOLD_BP
    return fee.amount_minor * BASIS_POINTS_PER_UNIT >= threshold


def check_restocking_fee(line: str, fee: Money, principal_refund: Money, facts: FeeFacts | None) -> None:
    """Apply the restocking-fee rule to one line; raises `PolicyViolation` saying which part failed."""
    if fee.is_zero:
        return
    if fee.is_negative:
        raise PolicyViolation(f"line {line}: a restocking fee is a magnitude, got {fee}")
    if facts is None:
        raise PolicyViolation(f"line {line}: a restocking fee needs the return's policy and condition")
    if facts.in_policy and (facts.condition is None or facts.condition in ORIGINAL_CONDITION):
        raise PolicyViolation(f"line {line}: no restocking fee on an in-policy return in original condition")
    if not principal_refund.is_positive:
        raise PolicyViolation(
            f"line {line}: a restocking fee applies to refunded principal, and there is none"
        )
    if fee > principal_refund:
        raise PolicyViolation(f"line {line}: restocking fee {fee} exceeds the principal refunded")
    if fee_needs_evidence(fee, principal_refund) and not facts.evidence_attached:
        raise PolicyViolation(f"line {line}: a restocking fee of 20 % or more needs evidence attached")


def _signed_components(components: ComponentAmounts, fee: Money | None) -> tuple[AdjustmentComponent, ...]:
    signed: list[AdjustmentComponent] = []
    for component in ChargeComponent:  # enum order keeps the output deterministic
        amount = components.get(component)
        if amount is None or amount.is_zero:
            continue
        sign_amount = -amount if component in _DEBIT_COMPONENTS else amount
        signed.append(AdjustmentComponent(UPSTREAM_TYPE[component], sign_amount))
    if fee is not None and not fee.is_zero:
        signed.append(AdjustmentComponent(AdjustmentType.RESTOCKING_FEE, -fee))
    return tuple(signed)


def build_adjustment(
    asked: LineAmounts,
    charged: LineAmounts,
    refunded: LineAmounts = _EMPTY,
    approved_unsettled: LineAmounts = _EMPTY,
    restocking_fees: Mapping[str, Money] | None = None,
    fee_facts: Mapping[str, FeeFacts] | None = None,
    *,
    currency: str,
) -> Adjustment:
    """Check an approval against every rule and return the signed adjustment that would go upstream.

    Raises `RefundCapExceeded` / `PolicyViolation` on the first rule broken: the cap (`check_approval`),
    the restocking-fee rule per line (`check_restocking_fee`, with `fee_facts[line]`), a fee on a line
    that refunds nothing, and a net that would not be a credit to the buyer.
    """
    fees = restocking_fees or {}
    facts = fee_facts or {}
    check_approval(asked, charged, refunded, approved_unsettled)
    for line in fees:
        if line not in asked:
            raise PolicyViolation(f"line {line}: a restocking fee on a line that refunds nothing")
    items: list[AdjustedItem] = []
    for line, components in asked.items():
        fee = fees.get(line)
        if fee is not None:
            principal = components.get(ChargeComponent.PRINCIPAL, zero(currency))
            check_restocking_fee(line, fee, principal, facts.get(line))
        signed = _signed_components(components, fee)
        if signed:
            items.append(AdjustedItem(line, signed))
    net = total((item.net(currency) for item in items), currency)
    if not net.is_positive:
        raise PolicyViolation(f"the net refund must be a credit to the buyer, got {net}")
    return Adjustment(currency=currency, items=tuple(items), net=net)
