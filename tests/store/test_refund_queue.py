"""The refund queue's tabs, counts and keyset pages: on hand-built requests, and against a Python
reference over hundreds of random ones (states, deadlines with ties and without, local decisions)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from seller_desk.domain.enums import RefundState
from seller_desk.domain.refund_review import full_approval, rejection
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.models import Conflict, Mutation, Order, RefundRequest
from seller_desk.store.queries.refund_queue import QueueTab, count_tab, load_rows, page_ids, tab_counts
from seller_desk.store.refund_review import load_review_facts, record_decision
from seller_desk.store.uow import Store
from tests.fixtures.refund_review_data import (
    NOW,
    REQ_DONE,
    REQ_EUR,
    REQ_FULL,
    REQ_SAME_ORDER,
    add_review_requests,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / DB_FILENAME)
    add_review_requests(opened)
    yield opened
    opened.close()


def _all(store: Store, tab: QueueTab, page: int = 2, search: str = "") -> list[int]:
    out, after = [], None
    with store.reading() as s:
        while True:
            got = page_ids(s, tab, search=search, after=after, limit=page)
            out += [rid for rid, _ in got]
            if len(got) < page:
                return out
            after = got[-1][1]


def test_tabs_follow_server_state_and_local_decisions(store: Store) -> None:
    assert _all(store, QueueTab.PENDING) == [REQ_SAME_ORDER, REQ_EUR, REQ_FULL]  # due -3 h, +5 h, +30 h
    assert _all(store, QueueTab.COMPLETED) == [REQ_DONE]
    with store.writing() as s:
        facts = load_review_facts(s, REQ_FULL)
        record_decision(s, full_approval(facts), user="ana", checks=(), now=NOW)
        eur = load_review_facts(s, REQ_EUR)
        rejected = record_decision(s, rejection(eur, "not returned"), user="ana", checks=(), now=NOW)
    with store.reading() as s:
        counts = tab_counts(s)
        rows = load_rows(s, page_ids(s, QueueTab.AWAITING_SYNC))
    assert counts[QueueTab.PENDING] == 1 and counts[QueueTab.AWAITING_SYNC] == 2
    assert counts[QueueTab.COMPLETED] == 1 and counts[QueueTab.CONFLICTS] == 0
    assert {r.request_id: (r.local.kind, r.local.status) for r in rows if r.local} == {
        REQ_EUR: ("reject", "queued"), REQ_FULL: ("approve", "queued"),
    }  # fmt: skip
    with store.writing() as s:  # the backend refused the rejection: a conflict to resolve
        s.get(Mutation, rejected.id).status = "conflict"  # type: ignore[union-attr]
        s.add(Conflict(mutation_id=rejected.id, reason="state_changed", created_at=NOW))
    with store.reading() as s:
        assert [rid for rid, _ in page_ids(s, QueueTab.CONFLICTS)] == [REQ_EUR]
        assert tab_counts(s)[QueueTab.AWAITING_SYNC] == 1
        assert count_tab(s, QueueTab.PENDING) == 1


def test_rows_carry_money_items_return_and_search(store: Store) -> None:
    with store.reading() as s:
        (row,) = load_rows(s, page_ids(s, QueueTab.PENDING, search=str(REQ_FULL)))
        by_rma = [rid for rid, _ in page_ids(s, QueueTab.PENDING, search="RVW0001RMA")]
    assert (row.requested.amount_minor, row.refundable.amount_minor) == (8200, 8200)
    assert row.items == "LAMP-2 ×2, SHADE-1" and row.rma == "RVW0001RMA" and row.inspection == "good"
    assert by_rma == [REQ_FULL]


def test_pages_equal_a_python_reference(tmp_path: Path) -> None:
    store = open_store(tmp_path / "many" / DB_FILENAME)
    rng = random.Random(5)
    states = [RefundState.PENDING] * 4 + [RefundState.COMPLETED, RefundState.FAILED, RefundState.REJECTED]
    base = datetime(2026, 5, 1, tzinfo=UTC)
    expected: dict[RefundState, list[tuple[int, int, int]]] = {}
    rows = []
    for rid in range(1, 401):
        state = rng.choice(states)
        due = None if rng.random() < 0.2 else base + timedelta(hours=rng.randrange(40))  # ties on purpose
        rows.append({"id": rid, "order_pk": 1, "order_id": "1", "state": state, "source": "customer",
                     "currency": "USD", "requested_minor": 100, "created_at": base, "due_at": due,
                     "updated_at": base})  # fmt: skip
        key = (1, 0, rid) if due is None else (0, int(due.timestamp()), rid)
        expected.setdefault(state, []).append(key)
    with store.writing() as s:
        s.add(Order(id=1, order_id="1", marketplace="US", channel="MFN", purchased_at=base, currency="USD"))
        s.flush()
        s.execute(insert(RefundRequest.__table__), rows)  # type: ignore[arg-type]
    for tab, state in ((QueueTab.PENDING, RefundState.PENDING), (QueueTab.FAILED, RefundState.FAILED)):
        want = [rid for *_, rid in sorted(expected[state])]
        for page in (1, 7, 50, 1000):
            assert _all(store, tab, page) == want, (tab, page)
    with store.reading() as s:
        assert tab_counts(s)[QueueTab.PENDING] == len(expected[RefundState.PENDING])
    store.close()
