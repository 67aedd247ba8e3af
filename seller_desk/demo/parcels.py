"""Which parcels exist: return labels (inbound) and recent order shipments (outbound), with routes.

A return gets a parcel as soon as its label exists (authorization), so authorized-but-unshipped returns
already show "label created" and unused labels end as expired or cancelled. Outbound parcels are the
recent orders on their way to buyers, with a promised delivery date; some are late, delayed, stuck in
an exception, waiting at an access point or lost. Carrier ETAs are end-of-day estimates from the
carrier's usual transit time; returns without one get the median transit of that carrier's history.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from seller_desk.demo import ids
from seller_desk.demo.calendar import DAY, HOUR, lognormal_seconds
from seller_desk.demo.lifecycle import NONE, Lifecycle, S
from seller_desk.demo.markets import CARRIER_INDEX, CARRIER_NAMES, CARRIERS, MARKETPLACES
from seller_desk.demo.tracking import VOCABULARIES, K, Parcels
from seller_desk.domain.enums import ReturnStatus

LOCATION_POOL: tuple[str, ...] = tuple(
    dict.fromkeys(
        place
        for m in MARKETPLACES
        for place in (*m.cities, m.seller_city, *(city for _, city in m.fulfilment_centres), *m.hubs)
    )
)
_LOC = {place: i for i, place in enumerate(LOCATION_POOL)}
_AMAZON = CARRIER_INDEX["Amazon Logistics"]


def _per_market(rng: np.random.Generator, market: np.ndarray, options: list[list[int]], k: int) -> np.ndarray:
    """`k` draws per row from its marketplace's list of location indexes."""
    out = np.empty((len(market), k), dtype=np.int64)
    for m_index, choices in enumerate(options):
        rows = np.flatnonzero(market == m_index)
        out[rows] = np.array(choices)[rng.integers(0, len(choices), (len(rows), k))]
    return out


def _places(rng: np.random.Generator, market: np.ndarray, fba: np.ndarray) -> tuple[np.ndarray, ...]:
    """Buyer city, seller-side address (own warehouse for MFN, an FC for FBA) and two hubs."""
    buyer = _per_market(rng, market, [[_LOC[c] for c in m.cities] for m in MARKETPLACES], 1)[:, 0]
    fc = _per_market(rng, market, [[_LOC[c] for _, c in m.fulfilment_centres] for m in MARKETPLACES], 1)[:, 0]
    own = np.array([_LOC[m.seller_city] for m in MARKETPLACES])[market]
    hubs = _per_market(rng, market, [[_LOC[h] for h in m.hubs] for m in MARKETPLACES], 2)
    return buyer, np.where(fba, fc, own), hubs


def end_of_day_eta(rng: np.random.Generator, carrier: np.ndarray, shipped_at: np.ndarray) -> np.ndarray:
    """The carrier's estimate: 23:00 UTC on the day its usual transit ends; NONE if it gives none."""
    median = np.array([c.transit_median_days for c in CARRIERS])[carrier]
    share = np.array([c.carrier_eta_share for c in CARRIERS])[carrier]
    day = shipped_at // DAY + np.ceil(median * 1.1).astype(np.int64)
    eta = day * DAY + 23 * HOUR
    result: np.ndarray = np.where((shipped_at >= 0) & (rng.random(len(carrier)) < share), eta, NONE)
    return result


def numbers(rng: np.random.Generator, carrier: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Tracking numbers per parcel (bytes); `offset` makes the sequences of calls disjoint."""
    out = np.zeros(len(carrier), dtype="S22")
    for c_index, name in enumerate(CARRIER_NAMES):
        rows = np.flatnonzero(carrier == c_index)
        if len(rows):
            out[rows] = ids.tracking_numbers(rng, name, offset[c_index] + np.arange(len(rows)))
    return out


@dataclass(slots=True)
class Inbound:
    rows: np.ndarray  # return indexes that have a parcel
    parcels: Parcels
    carrier: np.ndarray


def inbound(
    rng: np.random.Generator, lc: Lifecycle, market: np.ndarray, fba: np.ndarray, as_of: int
) -> Inbound:
    rows = np.flatnonzero((lc.label_at >= 0) & (lc.label_at <= as_of))
    n = len(rows)
    carrier = lc.carrier[rows]
    vocab = np.where(carrier == _AMAZON, VOCABULARIES.index("shipping_v2"), VOCABULARIES.index("aftership"))
    exit_status = lc.exit_status[rows]
    unused = (exit_status == S[ReturnStatus.CANCELLED]) | (exit_status == S[ReturnStatus.EXPIRED])
    cancelled_v2 = (exit_status == S[ReturnStatus.CANCELLED]) & (carrier == _AMAZON)
    give_up = np.where(cancelled_v2, lc.exit_at[rows], lc.label_at[rows] + 30 * DAY)
    buyer, seller_side, hubs = _places(rng, market[rows], fba[rows])
    parcels = Parcels(
        vocabulary=vocab,
        label_at=lc.label_at[rows],
        shipped_at=lc.shipped_at[rows],
        delivered_at=lc.delivered_at[rows],
        last_scan_at=lc.last_scan_at[rows],
        unused_until=np.where(unused, give_up, NONE),
        unused_kind=np.where(exit_status == S[ReturnStatus.CANCELLED], K["cancelled"], K["expired"]),
        stall=lc.stall[rows],
        exception_delay=lc.exception_delay[rows],
        delayed=np.zeros(n, dtype=bool),
        failed_attempt=lc.failed_attempt[rows],
        pickup_point=np.zeros(n, dtype=bool),
        origin=buyer,
        destination=seller_side,
        hubs=hubs,
    )
    return Inbound(rows=rows, parcels=parcels, carrier=carrier)


@dataclass(slots=True)
class Outbound:
    rows: np.ndarray  # outbound order indexes (into the outbound list) that have a parcel
    parcels: Parcels
    carrier: np.ndarray
    promised_at: np.ndarray


def outbound(
    rng: np.random.Generator, market: np.ndarray, fba: np.ndarray, purchased_at: np.ndarray, as_of: int
) -> Outbound:
    n = len(market)
    carrier = np.empty(n, dtype=np.int64)
    for m_index, m in enumerate(MARKETPLACES):
        rows = np.flatnonzero(market == m_index)
        choices = np.array([CARRIER_INDEX[name] for name, _ in m.carriers])
        p = np.array([share for _, share in m.carriers])
        carrier[rows] = rng.choice(choices, size=len(rows), p=p / p.sum())
    carrier = np.where(fba & (rng.random(n) < 0.6), _AMAZON, carrier)
    handling = np.where(fba, rng.integers(2 * HOUR, 14 * HOUR, n), lognormal_seconds(rng, n, 18, 0.6))
    label_at = purchased_at + handling
    shipped_at = label_at + rng.integers(HOUR, 10 * HOUR, n)
    median = np.array([c.transit_median_days for c in CARRIERS])[carrier] * np.where(fba, 0.7, 0.85)
    transit = (median * DAY * np.exp(0.35 * rng.standard_normal(n))).astype(np.int64)
    transit = np.maximum(transit, 12 * HOUR)
    u = rng.random(n)
    delayed = u < 0.04
    exception_delay = np.where((u >= 0.04) & (u < 0.065), rng.integers(DAY, 3 * DAY, n), 0)
    lost = (u >= 0.065) & (u < 0.075)
    failed = (u >= 0.075) & (u < 0.105)
    eu = market > 0
    pickup_point = (u >= 0.105) & (u < np.where(eu, 0.165, 0.125))
    transit = (transit + delayed * rng.integers(2 * DAY, 4 * DAY, n) + exception_delay + failed * DAY
               + pickup_point * rng.integers(DAY, 3 * DAY, n))  # fmt: skip
    promise = np.where(fba, 2, rng.integers(4, 7, n))
    promised_at = (purchased_at // DAY + promise + 1) * DAY - 1
    buyer, seller_side, hubs = _places(rng, market, fba)
    keep = np.flatnonzero(label_at <= as_of)
    parcels = Parcels(
        vocabulary=np.where(
            carrier == _AMAZON, VOCABULARIES.index("milestone"), VOCABULARIES.index("aftership")
        ),
        label_at=label_at,
        shipped_at=shipped_at,
        delivered_at=np.where(lost, NONE, shipped_at + transit),
        last_scan_at=np.where(lost, shipped_at + rng.integers(4 * HOUR, DAY, n), NONE),
        unused_until=np.full(n, NONE),
        unused_kind=np.full(n, K["expired"]),
        stall=np.zeros(n, dtype=np.int64),
        exception_delay=exception_delay,
        delayed=delayed,
        failed_attempt=failed,
        pickup_point=pickup_point,
        origin=seller_side,
        destination=buyer,
        hubs=hubs,
    )
    subset = Parcels(**{f.name: getattr(parcels, f.name)[keep] for f in fields(Parcels)})
    return Outbound(rows=keep, parcels=subset, carrier=carrier[keep], promised_at=promised_at[keep])
