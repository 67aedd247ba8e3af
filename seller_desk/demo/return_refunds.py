"""The refund request behind each return, and when the return gets closed because of it.

Who refunds depends on the return: the marketplace for returnless, refund-at-first-scan and FBA
returns; the seller for the rest, on receipt or after inspection — unless the seller misses the
2-business-day SLA, in which case Amazon may refund on its own or the buyer files an A-to-z claim.
Sellers reject wrong or empty parcels and late returns, and charge a restocking fee only for units not
in original condition from buyer's-remorse returns (20 % only with photo evidence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo.calendar import DAY, add_business_days, lognormal_seconds
from seller_desk.demo.inspections import CONDITIONS, ORIGINAL
from seller_desk.demo.lifecycle import NONE, RESOLUTIONS, Lifecycle, S
from seller_desk.demo.refunds import SRC, ST, Requests, auto_refund, due_times, seller_decision
from seller_desk.domain.enums import ConditionGrade, RefundSource, RefundState, Resolution, ReturnStatus

_BAD_PARCEL = np.array([c in (ConditionGrade.WRONG_ITEM, ConditionGrade.EMPTY) for c in CONDITIONS])
_CLAIMABLE = np.array(
    [c in (ConditionGrade.DAMAGED, ConditionGrade.WRONG_ITEM, ConditionGrade.EMPTY) for c in CONDITIONS]
)


@dataclass(slots=True)
class ReturnRefunds:
    rows: np.ndarray  # return indexes with a request (replacements have none)
    requests: Requests
    closed_plan: np.ndarray  # per return: planned closing time of a normally finished return
    a_to_z: np.ndarray  # per return
    safet: np.ndarray  # per return


def plan_return_refunds(
    rng: np.random.Generator,
    lc: Lifecycle,
    requested_at: np.ndarray,
    fba: np.ndarray,
    remorse: np.ndarray,
    condition: np.ndarray,  # primary line's observed condition index, -1 if not inspected yet
    evidence: np.ndarray,
    as_of: int,
) -> ReturnRefunds:
    n = len(requested_at)
    exit_status = lc.exit_status
    rejected = exit_status == S[ReturnStatus.REJECTED]
    withdrawn = (exit_status == S[ReturnStatus.CANCELLED]) | (exit_status == S[ReturnStatus.EXPIRED])
    returnless = exit_status == S[ReturnStatus.RETURNLESS]
    lost = exit_status == S[ReturnStatus.LOST]
    rafs = (lc.resolution == RESOLUTIONS.index(Resolution.REFUND_AT_FIRST_SCAN)) & (lc.shipped_at >= 0)
    replacement = lc.resolution == RESOLUTIONS.index(Resolution.REPLACEMENT)
    open_ = ~(rejected | withdrawn | returnless)
    fba_std = fba & open_ & ~rafs
    seller = ~fba & open_ & ~rafs

    # The marketplace's own refunds.
    auto_at = np.full(n, NONE)
    auto_at = np.where(returnless, lc.exit_at, auto_at)
    auto_at = np.where(rafs & open_, lc.shipped_at, auto_at)
    auto_at = np.where(fba_std, np.where(lost, lc.exit_at, lc.received_at), auto_at)

    # The seller's decision, and what happens when it comes too late.
    inspected = lc.inspected_at >= 0
    on_receipt = (rng.random(n) < 0.4) | ~inspected
    decide_at = np.where(
        on_receipt,
        lc.received_at + np.where(inspected, lognormal_seconds(rng, n, 3, 0.8), 2 * DAY),
        lc.inspected_at + lognormal_seconds(rng, n, 4, 0.9),
    )
    decide_at = np.where(lost, lc.exit_at + lognormal_seconds(rng, n, 20, 0.6), decide_at)
    decide_at = np.where(seller & ((lc.received_at >= 0) | lost), decide_at, NONE)
    sla = np.where(lc.delivered_at >= 0, add_business_days(np.maximum(lc.delivered_at, 0), 2), NONE)
    missed = seller & (sla >= 0) & (decide_at > sla + DAY)
    amazon_at = sla + lognormal_seconds(rng, n, 30, 0.5)
    amazon = missed & (rng.random(n) < 0.5) & (amazon_at < decide_at)
    # The buyer waits 48 hours after the SLA, files an A-to-z claim, and Amazon grants it days later.
    a_to_z = missed & ~amazon & (rng.random(n) < 0.3)
    filed_at = sla + lognormal_seconds(rng, n, 60, 0.3)
    claim_at = filed_at + lognormal_seconds(rng, n, 72, 0.4)
    granted = a_to_z & (claim_at < decide_at)
    a_to_z = a_to_z & (filed_at <= as_of)
    auto_at = np.where(seller & amazon, amazon_at, auto_at)
    auto_at = np.where(seller & granted, claim_at, auto_at)
    by_marketplace = auto_at >= 0

    cond = np.maximum(condition, 0)
    known = condition >= 0
    reject_p = np.where(known & _BAD_PARCEL[cond], 0.7, np.where(~lc.in_policy, 0.35, 0.015))
    approve = ~(rng.random(n) < reject_p) | lost
    fee = approve & ~on_receipt & known & ~ORIGINAL[cond] & remorse & (rng.random(n) < 0.25)
    fee_bp = np.where(fee, np.where(evidence, 2000, rng.choice([1000, 1500], size=n)), 0)

    created = requested_at
    state, updated, done = seller_decision(rng, created, np.where(decide_at >= 0, decide_at, 1 << 62),
                                           approve, as_of)  # fmt: skip
    done = np.where(decide_at >= 0, done, NONE)
    auto_state, auto_updated = auto_refund(auto_at, created, as_of)
    exit_seen = (lc.exit_at >= 0) & (lc.exit_at <= as_of)
    end_state = np.where(rejected, ST[RefundState.REJECTED], ST[RefundState.CANCELLED])
    state = np.select(
        [rejected | withdrawn, by_marketplace],
        [np.where(exit_seen, end_state, ST[RefundState.PENDING]), auto_state],
        state,
    )
    updated = np.select([rejected | withdrawn, by_marketplace], [np.where(exit_seen, lc.exit_at, created),
                                                                 auto_updated], updated)  # fmt: skip
    done = np.select([rejected | withdrawn, by_marketplace], [lc.exit_at, auto_at], done)

    closes = rng.random(n) < 0.9
    finish = np.where(replacement, lc.inspected_at + lognormal_seconds(rng, n, 24, 0.6),
                      np.maximum(lc.inspected_at, done) + lognormal_seconds(rng, n, 3, 0.8))  # fmt: skip
    closed_plan = np.where(inspected & closes & ((done >= 0) | replacement), finish, NONE)
    safet = rafs & known & _CLAIMABLE[cond] & (rng.random(n) < 0.6)

    rows = np.flatnonzero(~replacement)
    requests = Requests(
        source=np.where(a_to_z, SRC[RefundSource.A_TO_Z], SRC[RefundSource.RETURN])[rows],
        state=state[rows],
        reason=np.zeros(len(rows), dtype=np.int64),
        created_at=created[rows],
        due_at=due_times(created, lc.delivered_at, lc.needs_auth, as_of)[rows],
        updated_at=updated[rows],
        needs_auth=lc.needs_auth[rows],
        a_to_z=a_to_z[rows],
        fee_bp=fee_bp[rows],
        done_at=done[rows],
    )
    return ReturnRefunds(rows=rows, requests=requests, closed_plan=closed_plan, a_to_z=a_to_z, safet=safet)
