"""The life of each return: authorization, label, shipping, delivery, bench, and the side exits.

Every return gets a full planned timeline first (how long the buyer takes to ship, how long the
carrier takes, how long the bench takes), then the history is cut at `as_of`: a return's status is
the last step whose time has passed, and later timestamps are left NULL. So the status mix follows
age by itself — old returns are closed or inspected, the last weeks hold requested, authorized, in
transit, delivered and received ones — and timestamps are monotonic by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo.calendar import DAY, HOUR, lognormal_seconds
from seller_desk.demo.markets import CARRIERS, MARKETPLACES
from seller_desk.demo.reasons import REASON_INDEX
from seller_desk.domain.enums import CanonicalReason as R
from seller_desk.domain.enums import LabelPaidBy, Resolution, ReturnStatus

STATUSES: tuple[ReturnStatus, ...] = tuple(ReturnStatus)
S = {s: i for i, s in enumerate(STATUSES)}
RESOLUTIONS: tuple[Resolution, ...] = tuple(Resolution)
LABEL_TYPES: tuple[str, ...] = ("AmazonPrePaidLabel", "AmazonUnPaidLabel")
PAID_BY: tuple[LabelPaidBy, ...] = tuple(LabelPaidBy)
NONE = -1  # "no timestamp" in the int64 arrays; written as NULL

SELLER_FAULT = np.zeros(len(REASON_INDEX), dtype=bool)
for _r in (R.DEFECTIVE, R.DAMAGED_IN_TRANSIT, R.WRONG_ITEM, R.NOT_AS_DESCRIBED, R.MISSING_PARTS,
           R.QUALITY, R.LATE_DELIVERY):  # fmt: skip
    SELLER_FAULT[REASON_INDEX[_r]] = True
RETURN_WINDOW = 30 * DAY
CHEAP = 1500  # returnless refunds are offered below this price (minor units)


@dataclass(slots=True)
class Lifecycle:
    needs_auth: np.ndarray
    in_policy: np.ndarray
    authorized_at: np.ndarray  # planned (may lie after as_of); NONE when rejected
    label_at: np.ndarray  # shipment created (NONE: no label)
    shipped_at: np.ndarray  # first carrier scan (NONE: never shipped)
    delivered_at: np.ndarray
    last_scan_at: np.ndarray  # for lost parcels: their last scan before silence
    exit_at: np.ndarray  # rejected / cancelled / expired / lost / returnless moment
    exit_status: np.ndarray  # status index of the side exit, or NONE
    received_at: np.ndarray
    inspected_at: np.ndarray
    carrier: np.ndarray  # index into CARRIERS (NONE without label)
    stall: np.ndarray  # extra seconds of silence inside the transit
    exception_delay: np.ndarray  # seconds lost to an exception scan on the way (0: none)
    failed_attempt: np.ndarray  # bool
    resolution: np.ndarray
    label_type: np.ndarray  # index into LABEL_TYPES or NONE
    label_cost: np.ndarray
    paid_by: np.ndarray  # index into PAID_BY or NONE


def _carriers(rng: np.random.Generator, market: np.ndarray) -> np.ndarray:
    out = np.empty(len(market), dtype=np.int64)
    names = [c.name for c in CARRIERS]
    for m_index, m in enumerate(MARKETPLACES):
        rows = np.flatnonzero(market == m_index)
        choices = np.array([names.index(name) for name, _ in m.carriers])
        p = np.array([share for _, share in m.carriers])
        out[rows] = rng.choice(choices, size=len(rows), p=p / p.sum())
    return out


def plan(
    rng: np.random.Generator,
    requested_at: np.ndarray,
    channel: np.ndarray,
    market: np.ndarray,
    reason: np.ndarray,
    apparel: np.ndarray,
    price: np.ndarray,
    late_request: np.ndarray,
) -> Lifecycle:
    n = len(requested_at)
    mfn = channel == 0
    in_policy = ~late_request & (rng.random(n) > 0.012)
    returnless = ((price <= CHEAP) & (rng.random(n) < 0.3)) | (rng.random(n) < 0.004)
    needs_auth = mfn & ~returnless & ((rng.random(n) < 0.35) | ~in_policy | (price > 15_000))
    auth_delay = np.where(
        needs_auth, lognormal_seconds(rng, n, 16, 1.0), lognormal_seconds(rng, n, 0.05, 0.5)
    )
    decided_at = requested_at + auth_delay
    rejected = needs_auth & ((rng.random(n) < 0.08) | (~in_policy & (rng.random(n) < 0.5)))
    authorized_at = np.where(rejected, NONE, decided_at)

    labelled = ~rejected & ~returnless
    label_at = np.where(labelled, decided_at + rng.integers(60, 900, n), NONE)
    u = rng.random(n)
    cancelled = labelled & (u < 0.02)
    expired = labelled & (u >= 0.02) & (u < 0.045)
    ships = labelled & ~cancelled & ~expired
    ship_delay = np.minimum(lognormal_seconds(rng, n, 50, 0.8), 28 * DAY)
    shipped_at = np.where(ships, label_at + ship_delay, NONE)

    carrier = np.where(labelled, _carriers(rng, market), NONE)
    median = np.array([c.transit_median_days for c in CARRIERS])[np.maximum(carrier, 0)]
    sigma = np.array([c.transit_sigma for c in CARRIERS])[np.maximum(carrier, 0)]
    transit = (median * DAY * np.exp(sigma * rng.standard_normal(n))).astype(np.int64)
    transit = np.clip(transit, int(0.8 * DAY), 12 * DAY)
    stall = np.where(rng.random(n) < 0.05, rng.integers(5 * DAY, 14 * DAY, n), 0)
    exception_delay = np.where(rng.random(n) < 0.02, rng.integers(DAY, 3 * DAY, n), 0)
    failed_attempt = rng.random(n) < 0.025
    lost = ships & (rng.random(n) < 0.007)
    stall = np.where(lost, 0, stall)
    exception_delay = np.where(lost, 0, exception_delay)
    transit = transit + stall + exception_delay + failed_attempt * DAY
    delivered_at = np.where(ships & ~lost, shipped_at + transit, NONE)
    last_scan_at = np.where(lost, shipped_at + rng.integers(HOUR * 6, 3 * DAY, n), NONE)

    exit_status = np.full(n, NONE)
    exit_at = np.full(n, NONE)
    for mask, status, when in (
        (returnless, ReturnStatus.RETURNLESS, decided_at),
        (rejected, ReturnStatus.REJECTED, decided_at),
        (cancelled, ReturnStatus.CANCELLED, label_at + lognormal_seconds(rng, n, 40, 0.9)),
        (expired, ReturnStatus.EXPIRED, label_at + RETURN_WINDOW + rng.integers(0, 2 * DAY, n)),
        (lost, ReturnStatus.LOST, last_scan_at + rng.integers(15 * DAY, 25 * DAY, n)),
    ):
        exit_status[mask] = S[status]
        exit_at[mask] = when[mask]
    exit_at = np.where(cancelled, np.minimum(exit_at, label_at + 25 * DAY), exit_at)

    fba = ~mfn
    bench = np.where(fba, lognormal_seconds(rng, n, 60, 0.6), lognormal_seconds(rng, n, 20, 0.7))
    received_at = np.where(delivered_at >= 0, delivered_at + bench, NONE)
    inspect_delay = np.where(fba, lognormal_seconds(rng, n, 12, 0.8), lognormal_seconds(rng, n, 6, 1.0))
    never_inspected = rng.random(n) < 0.004
    inspected_at = np.where((received_at >= 0) & ~never_inspected, received_at + inspect_delay, NONE)

    seller_fault = SELLER_FAULT[reason]
    prepaid = fba | (rng.random(n) < 0.85)
    label_type = np.where(labelled, np.where(prepaid, 0, 1), NONE)
    remorse_seller = np.where(apparel, 0.8, 0.45)
    pays_seller = seller_fault | (rng.random(n) < remorse_seller)
    seller, customer, marketplace = (
        PAID_BY.index(p) for p in (LabelPaidBy.SELLER, LabelPaidBy.CUSTOMER, LabelPaidBy.MARKETPLACE)
    )
    paid_by = np.where(pays_seller, seller, np.where(fba, marketplace, customer))
    paid_by = np.where(prepaid, paid_by, customer)
    paid_by = np.where(labelled, paid_by, NONE)
    lo = np.array([c.label_cost[0] for c in CARRIERS])[np.maximum(carrier, 0)]
    hi = np.array([c.label_cost[1] for c in CARRIERS])[np.maximum(carrier, 0)]
    cost = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    label_cost = np.where(labelled & prepaid & (paid_by != marketplace), cost, 0)

    r = Resolution
    resolution = np.full(n, RESOLUTIONS.index(r.STANDARD_REFUND))
    rafs = labelled & prepaid & (rng.random(n) < np.where(fba, 0.5, 0.15))
    resolution[rafs] = RESOLUTIONS.index(r.REFUND_AT_FIRST_SCAN)
    replace = labelled & seller_fault & (rng.random(n) < 0.03)
    resolution[replace] = RESOLUTIONS.index(r.REPLACEMENT)
    resolution[returnless] = RESOLUTIONS.index(r.RETURNLESS_REFUND)

    return Lifecycle(
        needs_auth=needs_auth, in_policy=in_policy, authorized_at=authorized_at, label_at=label_at,
        shipped_at=shipped_at, delivered_at=delivered_at, last_scan_at=last_scan_at, exit_at=exit_at,
        exit_status=exit_status, received_at=received_at, inspected_at=inspected_at, carrier=carrier,
        stall=stall, exception_delay=exception_delay, failed_attempt=failed_attempt, resolution=resolution,
        label_type=label_type, label_cost=label_cost, paid_by=paid_by,
    )  # fmt: skip


@dataclass(slots=True)
class Observed:
    """The lifecycle as seen at `as_of`: status and the timestamps that have happened (else NONE)."""

    status: np.ndarray
    authorized_at: np.ndarray
    shipped_at: np.ndarray
    delivered_at: np.ndarray
    received_at: np.ndarray
    inspected_at: np.ndarray
    closed_at: np.ndarray


def _seen(ts: np.ndarray, as_of: int) -> np.ndarray:
    result: np.ndarray = np.where((ts >= 0) & (ts <= as_of), ts, NONE)
    return result


def observe(lc: Lifecycle, closed_plan: np.ndarray, as_of: int) -> Observed:
    """Cut the planned lifecycle at `as_of`. `closed_plan` is when a normal return gets closed."""
    auth = _seen(lc.authorized_at, as_of)
    shipped = _seen(lc.shipped_at, as_of)
    delivered = _seen(lc.delivered_at, as_of)
    received = _seen(lc.received_at, as_of)
    inspected = _seen(lc.inspected_at, as_of)
    exit_seen = (lc.exit_at >= 0) & (lc.exit_at <= as_of)
    closed = np.where(lc.exit_status >= 0, np.where(exit_seen, lc.exit_at, NONE), _seen(closed_plan, as_of))

    status = np.full(len(auth), S[ReturnStatus.REQUESTED])
    status[auth >= 0] = S[ReturnStatus.AUTHORIZED]
    status[shipped >= 0] = S[ReturnStatus.IN_TRANSIT]
    status[delivered >= 0] = S[ReturnStatus.DELIVERED]
    status[received >= 0] = S[ReturnStatus.RECEIVED]
    status[inspected >= 0] = S[ReturnStatus.INSPECTED]
    status[(closed >= 0) & (lc.exit_status < 0)] = S[ReturnStatus.CLOSED]
    status = np.where(exit_seen, lc.exit_status, status)
    return Observed(status=status, authorized_at=auth, shipped_at=shipped, delivered_at=delivered,
                    received_at=received, inspected_at=inspected, closed_at=closed)  # fmt: skip
