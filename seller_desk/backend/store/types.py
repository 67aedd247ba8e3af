"""Column types shared by the backend's tables.

Timestamps are integer epoch seconds (UTC), the form the change feed sends and the desktop stores, so
a row goes from SQL to the wire without reformatting and compares the same on SQLite and PostgreSQL.
They are BIGINT: 32-bit seconds end in 2038, within the life of a refund ledger. Python code sees
timezone-aware UTC ``datetime`` objects only. Enums are stored by value with no CHECK constraint, so a
new member needs no migration (the same rule as the desktop store).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Dialect, Enum, Integer
from sqlalchemy.types import TypeDecorator, TypeEngine

# A 64-bit integer key that is still SQLite's rowid alias (only "INTEGER PRIMARY KEY" autoincrements).
BigId: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")

MAX_ID = 2**63 - 1
"""The largest key a BIGINT holds: ids above it are unknown without asking the database (which would
fail on PostgreSQL with an out-of-range error rather than answer "no such row")."""


class EpochSeconds(TypeDecorator[datetime]):
    """Aware UTC ``datetime`` in Python, BIGINT epoch seconds in SQL."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        return None if value is None else to_epoch(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromtimestamp(int(value), UTC)


def to_epoch(value: datetime) -> int:
    """Epoch seconds of an aware datetime (naive ones are a programming error here)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: the backend stores UTC-aware times only")
    return int(value.timestamp())


def str_enum(enum_cls: type[StrEnum]) -> Enum:
    """A StrEnum stored as its value in a VARCHAR(32), without a CHECK constraint."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
