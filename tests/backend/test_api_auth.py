"""Bearer tokens on every /v1 endpoint; every query scoped to the token's seller."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from seller_desk.backend.store.models import Decision, IdempotencyKey, MutationRecord, Note
from seller_desk.backend.tenancy import hash_token, revoke_device
from tests.backend.live import LiveBackend
from tests.backend.shop import Shop, approval, mutation, now

ENDPOINTS = [
    ("GET", "/v1/changes", None),
    ("POST", "/v1/mutations", {"mutation_id": "00000000-0000-4000-8000-000000000000"}),
    ("GET", "/v1/mutations/some-key", None),
    ("POST", "/v1/tracking-events", {"events": []}),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "Bearer " + "x" * 300]
)
def test_missing_or_wrong_token_is_401_on_every_endpoint(
    backend: LiveBackend, method: str, path: str, body: dict | None, authorization: str | None
) -> None:
    headers = {"Idempotency-Key": "k"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = httpx.request(method, backend.base_url + path, json=body, headers=headers, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response.json()["field"] == "Authorization"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_stops_working_at_once(shop: Shop) -> None:
    assert shop.changes().status_code == 200
    with shop.db.writing() as session:
        assert revoke_device(session, shop.device_id, now()) is True
    assert shop.changes().status_code == 401
    with shop.db.writing() as session:
        assert revoke_device(session, shop.device_id, now()) is False


def test_tokens_are_stored_only_as_hashes(shop: Shop) -> None:
    from seller_desk.backend.store.models import Device

    with shop.db.reading() as session:
        stored = session.execute(select(Device.token_hash).where(Device.id == shop.device_id)).scalar_one()
    assert stored == hash_token(shop.token)
    assert shop.token not in stored


def test_another_sellers_target_is_403_and_changes_nothing(shop: Shop, other_shop: Shop) -> None:
    theirs = other_shop.seed(with_return=True)
    their_changes = other_shop.change_count()
    my_changes = shop.change_count()
    line = theirs.line_ids["L1"]
    attempts = [
        approval(theirs.request_id, [(line, "principal", 2000)]),
        mutation("note", f"order:{theirs.order_pk}", {"text": "mine now"}),
        mutation("return_received", f"return:{theirs.return_id}", {"received_at": now().isoformat()}),
        mutation("note", "refund_request:999999999999", {"text": "no such request"}),
        mutation("note", "order:9999999999999999999", {"text": "beyond any BIGINT"}),
    ]
    for body in attempts:
        response = shop.post(body)
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "forbidden"
        assert response.json()["field"] == "target"
    foreign = shop.post(attempts[0]).json()["message"]
    missing = shop.post(attempts[3]).json()["message"]
    assert foreign.replace(str(theirs.request_id), "N") == missing.replace("999999999999", "N")
    assert other_shop.change_count() == their_changes
    assert shop.change_count() == my_changes
    with shop.db.reading() as session:
        assert (
            session.execute(
                select(func.count())
                .select_from(Decision)
                .where(Decision.refund_request_id == theirs.request_id)
            ).scalar_one()
            == 0
        )
        assert (
            session.execute(
                select(func.count()).select_from(Note).where(Note.seller_id == shop.seller_id)
            ).scalar_one()
            == 0
        )


def test_sellers_see_only_their_own_changes_and_keys(shop: Shop, other_shop: Shop) -> None:
    mine = shop.seed()
    theirs = other_shop.seed()
    my_ids = {(c["entity"], c["id"]) for c in shop.pull_all()[0]}
    their_ids = {(c["entity"], c["id"]) for c in other_shop.pull_all()[0]}
    assert ("refund_request", mine.request_id) in my_ids
    assert ("refund_request", theirs.request_id) in their_ids
    assert not my_ids & their_ids
    body = approval(mine.request_id, [(mine.line_ids["L1"], "principal", 100)])
    assert shop.post(body, key="shared-name").status_code == 201
    assert other_shop.client.get("/v1/mutations/shared-name").status_code == 404
    replayed_elsewhere = other_shop.post(body, key="shared-name")  # same mutation id, other seller
    assert replayed_elsewhere.status_code == 422
    with shop.db.reading() as session:
        keys = session.execute(
            select(IdempotencyKey.seller_id).where(IdempotencyKey.key == "shared-name")
        ).scalars()
        assert set(keys) == {shop.seller_id}
        assert (
            session.execute(
                select(func.count())
                .select_from(MutationRecord)
                .where(MutationRecord.mutation_id == body["mutation_id"])
            ).scalar_one()
            == 1
        )
