"""Refund requests that no return started: a shipping fee asked back, a late or lost order.

They give the refund queue its other sources (customer, marketplace) and touch order components the
return refunds leave alone, so per line and component the requests on an order never add up to more
than was charged: a buyer's shipping request exists only when the return itself did not refund
shipping, and an outbound order has at most one request.
"""

from __future__ import annotations

import numpy as np

from seller_desk.demo.calendar import lognormal_seconds
from seller_desk.demo.lifecycle import Observed
from seller_desk.demo.orders import Orders
from seller_desk.demo.parcels import Outbound
from seller_desk.demo.refund_lines import Items
from seller_desk.demo.refunds import REASON_POOL, SRC, Requests, extra_requests
from seller_desk.domain.enums import RefundSource

_GENERAL = REASON_POOL.index("GeneralAdjustment")
_UNDELIVERABLE = REASON_POOL.index("Undeliverable")
_CARRIER_CREDIT = REASON_POOL.index("CarrierCreditDecision")


def shipping_claims(
    rng: np.random.Generator,
    orders: Orders,
    observed: Observed,
    mfn: np.ndarray,
    remorse: np.ndarray,
    as_of: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(return index, created_at) of buyers asking for the shipping fee of a returned order back."""
    n = len(mfn)
    first = orders.first_line[:n]
    eligible = mfn & remorse & (orders.shipping[first] > 0) & (observed.received_at >= 0)
    created = observed.received_at + lognormal_seconds(rng, n, 24, 0.6)
    chosen = eligible & (rng.random(n) < 0.25) & (created <= as_of)
    rows = np.flatnonzero(chosen)
    order = np.argsort(created[rows], kind="stable")
    return rows[order], created[rows][order]


def plan_extra(
    rng: np.random.Generator,
    orders: Orders,
    observed: Observed,
    mfn: np.ndarray,
    remorse: np.ndarray,
    outbound: Outbound,
    first_request: int,
    as_of: int,
) -> tuple[Requests, Items, np.ndarray]:
    """Customer shipping claims on returned orders, then requests about late or lost outbound orders.

    Returns the requests, what they cover, and the order index of each request.
    """
    n = len(mfn)
    claim_rows, claim_created = shipping_claims(rng, orders, observed, mfn, remorse, as_of)

    p = outbound.parcels
    lost = p.last_scan_at >= 0
    late = (outbound.promised_at < as_of) & (lost | (p.delivered_at > outbound.promised_at))
    created = outbound.promised_at + lognormal_seconds(rng, len(lost), 20, 0.6)
    order_index = n + outbound.rows
    line = orders.first_line[order_index]
    full = lost | ((p.exception_delay > 0) & (rng.random(len(lost)) < 0.5))
    has_shipping = orders.shipping[line] > 0
    asks = late & (rng.random(len(lost)) < 0.45) & (created <= as_of) & (full | has_shipping)
    ob = np.flatnonzero(asks)
    ob = ob[np.argsort(created[ob], kind="stable")]
    goodwill = ~full[ob] & (rng.random(len(ob)) < 0.3)

    k_claims, k_ob = len(claim_rows), len(ob)
    source = np.concatenate([
        np.full(k_claims, SRC[RefundSource.CUSTOMER]),
        np.where(goodwill, SRC[RefundSource.MARKETPLACE], SRC[RefundSource.CUSTOMER]),
    ])  # fmt: skip
    reason = np.concatenate([
        np.full(k_claims, _GENERAL),
        np.where(goodwill, _CARRIER_CREDIT, np.where(full[ob], _UNDELIVERABLE, _GENERAL)),
    ])  # fmt: skip
    requests = extra_requests(
        rng, np.concatenate([claim_created, created[ob]]), source, reason,
        np.concatenate([np.zeros(k_claims, dtype=bool), goodwill]), as_of,
    )  # fmt: skip
    claim_line = orders.first_line[claim_rows]
    ob_line = line[ob]
    items = Items(
        request=first_request + np.arange(k_claims + k_ob),
        line=np.concatenate([claim_line, ob_line]),
        quantity=orders.line_qty[np.concatenate([claim_line, ob_line])],
        of=orders.line_qty[np.concatenate([claim_line, ob_line])],
        goods=np.concatenate([np.zeros(k_claims, dtype=bool), full[ob]]),
        shipping=np.ones(k_claims + k_ob, dtype=bool),
    )
    return requests, items, np.concatenate([claim_rows, order_index[ob]])
