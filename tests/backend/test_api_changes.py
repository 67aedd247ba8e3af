"""GET /v1/changes: paging, bootstrap snapshots, and 410 must_refetch (design/SYNC.md)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from seller_desk.backend.feed.compaction import compact
from seller_desk.backend.ingest import set_refund_state
from seller_desk.domain.enums import RefundState
from seller_desk.wire import ENTITIES
from tests.backend.live import LiveBackend
from tests.backend.shop import Shop, approval, now

RANK = {name: rank for rank, name in enumerate(ENTITIES)}


def test_a_fresh_seller_has_an_empty_feed(shop: Shop) -> None:
    page = shop.changes().json()
    assert page["changes"] == []
    assert page["has_more"] is False
    assert shop.changes(page["next_cursor"]).json()["changes"] == []


def test_pages_follow_the_cursor_in_seq_order_without_gaps_or_repeats(shop: Shop) -> None:
    for _ in range(3):
        shop.seed(with_return=True)
    everything, cursor = shop.pull_all()
    seqs, pages, cursor = [], 0, None
    while True:
        page = shop.changes(cursor, limit=4).json()
        pages += 1
        assert len(page["changes"]) <= 4
        seqs.extend(c["seq"] for c in page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert pages >= 5
    assert len(seqs) == len(set(seqs)) == len(everything)
    tail = shop.changes(cursor).json()
    assert tail == {"changes": [], "next_cursor": cursor, "has_more": False}

    seeded = shop.seed()
    fresh = shop.changes(cursor).json()
    assert fresh["changes"]
    assert min(c["seq"] for c in fresh["changes"]) > max(seqs)
    assert [c["seq"] for c in fresh["changes"]] == sorted(c["seq"] for c in fresh["changes"])
    assert ("refund_request", seeded.request_id) in {(c["entity"], c["id"]) for c in fresh["changes"]}


def test_bootstrap_sends_the_latest_version_of_each_row_parents_first(shop: Shop) -> None:
    seeded = shop.seed(with_return=True)
    line = seeded.line_ids["L1"]
    assert shop.post(approval(seeded.request_id, [(line, "principal", 500)])).status_code == 201
    with shop.writer() as writer:
        set_refund_state(writer, seeded.request_id, RefundState.SUBMITTED)
    changes, _ = shop.pull_all(limit=2)  # pages of two: the parent-first order must hold across pages
    keys = [(c["entity"], c["id"]) for c in changes]
    assert len(keys) == len(set(keys)), "a bootstrap sends each row once"
    ranks = [RANK[c["entity"]] for c in changes]
    assert ranks == sorted(ranks)
    request = next(c for c in changes if c["entity"] == "refund_request")
    assert request["data"]["state"] == "submitted"
    assert request["version"] == request["data"]["server_version"] == 3


def test_has_more_and_the_limit_bounds(shop: Shop) -> None:
    shop.seed()
    page = shop.changes(limit=1).json()
    assert len(page["changes"]) == 1
    assert page["has_more"] is True
    for bad in (0, 5001, -1):
        response = shop.changes(limit=bad)
        assert response.status_code == 400
        assert response.json()["field"] == "limit"
    assert shop.changes(limit=5000).status_code == 200


def _cursor(epoch: str, text: str) -> str:
    return base64.urlsafe_b64encode(f"1.{epoch}.{text}".encode()).decode().rstrip("=")


def _epoch(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(".")[1]


@pytest.mark.parametrize("make", [
    lambda epoch: "garbage!!",
    lambda epoch: _cursor("0000000000000000", "t.0"),
    lambda epoch: _cursor(epoch, "t.99999999999"),
    lambda epoch: _cursor(epoch, "x.1"),
    lambda epoch: _cursor(epoch, "s.1.2"),
    lambda epoch: "",
    lambda epoch: "\u00e9t\u00e9",
])  # fmt: skip
def test_unusable_cursors_are_410_must_refetch(shop: Shop, make: object) -> None:
    epoch = _epoch(shop.changes().json()["next_cursor"])
    assert callable(make)
    response = shop.changes(make(epoch))
    assert response.status_code == 410, response.text
    assert response.json()["error"] == "must_refetch"
    assert response.json()["field"] == "cursor"


def test_compaction_keeps_the_latest_change_per_row_and_refuses_older_cursors(
    backend: LiveBackend, shop: Shop
) -> None:
    seeded = shop.seed()
    early_cursor = shop.changes(limit=1).json()["next_cursor"]  # mid-bootstrap
    before, tail_cursor = shop.pull_all()
    assert (
        shop.post(approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 700)])).status_code == 201
    )
    with shop.writer() as writer:
        set_refund_state(writer, seeded.request_id, RefundState.SUBMITTED)
        set_refund_state(writer, seeded.request_id, RefundState.COMPLETED)
    full_log = shop.change_count()
    later = now() + timedelta(days=30)
    report = compact(backend.db, cutoff=later, now=later, seller_id=shop.seller_id)
    assert report.sellers == 1
    assert report.changes_removed >= 3
    assert shop.change_count() == full_log - report.changes_removed

    for stale in (early_cursor, tail_cursor):
        gone = shop.changes(stale)
        assert gone.status_code == 410
        assert "compacted" in gone.json()["message"]
    rebuilt, cursor = shop.pull_all()
    by_key = {(c["entity"], c["id"]): c for c in rebuilt}
    assert len(by_key) == len(rebuilt)
    request = by_key[("refund_request", seeded.request_id)]
    assert request["data"]["state"] == "completed"
    assert request["data"]["refunded_minor"] == 700
    assert {k for k in by_key} >= {(c["entity"], c["id"]) for c in before}
    assert shop.changes(cursor).status_code == 200
