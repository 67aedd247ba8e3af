"""The policy checks a seller is shown while deciding, kept in the audit with the decision.

Each check is one rule in words with whether it holds for this draft and why. They are informative
and blocking at once: `preview` refuses a draft that breaks a refund rule; the clock, the return and
the claim checks only warn (an overdue request must still be decided, the sooner the better). The
audit stores exactly the list the dialog showed, so "which checks were shown at that moment" has an
answer later even if the rules change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from seller_desk.domain.enums import ChargeComponent, DecisionKind, RefundSource
from seller_desk.domain.errors import PolicyViolation, RefundCapExceeded
from seller_desk.domain.money import zero
from seller_desk.domain.policies.clocks import is_overdue, time_left
from seller_desk.domain.policies.refunds import check_approval, check_restocking_fee
from seller_desk.domain.refund_review import (
    DecisionDraft,
    PolicyCheck,
    ReviewFacts,
    amounts_by_code,
    asked_by_code,
    fee_facts,
    preview,
    restocking_fees,
)

_RECEIVED = ("received", "inspected", "closed")


def describe_time_left(left: timedelta) -> str:
    """'1 d 4 h left' / '3 h 20 min overdue': the clock as the queue shows it."""
    seconds = int(abs(left).total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        text = f"{days} d {hours} h"
    elif hours:
        text = f"{hours} h {minutes} min"
    else:
        text = f"{minutes} min"
    return f"{text} overdue" if left < timedelta(0) else f"{text} left"


def _cap_check(facts: ReviewFacts, draft: DecisionDraft) -> PolicyCheck:
    try:
        check_approval(
            asked_by_code(facts, draft),
            amounts_by_code(facts, "charged"),
            amounts_by_code(facts, "refunded"),
            amounts_by_code(facts, "pending"),
        )
    except RefundCapExceeded as exc:
        return PolicyCheck("Refundable amount", False, str(exc))
    except PolicyViolation as exc:
        return PolicyCheck("Refundable amount", False, str(exc))
    return PolicyCheck("Refundable amount", True, "within what is refundable now on every line")


def _fee_check(facts: ReviewFacts, draft: DecisionDraft) -> PolicyCheck:
    if draft.restocking_fee_bp == 0:
        return PolicyCheck("Restocking fee", True, "no restocking fee")
    fees = restocking_fees(facts, draft)
    if not fees:
        return PolicyCheck("Restocking fee", False, "a restocking fee needs principal refunded")
    known = fee_facts(facts, draft)
    asked = asked_by_code(facts, draft)
    try:
        for code, fee in fees.items():
            principal = asked[code].get(ChargeComponent.PRINCIPAL, zero(facts.currency))
            check_restocking_fee(code, fee, principal, known.get(code))
    except PolicyViolation as exc:
        return PolicyCheck("Restocking fee", False, str(exc))
    pct = draft.restocking_fee_bp / 100
    return PolicyCheck("Restocking fee", True, f"{pct:g} % of the principal refunded is allowed here")


def _net_check(facts: ReviewFacts, draft: DecisionDraft) -> PolicyCheck:
    try:
        adjustment = preview(facts, draft)
    except PolicyViolation as exc:
        return PolicyCheck("Net refund", False, str(exc))
    assert adjustment is not None
    return PolicyCheck("Net refund", True, f"{adjustment.net} credited to the buyer")


def _clock_check(facts: ReviewFacts, now: datetime) -> PolicyCheck:
    if facts.due_at is None:
        return PolicyCheck("Refund clock", True, "no deadline runs yet (the return is not delivered)")
    left = time_left(facts.due_at, now)
    return PolicyCheck("Refund clock", not is_overdue(facts.due_at, now), describe_time_left(left))


def _return_check(facts: ReviewFacts) -> PolicyCheck:
    if facts.return_id is None:
        if facts.source == RefundSource.RETURN:
            return PolicyCheck("Return", False, "the request names a return this desktop does not have")
        return PolicyCheck("Return", True, "no return is tied to this request")
    status = facts.return_status or "unknown"
    inspected = [line for line in facts.lines if line.condition is not None]
    if inspected:
        grades = ", ".join(f"{line.sku} {line.condition}" for line in inspected if line.condition)
        return PolicyCheck("Return", True, f"return {facts.rma} inspected: {grades}")
    if status in _RECEIVED:
        return PolicyCheck("Return", True, f"return {facts.rma} received, not inspected yet")
    return PolicyCheck("Return", False, f"return {facts.rma} is {status}: not received yet")


def _claim_check(facts: ReviewFacts) -> PolicyCheck:
    if facts.a_to_z_claim or facts.source == RefundSource.A_TO_Z:
        return PolicyCheck("A-to-z claim", False, "a claim is open: the marketplace may refund by itself")
    return PolicyCheck("A-to-z claim", True, "no claim open")


def policy_checks(facts: ReviewFacts, draft: DecisionDraft, now: datetime) -> tuple[PolicyCheck, ...]:
    """The checks for this draft at `now`, in the order the dialog lists them."""
    context = (_clock_check(facts, now), _return_check(facts), _claim_check(facts))
    if draft.kind == DecisionKind.REJECT:
        reason = (draft.reason or "").strip()
        given = PolicyCheck("Reason", bool(reason), reason or "a rejection needs a reason")
        return (given, *context)
    return (_cap_check(facts, draft), _fee_check(facts, draft), _net_check(facts, draft), *context)
