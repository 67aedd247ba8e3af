"""Restock maths for one SKU: projected stock with and without returns, stock-out, cover, reorder.

DOMAIN.md "Restock planning" in plain Python, so every figure on the Restock screen can be recomputed
by hand and explained ("why 40?"). The caller (analytics) finds the inputs; nothing here reads a store.

Definitions (day 0 is today; day d is the end of the d-th day from today):

- **Arrivals.** Each expected inbound return is an ``Arrival``: the day it is expected, its expected
  units (already weighted by the chance it ships at all: 1 for a parcel in transit, the historical ship
  share for an authorized return not yet shipped) and P(sellable) for its SKU and reason. An arrival
  whose ETA has passed, or that is already delivered and waiting for the bench, is on day 0.
  **Expected sellable** of an arrival = units × P(sellable).
- **Projected stock** walks day by day: ``stock_0 = on hand + sellable arriving on day 0``, then
  ``stock_d = max(0, stock_(d-1) + sellable arriving on day d − sales per day)``. Sales that find no
  stock are lost, not back-ordered, so a return arriving after a stock-out refills from zero. The
  *without returns* line is the same walk with no arrivals. Open purchase orders are left out of the
  projection: the store has no date for them (see the reorder below).
- **Days of cover** = how many days of sales the stock lasts on the walk with returns: the first day
  whose demand cannot be met at ``d − 1 + available / sales per day``; beyond the horizon, stock at the
  horizon lasts ``stock_H / sales per day`` more days (no arrivals counted after the horizon). None
  (for ever) when the SKU does not sell.
- **Stock-out date** = today + ceil(days of cover): the first day that ends with nothing on the shelf.
- **Suggested reorder** = max(0, ceil(demand over (lead time + cover target) + safety stock − on hand
  − open purchase orders − expected sellable arriving within lead time + cover target)), where demand
  = sales per day × days and safety stock = sales per day × safety days. Returns expected after that
  window (or past the horizon) do not reduce what to order now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class RestockSettings:
    """The seller's planning knobs; lead time applies to SKUs whose stock row names none."""

    horizon_days: int = 28
    default_lead_time_days: int = 14
    cover_target_days: int = 14
    safety_stock_days: int = 7

    def __post_init__(self) -> None:
        for name in ("horizon_days", "default_lead_time_days", "cover_target_days", "safety_stock_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0 or value > 365:
                raise ValueError(
                    f"restock setting {name} must be a whole number of days 0–365, got {value!r}"
                )
        if self.horizon_days < 1:
            raise ValueError(f"restock setting horizon_days must be at least 1, got {self.horizon_days}")


@dataclass(frozen=True, slots=True)
class Arrival:
    """Expected inbound return units of one SKU on one day; ``source`` says why they are expected."""

    day: int
    units: float
    p_sellable: float
    reason: str
    source: str  # "in transit", "no ETA", "delivered", "authorized"

    @property
    def sellable(self) -> float:
        return self.units * self.p_sellable


@dataclass(frozen=True, slots=True)
class SkuInputs:
    sku: str
    on_hand: int
    sales_per_day: float
    lead_time_days: int | None
    inbound_po_units: int = 0
    arrivals: tuple[Arrival, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """One signed figure of an explanation: ``value`` is added to the total (negative: subtracted)."""

    label: str
    value: float
    detail: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the suggested reorder is what it is: terms that add up to ``raw``, then ``result``."""

    terms: tuple[Term, ...]
    raw: float
    result: int
    arrivals: tuple[Arrival, ...]  # the returns counted in the last term
    notes: tuple[str, ...]

    def arrival_lines(self) -> list[str]:
        """One line per expected-sellable contribution (built on demand: a plan has thousands)."""
        return [
            f"{a.units:.1f} × P(sellable {a.p_sellable:.2f}) = {a.sellable:.1f}"
            f"  {a.reason.replace('_', ' ')}, {a.source}, day {max(0, a.day)}"
            for a in sorted(self.arrivals, key=lambda a: (max(0, a.day), a.reason))
        ]

    def text(self) -> str:
        lines = [f"Suggested reorder: {self.result} units"]
        for term in self.terms:
            sign = "−" if math.copysign(1.0, term.value) < 0 else "+"
            lines.append(f"  {sign} {abs(term.value):.1f}  {term.label} ({term.detail})")
        lines.append(f"  = {self.raw:.1f} → {self.result} (rounded up, never below 0)")
        if self.arrivals:
            lines.append("Expected sellable returns:")
            lines.extend(f"  {line}" for line in self.arrival_lines())
        lines.extend(self.notes)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class SkuPlan:
    sku: str
    on_hand: int
    sales_per_day: float
    lead_time_days: int
    inbound_units: float  # expected returns arriving within the horizon
    expected_sellable: float  # their sellable part, within the horizon
    with_returns: tuple[float, ...]  # projected stock, days 0..horizon
    without_returns: tuple[float, ...]
    days_of_cover: float | None
    stockout: date | None
    reorder: int
    explanation: Explanation = field(compare=False)

    @property
    def projected_at_horizon(self) -> float:
        return self.with_returns[-1]


def sellable_by_day(arrivals: tuple[Arrival, ...], horizon: int) -> list[float]:
    """Expected sellable units per day 0..horizon; past ETAs count on day 0, later ones are dropped."""
    by_day = [0.0] * (horizon + 1)
    for arrival in arrivals:
        day = max(0, arrival.day)
        if day <= horizon:
            by_day[day] += arrival.sellable
    return by_day


def project(on_hand: int, sales_per_day: float, inflow: list[float]) -> tuple[list[float], float | None]:
    """The day-by-day stock walk (see the module docstring) and days of cover."""
    stock = on_hand + inflow[0]
    series = [stock]
    cover: float | None = None
    for day in range(1, len(inflow)):
        available = stock + inflow[day]
        if cover is None and sales_per_day > 0 and available < sales_per_day:
            cover = day - 1 + available / sales_per_day
        stock = max(0.0, available - sales_per_day)
        series.append(stock)
    if cover is None and sales_per_day > 0:
        cover = len(inflow) - 1 + stock / sales_per_day
    return series, cover


def plan_sku(inputs: SkuInputs, settings: RestockSettings, today: date) -> SkuPlan:
    """The plan of one SKU over ``settings.horizon_days`` from ``today``."""
    horizon = settings.horizon_days
    rate = max(0.0, inputs.sales_per_day)
    lead = settings.default_lead_time_days if inputs.lead_time_days is None else inputs.lead_time_days
    inflow = sellable_by_day(inputs.arrivals, horizon)
    with_returns, cover = project(inputs.on_hand, rate, inflow)
    if inputs.arrivals:
        without_returns, _ = project(inputs.on_hand, rate, [0.0] * (horizon + 1))
    else:
        without_returns = with_returns
    inbound = sum(a.units for a in inputs.arrivals if a.day <= horizon)
    window = lead + settings.cover_target_days
    in_window = tuple(a for a in inputs.arrivals if a.day <= window)
    sellable_in_window = sum(a.sellable for a in in_window)
    explanation = explain(inputs, settings, lead, rate, in_window, sellable_in_window)
    return SkuPlan(
        sku=inputs.sku,
        on_hand=inputs.on_hand,
        sales_per_day=rate,
        lead_time_days=lead,
        inbound_units=inbound,
        expected_sellable=sum(inflow),
        with_returns=tuple(with_returns),
        without_returns=tuple(without_returns),
        days_of_cover=cover,
        stockout=None if cover is None else today + timedelta(days=math.ceil(cover - 1e-9)),
        reorder=explanation.result,
        explanation=explanation,
    )


def explain(
    inputs: SkuInputs,
    settings: RestockSettings,
    lead: int,
    rate: float,
    in_window: tuple[Arrival, ...],
    sellable_in_window: float,
) -> Explanation:
    """The reorder's terms in words and figures; ``raw`` is their exact sum."""
    cover, safety = settings.cover_target_days, settings.safety_stock_days
    window = lead + cover
    terms = (
        Term("demand", rate * window, f"{rate:.2f}/day × ({lead} days lead time + {cover} days cover)"),
        Term("safety stock", rate * safety, f"{rate:.2f}/day × {safety} days"),
        Term("on hand", -float(inputs.on_hand), "sellable units in stock now"),
        Term("open purchase orders", -float(inputs.inbound_po_units), "units already ordered"),
        Term("expected sellable returns", -sellable_in_window, f"arriving within {window} days"),
    )
    raw = sum(term.value for term in terms)
    result = max(0, math.ceil(raw - 1e-9))
    notes: list[str] = []
    if rate == 0:
        notes.append("No sales in the window: nothing to reorder for demand.")
    later = [a for a in inputs.arrivals if a.day > window]
    if later:
        notes.append(
            f"{sum(a.units for a in later):.1f} more units expected after day {window}: not counted."
        )
    return Explanation(terms=terms, raw=raw, result=result, arrivals=in_window, notes=tuple(notes))
