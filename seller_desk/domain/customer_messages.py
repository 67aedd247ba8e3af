"""The note to the customer that goes with a decision, from a template per outcome.

The seller may edit it freely; the template only saves typing and keeps the facts right (order id,
amount, reason). It travels in the decision's mutation (``customer_message``), so the backend, the
history and every desktop of the team see the words that were sent.
"""

from __future__ import annotations

from enum import StrEnum

from seller_desk.domain.enums import DecisionKind
from seller_desk.domain.money import Money
from seller_desk.domain.refund_review import DecisionDraft, ReviewFacts, full_approval


class Outcome(StrEnum):
    APPROVED = "approved"
    PARTIAL = "partial"
    REJECTED = "rejected"


TEMPLATES: dict[Outcome, str] = {
    Outcome.APPROVED: (
        "Hello,\n\nwe have refunded {amount} for your order {order_id}. Depending on your bank it can "
        "take a few days to show on your statement.\n\nThank you for shopping with us."
    ),
    Outcome.PARTIAL: (
        "Hello,\n\nwe have refunded {amount} for your order {order_id}. {detail}If you have questions "
        "about the amount, reply to this message and we will look at it again.\n\nThank you."
    ),
    Outcome.REJECTED: (
        "Hello,\n\nwe are sorry, but we cannot refund your order {order_id}: {reason}.\nIf you think "
        "this is a mistake, reply to this message with any details and we will look at it again."
    ),
}


def outcome_of(facts: ReviewFacts, draft: DecisionDraft) -> Outcome:
    """Rejected, approved in full (everything the request asks, as far as it is refundable) or partial."""
    if draft.kind == DecisionKind.REJECT:
        return Outcome.REJECTED
    full = full_approval(facts)
    if draft.restocking_fee_bp == 0 and draft.total(facts.currency) >= full.total(facts.currency):
        return Outcome.APPROVED
    return Outcome.PARTIAL


def default_message(outcome: Outcome, facts: ReviewFacts, draft: DecisionDraft, net: Money | None) -> str:
    """The template of `outcome` filled with this request's facts (`net`: the adjustment's net)."""
    amount = str(net) if net is not None else str(draft.total(facts.currency))
    detail = ""
    if outcome == Outcome.PARTIAL:
        detail = (
            f"A restocking fee of {draft.restocking_fee_bp / 100:g} % was kept because the item came back "
            "used or without its original packaging. "
            if draft.restocking_fee_bp
            else "This is part of what you asked for, based on the items we received back. "
        )
    reason = (draft.reason or facts.reason or "it does not meet the return policy").rstrip(".")
    return TEMPLATES[outcome].format(amount=amount, order_id=facts.order_id, detail=detail, reason=reason)
