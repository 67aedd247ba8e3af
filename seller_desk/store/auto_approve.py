"""Auto-approve rules in the store: keeping them, the what-if replay, and applying the enabled ones.

* `replay` runs a rule over the refund requests that arrived in the last N months (any state) and
  says what it would have approved: how many and how much, and how that compares with what actually
  happened to them — the ones the seller rejected are the danger, and are listed.
* `apply_rules` approves in full, through the same bulk path as the seller's own bulk approval (the
  same checks, kept in the audit), each pending request with no decision of this desktop that an
  enabled rule matches, at most `limit` per call so one run never holds the write lock for long. The
  decision's user is "auto-approve: <rule name>".

Candidates come from one query: the request, its return's canonical reason and status, and per return
whether every line is in policy, how many lines were inspected and how many found sellable.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Subquery, case, func, select, type_coerce
from sqlalchemy.orm import Session

from seller_desk.domain.auto_approve import AutoApproveRule, Candidate, evaluate
from seller_desk.domain.enums import RefundSource, RefundState
from seller_desk.domain.money import Money
from seller_desk.store.models import AutoApproveRuleRow, Inspection, RefundRequest, Return, ReturnLine
from seller_desk.store.queries.refund_queue import local_sets
from seller_desk.store.refund_bulk import approve_in_full

OUTCOMES = {
    "pending": "still pending", "approved": "approved", "submitted": "approved", "completed": "approved",
    "failed": "approved", "rejected": "rejected by you", "cancelled": "cancelled by the customer",
    "auto_refunded": "refunded by the marketplace",
}  # fmt: skip


def _to_rule(row: AutoApproveRuleRow) -> AutoApproveRule:
    return AutoApproveRule(
        name=row.name,
        max_amount=Money(row.max_minor, row.currency),
        reasons=frozenset(json.loads(row.reasons)),
        sources=frozenset(RefundSource(s) for s in json.loads(row.sources)),
        require_received=row.require_received,
        require_sellable=row.require_sellable,
        in_policy_only=row.in_policy_only,
        enabled=row.enabled,
        id=row.id,
    )


def list_rules(session: Session) -> list[AutoApproveRule]:
    return [
        _to_rule(r) for r in session.scalars(select(AutoApproveRuleRow).order_by(AutoApproveRuleRow.name))
    ]


def save_rule(session: Session, rule: AutoApproveRule, *, now: datetime | None = None) -> AutoApproveRule:
    """Insert or update (by id) a rule; switching it on stamps when."""
    now = now or datetime.now(UTC)
    row = session.get(AutoApproveRuleRow, rule.id) if rule.id is not None else None
    if row is None:
        row = AutoApproveRuleRow(created_at=now)
        session.add(row)
    if rule.enabled and not row.enabled:
        row.switched_on_at = now
    row.name, row.enabled = rule.name.strip(), rule.enabled
    row.currency, row.max_minor = rule.max_amount.currency, rule.max_amount.amount_minor
    row.reasons = json.dumps(sorted(rule.reasons))
    row.sources = json.dumps(sorted(s.value for s in rule.sources))
    row.require_received, row.require_sellable = rule.require_received, rule.require_sellable
    row.in_policy_only = rule.in_policy_only
    session.flush()
    return _to_rule(row)


def delete_rule(session: Session, rule_id: int) -> None:
    row = session.get(AutoApproveRuleRow, rule_id)
    if row is not None:
        session.delete(row)
        session.flush()


def _return_facts() -> Subquery:
    """Per return: all lines in policy, lines inspected, lines inspected with disposition "restock"."""
    inspected = (
        select(
            Inspection.return_line_id.label("line"),
            func.max(case((Inspection.disposition == "restock", 1), else_=0)).label("sellable"),
        )
        .group_by(Inspection.return_line_id)
        .subquery()
    )
    return (
        select(
            ReturnLine.return_id.label("return_id"),
            func.min(type_coerce(ReturnLine.in_policy, Integer)).label("in_policy"),
            func.count(inspected.c.line).label("inspected"),
            func.coalesce(func.sum(inspected.c.sellable), 0).label("sellable"),
        )
        .outerjoin(inspected, inspected.c.line == ReturnLine.id)
        .group_by(ReturnLine.return_id)
        .subquery()
    )


def _candidate(row: Any) -> Candidate:
    rid, minor, currency, source, reason, status, in_policy, inspected, sellable, claim, state = row
    return Candidate(
        request_id=int(rid),
        amount=Money(int(minor), currency),
        source=RefundSource(source),
        reason=reason,
        return_status=None if status is None else str(status),
        inspected=bool(inspected),
        sellable=bool(inspected) and int(sellable or 0) >= int(inspected),
        in_policy=None if in_policy is None else bool(in_policy),
        a_to_z_claim=bool(claim),
        state=str(state),
    )


def candidates(
    session: Session,
    *,
    since: datetime | None = None,
    states: Sequence[RefundState] = (),
    ids: Sequence[int] = (),
) -> list[Candidate]:
    """The rule-facing facts of requests (arrived since `since`, in `states`, or with these ids)."""
    facts = _return_facts()
    stmt = (
        select(
            RefundRequest.id,
            RefundRequest.requested_minor,
            RefundRequest.currency,
            RefundRequest.source,
            func.coalesce(Return.reason, RefundRequest.reason),
            Return.status,
            facts.c.in_policy,
            facts.c.inspected,
            facts.c.sellable,
            RefundRequest.a_to_z_claim,
            RefundRequest.state,
        )
        .outerjoin(Return, Return.id == RefundRequest.return_id)
        .outerjoin(facts, facts.c.return_id == RefundRequest.return_id)
    )
    if since is not None:
        stmt = stmt.where(RefundRequest.created_at >= since)
    if states:
        stmt = stmt.where(RefundRequest.state.in_(list(states)))
    if ids:
        stmt = stmt.where(RefundRequest.id.in_(list(ids)))
    return [_candidate(row) for row in session.execute(stmt)]


@dataclass(frozen=True, slots=True)
class ReplayResult:
    months: int
    looked_at: int
    count: int
    money: Money
    by_outcome: dict[str, tuple[int, Money]]  # what actually happened to the requests it would approve
    rejected_ids: tuple[int, ...]  # the ones the seller had rejected (the danger), at most 20
    sample_ids: tuple[int, ...]
    why_not: dict[str, int]  # the most common reasons it did not match


def replay(
    session: Session, rule: AutoApproveRule, months: int, *, now: datetime | None = None
) -> ReplayResult:
    """What `rule` would have approved among the requests of the last `months` months."""
    now = now or datetime.now(UTC)
    looked = candidates(session, since=now - timedelta(days=30 * months))
    currency = rule.max_amount.currency
    matched: list[Candidate] = []
    by_outcome: dict[str, tuple[int, Money]] = {}
    why_not = Counter[str]()
    for c in looked:
        verdict = evaluate(rule, c)
        if not verdict.matches:
            why_not[verdict.why.split(":")[0] if "over" not in verdict.why else "over the amount"] += 1
            continue
        matched.append(c)
        outcome = OUTCOMES.get(c.state, c.state)
        n, money = by_outcome.get(outcome, (0, Money(0, currency)))
        by_outcome[outcome] = (n + 1, money + c.amount)
    total = Money(sum(c.amount.amount_minor for c in matched), currency)
    rejected = tuple(c.request_id for c in matched if c.state == RefundState.REJECTED)[:20]
    return ReplayResult(months, len(looked), len(matched), total, by_outcome, rejected,
                        tuple(c.request_id for c in matched[:10]), dict(why_not.most_common(4)))  # fmt: skip


def apply_rules(session: Session, *, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Approve in full what the enabled rules match now; {rule name: approved}. Never commits."""
    rules = [r for r in list_rules(session) if r.enabled]
    if not rules:
        return {}
    waiting, conflicted = local_sets(session)
    taken = waiting | conflicted
    done: dict[str, int] = {}
    left = limit
    pending = [c for c in candidates(session, states=[RefundState.PENDING]) if c.request_id not in taken]
    for rule in rules:
        ids = [c.request_id for c in pending if evaluate(rule, c).matches][:left]
        if not ids:
            continue
        summary = approve_in_full(session, ids, user=f"auto-approve: {rule.name}", now=now)
        done[rule.name] = summary.count
        taken |= set(summary.approved_ids)
        pending = [c for c in pending if c.request_id not in taken]
        left -= summary.count
        if left <= 0:
            break
    return done
