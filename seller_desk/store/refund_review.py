"""Recording a seller's refund decision with the policy checks that were shown.

`record_decision` turns a draft into the wire payload and queues it through `outbox.record_mutation`
(mutation, outbox row, local decision row and audit row in the caller's write transaction), with a
second audit row that keeps the checks the seller saw: "which checks were shown at that moment" has
an answer later even if the rules change. The facts come from `refund_facts` (re-exported here).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from seller_desk.domain.enums import (
    ChargeComponent,
    MutationKind,
)
from seller_desk.domain.refund_review import DecisionDraft, PolicyCheck, ReviewFacts
from seller_desk.store.meta import device_id
from seller_desk.store.models import (
    AuditEntry,
    Mutation,
)
from seller_desk.store.outbox import MutationRefused, record_mutation
from seller_desk.store.refund_facts import RequestNotFound, load_many_review_facts, load_review_facts
from seller_desk.wire import DecisionComponent, RefundDecisionPayload

__all__ = [
    "MutationRefused",
    "RequestNotFound",
    "decision_payload",
    "load_many_review_facts",
    "load_review_facts",
    "record_decision",
]


def decision_payload(
    facts: ReviewFacts, draft: DecisionDraft, *, user: str | None, now: datetime
) -> RefundDecisionPayload:
    """The wire payload of a draft, components in line then component order (deterministic)."""
    components = [
        DecisionComponent(order_line_id=line_id, component=comp, amount_minor=amount.amount_minor)
        for line_id in sorted(draft.amounts)
        for comp in ChargeComponent
        if (amount := draft.amounts[line_id].get(comp)) is not None and amount.is_positive
    ]
    return RefundDecisionPayload(
        decision=draft.kind.value,
        currency=facts.currency,
        components=components,
        restocking_fee_bp=draft.restocking_fee_bp,
        evidence=list(draft.evidence),
        reason=draft.reason,
        customer_message=(draft.customer_message or None),
        decided_by=user,
        decided_at=now,
    )


def record_decision(
    session: Session,
    draft: DecisionDraft,
    *,
    user: str | None,
    checks: Sequence[PolicyCheck],
    now: datetime | None = None,
    facts: ReviewFacts | None = None,
) -> Mutation:
    """Queue the decision (mutation, outbox, local decision row, audit) and keep the checks shown.

    Raises `MutationRefused` or the domain's `PolicyViolation` without writing anything. Runs in the
    caller's write transaction (``store.writing()`` / a write unit of work) and never commits.
    """
    now = now or datetime.now(UTC)
    facts = facts or load_review_facts(session, draft.request_id)
    payload = decision_payload(facts, draft, user=user, now=now)
    device = device_id(session)
    mutation = record_mutation(
        session,
        MutationKind.REFUND_DECISION,
        f"refund_request:{draft.request_id}",
        payload,
        None,
        user,
        device,
        now=now,
    )
    session.add(
        AuditEntry(
            at=now,
            user=user,
            device=device,
            what="refund_decision.checks_shown",
            target=f"refund_request:{draft.request_id}",
            detail=json.dumps(
                {
                    "mutation_id": mutation.id,
                    "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
                }
            ),
        )
    )
    session.flush()
    return mutation
