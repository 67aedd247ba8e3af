"""Receiving at the bench by whatever key is on the parcel (``store/receiving.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.receiving import ReceiveRefused, find_returns, receive_by_key
from seller_desk.store.uow import Store
from tests.fixtures.returns_data import seed_returns


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / DB_FILENAME)
    seed_returns(opened, 400)
    yield opened
    opened.close()


def one(store: Store, query: str, **params: object) -> tuple[object, ...]:
    with store.reading() as session:
        row = session.execute(text(query), params).first()
    assert row is not None, query
    return tuple(row)


def count(store: Store, query: str) -> int:
    with store.reading() as session:
        return int(session.execute(text(query)).scalar_one())


def waiting(store: Store) -> tuple[int, str, str, str]:
    """A return in transit that has a tracking number."""
    row = one(
        store,
        "SELECT id, rma, tracking_number, order_id FROM returns WHERE status = 'in_transit' "
        "AND tracking_number IS NOT NULL ORDER BY id LIMIT 1",
    )
    return int(row[0]), str(row[1]), str(row[2]), str(row[3])  # type: ignore[call-overload]


def written(store: Store) -> tuple[int, int, int]:
    return (
        count(store, "SELECT count(*) FROM mutations"),
        count(store, "SELECT count(*) FROM outbox"),
        count(store, "SELECT count(*) FROM returns WHERE status = 'received'"),
    )


@pytest.mark.parametrize("which", ["rma", "tracking", "tracking lower-cased", "order id", "padded rma"])
def test_any_key_on_the_parcel_receives_its_return_once(store: Store, which: str) -> None:
    return_id, rma, tracking, order_id = waiting(store)
    key = {
        "rma": rma,
        "tracking": tracking,
        "tracking lower-cased": tracking.lower(),
        "order id": order_id,
        "padded rma": f"  {rma}\n",  # a scanner's trailing newline
    }[which]
    before = written(store)
    with store.writing() as session:
        done = receive_by_key(session, key, user="bench")
    assert (done.return_id, done.rma) == (return_id, rma)
    assert written(store) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert one(store, "SELECT status, received_at IS NOT NULL FROM returns WHERE id = :i", i=return_id) == (
        "received",
        1,
    )
    assert one(
        store, "SELECT kind, target, status, created_by FROM mutations WHERE id = :m", m=done.mutation_id
    ) == (
        "return_received",
        f"return:{return_id}",
        "queued",
        "bench",
    )
    with (
        pytest.raises(ReceiveRefused, match=rf"nothing to receive \({rma} is received\)"),
        store.writing() as s,
    ):
        receive_by_key(s, key, user="bench")
    assert written(store) == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_an_order_id_naming_two_waiting_parcels_is_refused_with_their_rmas(store: Store) -> None:
    first_id, first_rma, _tracking, order_id = waiting(store)
    second_id, second_rma = one(
        store, "SELECT id, rma FROM returns WHERE status = 'delivered' AND id != :i LIMIT 1", i=first_id
    )
    with store.writing() as session:
        session.execute(
            text("UPDATE returns SET order_id = :o WHERE id = :i"), {"o": order_id, "i": second_id}
        )
    before = written(store)
    with pytest.raises(ReceiveRefused) as refused, store.writing() as session:
        receive_by_key(session, order_id, user=None)
    message = str(refused.value)
    assert "2 returns awaiting receipt" in message and first_rma in message and second_rma in message
    assert "scan the parcel's RMA or tracking number" in message
    assert written(store) == before
    with store.writing() as session:  # the RMA still picks one of them
        assert receive_by_key(session, str(second_rma), user=None).return_id == second_id


@pytest.mark.parametrize("key", ["NO-SUCH-KEY", "   ", ""])
def test_a_key_naming_nothing_is_refused_and_writes_nothing(store: Store, key: str) -> None:
    before = written(store)
    with (
        pytest.raises(ReceiveRefused, match="no return has this RMA, tracking number or order id"),
        store.writing() as s,
    ):
        receive_by_key(s, key, user=None)
    assert written(store) == before


def test_a_closed_return_says_its_status(store: Store) -> None:
    rma = one(store, "SELECT rma FROM returns WHERE status = 'closed' LIMIT 1")[0]
    with pytest.raises(ReceiveRefused, match=f"{rma} is closed"), store.writing() as session:
        receive_by_key(session, str(rma), user=None)


def test_find_returns_matches_each_column_and_spelling(store: Store) -> None:
    return_id, rma, tracking, order_id = waiting(store)
    with store.reading() as session:
        for key in (rma, tracking, tracking.lower(), order_id):
            assert return_id in [m.id for m in find_returns(session, key)], key
        assert find_returns(session, "") == []
