"""The one path by which the backend writes a mirrored row: row and change in one transaction.

Opening a ``FeedWriter`` locks the seller's row (``FOR NO KEY UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already holds the only write lock). Every transaction that appends a seller's
changes therefore runs alone for that seller, so ``changes.seq`` is allocated in commit order within
the seller: a desktop that has read up to seq N can never later find a change below N that was still
uncommitted when it read. The lock also orders every other lock a writer takes (seller first, then
rows), so writers of one seller cannot deadlock.

Each write bumps ``server_version`` and appends one ``changes`` row carrying the whole row as the
desktop stores it (``entities.EntitySpec.data``). A write that changes nothing appends nothing, so
re-ingesting the same upstream record is silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from seller_desk.backend.feed.entities import SPECS, EntitySpec, wire_value
from seller_desk.backend.store.models import ChangeRow, Seller

_INSERT_CHANGE = insert(ChangeRow.metadata.tables["changes"])


class UnknownSeller(LookupError):
    pass


class FeedWriter:
    """Writes of one seller's mirrored rows within one transaction (the caller commits)."""

    def __init__(self, session: Session, seller_id: int, now: datetime) -> None:
        self.session = session
        # Core statements on Core tables go straight to the connection: the ORM's execute path added
        # a third to the cost of each of the handful of statements a mutation writes.
        self._connection = session.connection()
        self.seller_id = seller_id
        self.now = now
        self.appended = 0

    @classmethod
    def open(cls, session: Session, seller_id: int, now: datetime) -> FeedWriter:
        """Lock the seller (see the module docstring) and return a writer for it."""
        found = session.execute(
            select(Seller.id).where(Seller.id == seller_id).with_for_update(key_share=True)
        ).scalar_one_or_none()
        if found is None:
            raise UnknownSeller(f"no seller with id {seller_id}")
        return cls(session, seller_id, now)

    # -- reads under lock ------------------------------------------------------------------------
    def find(self, entity: str, where: Mapping[str, Any], *, lock: bool = True) -> RowMapping | None:
        """This seller's row of ``entity`` matching ``where`` (column -> value), locked for update."""
        table = SPECS[entity].table
        clauses = [table.c.seller_id == self.seller_id, *(table.c[k] == v for k, v in where.items())]
        stmt = select(table).where(and_(*clauses))
        if lock:
            stmt = stmt.with_for_update()
        return self._connection.execute(stmt).mappings().one_or_none()

    # -- writes ----------------------------------------------------------------------------------
    def insert(self, entity: str, values: Mapping[str, Any]) -> RowMapping:
        spec = SPECS[entity]
        # Values as parameters, not baked into the statement: the statement's cache key stays the same
        # from row to row, so it compiles once (bulk ingest spends most of its time here otherwise).
        stmt = insert(spec.table).returning(*spec.table.columns)
        params = {**values, "seller_id": self.seller_id, "server_version": 1}
        row = self._connection.execute(stmt, params).mappings().one()
        self._append(spec, row, "upsert")
        return row

    @staticmethod
    def differences(row: RowMapping, values: Mapping[str, Any]) -> dict[str, Any]:
        """The entries of ``values`` that differ from ``row`` as the feed would show them."""
        return {k: v for k, v in values.items() if wire_value(row[k]) != wire_value(v)}

    def update(self, entity: str, row: RowMapping, values: Mapping[str, Any]) -> RowMapping:
        """Write the columns of ``values`` that differ from ``row``; nothing at all when none do."""
        spec = SPECS[entity]
        changed = self.differences(row, values)
        if not changed:
            return row
        table = spec.table
        stmt = (
            update(table)
            .where(table.c.id == row["id"], table.c.seller_id == self.seller_id)
            .values(**changed, server_version=table.c.server_version + 1)
            .returning(*table.columns)
        )
        new_row = self._connection.execute(stmt).mappings().one()
        self._append(spec, new_row, "upsert")
        return new_row

    def upsert(self, entity: str, key: Mapping[str, Any], values: Mapping[str, Any]) -> RowMapping:
        """Insert the row with natural key ``key``, or update it to ``values``."""
        existing = self.find(entity, key)
        if existing is None:
            return self.insert(entity, {**key, **values})
        return self.update(entity, existing, values)

    def delete(self, entity: str, row: RowMapping) -> None:
        spec = SPECS[entity]
        table = spec.table
        self._connection.execute(
            delete(table).where(table.c.id == row["id"], table.c.seller_id == self.seller_id)
        )
        self._insert_change(spec, spec.entity_id(row), int(row["server_version"]) + 1, "delete", None)

    # -- the change log --------------------------------------------------------------------------
    def _append(self, spec: EntitySpec, row: RowMapping, op: str) -> None:
        self._insert_change(spec, spec.entity_id(row), int(row["server_version"]), op, spec.data(row))

    def _insert_change(
        self, spec: EntitySpec, entity_id: str, version: int, op: str, data: dict[str, Any] | None
    ) -> None:
        self._connection.execute(
            _INSERT_CHANGE,
            {
                "seller_id": self.seller_id,
                "entity": spec.name,
                "entity_id": entity_id,
                "rank": spec.rank,
                "version": version,
                "op": op,
                "data": data,
                "created_at": self.now,
            },
        )
        self.appended += 1
