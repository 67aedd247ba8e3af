"""Reading a ``GET /v1/changes`` page straight into per-table rows, fast, and all-or-nothing.

A full re-pull brings millions of changes, so a page is not validated change by change with pydantic
(``ChangesPage`` would build a model object per change, several times slower than the insert itself).
Instead the JSON is decoded once and each change's ``data`` becomes the tuple the table's upsert takes,
with ``operator.itemgetter`` over the mirror's columns. The shape checks that matter are kept and cost
almost nothing: the page's three fields, a known entity, a positive integer ``seq`` (not necessarily
increasing: a bootstrap snapshot sends each row's latest change entity by entity, parents first),
every column present and no unknown one, a valid delete key. Anything else fails the *whole* page
with ``MalformedPage`` before a row is written; values themselves are checked by the table's
constraints, which also fail the page (its transaction rolls back).

Changes apply in page order: within a page the last change of a row wins (an upsert after a delete, a
delete after an upsert), so the per-table bulk writes give the same result as one-by-one application.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from seller_desk.store.mirror import SPECS, MirrorSpec, TableBatch
from seller_desk.wire import ENTITIES

_PAGE_FIELDS = frozenset({"changes", "next_cursor", "has_more"})


class MalformedPage(ValueError):
    """The page does not have the protocol's shape; nothing of it was applied."""


@dataclass(frozen=True, slots=True)
class _Entity:
    table: str
    spec: MirrorSpec
    getter: itemgetter[Any]
    width: int


_ENTITIES: dict[str, _Entity] = {
    entity: _Entity(table, SPECS[table], itemgetter(*SPECS[table].columns), len(SPECS[table].columns))
    for entity, table in ENTITIES.items()
}


@dataclass(frozen=True, slots=True)
class ParsedPage:
    tables: dict[str, TableBatch]
    next_cursor: str
    has_more: bool
    count: int
    last_seq: int


def _key(spec: MirrorSpec, change_id: Any) -> tuple[Any, ...]:
    """The primary-key tuple of a delete: composite keys travel joined with '|'."""
    parts = str(change_id).split("|") if len(spec.pk) > 1 else [change_id]
    if len(parts) != len(spec.pk):
        raise MalformedPage(f"{spec.table}: key {change_id!r} does not have {len(spec.pk)} parts")
    return tuple(kind(part) for kind, part in zip(spec.pk_types, parts, strict=True))


def parse_page(content: bytes | str) -> ParsedPage:
    """Decode and check a changes page; raise ``MalformedPage`` naming the first problem."""
    try:
        doc = json.loads(content)
    except ValueError as exc:
        raise MalformedPage(f"the changes page is not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.keys() != _PAGE_FIELDS:
        got = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
        raise MalformedPage(f"a changes page has exactly {sorted(_PAGE_FIELDS)}, got {got}")
    changes, next_cursor, has_more = doc["changes"], doc["next_cursor"], doc["has_more"]
    if not isinstance(changes, list) or not isinstance(next_cursor, str) or not isinstance(has_more, bool):
        raise MalformedPage("'changes' must be a list, 'next_cursor' a string and 'has_more' a boolean")
    tables: dict[str, TableBatch] = {}
    last = 0
    index = -1
    try:
        for index, change in enumerate(changes):
            seq = change["seq"]
            if type(seq) is not int or seq < 1:
                raise MalformedPage(f"change {index}: seq {seq!r} is not a positive integer")
            if seq > last:
                last = seq
            entity = _ENTITIES[change["entity"]]
            batch = tables.get(entity.table)
            if batch is None:
                batch = tables[entity.table] = TableBatch()
            key = change["id"]
            op = change.get("op", "upsert")
            if op == "upsert":
                data = change["data"]
                row = entity.getter(data)
                size = len(data)
                if size != entity.width and not (
                    entity.spec.has_version and size == entity.width + 1 and "server_version" in data
                ):
                    unknown = sorted(set(data) - set(entity.spec.columns) - {"server_version"})
                    raise MalformedPage(f"change {index}: unknown {entity.table} columns {unknown}")
                if entity.spec.has_version:
                    version = change["version"]
                    if type(version) is not int:
                        raise MalformedPage(f"change {index}: version {version!r} is not an integer")
                    row = (*row, version)
                batch.upserts[key] = row
                if batch.deletes:
                    batch.deletes.pop(key, None)
            elif op == "delete":
                batch.deletes[key] = _key(entity.spec, key)
                batch.upserts.pop(key, None)
            else:
                raise MalformedPage(f"change {index}: op {op!r} is neither 'upsert' nor 'delete'")
    except MalformedPage:
        raise
    except KeyError as exc:
        raise MalformedPage(f"change {index}: missing or unknown {exc.args[0]!r}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise MalformedPage(f"change {index}: {exc}") from None
    return ParsedPage(tables, next_cursor, has_more, len(changes), last)
