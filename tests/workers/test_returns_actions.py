"""The Returns screen's acts as Op functions, run directly on real SQLite stores (no Qt needed)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from seller_desk.domain.enums import ConditionGrade, Disposition
from seller_desk.paths import DB_FILENAME
from seller_desk.store.evidence import EvidenceRefused
from seller_desk.store.migrate import open_store
from seller_desk.store.outbox import MutationRefused
from seller_desk.store.push_queue import claim_due, mark_retry
from seller_desk.store.uow import Store
from seller_desk.workers import OpContext
from seller_desk.workers.returns_actions import (
    Act,
    InspectionEntry,
    add_note,
    keep_evidence,
    load_inspection_subject,
    receive_returns,
    record_inspection,
    undo_act,
    undo_blocker,
)
from tests.fixtures.returns_data import seed_returns

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data" / DB_FILENAME)
    seed_returns(opened, 300)
    yield opened
    opened.close()


@pytest.fixture
def ctx(store: Store) -> OpContext:
    return OpContext(store, threading.Event())


def ids_in(store: Store, status: str, n: int) -> list[int]:
    with store.reading() as s:
        rows = s.execute(
            text("SELECT id FROM returns WHERE status = :s ORDER BY id LIMIT :n"), {"s": status, "n": n}
        )
        found = [int(r[0]) for r in rows]
    assert len(found) == n, f"the seed has fewer than {n} {status} returns"
    return found


def scalar(store: Store, sql: str, **params: object) -> object:
    with store.reading() as s:
        return s.execute(text(sql), params).scalar()


def test_receive_many_is_one_transaction_per_return_and_names_each_refusal(
    ctx: OpContext, store: Store
) -> None:
    waiting = ids_in(store, "in_transit", 3)
    closed = ids_in(store, "closed", 1)
    summary = receive_returns(ctx, [*waiting, *closed], "bench")
    assert [rid for rid, _rma, _m in summary.received] == waiting
    assert len(summary.refused) == 1 and "closed; it cannot be received now" in summary.refused[0]
    assert summary.text().startswith("3 received, 1 refused: return ")
    for rid in waiting:
        assert scalar(store, "SELECT status FROM returns WHERE id = :i", i=rid) == "received"
    assert scalar(store, "SELECT count(*) FROM mutations") == 3
    assert scalar(store, "SELECT count(*) FROM outbox") == 3
    assert scalar(store, "SELECT status FROM returns WHERE id = :i", i=closed[0]) == "closed"


def test_inspection_is_refused_before_the_form_when_not_received(ctx: OpContext, store: Store) -> None:
    (rid,) = ids_in(store, "in_transit", 1)
    with pytest.raises(MutationRefused, match="record its receipt before inspecting it"):
        load_inspection_subject(ctx, rid)


def test_inspection_with_photos_keeps_copies_and_their_paths_in_the_payload(
    ctx: OpContext, store: Store, tmp_path: Path
) -> None:
    (rid,) = ids_in(store, "in_transit", 1)
    receive_returns(ctx, [rid], "bench")
    subject = load_inspection_subject(ctx, rid)
    assert subject.status == "received" and len(subject.lines) == 1
    line = subject.lines[0]
    assert line.sku and line.title and line.quantity >= 1
    original = tmp_path / "IMG_0001.png"
    original.write_bytes(PNG)
    entry = InspectionEntry(
        line.return_line_id, line.sku, ConditionGrade.DAMAGED, Disposition.CLAIM, " box crushed ",
        (str(original), str(original)),
    )  # fmt: skip
    kept = keep_evidence(ctx, rid, [entry])
    (path,) = kept[0].photos
    assert Path(path).parent == store.path.parent / "evidence" / str(rid)
    original.unlink()  # the record must survive the original moving away
    assert Path(path).read_bytes() == PNG
    act = record_inspection(ctx, rid, kept, "bench")
    payload = json.loads(
        str(scalar(store, "SELECT payload FROM mutations WHERE id = :m", m=act.mutation_ids[0]))
    )
    assert payload["lines"][0]["photos"] == [path]
    assert payload["lines"][0]["note"] == "box crushed"
    assert payload["lines"][0]["condition"] == "damaged" and payload["lines"][0]["disposition"] == "claim"
    assert scalar(store, "SELECT status FROM returns WHERE id = :i", i=rid) == "inspected"
    assert json.loads(str(scalar(store, "SELECT photos FROM inspections WHERE return_id = :i", i=rid))) == [
        path
    ]


def test_a_file_that_is_not_an_image_is_refused_by_name(ctx: OpContext, store: Store, tmp_path: Path) -> None:
    fake = tmp_path / "invoice.png"
    fake.write_bytes(b"%PDF-1.7 not a picture")
    entry = InspectionEntry(None, "SKU-1", ConditionGrade.GOOD, Disposition.RESTOCK, "", (str(fake),))
    with pytest.raises(EvidenceRefused, match=r"invoice\.png: not an image"):
        keep_evidence(ctx, 1, [entry])
    assert not (store.path.parent / "evidence").exists()


def test_note_is_recorded_and_an_empty_one_refused(ctx: OpContext, store: Store) -> None:
    (rid,) = ids_in(store, "delivered", 1)
    act = add_note(ctx, rid, "  customer called: box was wet  \n", "bench")
    assert scalar(store, "SELECT text FROM notes WHERE mutation_id = :m", m=act.mutation_ids[0]) == (
        "customer called: box was wet"
    )
    with pytest.raises(MutationRefused, match="the note is empty"):
        add_note(ctx, rid, " \n ", "bench")
    with pytest.raises(MutationRefused, match=r"payload\.text"):
        add_note(ctx, rid, "x" * 5001, "bench")


def test_undo_while_queued_takes_back_the_whole_act(ctx: OpContext, store: Store) -> None:
    waiting = ids_in(store, "in_transit", 2)
    summary = receive_returns(ctx, waiting, "bench")
    act = Act("receipt of two", tuple(m for _r, _rma, m in summary.received))
    assert undo_blocker(ctx, act) is None
    undo_act(ctx, act, "bench")
    assert scalar(store, "SELECT count(*) FROM mutations") == 0
    assert scalar(store, "SELECT count(*) FROM outbox") == 0
    for rid in waiting:
        assert scalar(store, "SELECT status FROM returns WHERE id = :i", i=rid) == "in_transit"
        assert scalar(store, "SELECT received_at FROM returns WHERE id = :i", i=rid) is None
    assert undo_blocker(ctx, act) == "the receipt of two is no longer queued here"


def test_undo_after_a_send_attempt_is_refused_with_the_reason(ctx: OpContext, store: Store) -> None:
    (rid,) = ids_in(store, "in_transit", 1)
    summary = receive_returns(ctx, [rid], "bench")
    act = Act("receipt", (summary.received[0][2],))
    now = datetime.now(UTC)
    with store.writing() as s:
        assert [c.mutation_id for c in claim_due(s, now, limit=10)] == list(act.mutation_ids)
    assert undo_blocker(ctx, act) == "the receipt was already sent (sending)"
    with store.writing() as s:  # the answer was lost: queued again, same key, one attempt made
        assert mark_retry(s, act.mutation_ids[0], now, "timed out")
    assert undo_blocker(ctx, act) == "the receipt was already sent once and may have reached the backend"
    with pytest.raises(MutationRefused, match="already sent once"):
        undo_act(ctx, act, "bench")
    assert scalar(store, "SELECT status FROM returns WHERE id = :i", i=rid) == "received"
    assert scalar(store, "SELECT count(*) FROM outbox") == 1
