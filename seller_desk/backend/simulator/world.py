"""The simulated marketplace's future, drawn from one seeded RNG: orders and all that follows them.

The world is a priority queue of ``Scheduled`` events ordered by simulated instant (then by a counter).
Popping an order draws its consequences — the outbound parcel's scans, maybe a return with its refund
request and the return parcel's journey, maybe a customer's refund request with a cancellation or an
A-to-z claim — and the next order's arrival. Draws happen only when an event is popped, and pops come
in (instant, counter) order, so the stream is a pure function of (seed, begin): the same however the
runner slices time into batches.

Rates are per order (``WorldRates``); return parcels go one of five ways: normal, stalled (silent for
days, then delivered), exception (then delivered), lost, and "refund at first scan" (the marketplace
refunds as soon as the carrier has the parcel, on top of any of the others).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from seller_desk.backend.simulator.events import (
    BUYERS,
    CATALOGUE,
    LOCATIONS,
    MARKETS,
    AutoRefunded,
    CarrierScan,
    ClaimOpened,
    CustomerCancelled,
    OrderPlaced,
    ParcelStalled,
    RefundRequested,
    ReturnOpened,
    Scheduled,
    SimEvent,
    scan_event,
)
from seller_desk.domain.entities import Order, OrderLine, Shipment
from seller_desk.domain.enums import (
    Channel,
    ChargeComponent,
    RefundSource,
    RefundState,
    ReturnStatus,
    ShipmentDirection,
)
from seller_desk.domain.enums import TrackingStatus as T
from seller_desk.domain.money import Money
from seller_desk.domain.reasons import FBA_REASONS
from seller_desk.domain.return_entities import RefundRequest, Return, ReturnLine
from seller_desk.domain.tracking import TrackingSource

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
RETURN_REASONS = tuple(sorted(code for code, reason in FBA_REASONS.items() if reason.value != "other"))
REQUEST_REASONS = ("MISSED_ESTIMATED_DELIVERY", "NOT_AS_DESCRIBED", "MISSING_PARTS", "DAMAGED_BY_CARRIER")


@dataclass(frozen=True, slots=True)
class WorldRates:
    orders_per_day: float = 36.0
    return_rate: float = 0.18  # of orders
    request_rate: float = 0.08  # customer refund requests without a return, of orders
    cancel_rate: float = 0.3  # of customer requests, withdrawn within hours
    claim_rate: float = 0.25  # of customer requests, escalated to A-to-z within days
    first_scan_refund_rate: float = 0.2  # of returns
    stall_rate: float = 0.1  # of return parcels
    exception_rate: float = 0.1
    loss_rate: float = 0.06
    duplicate_scan_rate: float = 0.1  # carriers resend scans


class World:
    def __init__(
        self,
        seed: int,
        begin: datetime,
        rates: WorldRates | None = None,
        *,
        backlog: int = 0,
        pipeline: tuple[datetime, datetime] | None = None,
    ) -> None:
        """``backlog``: orders placed in the 4 to 25 days before ``begin`` that come back as returns,
        so a short history already has returns at every stage (their early events pop first).
        ``pipeline`` (from, to): the orders of that span that will come back, at the shop's rates,
        so returns keep arriving from the first minutes after ``to`` although the history is short."""
        self.rng = random.Random(f"seller-desk-sim:{seed}:{begin.isoformat()}")
        self.rates = rates or WorldRates()
        self._queue: list[Scheduled] = []
        self._seq = 0
        for _ in range(backlog):
            placed = begin - timedelta(days=self.rng.uniform(4, 25))
            heapq.heappush(self._queue, self._order(placed, returned=True))
        if pipeline is not None:
            since, until = pipeline
            days = (until - since).total_seconds() / 86400
            for _ in range(round(self.rates.orders_per_day * self.rates.return_rate * days)):
                placed = since + timedelta(days=self.rng.uniform(0, days))
                heapq.heappush(self._queue, self._order(placed, returned=True))
        self._push(begin + self._gap(), None)

    def next_at(self) -> datetime | None:
        return self._queue[0].at if self._queue else None

    def pop_until(self, until: datetime) -> Iterator[Scheduled]:
        """Every event due at or before ``until``, in order, drawing consequences as they pop."""
        while self._queue and self._queue[0].at <= until:
            item = heapq.heappop(self._queue)
            if item.event is None:  # the "next order" tick
                yield self._order(item.at)
                self._push(item.at + self._gap(), None)
                continue
            yield item

    def _push(self, at: datetime, event: SimEvent | None) -> None:
        self._seq += 1
        # None marks the next order's arrival; pop_until turns it into an OrderPlaced before yielding
        heapq.heappush(self._queue, Scheduled(at, self._seq, event))  # type: ignore[arg-type]

    def _gap(self) -> timedelta:
        return timedelta(days=self.rng.expovariate(self.rates.orders_per_day))

    def _hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))

    # -- an order and its future ------------------------------------------------------------------
    def _order(self, at: datetime, *, returned: bool = False) -> Scheduled:
        rng = self.rng
        market, currency, rate, _weight, carriers = rng.choices(MARKETS, [m[3] for m in MARKETS])[0]
        lines = []
        for index, (sku, asin, title, price) in enumerate(rng.sample(CATALOGUE, rng.choice((1, 1, 1, 2, 3)))):
            quantity = rng.choice((1, 1, 1, 2))
            principal = price * rate // 100 * quantity
            charged = {
                ChargeComponent.PRINCIPAL: Money(principal, currency),
                ChargeComponent.SHIPPING: Money(rng.choice((0, 0, 399, 499)), currency),
                ChargeComponent.TAX: Money(principal * 8 // 100, currency),
            }
            lines.append(
                OrderLine(f"{rng.randrange(10**13):013d}{index}", sku, asin, title, quantity, charged)
            )
        order = Order(
            order_id=f"{rng.randint(111, 114)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}",
            marketplace=market,
            channel=Channel.FBA if rng.random() < 0.4 else Channel.MFN,
            purchased_at=at,
            currency=currency,
            lines=tuple(lines),
        )
        carrier = rng.choice(carriers)
        promised = at + DAY * rng.randint(2, 5)
        parcel = Shipment(carrier, self._tracking_number(carrier), ShipmentDirection.OUTBOUND, promised)
        delivered = self._outbound_journey(parcel, at)
        if returned or rng.random() < self.rates.return_rate:
            self._return(order, delivered + self._hours(12, 120))
        elif rng.random() < self.rates.request_rate / (1 - self.rates.return_rate):
            self._customer_request(order, delivered + self._hours(2, 120))
        self._seq += 1
        return Scheduled(at, self._seq, OrderPlaced(order, rng.choice(BUYERS), parcel))

    def _tracking_number(self, carrier: str) -> str:
        if carrier == "UPS":
            return "1Z" + "".join(self.rng.choices("0123456789ABCDEFGHJKLMNPRSTUVWXYZ", k=16))
        return "".join(self.rng.choices("0123456789", k=self.rng.choice((12, 20, 22))))

    def _scan(self, parcel: Shipment, at: datetime, status: T, source: TrackingSource | None,
              direction: str, text: str | None = None, eta: datetime | None = None) -> None:  # fmt: skip
        location = self.rng.choice(LOCATIONS)
        event = CarrierScan(
            scan_event(parcel.carrier, parcel.tracking_number, at, status, source, location, text, eta),
            direction,
        )
        self._push(at, event)
        if self.rng.random() < self.rates.duplicate_scan_rate:
            self._push(at + self._hours(0.5, 6), event)  # the same scan, sent again later

    def _outbound_journey(self, parcel: Shipment, ordered: datetime) -> datetime:
        at = ordered + self._hours(2, 30)
        src = TrackingSource.AFTERSHIP
        for status, gap in ((T.INFO_RECEIVED, (0, 0)), (T.IN_TRANSIT, (3, 12)), (T.DELIVERED, (20, 60))):
            at += self._hours(*gap)
            self._scan(parcel, at, status, src, "outbound")
        return at

    def _return(self, order: Order, at: datetime) -> None:
        rng = self.rng
        line = rng.choice(order.lines)
        code = rng.choice(RETURN_REASONS)
        raw = code if order.channel is Channel.FBA else f"CR-{code}"
        rma = f"D{rng.randrange(16**9):09X}RMA"
        carrier = rng.choice(next(m[4] for m in MARKETS if m[0] == order.marketplace))
        parcel = Shipment(carrier, self._tracking_number(carrier), ShipmentDirection.INBOUND)
        ret = Return(
            rma=rma, order_id=order.order_id, status=ReturnStatus.AUTHORIZED,
            lines=(ReturnLine.from_raw(line.sku, 1, raw, order_item_code=line.order_item_code,
                                       in_policy=rng.random() < 0.9),),
            requested_at=at, authorized_at=at, shipment=parcel,
        )  # fmt: skip
        unit = line.charged_for(ChargeComponent.PRINCIPAL, order.currency).amount_minor // line.quantity
        request = RefundRequest(
            request_id=f"RR-{rma}", order_id=order.order_id, state=RefundState.PENDING,
            source=RefundSource.RETURN, reason=raw, currency=order.currency,
            requested={line.order_item_code: {ChargeComponent.PRINCIPAL: Money(unit, order.currency)}},
            created_at=at, rma=rma, due_at=at + DAY * 14,
        )  # fmt: skip
        self._push(at, ReturnOpened(ret, request))
        self._return_journey(parcel, at, request.request_id)

    def _return_journey(self, parcel: Shipment, opened: datetime, request_id: str) -> None:
        """The parcel's scans, each with the carrier's delivery estimate as it stood at that scan: the
        promise made at pickup until an exception revises it; a stalled parcel stays overdue."""
        rng, rates = self.rng, self.rates
        src = rng.choices((TrackingSource.AFTERSHIP, TrackingSource.SHIPPING_V2, None), (0.6, 0.25, 0.15))[0]
        plan: list[tuple[datetime, T, TrackingSource | None, str | None]] = []
        at = opened + self._hours(2, 12)
        plan.append((at, T.INFO_RECEIVED, src, None))
        at += self._hours(10, 48)
        plan.append((at, T.IN_TRANSIT, src, None))
        promised = at + self._hours(60, 108)  # three to five days door to door
        if rng.random() < rates.first_scan_refund_rate:
            self._push(at + timedelta(minutes=5), AutoRefunded(request_id, "first_scan"))
        roll = rng.random()
        revised_from: datetime | None = None
        if roll < rates.loss_rate:
            at += self._hours(24, 72)
            plan.append((at, T.IN_TRANSIT, src, None))
            plan.append((at + self._hours(120, 240), T.LOST, TrackingSource.SHIPPING_V2, None))
        else:
            roll -= rates.loss_rate
            if roll < rates.stall_rate:
                self._push(at + HOUR, ParcelStalled(parcel.tracking_number))
                at += self._hours(144, 288)  # silent for 6-12 days
            elif roll - rates.stall_rate < rates.exception_rate:
                at += self._hours(12, 36)
                revised_from = at
                plan.append((at, T.EXCEPTION, src, "address could not be verified"))
                at += self._hours(24, 72)
            at += self._hours(12, 36)
            plan.append((at, T.IN_TRANSIT, src, None))
            at += self._hours(24, 72)
            plan.append((at, T.OUT_FOR_DELIVERY, src, None))
            plan.append((at + self._hours(1, 8), T.DELIVERED, src, None))
        delivered = plan[-1][0]
        for when, status, source, text in plan:
            if status in (T.DELIVERED, T.LOST):
                eta = None
            elif status is T.OUT_FOR_DELIVERY or (revised_from is not None and when >= revised_from):
                eta = delivered
            else:
                eta = promised
            self._scan(parcel, when, status, source, "inbound", text, eta)

    def _customer_request(self, order: Order, at: datetime) -> None:
        rng, rates = self.rng, self.rates
        line = order.lines[0]
        shipping = line.charged_for(ChargeComponent.SHIPPING, order.currency)
        if shipping.is_positive and rng.random() < 0.5:
            asked = {ChargeComponent.SHIPPING: shipping}
        else:
            principal = line.charged_for(ChargeComponent.PRINCIPAL, order.currency).amount_minor
            asked = {ChargeComponent.PRINCIPAL: Money(max(1, principal // 2), order.currency)}
        request = RefundRequest(
            request_id=f"RR-C{rng.randrange(16**10):010X}", order_id=order.order_id,
            state=RefundState.PENDING, source=RefundSource.CUSTOMER, reason=rng.choice(REQUEST_REASONS),
            currency=order.currency,
            requested={line.order_item_code: asked}, created_at=at, due_at=at + DAY * 2,
        )  # fmt: skip
        self._push(at, RefundRequested(request))
        roll = rng.random()
        if roll < rates.cancel_rate:
            self._push(at + self._hours(2, 30), CustomerCancelled(request.request_id))
        elif roll < rates.cancel_rate + rates.claim_rate:
            opened = at + self._hours(24, 72)
            self._push(opened, ClaimOpened(request.request_id))
            self._push(opened + self._hours(24, 48), AutoRefunded(request.request_id, "claim_granted"))
