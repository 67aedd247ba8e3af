"""The bytes of a changes page, in the two forms ``GET /v1/changes`` offers (``format=``).

``objects`` is the documented default (``wire.ChangesPage``): one JSON object per change, its row in
``data``. ``tabular`` (``wire.ChangesTable``) carries the same changes grouped by entity, each row a
JSON array in the column order named once per entity; the desktop asks for it because decoding it is
several times cheaper (see ``sync/pages.py``).

Both are written straight from the change rows with orjson: a pydantic model per change cost more than
the query that read it, and orjson writes JSON about five times faster than the standard library.
The rows were validated when they were written to the log (``feed.writer``), so nothing is re-checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from seller_desk.backend.feed.entities import SPECS


@dataclass(frozen=True, slots=True)
class FeedChange:
    seq: int
    entity: str
    entity_id: str  # as stored: composite and text keys joined with '|'
    version: int
    op: str
    data: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class FeedPage:
    changes: list[FeedChange]
    next_cursor: str
    has_more: bool


def _tabular_columns(entity: str) -> tuple[tuple[str, ...], bool]:
    """The entity's columns for ``tabular``: the row's, ``server_version`` moved last when it travels."""
    wire = SPECS[entity].wire_columns
    versioned = "server_version" in wire
    columns = tuple(c for c in wire if c != "server_version")
    return ((*columns, "server_version") if versioned else columns), versioned


_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {name: _tabular_columns(name) for name in SPECS}
_INT_KEYS = frozenset(name for name, spec in SPECS.items() if spec.key == ("id",))


def _wire_id(change: FeedChange) -> int | str:
    return int(change.entity_id) if change.entity in _INT_KEYS else change.entity_id


def encode_objects(page: FeedPage) -> bytes:
    """``wire.ChangesPage`` as JSON (the form every client understands)."""
    return orjson.dumps(
        {
            "changes": [
                {
                    "seq": c.seq,
                    "entity": c.entity,
                    "id": _wire_id(c),
                    "version": c.version,
                    "op": c.op,
                    "data": c.data,
                }
                for c in page.changes
            ],
            "next_cursor": page.next_cursor,
            "has_more": page.has_more,
        }
    )


def encode_tabular(page: FeedPage) -> bytes:
    """``wire.ChangesTable`` as JSON: per entity (first-seen order), column names once, rows as arrays."""
    groups: dict[str, dict[str, Any]] = {}
    for change in page.changes:
        group = groups.get(change.entity)
        columns, versioned = _COLUMNS[change.entity]
        if group is None:
            group = groups[change.entity] = {
                "entity": change.entity, "columns": columns, "seq": [], "id": [], "rows": []
            }  # fmt: skip
        group["seq"].append(change.seq)
        group["id"].append(_wire_id(change))
        if change.op == "delete" or change.data is None:
            group["rows"].append(None)
            continue
        data = change.data
        if versioned:
            group["rows"].append([*(data[c] for c in columns[:-1]), change.version])
        else:
            group["rows"].append([data[c] for c in columns])
    return orjson.dumps(
        {"entities": list(groups.values()), "next_cursor": page.next_cursor, "has_more": page.has_more}
    )


def encode(page: FeedPage, page_format: str) -> bytes:
    return encode_tabular(page) if page_format == "tabular" else encode_objects(page)
