"""The tabular changes page (``format=tabular``) decodes to exactly what the objects form does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seller_desk.backend.feed.encoding import FeedChange, FeedPage, encode_objects, encode_tabular
from seller_desk.sync.pages import MalformedPage, ParsedPage, parse_page
from tests.sync.fakes import make_row


def _order(row_id: int, version: int, currency: str = "USD") -> dict[str, Any]:
    return make_row(
        "orders", id=row_id, order_id=f"111-{row_id}", marketplace="US", channel="MFN", purchased_at=5,
        currency=currency, server_version=version,
    )  # fmt: skip


def _note(row_id: int, text: str) -> dict[str, Any]:
    return make_row("notes", id=row_id, target_kind="order", target_id="1", text=text, created_at=1)


def _sales(sku: str) -> dict[str, Any]:
    return make_row("daily_sales", sku=sku, day=20000, marketplace="US", channel="FBA", units=3)


MIXED = [  # upserts, a row changed twice, deletes before and after upserts of the same row
    FeedChange(1, "order", "1", 1, "upsert", _order(1, 1)),
    FeedChange(2, "note", "7", 1, "upsert", _note(7, "first")),
    FeedChange(3, "order", "2", 1, "upsert", _order(2, 1)),
    FeedChange(4, "order", "1", 2, "upsert", _order(1, 2, "EUR")),
    FeedChange(5, "note", "7", 2, "delete", None),
    FeedChange(6, "note", "8", 1, "delete", None),
    FeedChange(7, "note", "8", 2, "upsert", _note(8, "back")),
    FeedChange(8, "daily_sales", "SKU-1|20000|US|FBA", 1, "upsert", _sales("SKU-1")),
    FeedChange(9, "daily_sales", "SKU-2|20000|US|FBA", 1, "delete", None),
]


def _comparable(parsed: ParsedPage) -> dict[str, Any]:
    return {
        "tables": {
            name: ({k: tuple(v) for k, v in batch.upserts.items()}, dict(batch.deletes))
            for name, batch in parsed.tables.items()
        },
        "page": (parsed.next_cursor, parsed.has_more, parsed.count, parsed.last_seq),
    }


@pytest.mark.parametrize("changes", [MIXED, MIXED[:4], [c for c in MIXED if c.op == "upsert"], []])
def test_both_forms_decode_to_the_same_rows(changes: list[FeedChange]) -> None:
    page = FeedPage(changes, "cursor-9", True)
    objects, tabular = parse_page(encode_objects(page)), parse_page(encode_tabular(page))
    assert _comparable(tabular) == _comparable(objects)
    if changes is MIXED:
        orders = tabular.tables["orders"].upserts
        assert tuple(orders[1])[-1] == 2 and "EUR" in tuple(orders[1])  # the last change of a row wins
        assert tabular.tables["notes"].deletes == {7: (7,)} and 8 in tabular.tables["notes"].upserts
        assert tabular.tables["daily_sales"].deletes == {"SKU-2|20000|US|FBA": ("SKU-2", 20000, "US", "FBA")}


def _table(**group: Any) -> bytes:
    base = json.loads(encode_tabular(FeedPage(MIXED[:4], "c", False)))
    base["entities"][0].update(group)
    return json.dumps(base).encode()


def _orders_group() -> dict[str, Any]:
    return dict(json.loads(encode_tabular(FeedPage(MIXED[:1], "c", False)))["entities"][0])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (_table(entity="planet"), "unknown entity 'planet'"),
        (_table(columns=["id"]), "columns"),
        (_table(seq=[1, 0, 3]), "positive integer"),
        (_table(seq=[1, "4", 3]), "positive integer"),
        (_table(seq=[1, True, 3]), "positive integer"),
        (_table(seq=[1, 3]), "differ in length"),
        (_table(id=[1, [1], 1]), "integer or a string"),
        (_table(rows=[[1], [2], [3]]), "values, one per column"),
        (_table(rows="rows"), "must be lists"),
        (_table(rows=[{"id": 1}, None, None]), "array .* or null"),
        (_table(colour="red"), "exactly"),
        (json.dumps({"entities": [["order"]], "next_cursor": "c", "has_more": False}).encode(), "group 0"),
        (json.dumps({"entities": {}, "next_cursor": "c", "has_more": False}).encode(), "must be a list"),
        (json.dumps({"entities": [], "next_cursor": "c", "has_more": False, "x": 1}).encode(), "exactly"),
    ],
)
def test_a_malformed_tabular_page_is_refused_whole(content: bytes, words: str) -> None:
    with pytest.raises(MalformedPage, match=words):
        parse_page(content)


def test_a_version_that_is_not_an_integer_is_refused() -> None:
    group = _orders_group()
    group["rows"][0][-1] = "2"
    content = json.dumps({"entities": [group], "next_cursor": "c", "has_more": False}).encode()
    with pytest.raises(MalformedPage, match="server_version must be an integer"):
        parse_page(content)


def test_a_delete_key_with_the_wrong_parts_is_refused() -> None:
    bad = FeedPage([FeedChange(1, "daily_sales", "SKU-1|x|US|FBA", 1, "delete", None)], "c", False)
    with pytest.raises(MalformedPage, match="delete key"):
        parse_page(encode_tabular(bad))
