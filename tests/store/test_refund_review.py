"""Review facts from the mirrors, recording decisions with the checks shown, and bulk approval."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from seller_desk.domain.enums import ChargeComponent, ConditionGrade, MutationStatus
from seller_desk.domain.money import Money
from seller_desk.domain.policies.review_checks import policy_checks
from seller_desk.domain.refund_review import full_approval, partial_approval, rejection
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.models import AuditEntry, Decision, Mutation, OutboxEntry
from seller_desk.store.outbox import undo_mutation
from seller_desk.store.refund_bulk import approve_in_full, bulk_summary
from seller_desk.store.refund_review import RequestNotFound, load_review_facts, record_decision
from seller_desk.store.uow import Store
from tests.fixtures.refund_review_data import (
    LINE_A,
    LINE_B,
    NOW,
    REQ_DONE,
    REQ_EUR,
    REQ_FULL,
    REQ_SAME_ORDER,
    add_review_requests,
)

P, S, T = ChargeComponent.PRINCIPAL, ChargeComponent.SHIPPING, ChargeComponent.TAX


def usd(minor: int) -> Money:
    return Money(minor, "USD")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / DB_FILENAME)
    add_review_requests(opened)
    yield opened
    opened.close()


def test_facts_carry_charged_refunded_refundable_and_the_inspection(store: Store) -> None:
    with store.reading() as s:
        facts = load_review_facts(s, REQ_FULL)
    a, b = facts.lines
    assert (a.order_line_id, b.order_line_id) == (LINE_A, LINE_B)
    assert a.asked == {P: usd(5000), S: usd(800), T: usd(400)} and a.asked_quantity == 2
    assert (b.refunded == {T: usd(160)} and T not in b.refundable) or b.refundable[T] == usd(0)
    assert (a.in_policy, a.condition, b.in_policy, b.condition) == (True, None, False, ConditionGrade.GOOD)
    assert (facts.rma, facts.return_status, facts.currency, facts.local_decision) == (
        "RVW0001RMA", "inspected", "USD", None,
    )  # fmt: skip
    with store.reading() as s, pytest.raises(RequestNotFound, match="not in the local store"):
        load_review_facts(s, 1)


def test_a_recorded_decision_keeps_the_payload_the_message_and_the_checks_shown(store: Store) -> None:
    with store.writing() as s:
        facts = load_review_facts(s, REQ_FULL)
        draft = full_approval(facts, customer_message="Refunded in full, sorry!")
        checks = policy_checks(facts, draft, NOW)
        mutation = record_decision(s, draft, user="ana", checks=checks, now=NOW)
    with store.reading() as s:
        payload = json.loads(s.get(Mutation, mutation.id).payload)  # type: ignore[union-attr]
        decision = s.scalars(select(Decision).where(Decision.mutation_id == mutation.id)).one()
        audit = {a.what: json.loads(a.detail or "{}") for a in s.scalars(select(AuditEntry))}
        again = load_review_facts(s, REQ_FULL)
        other = load_review_facts(s, REQ_SAME_ORDER)
    assert payload["customer_message"] == "Refunded in full, sorry!" and payload["decided_by"] == "ana"
    assert {(c["order_line_id"], c["component"], c["amount_minor"]) for c in payload["components"]} == {
        (LINE_A, "principal", 5000), (LINE_A, "shipping", 800), (LINE_A, "tax", 400),
        (LINE_B, "principal", 2000),
    }  # fmt: skip
    assert (decision.amount_minor, decision.currency, decision.decided_by) == (8200, "USD", "ana")
    shown = audit["refund_decision.checks_shown"]
    assert shown["mutation_id"] == mutation.id
    assert [c["name"] for c in shown["checks"]] == [c.name for c in checks]
    assert "refund_decision.queued" in audit
    assert again.local_decision == MutationStatus.QUEUED
    assert (other.lines[0].pending[P] == usd(5000) and P not in other.lines[0].refundable) or (
        other.lines[0].refundable[P] == usd(0)
    )


def test_bulk_counts_earlier_approvals_of_the_same_order(store: Store) -> None:
    with store.reading() as s:
        summary = bulk_summary(s, [REQ_FULL, REQ_SAME_ORDER, REQ_EUR, REQ_DONE])
    assert summary.count == 2 and summary.approved_ids == (REQ_FULL, REQ_EUR)
    assert summary.totals == {"USD": usd(8200), "EUR": Money(1000, "EUR")}
    refused = dict(summary.refused)
    assert refused[REQ_SAME_ORDER].startswith("nothing refundable is left")
    assert "already completed" in refused[REQ_DONE]
    with store.writing() as s:
        done = approve_in_full(s, [REQ_SAME_ORDER, REQ_FULL], user="bo", now=NOW)
    assert done.approved_ids == (
        REQ_SAME_ORDER,
    )  # the seller's order: the 25.00 first, then no principal left
    assert "refundable" in dict(done.refused)[REQ_FULL]
    with store.reading() as s:
        assert s.scalar(select(OutboxEntry.mutation_id)) is not None
        assert load_review_facts(s, REQ_SAME_ORDER).local_decision == MutationStatus.QUEUED


def test_bulk_rows_equal_the_rows_of_a_single_decision_and_undo_takes_them_back(store: Store) -> None:
    with store.writing() as s:
        facts = load_review_facts(s, REQ_EUR)
        single = record_decision(s, full_approval(facts), user="bo", checks=(), now=NOW)
        single_row = s.scalars(select(Decision).where(Decision.mutation_id == single.id)).one()
        single_view = (single_row.kind, single_row.amount_minor, single_row.components, single.payload,
                       single.base_version, single.status, single.local_effect is not None)  # fmt: skip
        undo_mutation(s, single.id, user="bo", device_id=None)
    with store.writing() as s:
        bulk = approve_in_full(s, [REQ_EUR], user="bo", now=NOW)
    assert bulk.count == 1
    with store.reading() as s:
        mutation = s.scalars(select(Mutation)).one()
        row = s.scalars(select(Decision).where(Decision.mutation_id == mutation.id)).one()
        assert row.id < 0 and mutation.queue_seq == s.scalar(select(OutboxEntry.seq))
        view = (row.kind, row.amount_minor, row.components, mutation.payload, mutation.base_version,
                mutation.status, mutation.local_effect is not None)  # fmt: skip
    assert view == single_view
    with store.writing() as s:
        undo_mutation(s, mutation.id, user="bo", device_id=None)
    with store.reading() as s:
        assert s.scalar(select(Decision.id)) is None and s.scalar(select(OutboxEntry.seq)) is None


def test_partial_and_rejection_record_through_the_same_path(store: Store) -> None:
    with store.writing() as s:
        facts = load_review_facts(s, REQ_FULL)
        part = partial_approval(facts, {LINE_A: 1}, [P, T])
        record_decision(s, part, user=None, checks=policy_checks(facts, part, NOW), now=NOW)
        other = load_review_facts(s, REQ_EUR)
        record_decision(s, rejection(other, "not returned"), user=None, checks=(), now=NOW)
    with store.reading() as s:
        kinds = {(d.kind.value, d.amount_minor) for d in s.scalars(select(Decision))}
    assert kinds == {("approve", 2700), ("reject", 0)}
