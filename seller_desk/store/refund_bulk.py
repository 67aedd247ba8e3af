"""Approving many refund requests in full at once: what it would do, then doing it in one transaction.

`bulk_summary` is what the confirmation shows (how many, the money per currency, and which requests
would be refused and why); `approve_in_full` then records each approval exactly as a single one would
be recorded, in the caller's one write transaction, skipping the refused ones. A refusal is decided
before anything of that request is written (`record_mutation` checks first), so a skipped request
leaves no trace but its line in the summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from seller_desk.domain.errors import DomainError
from seller_desk.domain.money import Money
from seller_desk.domain.policies.review_checks import policy_checks
from seller_desk.domain.refund_review import DecisionDraft, ReviewFacts, full_approval, preview
from seller_desk.store.outbox import MutationRefused
from seller_desk.store.refund_review import load_review_facts, record_decision


@dataclass(frozen=True, slots=True)
class BulkSummary:
    """How many requests an approval in full covers, the net per currency, and those refused (id, why)."""

    count: int
    totals: dict[str, Money]
    refused: tuple[tuple[int, str], ...]
    approved_ids: tuple[int, ...] = ()


def _draft(session: Session, request_id: int) -> tuple[ReviewFacts, DecisionDraft, Money]:
    facts = load_review_facts(session, request_id)
    if facts.local_decision in ("queued", "sending", "acknowledged"):
        raise MutationRefused(f"refund request {request_id} is already decided on this desktop")
    if facts.state != "pending":
        raise MutationRefused(f"refund request {request_id} is already {facts.state} on the backend")
    draft = full_approval(facts)
    adjustment = preview(facts, draft)
    assert adjustment is not None  # an approval always previews to an adjustment or raises
    return facts, draft, adjustment.net


def _add(totals: dict[str, Money], net: Money) -> None:
    totals[net.currency] = totals[net.currency] + net if net.currency in totals else net


def bulk_summary(session: Session, request_ids: Sequence[int]) -> BulkSummary:
    """What approving `request_ids` in full would do, without writing anything."""
    totals: dict[str, Money] = {}
    refused: list[tuple[int, str]] = []
    ok: list[int] = []
    for request_id in request_ids:
        try:
            _, _, net = _draft(session, request_id)
        except (MutationRefused, DomainError) as exc:
            refused.append((request_id, str(exc)))
            continue
        ok.append(request_id)
        _add(totals, net)
    return BulkSummary(len(ok), totals, tuple(refused), tuple(ok))


def approve_in_full(
    session: Session,
    request_ids: Sequence[int],
    *,
    user: str | None,
    now: datetime | None = None,
    customer_message: str | None = None,
) -> BulkSummary:
    """Record an approval in full of each request that allows one; returns what was done and refused."""
    now = now or datetime.now(UTC)
    totals: dict[str, Money] = {}
    refused: list[tuple[int, str]] = []
    done: list[int] = []
    for request_id in request_ids:
        try:
            facts, draft, net = _draft(session, request_id)
            if customer_message:
                draft = full_approval(facts, customer_message=customer_message)
            checks = policy_checks(facts, draft, now)
            record_decision(session, draft, user=user, checks=checks, now=now, facts=facts)
        except (MutationRefused, DomainError) as exc:
            refused.append((request_id, str(exc)))
            continue
        done.append(request_id)
        _add(totals, net)
    return BulkSummary(len(done), totals, tuple(refused), tuple(done))
