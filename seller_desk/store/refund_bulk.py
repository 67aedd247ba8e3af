"""Approving many refund requests in full at once: what it would do, then doing it in one transaction.

An approval *in full* means what the request asks: a request of which only part is refundable now
(another approval got there first) is refused here, to be decided on its own, never cut silently.
`bulk_summary` is what the confirmation shows (how many, the net per currency, and which requests
would be refused and why); `approve_in_full` then records each approval in the caller's one write
transaction and skips the refused ones. Both read every request's facts in one batch and walk the
requests in order, adding each approval's money to the pending amounts of the requests after it: two
requests on the same order can never together refund more than was charged, exactly as if they had
been approved one by one. The rows are written by `decision_rows` in five statements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from seller_desk.domain.enums import ChargeComponent
from seller_desk.domain.errors import DomainError
from seller_desk.domain.money import Money
from seller_desk.domain.policies.review_checks import policy_checks
from seller_desk.domain.refund_review import (
    asked_total,
    full_approval,
    preview,
    why_not_decidable,
    with_promised,
)
from seller_desk.store.decision_rows import CheckedDecision, write_decisions
from seller_desk.store.meta import device_id
from seller_desk.store.refund_facts import load_many_review_facts
from seller_desk.store.refund_review import decision_payload


@dataclass(frozen=True, slots=True)
class BulkSummary:
    """How many requests an approval in full covers, the net per currency, and those refused (id, why)."""

    count: int
    totals: dict[str, Money]
    refused: tuple[tuple[int, str], ...]
    approved_ids: tuple[int, ...] = ()


def _check_all(
    session: Session, request_ids: Sequence[int], *, user: str | None, now: datetime, message: str | None
) -> tuple[list[CheckedDecision], list[tuple[int, str]]]:
    facts_by_id = load_many_review_facts(session, request_ids)
    promised: dict[int, dict[ChargeComponent, Money]] = defaultdict(dict)
    checked: list[CheckedDecision] = []
    refused: list[tuple[int, str]] = []
    for request_id in dict.fromkeys(request_ids):  # each once, in the seller's order
        facts = facts_by_id.get(request_id)
        if facts is None:
            refused.append((request_id, "not in the local store; sync, then try again"))
            continue
        refusal = why_not_decidable(facts)
        if refusal is not None:
            refused.append((request_id, refusal))
            continue
        facts = with_promised(facts, promised)
        draft = full_approval(facts, customer_message=message)
        if not draft.amounts:
            refused.append(
                (request_id, "nothing refundable is left: already refunded or approved on the order")
            )
            continue
        asked, got = asked_total(facts), draft.total(facts.currency)
        if facts.asked_any and got < asked:
            refused.append(
                (request_id, f"only {got} of the {asked} asked is refundable now; decide it alone")
            )
            continue
        try:
            adjustment = preview(facts, draft)
        except DomainError as exc:
            refused.append((request_id, str(exc)))
            continue
        assert adjustment is not None  # an approval previews to an adjustment or raises
        payload = decision_payload(facts, draft, user=user, now=now)
        checks = policy_checks(facts, draft, now)
        checked.append(CheckedDecision(facts, draft, payload, adjustment.net, checks))
        for line_id, comps in draft.amounts.items():
            for component, amount in comps.items():
                have = promised[line_id].get(component)
                promised[line_id][component] = amount if have is None else have + amount
    return checked, refused


def _summary(checked: Sequence[CheckedDecision], refused: list[tuple[int, str]]) -> BulkSummary:
    totals: dict[str, Money] = {}
    for item in checked:
        net = item.net
        totals[net.currency] = totals[net.currency] + net if net.currency in totals else net
    ids = tuple(item.facts.request_id for item in checked)
    return BulkSummary(len(checked), totals, tuple(refused), ids)


def bulk_summary(session: Session, request_ids: Sequence[int], *, now: datetime | None = None) -> BulkSummary:
    """What approving `request_ids` in full would do, without writing anything."""
    checked, refused = _check_all(session, request_ids, user=None, now=now or datetime.now(UTC), message=None)
    return _summary(checked, refused)


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
    checked, refused = _check_all(session, request_ids, user=user, now=now, message=customer_message)
    write_decisions(session, checked, user=user, device=device_id(session), now=now)
    return _summary(checked, refused)
