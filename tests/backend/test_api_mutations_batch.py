"""POST /v1/mutations/batch against the live server, on SQLite and PostgreSQL: every item answered
as POST /v1/mutations would answer it alone, exactly once, in one transaction with a savepoint each."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from seller_desk.backend.store.models import (
    Decision,
    IdempotencyKey,
    LedgerEntry,
    MutationRecord,
    RefundApproval,
)
from tests.backend.shop import Shop, approval, mutation, rejection

BATCH = "/v1/mutations/batch"


def _post(shop: Shop, items: list[tuple[str, dict[str, Any]]]) -> httpx.Response:
    body = {"items": [{"idempotency_key": key, "mutation": m} for key, m in items]}
    return shop.client.post(BATCH, json=body)


def _results(response: httpx.Response) -> list[tuple[int, dict[str, Any]]]:
    assert response.status_code == 200, response.text
    return [(r["status"], r["body"]) for r in response.json()["results"]]


def _count(shop: Shop, model: Any, *where: Any) -> int:
    with shop.db.reading() as session:
        query = select(func.count()).select_from(model).where(*where)
        return int(session.execute(query).scalar_one())


def _records(shop: Shop) -> int:
    return _count(shop, MutationRecord, MutationRecord.seller_id == shop.seller_id)


def _keys(shop: Shop) -> int:
    return _count(shop, IdempotencyKey, IdempotencyKey.seller_id == shop.seller_id)


def test_a_batch_applies_each_item_once_and_a_replay_answers_200_for_all(shop: Shop) -> None:
    seeded = [shop.seed() for _ in range(3)]
    items = [(f"k-{n}", rejection(s.request_id)) for n, s in enumerate(seeded)]
    items.append(("k-note", mutation("note", f"order:{seeded[0].order_pk}", {"text": "called"})))
    first = _results(_post(shop, items))
    assert [status for status, _ in first] == [201, 201, 201, 201]
    assert [body["result"].get("state") for _, body in first[:3]] == ["rejected"] * 3
    assert [r["idempotency_key"] for r in _post(shop, items).json()["results"]] == [k for k, _ in items]
    again = _results(_post(shop, items))
    assert again == [(200, body) for _, body in first]  # the stored answers, replayed
    assert _records(shop) == 4 and _keys(shop) == 4
    single = shop.client.get("/v1/mutations/k-1")  # and each is stored under its own key
    assert single.status_code == 200 and single.json() == first[1][1]
    assert shop.post(items[2][1], key="k-2").status_code == 200  # the single endpoint replays it too


def test_one_conflicting_and_one_poisoned_item_leave_the_others_applied(shop: Shop) -> None:
    good, decided, other = shop.seed(), shop.seed(), shop.seed()
    assert shop.post(rejection(decided.request_id)).status_code == 201
    foreign = rejection(999_999_999)  # no such request of this seller: 403
    items = [
        ("g-1", rejection(good.request_id)),
        ("g-2", approval(decided.request_id, [(decided.line_ids["L1"], "principal", 100)])),
        ("g-3", foreign),
        ("g-4", approval(other.request_id, [(other.line_ids["L1"], "principal", 2000)])),
    ]
    results = _results(_post(shop, items))
    assert [status for status, _ in results] == [201, 409, 403, 201]
    assert results[1][1]["reason"] == "decided_elsewhere" and results[2][1]["field"] == "target"
    assert _count(shop, Decision, Decision.refund_request_id == good.request_id) == 1
    assert _count(shop, Decision, Decision.refund_request_id == decided.request_id) == 1  # only the first
    assert _count(shop, LedgerEntry, LedgerEntry.refund_request_id == other.request_id) == 1
    assert _results(_post(shop, items)) == [(200, results[0][1]), *results[1:3], (200, results[3][1])]


def test_two_items_approving_one_request_and_an_over_refund(shop: Shop) -> None:
    seeded, small = shop.seed(), shop.seed()
    line = seeded.line_ids["L1"]
    items = [
        ("a-1", approval(seeded.request_id, [(line, "principal", 2000)])),
        ("a-2", approval(seeded.request_id, [(line, "principal", 1000)])),
        ("a-3", approval(small.request_id, [(small.line_ids["L1"], "principal", 2001)])),
    ]
    results = _results(_post(shop, items))
    assert [status for status, _ in results] == [201, 409, 409]
    assert [body.get("reason") for _, body in results[1:]] == ["decided_elsewhere", "over_refund"]
    approvals = select(func.count()).where(RefundApproval.refund_request_id == seeded.request_id)
    with shop.db.reading() as session:
        assert session.execute(approvals).scalar_one() == 1
    assert _count(shop, LedgerEntry, LedgerEntry.refund_request_id == small.request_id) == 0


def test_a_key_named_twice_in_one_batch_gets_the_replay_or_key_reused(shop: Shop) -> None:
    one, two = shop.seed(), shop.seed()
    body = rejection(one.request_id)
    items = [("dup", body), ("dup", body), ("dup", rejection(two.request_id)), ("x", body)]
    results = _results(_post(shop, items))
    assert [status for status, _ in results] == [201, 200, 422, 200]
    assert results[1][1] == results[0][1] == results[3][1]  # "x": the same mutation_id, answered once
    assert results[2][1]["error"] == "key_reused"
    assert _count(shop, Decision, Decision.refund_request_id == one.request_id) == 1
    assert _count(shop, Decision, Decision.refund_request_id == two.request_id) == 0
    # Across batches: the key reused with another body is refused, and nothing of it is stored.
    reused = _results(_post(shop, [("dup", rejection(two.request_id))]))
    assert reused[0][0] == 422 and _records(shop) == 1


def test_the_same_mutation_id_with_another_body_is_key_reused(shop: Shop) -> None:
    seeded = shop.seed()
    body = rejection(seeded.request_id)
    assert _results(_post(shop, [("m-1", body)]))[0][0] == 201
    changed = {**body, "payload": {**body["payload"], "reason": "another reason"}}
    results = _results(_post(shop, [("m-2", changed)]))
    assert results[0][0] == 422 and results[0][1]["field"] == "mutation_id"
    assert shop.client.get("/v1/mutations/m-2").status_code == 404  # never stored


def test_bad_input_is_400_naming_the_item_and_field_and_stores_nothing(shop: Shop) -> None:
    seeded = shop.seed()
    good = rejection(seeded.request_id)
    bad_amount = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", -5)])
    cases: list[tuple[Any, str]] = [
        ({"items": [{"idempotency_key": "b-0", "mutation": good},
                    {"idempotency_key": "b-1", "mutation": bad_amount}]},
         "items[1].mutation.payload.components.0.amount_minor"),
        ({"items": [{"idempotency_key": "b-0", "mutation": {**good, "target": "nowhere"}}]},
         "items[0].mutation.target"),
        ({"items": [{"idempotency_key": "has space", "mutation": good}]}, "items[0].idempotency_key"),
        ({"items": [{"idempotency_key": "b-0", "mutation": good, "extra": 1}]}, "items[0].extra"),
        ({"items": [{"idempotency_key": "b-0",
                     "mutation": {**good, "payload": {**good["payload"], "reason": "nul\u0000"}}}]},
         "items[0].mutation.payload.reason"),
        ({"items": []}, "items"),
        ({"things": []}, "items"),
    ]  # fmt: skip
    for body, field in cases:
        response = shop.client.post(BATCH, json=body)
        assert response.status_code == 400, response.text
        assert response.json()["field"] == field, response.json()
    assert (
        shop.client.post(
            BATCH, content=b"{not json", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    too_many = [(f"t-{n}", mutation("note", f"order:{seeded.order_pk}", {"text": "x"})) for n in range(101)]
    refused = _post(shop, too_many)
    assert refused.status_code == 413 and "100" in refused.json()["message"], refused.text
    assert refused.json()["field"] == "items"
    assert _records(shop) == 0 and _keys(shop) == 0


def test_the_batch_is_scoped_to_the_callers_seller_and_needs_a_token(shop: Shop, other_shop: Shop) -> None:
    mine = shop.seed()
    body = {"items": [{"idempotency_key": "s-1", "mutation": rejection(mine.request_id)}]}
    assert httpx.post(f"{shop.base_url}{BATCH}", json=body, timeout=10).status_code == 401
    theirs = _results(_post(other_shop, [("s-1", rejection(mine.request_id))]))
    assert theirs[0][0] == 403 and _count(shop, Decision, Decision.refund_request_id == mine.request_id) == 0
    assert _results(_post(shop, [("s-1", rejection(mine.request_id))]))[0][0] == 201  # same key, own seller


def test_a_hundred_items_commit_together(shop: Shop) -> None:
    seeded = shop.seed()
    items = [
        (f"n-{n}", mutation("note", f"order:{seeded.order_pk}", {"text": f"note {n}"})) for n in range(100)
    ]
    before = shop.change_count()
    results = _results(_post(shop, items))
    assert {status for status, _ in results} == {201} and _records(shop) == 100
    assert shop.change_count() == before + 100
    assert len({body["result"]["note_id"] for _, body in results}) == 100
