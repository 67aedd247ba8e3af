"""Recording and undoing a seller's act: all of it in one transaction, or none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from seller_desk.domain.errors import PolicyViolation, RefundCapExceeded
from seller_desk.store import push_queue
from seller_desk.store.outbox import MutationRefused, undo_mutation
from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine
from tests.sync.helpers import approval, decide, record, rejection, scalar, sql, status_of


def counts(store: Store) -> tuple[int, int, int, int]:
    return (
        scalar(store, "SELECT count(*) FROM mutations"),
        scalar(store, "SELECT count(*) FROM outbox"),
        scalar(store, "SELECT count(*) FROM decisions WHERE id < 0"),
        scalar(store, "SELECT count(*) FROM audit"),
    )


@pytest.fixture
def synced(store: Store, engine: SyncEngine) -> Store:
    assert engine.sync_once().ok
    return store


def test_record_writes_mutation_outbox_local_row_and_audit_together(synced: Store, clock: FakeClock) -> None:
    mid = decide(synced, 100, approval(11, 400, clock.now()), clock.now())
    assert counts(synced) == (1, 1, 1, 1)
    [(key, attempts)] = sql(
        synced, "SELECT idempotency_key, attempts FROM outbox WHERE mutation_id = :m", m=mid
    )
    assert len(key) == 32 and attempts == 0
    [(kind, amount, device)] = sql(synced, "SELECT kind, amount_minor, device_id FROM decisions WHERE id < 0")
    assert (kind, amount) == ("approve", 400) and device
    assert scalar(synced, "SELECT base_version FROM mutations") == scalar(
        synced, "SELECT server_version FROM refund_requests WHERE id = 100"
    )


@pytest.mark.parametrize(
    ("request_id", "payload_of", "error"),
    [
        (999, lambda now: approval(11, 100, now), MutationRefused),  # not mirrored
        (100, lambda now: approval(11, 1001, now), RefundCapExceeded),  # over the charged principal
        (100, lambda now: approval(21, 100, now), MutationRefused),  # a line of another order
        (100, lambda now: {**approval(11, 100, now), "currency": "EUR"}, MutationRefused),
        (100, lambda now: {**rejection(now), "reason": " "}, MutationRefused),  # wire validation
        (100, lambda now: {**approval(11, 500, now), "restocking_fee_bp": 1000}, PolicyViolation),
    ],
)
def test_refused_acts_write_nothing(
    synced: Store, clock: FakeClock, request_id: int, payload_of, error
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        decide(synced, request_id, payload_of(clock.now()), clock.now())
    assert counts(synced) == (0, 0, 0, 0)


def test_pending_approvals_count_against_refundable_now(synced: Store, clock: FakeClock) -> None:
    """Order 1 has two requests; line 11's principal is 1000. 700 pending on one leaves 300 for the other."""
    decide(synced, 100, approval(11, 700, clock.now()), clock.now())
    with pytest.raises(RefundCapExceeded):
        decide(synced, 101, approval(11, 301, clock.now()), clock.now())
    decide(synced, 101, approval(11, 300, clock.now()), clock.now())


def test_one_decision_per_request_per_desktop(synced: Store, clock: FakeClock) -> None:
    decide(synced, 100, rejection(clock.now()), clock.now())
    with pytest.raises(MutationRefused, match="already decided on this desktop"):
        decide(synced, 100, approval(11, 100, clock.now()), clock.now())


def test_undo_while_queued_removes_everything(synced: Store, clock: FakeClock) -> None:
    mid = decide(synced, 100, approval(11, 400, clock.now()), clock.now())
    with synced.writing() as session:
        undo_mutation(session, mid, user="seller", device_id="d")
    assert counts(synced)[:3] == (0, 0, 0)
    assert scalar(synced, "SELECT what FROM audit ORDER BY id DESC LIMIT 1") == "refund_decision.undone"
    decide(synced, 100, approval(11, 400, clock.now()), clock.now())  # a new intent, a new key


def test_undo_is_refused_once_sending(synced: Store, clock: FakeClock) -> None:
    mid = decide(synced, 100, approval(11, 400, clock.now()), clock.now())
    with synced.writing() as session:
        assert push_queue.claim_due(session, clock.now(), limit=5)
    with pytest.raises(MutationRefused, match="sending"), synced.writing() as session:
        undo_mutation(session, mid, user="seller", device_id="d")
    assert status_of(synced, mid) == "sending"
    assert counts(synced)[:3] == (1, 1, 1)


def test_receipt_overlays_the_return_and_undo_restores_the_server_values(
    synced: Store, clock: FakeClock
) -> None:
    before = sql(synced, "SELECT status, received_at FROM returns WHERE id = 2")
    mid = record(synced, "return_received", "return:2", {"received_at": clock.now().isoformat()}, clock.now())
    assert sql(synced, "SELECT status, received_at FROM returns WHERE id = 2") == [
        ("received", int(clock.now().timestamp()))
    ]
    with pytest.raises(MutationRefused, match="received"):
        record(synced, "return_received", "return:2", {"received_at": clock.now().isoformat()}, clock.now())
    with synced.writing() as session:
        undo_mutation(session, mid, user=None, device_id=None)
    assert sql(synced, "SELECT status, received_at FROM returns WHERE id = 2") == before


def test_inspection_needs_a_receipt_and_stacks_on_it(synced: Store, clock: FakeClock) -> None:
    inspection = {
        "lines": [{"sku": "SKU-1", "condition": "damaged", "disposition": "liquidate"}],
        "inspected_at": (clock.now() + timedelta(minutes=5)).isoformat(),
    }
    with pytest.raises(MutationRefused, match="receipt"):
        record(synced, "inspection_recorded", "return:3", inspection, clock.now())
    receipt = record(
        synced, "return_received", "return:3", {"received_at": clock.now().isoformat()}, clock.now()
    )
    inspected = record(synced, "inspection_recorded", "return:3", inspection, clock.now())
    assert scalar(synced, "SELECT status FROM returns WHERE id = 3") == "inspected"
    assert scalar(synced, "SELECT count(*) FROM inspections WHERE id < 0 AND return_id = 3") == 1
    with synced.writing() as session:  # taking the inspection back leaves the receipt shown
        undo_mutation(session, inspected, user=None, device_id=None)
    assert scalar(synced, "SELECT status FROM returns WHERE id = 3") == "received"
    with synced.writing() as session:
        undo_mutation(session, receipt, user=None, device_id=None)
    assert scalar(synced, "SELECT status FROM returns WHERE id = 3") == "delivered"


def test_note_on_an_order(synced: Store, clock: FakeClock) -> None:
    record(synced, "note", "order:2", {"text": "buyer called"}, clock.now())
    assert sql(synced, "SELECT target_kind, target_id, text FROM notes WHERE id < 0") == [
        ("order", "2", "buyer called")
    ]
    with pytest.raises(MutationRefused, match="not in the local store"):
        record(synced, "note", "order:77", {"text": "?"}, clock.now())


def test_undo_is_refused_once_an_attempt_was_made(
    synced: Store, engine: SyncEngine, network, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    """The answer of the first attempt was lost: the backend may hold it, so only its answer can tell."""
    mid = decide(synced, 100, approval(11, 400, clock.now()), clock.now())
    network.inject("drop_response")
    engine.sync_once()
    assert status_of(synced, mid) == "queued"
    with pytest.raises(MutationRefused, match="already sent"), synced.writing() as session:
        undo_mutation(session, mid, user="seller", device_id="d")
    clock.advance(600)
    engine.sync_once()
    assert status_of(synced, mid) == "acknowledged"
