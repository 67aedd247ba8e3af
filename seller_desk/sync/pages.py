"""Reading a ``GET /v1/changes`` page straight into per-table rows, fast, and all-or-nothing.

The client asks for ``format=tabular`` (``wire.ChangesTable``): per entity, the column names once and
each row as a JSON array already in the mirror table's column order, so a row needs no per-field work
at all and the per-page checks run over whole columns with C-level ``map``/``set`` calls. Decoding that
with orjson is about six times cheaper than the JSON objects form with the standard library, which was
the largest cost of a full re-pull (measured by ``python -m seller_desk.bench sync_pull``). A backend
that ignores ``format`` answers the objects form (``wire.ChangesPage``), which is read as below; the
two are told apart by their fields.

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

import gc
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson

from seller_desk.store.mirror import SPECS, MirrorSpec, TableBatch
from seller_desk.wire import ENTITIES

_PAGE_FIELDS = frozenset({"changes", "next_cursor", "has_more"})
_TABLE_FIELDS = frozenset({"entities", "next_cursor", "has_more"})
_GROUP_FIELDS = frozenset({"entity", "columns", "seq", "id", "rows"})
_INT = {int}
_KEY_TYPES = {int, str}
_ROW_TYPES = {list, type(None)}


class MalformedPage(ValueError):
    """The page does not have the protocol's shape; nothing of it was applied."""


@dataclass(frozen=True, slots=True)
class _Entity:
    table: str
    spec: MirrorSpec
    getter: itemgetter[Any]
    width: int
    written: list[str]  # the tabular form's columns: ``columns`` then ``server_version`` if the table has it


def _entity(table: str) -> _Entity:
    spec = SPECS[table]
    written = [*spec.columns, "server_version"] if spec.has_version else list(spec.columns)
    return _Entity(table, spec, itemgetter(*spec.columns), len(spec.columns), written)


_ENTITIES: dict[str, _Entity] = {entity: _entity(table) for entity, table in ENTITIES.items()}


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


def _decode(content: bytes | str) -> Any:
    """``orjson.loads`` with the cyclic garbage collector paused for the call.

    A page of 5,000 changes is ~10,000 new lists; allocated during the call, they set off a dozen young
    collections and, every few pages, a full one over the whole heap, and none can find anything (the
    page is still being built, and JSON has no cycles): ~0.5 s of a 1M-change pull. Other threads are
    hardly affected: ``orjson.loads`` never releases the GIL, so they cannot run (nor allocate) during
    the call; at worst one of their collections is deferred by a few milliseconds. The collector is
    switched back on only if it was on, and on every path out (a bad page included).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise MalformedPage(f"the changes page is not JSON: {exc}") from None
    finally:
        if enabled:
            gc.enable()


def parse_page(content: bytes | str) -> ParsedPage:
    """Decode and check a changes page (either form); raise ``MalformedPage`` naming the first problem."""
    doc = _decode(content)
    tabular = isinstance(doc, dict) and doc.keys() == _TABLE_FIELDS
    if not tabular and (not isinstance(doc, dict) or doc.keys() != _PAGE_FIELDS):
        got = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
        raise MalformedPage(
            f"a changes page has exactly {sorted(_PAGE_FIELDS)} (or {sorted(_TABLE_FIELDS)}), got {got}"
        )
    changes = doc["entities"] if tabular else doc["changes"]
    next_cursor, has_more = doc["next_cursor"], doc["has_more"]
    if not isinstance(changes, list) or not isinstance(next_cursor, str) or not isinstance(has_more, bool):
        raise MalformedPage(
            "'changes' (or 'entities') must be a list, 'next_cursor' a string and 'has_more' a boolean"
        )
    if tabular:
        tables, count, last = _read_tabular(changes)
        return ParsedPage(tables, next_cursor, has_more, count, last)
    return _read_objects(changes, next_cursor, has_more)


def _read_objects(changes: list[Any], next_cursor: str, has_more: bool) -> ParsedPage:
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


def _read_tabular(groups: list[Any]) -> tuple[dict[str, TableBatch], int, int]:
    """The ``ChangesTable`` form: (tables, change count, highest seq). Checks run column by column."""
    tables: dict[str, TableBatch] = {}
    count = last = 0
    for index, group in enumerate(groups):
        where = f"entity group {index}"
        if not isinstance(group, dict) or group.keys() != _GROUP_FIELDS:
            got = sorted(group) if isinstance(group, dict) else type(group).__name__
            raise MalformedPage(f"{where}: has exactly {sorted(_GROUP_FIELDS)}, got {got}")
        name, columns, seqs, ids, rows = (group[k] for k in ("entity", "columns", "seq", "id", "rows"))
        entity = _ENTITIES.get(name) if isinstance(name, str) else None
        if entity is None:
            raise MalformedPage(f"{where}: unknown entity {name!r}")
        where = f"entity group {index} ({name})"
        if columns != entity.written:
            raise MalformedPage(f"{where}: columns {columns!r} are not the mirror's {entity.written}")
        if not (isinstance(seqs, list) and isinstance(ids, list) and isinstance(rows, list)):
            raise MalformedPage(f"{where}: 'seq', 'id' and 'rows' must be lists")
        if not len(seqs) == len(ids) == len(rows):
            raise MalformedPage(f"{where}: 'seq', 'id' and 'rows' differ in length")
        if not seqs:
            continue
        if not set(map(type, seqs)) <= _INT or min(seqs) < 1:
            raise MalformedPage(f"{where}: every seq must be a positive integer")
        if not set(map(type, ids)) <= _KEY_TYPES:
            raise MalformedPage(f"{where}: every id must be an integer or a string")
        kinds = set(map(type, rows))
        if not kinds <= _ROW_TYPES:
            raise MalformedPage(f"{where}: every row must be an array (an upsert) or null (a delete)")
        batch = tables.get(entity.table)
        if batch is None:
            batch = tables[entity.table] = TableBatch()
        if list in kinds:
            _check_rows([row for row in rows if row is not None], entity, where)
        if type(None) in kinds:  # deletes among them: apply change by change, in page order
            for key, row in zip(ids, rows, strict=True):
                if row is None:
                    try:
                        batch.deletes[key] = _key(entity.spec, key)
                    except (TypeError, ValueError) as exc:
                        raise MalformedPage(f"{where}: delete key {key!r}: {exc}") from None
                    batch.upserts.pop(key, None)
                else:
                    batch.upserts[key] = row
                    batch.deletes.pop(key, None)
        else:
            batch.upserts.update(zip(ids, rows, strict=True))  # last change of a row wins
            if batch.deletes:
                for key in ids:
                    batch.deletes.pop(key, None)
        count += len(seqs)
        last = max(last, max(seqs))
    return tables, count, last


def _check_rows(rows: list[list[Any]], entity: _Entity, where: str) -> None:
    width = len(entity.written)
    if set(map(len, rows)) != {width}:
        raise MalformedPage(f"{where}: every row must have {width} values, one per column")
    if entity.spec.has_version and not set(map(type, map(itemgetter(width - 1), rows))) <= _INT:
        raise MalformedPage(f"{where}: server_version must be an integer in every row")
