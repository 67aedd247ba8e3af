"""Bad input never gives a 5xx: each request below gets the right 4xx, an ErrorBody naming the field,
and leaves nothing behind (no key, no mutation record, no change)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from seller_desk.backend.store.models import IdempotencyKey, MutationRecord
from tests.backend.shop import Seeded, Shop, approval, mutation, rejection


@dataclass(frozen=True)
class Case:
    name: str
    status: int
    field: str
    build: Callable[[Seeded], dict[str, Any]]  # -> keyword arguments of httpx.Client.request


def _json(body: Any, key: str | None = "k-bad", **headers: str) -> dict[str, Any]:
    all_headers = {"content-type": "application/json", **headers}
    if key is not None:
        all_headers["Idempotency-Key"] = key
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return {"method": "POST", "url": "/v1/mutations", "content": content, "headers": all_headers}


def _ok(s: Seeded) -> dict[str, Any]:
    return approval(s.request_id, [(s.line_ids["L1"], "principal", 100)])


def _with(s: Seeded, **changes: Any) -> dict[str, Any]:
    body = _ok(s)
    payload = changes.pop("payload", None)
    if payload is not None:
        body["payload"] = {**body["payload"], **payload}
    return {**body, **changes}


def _component(s: Seeded, amount: Any) -> dict[str, Any]:
    return _with(s, payload={"components": [{"order_line_id": s.line_ids["L1"], "component": "principal",
                                             "amount_minor": amount}]})  # fmt: skip


def _note(s: Seeded, text: str) -> bytes:
    body = mutation("note", f"refund_request:{s.request_id}", {"text": "PLACEHOLDER"})
    return json.dumps(body).replace("PLACEHOLDER", text).encode()


def _tracking(events: Any) -> dict[str, Any]:
    return {"method": "POST", "url": "/v1/tracking-events", "json": {"events": events}}


def _chunks(size: int) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        yield b" " * 65536
        sent += 65536


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def _blank_reason(s: Seeded) -> dict[str, Any]:
    body = rejection(s.request_id)
    return {**body, "payload": {**body["payload"], "reason": " "}}


def _get(url: str, **kwargs: Any) -> dict[str, Any]:
    return {"method": "GET", "url": url, **kwargs}


NAIVE = "2026-03-02T10:00:00"
LATE = "9999-12-31T23:59:59-23:59"  # valid ISO 8601, but in year 10000 once in UTC
EVENT = {
    "carrier": "UPS",
    "tracking_number": "1Z1",
    "occurred_at": "2026-03-02T10:00:00Z",
    "status": "delivered",
}

CASES = [
    Case("malformed JSON", 400, "body", lambda s: _json(b'{"mutation_id": ')),
    Case("a JSON array", 400, "body", lambda s: _json([1, 2])),
    Case("not JSON at all", 400, "body", lambda s: _json(b"\xff\xfe garbage")),
    Case("unknown kind", 400, "kind", lambda s: _json(_with(s, kind="refund_everything"))),
    Case("unknown field", 400, "extra", lambda s: _json(_with(s, extra=1))),
    Case("unknown payload field", 400, "payload.bogus", lambda s: _json(_with(s, payload={"bogus": True}))),
    Case("wrong type", 400, "payload.components.0.amount_minor", lambda s: _json(_component(s, "twelve"))),
    Case("a float amount", 400, "payload.components.0.amount_minor", lambda s: _json(_component(s, 12.5))),
    Case("negative amount", 400, "payload.components.0.amount_minor", lambda s: _json(_component(s, -1))),
    Case("absurd amount", 400, "payload.components.0.amount_minor", lambda s: _json(_component(s, 10**13))),
    Case("no mutation id", 400, "mutation_id", lambda s: _json(_without(_ok(s), "mutation_id"))),
    Case("bad mutation id", 400, "mutation_id", lambda s: _json(_with(s, mutation_id="not-a-uuid"))),
    Case("bad target", 400, "target", lambda s: _json(_with(s, target="refund_request:abc"))),
    Case("kind and target differ", 400, "target", lambda s: _json(_with(s, target=f"return:{s.request_id}"))),
    Case("rejection without reason", 400, "payload", lambda s: _json(_blank_reason(s))),
    Case(
        "naive decided_at",
        400,
        "payload.decided_at",
        lambda s: _json(_with(s, payload={"decided_at": NAIVE})),
    ),
    Case("negative base_version", 400, "base_version", lambda s: _json(_with(s, base_version=-1))),
    Case("NUL in text", 400, "payload.text", lambda s: _json(_note(s, "a\\u0000b"))),
    Case("lone surrogate", 400, "payload.text", lambda s: _json(_note(s, "a\\ud800b"))),
    Case("no Idempotency-Key", 400, "Idempotency-Key", lambda s: _json(_ok(s), key=None)),
    Case("long Idempotency-Key", 400, "Idempotency-Key", lambda s: _json(_ok(s), key="k" * 65)),
    Case("Idempotency-Key with a space", 400, "Idempotency-Key", lambda s: _json(_ok(s), key="a b")),
    Case("body over 1 MiB", 413, "body", lambda s: _json(b"[" + b"0," * 600_000 + b"0]")),
    Case("chunked body over 1 MiB", 413, "body", lambda s: {**_json(b""), "content": _chunks(1_200_000)}),
    Case("bad limit", 400, "limit", lambda s: _get("/v1/changes", params={"limit": "ten"})),
    Case("long key in path", 400, "idempotency_key", lambda s: _get("/v1/mutations/" + "k" * 65)),
    Case("no events", 400, "events", lambda s: _tracking([])),
    Case("bad status", 400, "events.0.status", lambda s: _tracking([{**EVENT, "status": "teleported"}])),
    Case("neither status nor code", 400, "events.0", lambda s: _tracking([_without(EVENT, "status")])),
    Case(
        "naive occurred_at",
        400,
        "events.0.occurred_at",
        lambda s: _tracking([{**EVENT, "occurred_at": NAIVE}]),
    ),
    Case("NUL in a scan", 400, "events.0.location", lambda s: _tracking([{**EVENT, "location": "a\x00b"}])),
    Case(
        "a scan after 9999",
        400,
        "events.0.occurred_at",
        lambda s: _tracking([{**EVENT, "occurred_at": LATE}]),
    ),
    Case(
        "a decision after 9999",
        400,
        "payload.decided_at",
        lambda s: _json(_with(s, payload={"decided_at": LATE})),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_a_4xx_naming_the_field_and_stores_nothing(shop: Shop, case: Case) -> None:
    seeded = shop.seed()
    changes_before = shop.change_count()
    request = case.build(seeded)
    response = shop.client.request(**request)
    assert response.status_code == case.status, response.text
    body = response.json()
    assert body["field"] == case.field, body
    assert body["error"] == ("payload_too_large" if case.status == 413 else "bad_request")
    assert body["message"]
    assert shop.change_count() == changes_before
    with shop.db.reading() as session:
        for model in (IdempotencyKey, MutationRecord):
            stored = session.execute(
                select(func.count()).select_from(model).where(model.seller_id == shop.seller_id)  # type: ignore[attr-defined]
            ).scalar_one()
            assert stored == 0, model.__name__
    assert shop.changes().status_code == 200  # and the server is still fine


def test_unknown_paths_and_methods_answer_with_an_error_body(shop: Shop) -> None:
    missing = shop.client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"
    wrong = shop.client.delete("/v1/changes")
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "bad_request"


def test_a_good_request_after_the_bad_ones_still_works(shop: Shop) -> None:
    seeded = shop.seed()
    key = str(uuid.uuid4())
    assert shop.post(_ok(seeded), key=key).status_code == 201
    assert isinstance(shop.client, httpx.Client)
