"""The Refunds screen's background work, as ``Op`` functions (``fn(ctx)``): reads of the queue, a
request's review facts and history, and the decisions (one, or many in full), each in its own unit of
work on the DB thread. Refusals (policy, already decided, not in the store) come back as ``Refused``
values, never as faults, so the screen says them to the seller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from seller_desk.workers.ops import OpContext
from seller_desk.workers.returns_actions import Refused, current_user

if TYPE_CHECKING:
    from seller_desk.domain.auto_approve import AutoApproveRule
    from seller_desk.domain.refund_review import DecisionDraft, PolicyCheck, ReviewFacts
    from seller_desk.store.auto_approve import ReplayResult
    from seller_desk.store.queries.refund_history import AuditLine, DecisionEntry
    from seller_desk.store.queries.refund_queue import QueueKey, QueueRow, QueueTab
    from seller_desk.store.queries.sync_view import ConflictRow
    from seller_desk.store.refund_bulk import BulkSummary


@dataclass(frozen=True, slots=True)
class QueuePage:
    total: int  # rows of the tab (with the first page only; -1 for later pages)
    counts: dict[QueueTab, int]  # every tab's count (first page only)
    rows: list[QueueRow]


def load_queue_page(
    ctx: OpContext, tab: QueueTab, search: str, after: QueueKey | None, limit: int
) -> QueuePage:
    """A page of `tab`; the first page comes with the tab's count and all tabs' counts, in one read."""
    from seller_desk.store.queries.refund_queue import count_tab, load_rows, page_ids, tab_counts

    with ctx.store.reading() as session:
        rows = load_rows(session, page_ids(session, tab, search=search, after=after, limit=limit))
        if after is not None:
            return QueuePage(-1, {}, rows)
        return QueuePage(count_tab(session, tab, search), tab_counts(session), rows)


@dataclass(frozen=True, slots=True)
class RequestDetail:
    facts: ReviewFacts
    decisions: list[DecisionEntry]
    audit: list[AuditLine]


def load_request_detail(ctx: OpContext, request_id: int) -> RequestDetail | Refused:
    from seller_desk.store.outbox import MutationRefused
    from seller_desk.store.queries.refund_history import request_history
    from seller_desk.store.refund_review import load_review_facts

    with ctx.store.reading() as session:
        try:
            facts = load_review_facts(session, request_id)
        except MutationRefused as exc:
            return Refused(str(exc))
        decisions, audit = request_history(session, request_id)
    return RequestDetail(facts, decisions, audit)


def record_draft(ctx: OpContext, draft: DecisionDraft, checks: Sequence[PolicyCheck]) -> str | Refused:
    """Queue one decision (checks as shown); the mutation id, or why it was refused."""
    from seller_desk.domain.errors import DomainError
    from seller_desk.domain.refund_review import why_not_decidable
    from seller_desk.store.outbox import MutationRefused
    from seller_desk.store.refund_review import load_review_facts, record_decision

    try:
        with ctx.store.writing() as session:
            facts = load_review_facts(session, draft.request_id)
            refusal = why_not_decidable(facts)
            if refusal is not None:
                return Refused(refusal)
            mutation = record_decision(session, draft, user=current_user(), checks=checks, facts=facts)
            return mutation.id
    except (MutationRefused, DomainError) as exc:
        return Refused(str(exc))


def summarize_bulk(ctx: OpContext, request_ids: Sequence[int]) -> BulkSummary:
    from seller_desk.store.refund_bulk import bulk_summary

    with ctx.store.reading() as session:
        return bulk_summary(session, request_ids)


def approve_all_in_full(ctx: OpContext, request_ids: Sequence[int]) -> BulkSummary:
    from seller_desk.store.refund_bulk import approve_in_full

    with ctx.store.writing() as session:
        return approve_in_full(session, request_ids, user=current_user(), now=datetime.now(UTC))


def undo_decision(ctx: OpContext, mutation_id: str) -> Refused | None:
    from seller_desk.store.meta import device_id
    from seller_desk.store.outbox import MutationRefused, undo_mutation

    try:
        with ctx.store.writing() as session:
            undo_mutation(session, mutation_id, user=current_user(), device_id=device_id(session))
    except MutationRefused as exc:
        return Refused(str(exc))
    return None


def resolve_conflict(ctx: OpContext, mutation_id: str, resolution: str) -> int:
    from seller_desk.store.outbox import resolve_conflict as resolve

    with ctx.store.writing() as session:
        return resolve(session, mutation_id, resolution)


def load_conflict(ctx: OpContext, mutation_id: str) -> ConflictRow | None:
    """The unresolved conflict of this decision, with the backend's state as it answered."""
    from seller_desk.store.queries.sync_view import conflict_rows

    with ctx.store.reading() as session:
        return next((row for row in conflict_rows(session, 1000) if row.mutation_id == mutation_id), None)


def load_rules(ctx: OpContext) -> list[AutoApproveRule]:
    from seller_desk.store.auto_approve import list_rules

    with ctx.store.reading() as session:
        return list_rules(session)


def store_rule(ctx: OpContext, rule: AutoApproveRule) -> AutoApproveRule | Refused:
    from sqlalchemy.exc import IntegrityError

    from seller_desk.store.auto_approve import save_rule

    try:
        with ctx.store.writing() as session:
            return save_rule(session, rule)
    except IntegrityError:
        return Refused(f"there is already a rule named {rule.name!r}")


def remove_rule(ctx: OpContext, rule_id: int) -> None:
    from seller_desk.store.auto_approve import delete_rule

    with ctx.store.writing() as session:
        delete_rule(session, rule_id)


def replay_rule(ctx: OpContext, rule: AutoApproveRule, months: int) -> ReplayResult:
    from seller_desk.store.auto_approve import replay

    with ctx.store.reading() as session:
        return replay(session, rule, months)


def run_auto_approve(ctx: OpContext) -> dict[str, int]:
    """Apply the enabled rules (nothing to do, and no write lock taken, when none is enabled)."""
    from seller_desk.store.auto_approve import apply_rules, list_rules

    with ctx.store.reading() as session:
        if not any(rule.enabled for rule in list_rules(session)):
            return {}
    with ctx.store.writing() as session:
        return apply_rules(session, now=datetime.now(UTC))
