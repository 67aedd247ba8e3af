"""Refund requests: who asked, when, what is due when, and where each one stands at `as_of`.

Most requests come from returns. The marketplace refunds by itself where the seller has no say
(returnless, refund at first scan, FBA at receipt, a missed 2-business-day SLA, a granted A-to-z
claim); everything else waits for the seller, whose approval then travels approved -> submitted
(the adjustment feed) -> completed, sometimes via failed and a retry. A few requests have no return:
a buyer asking for the shipping fee back, a late or lost outbound parcel. The same timeline-then-cut
approach as the returns puts recent requests in pending/approved/submitted and old ones in their end
states. Due times are 2 business days after delivery (weekends skipped; the holiday-aware SLA clock
belongs to the domain) or 24 hours after arrival for requests awaiting authorization.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from seller_desk.demo.calendar import DAY, HOUR, add_business_days, lognormal_seconds
from seller_desk.domain.enums import RefundSource, RefundState

STATES: tuple[RefundState, ...] = tuple(RefundState)
ST = {s: i for i, s in enumerate(STATES)}
SOURCES: tuple[RefundSource, ...] = tuple(RefundSource)
SRC = {s: i for i, s in enumerate(SOURCES)}
# The order adjustment feed's AdjustmentReason words (AMAZON.md §3).
REASON_POOL: tuple[str, ...] = (
    "CustomerReturn",
    "GeneralAdjustment",
    "Undeliverable",
    "CarrierCreditDecision",
)
NONE = -1


@dataclass(slots=True)
class Requests:
    """Per request. `done_at` is when it reached its end state (NONE: not yet, or never)."""

    source: np.ndarray
    state: np.ndarray
    reason: np.ndarray  # index into REASON_POOL
    created_at: np.ndarray
    due_at: np.ndarray
    updated_at: np.ndarray
    needs_auth: np.ndarray
    a_to_z: np.ndarray
    fee_bp: np.ndarray  # restocking fee in basis points of the principal (0: none)
    done_at: np.ndarray  # planned time of the end state, even after as_of


def _seen(ts: np.ndarray, as_of: int) -> np.ndarray:
    return (ts >= 0) & (ts <= as_of)


def seller_decision(
    rng: np.random.Generator, created: np.ndarray, decide_at: np.ndarray, approve: np.ndarray, as_of: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(state, updated_at, done_at) of requests the seller decides at `decide_at`.

    Approvals wait for the next adjustment feed, the feed takes a day or two to complete the
    refund; 4 % of submissions fail and most of those are retried a day or so later.
    """
    n = len(created)
    submit = decide_at + lognormal_seconds(rng, n, 12, 1.0)
    fails = rng.random(n) < 0.04
    fail_at = submit + lognormal_seconds(rng, n, 3, 0.8)
    retried = rng.random(n) < 0.85
    retry_at = fail_at + lognormal_seconds(rng, n, 30, 0.8)
    submit2 = np.where(fails, retry_at + lognormal_seconds(rng, n, 4, 0.8), submit)
    complete = submit2 + lognormal_seconds(rng, n, 30, 0.6)
    done = np.where(~approve, decide_at, np.where(fails & ~retried, NONE, complete))

    def after(ts: np.ndarray) -> np.ndarray:
        return as_of < ts

    conditions = [
        after(decide_at),
        ~approve,
        after(submit),
        fails & after(fail_at),
        fails & (~retried | after(retry_at)),
        fails & after(submit2),
        after(complete),
    ]
    states = [ST[RefundState.PENDING], ST[RefundState.REJECTED], ST[RefundState.APPROVED],
              ST[RefundState.SUBMITTED], ST[RefundState.FAILED], ST[RefundState.APPROVED],
              ST[RefundState.SUBMITTED]]  # fmt: skip
    updated = [created, decide_at, decide_at, submit, fail_at, retry_at, submit2]
    state = np.select(conditions, states, ST[RefundState.COMPLETED])
    updated_at = np.select(conditions, updated, complete)
    return state, updated_at, done


def auto_refund(when: np.ndarray, created: np.ndarray, as_of: int) -> tuple[np.ndarray, np.ndarray]:
    """(state, updated_at) of requests the marketplace refunds by itself at `when`."""
    seen = _seen(when, as_of)
    state = np.where(seen, ST[RefundState.AUTO_REFUNDED], ST[RefundState.PENDING])
    return state, np.where(seen, when, created)


def due_times(created: np.ndarray, delivered: np.ndarray, needs_auth: np.ndarray, as_of: int) -> np.ndarray:
    """2 business days after delivery once delivered; 24 h after arrival while awaiting authorization."""
    delivered_seen = _seen(delivered, as_of)
    sla = add_business_days(np.maximum(delivered, 0), 2)
    result: np.ndarray = np.where(delivered_seen, sla, np.where(needs_auth, created + 24 * HOUR, NONE))
    return result


def extra_requests(
    rng: np.random.Generator,
    created: np.ndarray,
    source: np.ndarray,
    reason: np.ndarray,
    marketplace_refunds: np.ndarray,
    as_of: int,
) -> Requests:
    """Requests without a return: the seller decides, unless the marketplace refunds (goodwill)."""
    n = len(created)
    decide_at = created + lognormal_seconds(rng, n, 20, 0.8)
    approve = rng.random(n) < 0.55
    state, updated, done = seller_decision(rng, created, decide_at, approve, as_of)
    auto_at = created + lognormal_seconds(rng, n, 6, 0.6)
    auto_state, auto_updated = auto_refund(auto_at, created, as_of)
    return Requests(
        source=source,
        state=np.where(marketplace_refunds, auto_state, state),
        reason=reason,
        created_at=created,
        due_at=created + 2 * DAY,
        updated_at=np.where(marketplace_refunds, auto_updated, updated),
        needs_auth=np.zeros(n, dtype=bool),
        a_to_z=np.zeros(n, dtype=bool),
        fee_bp=np.zeros(n, dtype=np.int64),
        done_at=np.where(marketplace_refunds, auto_at, done),
    )


def concat(parts: list[Requests]) -> Requests:
    return Requests(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Requests)})
