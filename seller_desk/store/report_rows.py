"""Writing imported report items into the mirror tables, a batch at a time, on the raw driver.

Per batch (a few thousand items), each table is read once for the keys the batch names (orders by
order id, returns by RMA, lines by return and SKU, parcels by tracking number), then new rows go in
with one ``executemany`` and changed ones are updated; ids are handed out from the table's maximum,
so no row needs a round trip for its id. Bulk paths use the driver, not ORM objects (ARCHITECTURE.md).

What an import may change on a return it already has: the report's own fields. It never moves a
return back in its life (a report written before the parcel was received does not undo the receipt)
and never touches the seller's own acts (local rows of queued mutations have negative ids).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from seller_desk.domain.enums import Channel, ReturnStatus
from seller_desk.domain.marketplaces import marketplace_for_currency
from seller_desk.domain.reasons import map_reason
from seller_desk.importers.records import UNCATEGORIZED, ReturnItem
from seller_desk.store.queries.trends import monday_of

# How far along its life a status is; terminal outcomes rank above every step, so they always apply.
_RANK = {s: i for i, s in enumerate((
    ReturnStatus.REQUESTED, ReturnStatus.AUTHORIZED, ReturnStatus.IN_TRANSIT, ReturnStatus.DELIVERED,
    ReturnStatus.RECEIVED, ReturnStatus.INSPECTED, ReturnStatus.CLOSED,
))}  # fmt: skip
_TERMINAL = 100
RETURN_COLUMNS = (
    "order_pk", "order_id", "marketplace", "channel", "currency", "status", "sku", "asin", "quantity",
    "reason", "reason_raw", "customer_comment", "in_policy", "requested_at", "week", "authorized_at",
    "delivered_at", "received_at", "inspected_at", "closed_at", "shipment_id", "carrier", "tracking_number",
    "label_type", "label_cost_minor", "label_paid_by", "resolution", "a_to_z_claim", "safet_claim",
    "value_minor",
)  # fmt: skip
_INSERT_RETURN = (
    f"INSERT INTO returns (id, rma, {', '.join(RETURN_COLUMNS)}, tracking_status, server_version) "
    f"VALUES ({', '.join('?' * (len(RETURN_COLUMNS) + 2))}, NULL, 0)"
)
_UPDATE_RETURN = f"UPDATE returns SET {', '.join(c + ' = ?' for c in RETURN_COLUMNS)} WHERE id = ?"
LINE_COLUMNS = ("order_line_id", "sku", "quantity", "reason", "reason_raw", "customer_comment", "in_policy")
_INSERT_LINE = (
    f"INSERT INTO return_lines (id, return_id, {', '.join(LINE_COLUMNS)}) VALUES ({', '.join('?' * 9)})"
)
_UPDATE_LINE = f"UPDATE return_lines SET {', '.join(c + ' = ?' for c in LINE_COLUMNS)} WHERE id = ?"


_INSERT_ORDER_LINE = (
    "INSERT INTO order_lines (id, order_pk, order_item_code, sku, asin, title, quantity, principal_minor, "
    "shipping_minor, tax_minor, shipping_tax_minor, gift_wrap_minor, promotion_minor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)"
)


_RANK_BY_VALUE = {status.value: _RANK.get(status, _TERMINAL) for status in ReturnStatus}


def rank(status: str) -> int:
    return _RANK_BY_VALUE[status]


@lru_cache(maxsize=4096)
def stored_reason(raw: str) -> str | None:
    """The canonical reason stored for a raw code; None for a code no table knows (shown as itself)."""
    mapped = map_reason(raw)
    return mapped.canonical.value if mapped.known else None


@lru_cache(maxsize=65_536)
def _epoch(value: Any) -> int | None:
    """Seconds since the epoch (cached: a report's timestamps are mostly a few hundred dates)."""
    return None if value is None else int(value.timestamp())


def _in(keys: Sequence[Any]) -> str:
    return ", ".join("?" * len(keys))


@dataclass
class Counts:
    imported: int = 0
    updated: int = 0
    skipped: int = 0


class BatchWriter:
    """Upserts report items into one open transaction of ``conn`` (the caller commits or rolls back)."""

    def __init__(self, conn: sqlite3.Connection, default_marketplace: str = "US") -> None:
        self.conn = conn
        self.default_marketplace = default_marketplace
        self.counts = Counts()
        self._next = {t: self._max_id(t) + 1 for t in ("orders", "order_lines", "shipments", "returns",
                                                       "return_lines", "inspections")}  # fmt: skip

    def _max_id(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])

    def _new_id(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def _lookup(self, sql: str, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            found.extend(self.conn.execute(sql.format(_in(chunk)), chunk).fetchall())
        return found

    def write(self, items: Sequence[ReturnItem]) -> None:
        """Upsert a batch (later items with the same RMA and SKU win)."""
        latest = {item.key: item for item in items}
        batch = list(latest.values())
        self._changed_returns: set[str] = set()
        self._skus(batch)
        orders = self._orders(batch)
        order_lines = self._order_lines(batch, orders)
        parcels = self._parcels(batch, orders)
        returns = self._returns(batch, orders, parcels)
        lines = self._return_lines(
            batch, returns, {i.order_id: orders[i.order_id][0] for i in batch}, order_lines
        )
        self._inspections([i for i in batch if i.condition is not None], returns, lines)

    def _skus(self, batch: Iterable[ReturnItem]) -> None:
        """A catalogue entry for each SKU the store has never seen (the list shows its title from it);
        an existing entry, perhaps the seller's real catalogue, is left alone."""
        new = {i.sku: (i.sku, i.asin, i.title or i.sku, i.category or UNCATEGORIZED, i.currency or "USD",
                       i.unit_price_minor) for i in batch}  # fmt: skip
        self.conn.executemany(
            "INSERT OR IGNORE INTO skus (sku, asin, title, category, currency, price_minor, unit_cost_minor) "
            "VALUES (?, ?, ?, ?, ?, ?, 0)",
            list(new.values()),
        )

    def _orders(self, batch: Iterable[ReturnItem]) -> dict[str, tuple[int, str, str]]:
        wanted = {item.order_id: item for item in batch}
        sql = "SELECT order_id, id, marketplace, currency FROM orders WHERE order_id IN ({})"
        known = {r[0]: (int(r[1]), r[2], r[3]) for r in self._lookup(sql, list(wanted))}
        new = []
        for order_id, item in wanted.items():
            if order_id in known:
                continue
            found = marketplace_for_currency(item.currency, self.default_marketplace)
            market, currency = found.code, item.currency or found.currency
            known[order_id] = (self._new_id("orders"), market, currency)
            when = _epoch(item.order_date or item.requested_at)
            new.append((known[order_id][0], order_id, market, item.channel.value, when, currency))
        self.conn.executemany(
            "INSERT INTO orders (id, order_id, marketplace, channel, purchased_at, currency, server_version) "
            "VALUES (?, ?, ?, ?, ?, ?, 0)",
            new,
        )
        return known

    def _order_lines(
        self, batch: Sequence[ReturnItem], orders: dict[str, tuple[int, str, str]]
    ) -> dict[tuple[int, str], int]:
        pks = sorted({orders[i.order_id][0] for i in batch})
        sql = "SELECT order_pk, sku, id FROM order_lines WHERE order_pk IN ({})"
        known = {(int(r[0]), r[1]): int(r[2]) for r in self._lookup(sql, pks)}
        had_lines = {pk for pk, _sku in known}
        new = []
        for item in batch:
            pk = orders[item.order_id][0]
            if (pk, item.sku) in known:
                continue
            known[(pk, item.sku)] = self._new_id("order_lines")
            # The flat file's order amount is the whole order's: it can stand for a line's price only
            # when that line is the order's first and only one we know.
            principal = item.order_amount_minor if pk not in had_lines else 0
            had_lines.add(pk)
            new.append((known[(pk, item.sku)], pk, item.sku, item.sku, item.asin, item.title or item.sku,
                        item.order_quantity or item.quantity, principal or 0))  # fmt: skip
        self.conn.executemany(
            _INSERT_ORDER_LINE,
            new,
        )
        return known

    def _parcels(
        self, batch: Sequence[ReturnItem], orders: dict[str, tuple[int, str, str]]
    ) -> dict[str, int]:
        """Inbound parcels by tracking number (the report's carrier, or "Unknown carrier")."""
        wanted = {i.tracking_number: i for i in batch if i.tracking_number}
        sql = "SELECT tracking_number, id FROM shipments WHERE tracking_number IN ({})"
        known = {r[0]: int(r[1]) for r in self._lookup(sql, list(wanted))}
        new, delivered = [], []
        for number, item in wanted.items():
            status = "delivered" if item.delivered_at else "info_received"
            if number in known:
                if item.delivered_at:
                    delivered.append((_epoch(item.delivered_at), _epoch(item.delivered_at), known[number]))
                continue
            known[number] = self._new_id("shipments")
            new.append((known[number], item.carrier or "Unknown carrier", number, orders[item.order_id][0],
                        status, _epoch(item.delivered_at), _epoch(item.delivered_at)))  # fmt: skip
        self.conn.executemany(
            "INSERT INTO shipments (id, direction, carrier, tracking_number, order_pk, status, delivered_at, "
            "last_event_at, server_version) VALUES (?, 'inbound', ?, ?, ?, ?, ?, ?, 0)",
            new,
        )
        self.conn.executemany(
            "UPDATE shipments SET status = 'delivered', delivered_at = ?, "
            "last_event_at = coalesce(last_event_at, ?) WHERE id = ? AND status != 'delivered'",
            delivered,
        )
        return known

    def _return_values(self, item: ReturnItem, order: tuple[int, str, str], parcel: int | None,
                       old: dict[str, Any] | None) -> tuple[Any, ...]:  # fmt: skip
        status = item.status
        if old is not None and rank(old["status"]) > rank(status):
            status = ReturnStatus(old["status"])  # never back in a return's life
        requested = _epoch(item.requested_at)
        assert requested is not None
        step = rank(status)
        authorized = requested if rank(ReturnStatus.AUTHORIZED) <= step < _TERMINAL else None
        received = _epoch(item.delivered_at) if item.channel is Channel.FBA else None
        value = 0
        if item.order_amount_minor and item.order_quantity:
            value = item.order_amount_minor * min(item.quantity, item.order_quantity) // item.order_quantity
        closed = requested if status in (ReturnStatus.CLOSED, ReturnStatus.RETURNLESS) else None
        keep = old or {}
        return (
            order[0], item.order_id, order[1], item.channel.value, item.currency or order[2], status.value,
            keep.get("sku", item.sku), item.asin, keep.get("quantity", item.quantity),
            stored_reason(item.reason_raw), item.reason_raw, item.customer_comment,
            item.in_policy, requested, monday_of(requested // 86_400),
            keep.get("authorized_at") or authorized, _epoch(item.delivered_at) or keep.get("delivered_at"),
            keep.get("received_at") or received, keep.get("inspected_at") or _epoch(item.inspected_at),
            keep.get("closed_at") or closed, parcel, item.carrier, item.tracking_number, item.label_type,
            item.label_cost_minor, item.label_paid_by.value if item.label_paid_by else None,
            item.resolution.value if item.resolution else None, item.a_to_z_claim, item.safet_claim, value,
        )  # fmt: skip

    def _returns(self, batch: Sequence[ReturnItem], orders: dict[str, tuple[int, str, str]],
                 parcels: dict[str, int]) -> dict[str, int]:  # fmt: skip
        """One return per RMA; its list fields come from its first item (the primary line)."""
        first: dict[str, ReturnItem] = {}
        for item in batch:
            first.setdefault(item.rma, item)
        sql = f"SELECT rma, id, {', '.join(RETURN_COLUMNS)} FROM returns WHERE rma IN ({{}})"
        old = {
            r[0]: dict(zip(("id", *RETURN_COLUMNS), r[1:], strict=True))
            for r in self._lookup(sql, list(first))
        }
        ids: dict[str, int] = {}
        inserts, updates = [], []
        for rma, item in first.items():
            parcel = parcels.get(item.tracking_number or "")
            order = orders[item.order_id]
            before = old.get(rma)
            values = self._return_values(item, order, parcel, before)
            if before is None:
                ids[rma] = self._new_id("returns")
                inserts.append((ids[rma], rma, *values))
                continue
            ids[rma] = int(before["id"])
            if tuple(before[c] for c in RETURN_COLUMNS) != values:
                updates.append((*values, ids[rma]))
                self._changed_returns.add(rma)
        self.conn.executemany(_INSERT_RETURN, inserts)
        self.conn.executemany(_UPDATE_RETURN, updates)
        return ids

    def _return_lines(self, batch: Sequence[ReturnItem], returns: dict[str, int], order_pks: dict[str, int],
                      order_lines: dict[tuple[int, str], int]) -> dict[tuple[int, str], int]:  # fmt: skip
        """Counts per item: imported when its line is new, updated when it or its return changed."""
        sql = f"SELECT return_id, sku, id, {', '.join(LINE_COLUMNS)} FROM return_lines "
        sql += "WHERE return_id IN ({})"
        old = {(int(r[0]), r[1]): r[2:] for r in self._lookup(sql, sorted(set(returns.values())))}
        inserts, updates = [], []
        ids: dict[tuple[int, str], int] = {key: int(row[0]) for key, row in old.items()}
        for item in batch:
            return_id = returns[item.rma]
            values = (order_lines.get((order_pks[item.order_id], item.sku)), item.sku, item.quantity,
                      stored_reason(item.reason_raw),
                      item.reason_raw, item.customer_comment, item.in_policy)  # fmt: skip
            before = old.get((return_id, item.sku))
            if before is None:
                ids[(return_id, item.sku)] = self._new_id("return_lines")
                inserts.append((ids[(return_id, item.sku)], return_id, *values))
                self.counts.imported += 1
            elif tuple(before[1:]) != values or item.rma in self._changed_returns:
                if tuple(before[1:]) != values:
                    updates.append((*values, before[0]))
                self.counts.updated += 1
            else:
                self.counts.skipped += 1
        self.conn.executemany(_INSERT_LINE, inserts)
        self.conn.executemany(_UPDATE_LINE, updates)
        return ids

    def _inspections(self, batch: Sequence[ReturnItem], returns: dict[str, int],
                     lines: dict[tuple[int, str], int]) -> None:  # fmt: skip
        """The fulfilment centre's grading of FBA units: one inspection per return line, kept current."""
        if not batch:
            return
        sql = ("SELECT return_line_id, id, condition, disposition FROM inspections "
               "WHERE mutation_id IS NULL AND return_line_id IN ({})")  # fmt: skip
        keys = [lines[(returns[i.rma], i.sku)] for i in batch]
        old = {int(r[0]): r[1:] for r in self._lookup(sql, keys)}
        inserts, updates = [], []
        for item, line_id in zip(batch, keys, strict=True):
            graded = (str(item.condition), str(item.disposition))
            before = old.get(line_id)
            if before is None:
                inserts.append((self._new_id("inspections"), returns[item.rma], line_id, item.sku, *graded,
                                _epoch(item.inspected_at)))  # fmt: skip
            elif tuple(before[1:]) != graded:
                updates.append((*graded, before[0]))
        self.conn.executemany(
            "INSERT INTO inspections (id, return_id, return_line_id, sku, condition, disposition, note, "
            "inspected_at, inspected_by) "
            "VALUES (?, ?, ?, ?, ?, ?, 'graded by the fulfilment centre', ?, 'Amazon')",
            inserts,
        )
        self.conn.executemany("UPDATE inspections SET condition = ?, disposition = ? WHERE id = ?", updates)
