"""What the feed carries for each entity: the desktop mirror table's columns, and the row's key.

The desktop applies a page with one bulk upsert per table, so a change's ``data`` must hold exactly
that table's columns under the same names, timestamps as epoch seconds, enums as their values. The
backend's tables are the desktop's plus backend-only columns (``seller_id`` everywhere, the import
key of refund requests, a surrogate ``id`` where the desktop keys by SKU, ``server_version`` where
the desktop table has none); those are listed here and left out. A test compares the result with the
desktop's models column by column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Table

from seller_desk.backend.store import models as m
from seller_desk.backend.store.types import to_epoch
from seller_desk.wire import ENTITIES

_NO_VERSION = frozenset({"seller_id", "server_version"})
_BY_SKU = frozenset({"seller_id", "server_version", "id"})


@dataclass(frozen=True, slots=True)
class EntitySpec:
    name: str
    table: Table
    key: tuple[str, ...]  # the desktop table's primary key columns
    backend_only: frozenset[str]
    rank: int  # position in wire.ENTITIES: parents before children

    @property
    def wire_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.columns if c.name not in self.backend_only)

    def entity_id(self, row: Mapping[Any, Any]) -> str:
        return "|".join(str(wire_value(row[name])) for name in self.key)

    def wire_id(self, row: Mapping[Any, Any]) -> int | str:
        """The change's ``id``: the integer key as is, composite or text keys joined with '|'."""
        if self.key == ("id",):
            return int(row["id"])
        return self.entity_id(row)

    def data(self, row: Mapping[Any, Any]) -> dict[str, Any]:
        return {name: wire_value(row[name]) for name in self.wire_columns}


def wire_value(value: Any) -> Any:
    """A column value as the feed sends it (and the desktop stores it)."""
    if isinstance(value, datetime):
        return to_epoch(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _spec(name: str, model: Any, key: tuple[str, ...], backend_only: frozenset[str]) -> EntitySpec:
    table = model.__table__
    assert ENTITIES[name] == table.name, (name, table.name)
    return EntitySpec(name, table, key, backend_only, list(ENTITIES).index(name))


_ID = ("id",)
_WITH_VERSION = frozenset({"seller_id"})

SPECS: Mapping[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        _spec("sku", m.Sku, ("sku",), _BY_SKU),
        _spec("sku_stock", m.SkuStock, ("sku",), _BY_SKU),
        _spec("daily_sales", m.DailySales, ("sku", "day", "marketplace", "channel"), _BY_SKU),
        _spec("order", m.Order, _ID, _WITH_VERSION),
        _spec("order_line", m.OrderLine, _ID, _NO_VERSION),
        _spec("shipment", m.Shipment, _ID, _WITH_VERSION),
        _spec("tracking_event", m.TrackingEvent, _ID, _NO_VERSION),
        _spec("return", m.Return, _ID, _WITH_VERSION),
        _spec("return_line", m.ReturnLine, _ID, _NO_VERSION),
        _spec("inspection", m.Inspection, _ID, _NO_VERSION),
        _spec("note", m.Note, _ID, _NO_VERSION),
        _spec("refund_request", m.RefundRequest, _ID, frozenset({"seller_id", "external_id"})),
        _spec("refund_request_line", m.RefundRequestLine, _ID, _NO_VERSION),
        _spec("refund_payment", m.RefundPayment, _ID, _NO_VERSION),
        _spec("decision", m.Decision, _ID, _WITH_VERSION),
    )
}

assert list(SPECS) == list(ENTITIES), "every wire entity needs a spec, in the wire's order"


def spec_for_table(table_name: str) -> EntitySpec:
    for spec in SPECS.values():
        if spec.table.name == table_name:
            return spec
    raise KeyError(f"{table_name} is not a mirrored table")
