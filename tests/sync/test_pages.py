"""A changes page is decoded straight into per-table rows, or refused as a whole."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest

from seller_desk.store.mirror import SPECS
from seller_desk.sync.pages import MalformedPage, parse_page
from tests.sync.fakes import make_row


def note(row_id: int, text: str = "hello") -> dict[str, Any]:
    return make_row("notes", id=row_id, target_kind="order", target_id="1", text=text, created_at=1)


def page(*changes: dict[str, Any], **fields: Any) -> bytes:
    doc = {"changes": list(changes), "next_cursor": "9", "has_more": False, **fields}
    return json.dumps(doc).encode()


def change(
    seq: int, entity: str, row_id: Any, data: dict[str, Any] | None, op: str = "upsert"
) -> dict[str, Any]:
    return {"seq": seq, "entity": entity, "id": row_id, "version": seq, "op": op, "data": data}


def test_rows_become_tuples_in_column_order_with_the_version_appended() -> None:
    order = make_row(
        "orders", id=1, order_id="111", marketplace="US", channel="MFN", purchased_at=5, currency="USD"
    )
    parsed = parse_page(page(change(1, "order", 1, order), change(2, "note", 7, note(7))))
    assert parsed.count == 2 and parsed.last_seq == 2 and parsed.next_cursor == "9" and not parsed.has_more
    assert parsed.tables["orders"].upserts[1] == (*(order[c] for c in SPECS["orders"].columns), 1)
    assert parsed.tables["notes"].upserts[7] == tuple(note(7)[c] for c in SPECS["notes"].columns)


def test_the_last_change_of_a_row_wins() -> None:
    parsed = parse_page(
        page(
            change(1, "note", 7, note(7, "first")),
            change(2, "note", 7, note(7, "second")),
            change(3, "note", 8, note(8)),
            change(4, "note", 8, None, op="delete"),
            change(5, "note", 9, None, op="delete"),
            change(6, "note", 9, note(9, "back")),
        )
    )
    batch = parsed.tables["notes"]
    assert set(batch.upserts) == {7, 9} and batch.upserts[7][SPECS["notes"].columns.index("text")] == "second"
    assert batch.deletes == {8: (8,)}


def test_a_snapshot_page_may_send_seqs_out_of_order() -> None:
    """A bootstrap sends each row's latest change, entity by entity (parents first): seqs jump around."""
    order = make_row(
        "orders", id=1, order_id="1", marketplace="US", channel="MFN", purchased_at=5, currency="USD"
    )
    parsed = parse_page(page(change(40, "order", 1, order), change(3, "note", 7, note(7))))
    assert parsed.last_seq == 40 and set(parsed.tables) == {"orders", "notes"}


def test_composite_keys_of_deletes() -> None:
    parsed = parse_page(page(change(1, "daily_sales", "SKU-1|19000|US|FBA", None, op="delete")))
    assert parsed.tables["daily_sales"].deletes["SKU-1|19000|US|FBA"] == ("SKU-1", 19000, "US", "FBA")


def test_server_version_in_data_is_accepted_and_the_change_version_used() -> None:
    order = make_row(
        "orders", id=1, order_id="1", marketplace="US", channel="MFN", purchased_at=5, currency="USD"
    )
    order["server_version"] = 99
    parsed = parse_page(page(change(3, "order", 1, order)))
    assert parsed.tables["orders"].upserts[1][-1] == 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not JSON"),
        (json.dumps([1, 2]).encode(), "exactly"),
        (json.dumps({"changes": [], "next_cursor": "1"}).encode(), "exactly"),
        (json.dumps({"changes": [], "next_cursor": 1, "has_more": False}).encode(), "string"),
        (page(change(1, "planet", 1, {})), "planet"),
        (page(change(0, "note", 1, note(1))), "seq"),
        (page(change("7", "note", 1, note(1))), "seq"),
        (page(change(1, "note", 1, {**note(1), "colour": "red"})), "colour"),
        (page(change(1, "note", 1, {k: v for k, v in note(1).items() if k != "text"})), "text"),
        (page(change(1, "note", 1, note(1), op="merge")), "merge"),
        (page(change(1, "note", 1, "a string")), "change 0"),
        (page({"seq": 1, "entity": "note", "id": 1, "data": note(1)}, change(2, "order", 1, {})), "change 1"),
        (page(change(1, "daily_sales", "SKU-1|x|US|FBA", None, op="delete")), "change 0"),
        (page(change(1, "daily_sales", "SKU-1|1", None, op="delete")), "parts"),
    ],
)
def test_a_malformed_page_is_refused_whole_with_a_clear_message(content: bytes, words: str) -> None:
    with pytest.raises(MalformedPage, match=words):
        parse_page(content)


def test_decoding_leaves_the_garbage_collector_as_it_found_it() -> None:
    """The collector is paused only inside the decode (sync/pages.py): on after a good page and after a
    page that is not JSON; off stays off (a caller that switched it off keeps it off)."""
    assert gc.isenabled()
    parse_page(page(change(1, "note", 7, note(7))))
    assert gc.isenabled()
    with pytest.raises(MalformedPage, match="not JSON"):
        parse_page(b"{not json")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_page(page(change(1, "note", 7, note(7))))
        assert not gc.isenabled()
    finally:
        gc.enable()
