"""POST /v1/mutations and GET /v1/mutations/{key} against the live server (design/SYNC.md)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from seller_desk.backend.ingest import set_refund_state
from seller_desk.backend.mutations.idempotency import request_hash
from seller_desk.backend.store.models import (
    Decision,
    IdempotencyKey,
    LedgerEntry,
    MutationRecord,
    RefundApproval,
    RefundPayment,
    RefundRequest,
)
from seller_desk.domain.enums import RefundState
from seller_desk.wire import MutationIn
from tests.backend.live import LiveBackend
from tests.backend.shop import P, Shop, approval, mutation, now, rejection


def _count(shop: Shop, model: type, **where: object) -> int:
    with shop.db.reading() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.execute(query).scalar_one())


def test_approval_is_applied_then_replayed_with_the_same_body(shop: Shop) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    body = approval(seeded.request_id, [(line, "principal", 2000), (line, "shipping", 500)])
    first = shop.post(body, key="key-1")
    assert first.status_code == 201, first.text
    outcome = first.json()
    assert outcome["status"] == "applied"
    assert outcome["target"] == f"refund_request:{seeded.request_id}"
    assert outcome["result"]["state"] == "approved"
    assert outcome["result"]["refund_minor"] == 2500

    again = shop.post(body, key="key-1")
    assert again.status_code == 200
    assert again.json() == outcome
    assert again.headers["Idempotent-Replayed"] == "true"

    stored = shop.client.get("/v1/mutations/key-1")
    assert stored.status_code == 200
    assert stored.json() == outcome
    assert shop.client.get("/v1/mutations/never-used").status_code == 404

    assert _count(shop, Decision, refund_request_id=seeded.request_id) == 1
    assert _count(shop, LedgerEntry, refund_request_id=seeded.request_id) == 1
    assert _count(shop, RefundPayment, refund_request_id=seeded.request_id) == 2
    with shop.db.reading() as session:
        entry = session.execute(
            select(LedgerEntry).where(LedgerEntry.refund_request_id == seeded.request_id)
        ).scalar_one()
        assert entry.state == "pending"
        assert entry.amount_minor == 2500
        assert entry.upstream_ref == "sd-" + uuid.UUID(body["mutation_id"]).hex
        assert {c["type"] for c in entry.components} == {"Principal", "Shipping"}


def test_the_approval_reaches_the_change_feed(shop: Shop) -> None:
    seeded = shop.seed()
    _, cursor = shop.pull_all()
    line = seeded.line_ids["L1"]
    assert shop.post(approval(seeded.request_id, [(line, "principal", 1500)])).status_code == 201
    page = shop.changes(cursor).json()
    by_entity = {c["entity"]: c for c in page["changes"]}
    assert set(by_entity) == {"refund_request", "decision", "refund_payment"}
    assert by_entity["refund_request"]["data"]["state"] == "approved"
    payment = by_entity["refund_payment"]
    assert payment["data"] == {
        "id": payment["id"],
        "refund_request_id": seeded.request_id,
        "order_line_id": line,
        "component": "principal",
        "amount_minor": 1500,
        "settled": False,
        "executed_at": None,
    }
    assert by_entity["decision"]["data"]["amount_minor"] == 1500


def test_a_key_in_progress_answers_409_until_its_lease_expires(shop: Shop) -> None:
    seeded = shop.seed()
    body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 2000)])
    digest = request_hash(MutationIn.model_validate(body))
    with shop.db.writing() as session:
        session.add(
            IdempotencyKey(
                seller_id=shop.seller_id, key="held", request_hash=digest, state="in_progress",
                created_at=now(), locked_until=now() + timedelta(hours=1),
            )
        )  # fmt: skip
    held = shop.post(body, key="held")
    assert held.status_code == 409
    assert held.json()["error"] == "in_progress"
    assert "Retry-After" in held.headers
    assert shop.client.get("/v1/mutations/held").status_code == 409
    assert _count(shop, Decision, refund_request_id=seeded.request_id) == 0

    with shop.db.writing() as session:
        session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.seller_id == shop.seller_id, IdempotencyKey.key == "held")
            .values(locked_until=now() - timedelta(seconds=1))
        )
    taken_over = shop.post(body, key="held")
    assert taken_over.status_code == 201, taken_over.text
    assert _count(shop, Decision, refund_request_id=seeded.request_id) == 1


def test_postgres_advisory_lock_makes_a_concurrent_same_key_request_409(
    backend: LiveBackend, shop: Shop
) -> None:
    if backend.kind != "postgresql":
        pytest.skip("the cross-process advisory lock exists on PostgreSQL only")
    from sqlalchemy import text

    from seller_desk.backend.mutations.idempotency import advisory_lock_id

    seeded = shop.seed()
    body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 2000)])
    with backend.db.engine.connect() as conn, conn.begin():
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:k)"), {"k": advisory_lock_id(shop.seller_id, "pg-held")}
        )
        held = shop.post(body, key="pg-held")
        assert held.status_code == 409
        assert held.json()["error"] == "in_progress"
    assert shop.post(body, key="pg-held").status_code == 201


def test_same_key_with_another_body_is_key_reused(shop: Shop) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    assert shop.post(approval(seeded.request_id, [(line, "principal", 1000)]), key="k").status_code == 201
    reused = shop.post(approval(seeded.request_id, [(line, "principal", 900)]), key="k")
    assert reused.status_code == 422
    assert reused.json()["error"] == "key_reused"
    assert reused.json()["field"] == "Idempotency-Key"
    assert _count(shop, Decision, refund_request_id=seeded.request_id) == 1


def test_two_approvals_of_one_request_one_wins_the_other_is_decided_elsewhere(shop: Shop) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    first = shop.post(approval(seeded.request_id, [(line, "principal", 2000)]))
    second = shop.post(approval(seeded.request_id, [(line, "principal", 1000)]))
    assert first.status_code == 201
    assert second.status_code == 409
    error = second.json()
    assert error["error"] == "conflict"
    assert error["reason"] == "decided_elsewhere"
    assert error["server_snapshot"]["id"] == seeded.request_id
    assert error["server_snapshot"]["state"] == "approved"
    assert _count(shop, RefundApproval, refund_request_id=seeded.request_id) == 1
    assert _count(shop, LedgerEntry, refund_request_id=seeded.request_id) == 1


def test_over_refund_across_requests_is_a_conflict(shop: Shop) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    assert shop.post(approval(seeded.request_id, [(line, "principal", 1500)])).status_code == 201
    second = shop.add_request(seeded.order_id, {"L1": {P: 1000}})
    over = shop.post(approval(second, [(line, "principal", 600)]))
    assert over.status_code == 409
    assert over.json()["reason"] == "over_refund"
    assert over.json()["server_snapshot"]["id"] == second
    assert shop.post(approval(second, [(line, "principal", 500)])).status_code == 201
    with shop.db.reading() as session:
        paid = session.execute(
            select(func.sum(RefundPayment.amount_minor)).where(RefundPayment.order_line_id == line)
        ).scalar_one()
    assert paid == 2000


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (RefundState.CANCELLED, "customer_cancelled"),
        (RefundState.AUTO_REFUNDED, "auto_refunded"),
        ("claim", "claim_opened"),
    ],
)
def test_upstream_events_turn_a_late_decision_into_a_conflict(shop: Shop, event: object, reason: str) -> None:
    seeded = shop.seed()
    with shop.writer() as writer:
        if event == "claim":
            set_refund_state(writer, seeded.request_id, a_to_z_claim=True)
        else:
            assert isinstance(event, RefundState)
            set_refund_state(writer, seeded.request_id, event)
    response = shop.post(approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 2000)]))
    assert response.status_code == 409
    assert response.json()["reason"] == reason
    assert _count(shop, LedgerEntry, refund_request_id=seeded.request_id) == 0
    assert _count(shop, RefundPayment, refund_request_id=seeded.request_id) == 0


def test_a_decision_on_an_older_version_is_version_mismatch(shop: Shop) -> None:
    seeded = shop.seed()
    with shop.db.reading() as session:
        version = session.execute(
            select(RefundRequest.server_version).where(RefundRequest.id == seeded.request_id)
        ).scalar_one()
    with shop.writer() as writer:  # the marketplace changes the request after the desktop saw it
        set_refund_state(writer, seeded.request_id, a_to_z_claim=False)  # no change: no new version
        row = writer.find("refund_request", {"id": seeded.request_id})
        writer.update("refund_request", row, {"requested_minor": 1500, "updated_at": now()})
    stale = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 1500)], base_version=version)
    response = shop.post(stale)
    assert response.status_code == 409, response.text
    assert response.json()["reason"] == "version_mismatch"
    assert response.json()["server_snapshot"]["server_version"] == version + 1
    fresh = approval(
        seeded.request_id, [(seeded.line_ids["L1"], "principal", 1500)], base_version=version + 1
    )
    assert shop.post(fresh).status_code == 201


def test_a_refusal_is_stored_under_its_key_and_replayed(shop: Shop) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    assert shop.post(rejection(seeded.request_id)).status_code == 201
    body = approval(seeded.request_id, [(line, "principal", 100)])
    refused = shop.post(body, key="late")
    assert refused.status_code == 409
    replay = shop.post(body, key="late")
    assert replay.status_code == 409
    assert replay.json() == refused.json()
    assert replay.headers["Idempotent-Replayed"] == "true"


def test_pruned_key_then_replay_returns_the_stored_outcome_and_applies_nothing(shop: Shop) -> None:
    seeded = shop.seed()
    body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 2000)])
    first = shop.post(body, key="old-key")
    assert first.status_code == 201
    with shop.db.writing() as session:  # the key was pruned (``backend compact``)
        session.execute(IdempotencyKey.__table__.delete().where(IdempotencyKey.seller_id == shop.seller_id))
    for key in ("old-key", "a-new-key"):
        replay = shop.post(body, key=key)
        assert replay.status_code == 200, replay.text
        assert replay.json() == first.json()
    assert _count(shop, Decision, refund_request_id=seeded.request_id) == 1
    assert _count(shop, LedgerEntry, refund_request_id=seeded.request_id) == 1
    assert _count(shop, MutationRecord, mutation_id=body["mutation_id"]) == 1
    changed = dict(body, payload={**body["payload"], "reason": "different"})
    assert shop.post(changed, key="third-key").status_code == 422


def test_reject_then_notes_on_every_target_kind(shop: Shop) -> None:
    seeded = shop.seed(with_return=True)
    rejected = shop.post(rejection(seeded.request_id))
    assert rejected.status_code == 201
    assert rejected.json()["result"]["state"] == "rejected"
    for target in (
        f"return:{seeded.return_id}",
        f"order:{seeded.order_pk}",
        f"refund_request:{seeded.request_id}",
    ):
        note = shop.post(mutation("note", target, {"text": "called the buyer", "author": "ana"}))
        assert note.status_code == 201, note.text
        assert note.json()["result"]["note_id"] >= 1
    notes = [c for c in shop.pull_all()[0] if c["entity"] == "note"]
    assert {(n["data"]["target_kind"], n["data"]["target_id"]) for n in notes} == {
        ("return", str(seeded.return_id)), ("order", str(seeded.order_pk)),
        ("refund_request", str(seeded.request_id)),
    }  # fmt: skip


def test_receiving_and_inspecting_a_return(shop: Shop) -> None:
    seeded = shop.seed(with_return=True)
    target = f"return:{seeded.return_id}"
    received = shop.post(
        mutation("return_received", target, {"received_at": now().isoformat(), "scanned": "1Z"})
    )
    assert received.status_code == 201, received.text
    assert received.json()["result"] == {"status": "received", "changed": True}
    again = shop.post(mutation("return_received", target, {"received_at": now().isoformat()}))
    assert again.status_code == 201
    assert again.json()["result"]["changed"] is False
    lines = {c["data"]["sku"]: c["id"] for c in shop.pull_all()[0] if c["entity"] == "return_line"}
    payload = {
        "inspected_at": now().isoformat(),
        "lines": [{"return_line_id": lines["SKU-L1"], "sku": "SKU-L1", "condition": "damaged",
                   "disposition": "liquidate", "photos": ["a.jpg"]}],
    }  # fmt: skip
    inspected = shop.post(mutation("inspection_recorded", target, payload))
    assert inspected.status_code == 201, inspected.text
    assert inspected.json()["result"]["status"] == "inspected"
    ret = next(c for c in reversed(shop.pull_all()[0]) if c["entity"] == "return")
    assert ret["data"]["status"] == "inspected"
    assert ret["data"]["received_at"] is not None and ret["data"]["delivered_at"] is not None
    wrong = dict(payload, lines=[dict(payload["lines"][0], return_line_id=10**9)])
    bad = shop.post(mutation("inspection_recorded", target, wrong))
    assert bad.status_code == 400
    assert bad.json()["field"] == "payload.lines.0.return_line_id"


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("currency", "payload.currency"),
        ("foreign_line", "payload.components.0.order_line_id"),
        ("fee_in_policy", "payload.restocking_fee_bp"),
        ("no_credit", "payload.components"),
    ],
)
def test_bad_decisions_are_400_naming_the_field_and_stored(shop: Shop, case: str, field: str) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    body = approval(seeded.request_id, [(line, "principal", 2000)])
    change = {
        "currency": {"currency": "EUR"},
        "foreign_line": {
            "components": [{"order_line_id": 999_999_999, "component": "principal", "amount_minor": 1}]
        },
        "fee_in_policy": {"restocking_fee_bp": 1000},  # no return: nothing shows the item is not original
        "no_credit": {"components": [{"order_line_id": line, "component": "shipping", "amount_minor": 0}]},
    }[case]
    body["payload"].update(change)
    response = shop.post(body, key="bad")
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert shop.post(body, key="bad").json() == response.json()
    assert _count(shop, Decision, refund_request_id=seeded.request_id) == 0


def test_restocking_fee_on_a_damaged_return_with_evidence(shop: Shop) -> None:
    seeded = shop.seed(with_return=True)
    lines = {c["data"]["sku"]: c["id"] for c in shop.pull_all()[0] if c["entity"] == "return_line"}
    target = f"return:{seeded.return_id}"
    inspection = {
        "inspected_at": now().isoformat(),
        "lines": [
            {
                "return_line_id": lines["SKU-L1"],
                "sku": "SKU-L1",
                "condition": "damaged",
                "disposition": "liquidate",
            }
        ],
    }
    assert shop.post(mutation("inspection_recorded", target, inspection)).status_code == 201
    line = seeded.line_ids["L1"]
    no_evidence = approval(seeded.request_id, [(line, "principal", 2000)], restocking_fee_bp=2000)
    refused = shop.post(no_evidence)
    assert refused.status_code == 400
    assert refused.json()["field"] == "payload.restocking_fee_bp"
    with_evidence = approval(
        seeded.request_id, [(line, "principal", 2000)], restocking_fee_bp=2000, evidence=["p.jpg"]
    )
    applied = shop.post(with_evidence)
    assert applied.status_code == 201, applied.text
    assert applied.json()["result"]["refund_minor"] == 1600
    assert applied.json()["result"]["restocking_fee_minor"] == 400
