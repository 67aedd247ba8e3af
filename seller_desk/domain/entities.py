"""Orders, shipments and stock: the records the seller's data is made of (DOMAIN.md "Who and what").

Entities are frozen dataclasses: a change is a new value, which keeps undo, sync and tests simple. They
check their invariants when built (see `validation`), so everything downstream may trust them. Per-component
amounts are `Mapping[ChargeComponent, Money]`; they are frozen on the way in and excluded from hashing.

Amounts are magnitudes: every charged component is >= 0, including `PROMOTION`, which is the discount
the buyer got. The refund policy gives each component its sign when it builds the adjustment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from seller_desk.domain.enums import (
    Channel,
    ChargeComponent,
    ShipmentDirection,
    TrackingStatus,
)
from seller_desk.domain.errors import InvariantViolation
from seller_desk.domain.money import Money, total
from seller_desk.domain.validation import (
    frozen_components,
    require_exact_non_negative,
    require_money,
    require_non_negative,
    require_optional_utc,
    require_positive,
    require_text,
    require_utc,
)

ComponentAmounts = Mapping[ChargeComponent, Money]
"""Amounts of one order line, per charge component."""

LineAmounts = Mapping[str, ComponentAmounts]
"""Per-component amounts keyed by order item code (one entry per order line)."""


def signed_total(amounts: Iterable[tuple[ChargeComponent, Money]], currency: str) -> Money:
    """Magnitudes per component summed as a credit to the buyer: a promotion taken back counts negative."""
    return total((-m if c is ChargeComponent.PROMOTION else m for c, m in amounts), currency)


def credit_minor(component: ChargeComponent | str, amount_minor: int) -> int:
    """One component's magnitude as a credit to the buyer (minor units): a promotion counts negative."""
    return -amount_minor if component == ChargeComponent.PROMOTION else amount_minor


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One order item: what was bought and what was charged for it, per component, for the whole quantity."""

    order_item_code: str
    sku: str
    asin: str
    title: str
    quantity: int
    charged: ComponentAmounts = field(hash=False)

    def __post_init__(self) -> None:
        require_text(self.order_item_code, "order_item_code")
        require_text(self.sku, "sku")
        require_positive(self.quantity, f"line {self.order_item_code} quantity")
        currencies = {amount.currency for amount in self.charged.values() if isinstance(amount, Money)}
        if len(currencies) > 1:
            raise InvariantViolation(f"line {self.order_item_code} mixes currencies {sorted(currencies)}")
        currency = next(iter(currencies), "XXX")
        charged = frozen_components(self.charged, currency, f"line {self.order_item_code} charged")
        object.__setattr__(self, "charged", charged)

    def charged_for(self, component: ChargeComponent, currency: str) -> Money:
        """The charged amount of one component (zero when the line has none)."""
        return self.charged.get(component, Money(0, currency))


@dataclass(frozen=True, slots=True)
class Order:
    """A marketplace order; every amount on its lines is in the order's currency."""

    order_id: str
    marketplace: str
    channel: Channel
    purchased_at: datetime
    currency: str
    lines: tuple[OrderLine, ...]

    def __post_init__(self) -> None:
        require_text(self.order_id, "order_id")
        require_text(self.marketplace, "marketplace")
        if not isinstance(self.channel, Channel):
            raise InvariantViolation(f"order {self.order_id}: channel must be a Channel")
        require_utc(self.purchased_at, f"order {self.order_id} purchased_at")
        Money(0, self.currency)  # validates the currency code
        object.__setattr__(self, "lines", tuple(self.lines))
        if not self.lines:
            raise InvariantViolation(f"order {self.order_id} has no lines")
        codes = [line.order_item_code for line in self.lines]
        if len(set(codes)) != len(codes):
            raise InvariantViolation(f"order {self.order_id} repeats an order item code: {codes}")
        for line in self.lines:
            for component, amount in line.charged.items():
                where = f"order {self.order_id} line {line.order_item_code} {component.value}"
                require_money(amount, self.currency, where)

    def line(self, order_item_code: str) -> OrderLine:
        """The line with this order item code (KeyError when the order has none)."""
        for line in self.lines:
            if line.order_item_code == order_item_code:
                return line
        raise KeyError(f"order {self.order_id} has no line {order_item_code!r}")

    @property
    def charged_by_line(self) -> LineAmounts:
        """Charged amounts keyed by order item code: the `charged` input of the refund policy."""
        return {line.order_item_code: line.charged for line in self.lines}

    @property
    def total_charged(self) -> Money:
        """What the buyer paid: every component, less the promotion discount."""
        return signed_total((item for line in self.lines for item in line.charged.items()), self.currency)


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One carrier scan: the normalized status plus the raw code and text exactly as received."""

    occurred_at: datetime
    status: TrackingStatus
    raw_code: str
    location: str = ""
    text: str = ""

    def __post_init__(self) -> None:
        require_utc(self.occurred_at, "tracking event occurred_at")
        if not isinstance(self.status, TrackingStatus):
            raise InvariantViolation(f"tracking event status must be a TrackingStatus, got {self.status!r}")


@dataclass(frozen=True, slots=True)
class Shipment:
    """A parcel: outbound (the order) or inbound (the return), with its scans in any order."""

    carrier: str
    tracking_number: str
    direction: ShipmentDirection
    promised_delivery: datetime | None = None
    estimated_delivery: datetime | None = None
    events: tuple[TrackingEvent, ...] = ()

    def __post_init__(self) -> None:
        require_text(self.tracking_number, "tracking_number")
        if not isinstance(self.direction, ShipmentDirection):
            raise InvariantViolation("shipment direction must be a ShipmentDirection")
        require_optional_utc(self.promised_delivery, "promised_delivery")
        require_optional_utc(self.estimated_delivery, "estimated_delivery")
        object.__setattr__(self, "events", tuple(self.events))

    @property
    def latest_event(self) -> TrackingEvent | None:
        """The scan that happened last (not the one received last): carriers report out of order."""
        return max(self.events, key=lambda event: event.occurred_at, default=None)

    @property
    def last_scan_at(self) -> datetime | None:
        """When the carrier last saw the parcel, for the stalled-parcel clock."""
        latest = self.latest_event
        return None if latest is None else latest.occurred_at


@dataclass(frozen=True, slots=True)
class SkuStock:
    """Sellable stock of one SKU and the inputs of restock planning.

    `sales_per_day` is a `Decimal` rate (units/day, e.g. Decimal("2.5")): a rate, not money, but still
    exact, so plans computed on two machines agree to the unit.
    """

    sku: str
    on_hand: int
    unit_cost: Money
    lead_time_days: int
    sales_per_day: Decimal

    def __post_init__(self) -> None:
        require_text(self.sku, "sku")
        require_non_negative(self.on_hand, f"sku {self.sku} on_hand")
        if not isinstance(self.unit_cost, Money):
            raise InvariantViolation(f"sku {self.sku} unit_cost must be Money")
        require_money(self.unit_cost, self.unit_cost.currency, f"sku {self.sku} unit_cost")
        require_non_negative(self.lead_time_days, f"sku {self.sku} lead_time_days")
        require_exact_non_negative(self.sales_per_day, f"sku {self.sku} sales_per_day")

    @property
    def stock_value(self) -> Money:
        """On-hand units at unit cost."""
        return self.unit_cost * self.on_hand
