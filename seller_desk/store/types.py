"""Column types shared by every table.

Timestamps are stored as integer seconds since the Unix epoch, UTC. Integers are a third of the size
of SQLAlchemy's default ISO strings, compare and index fast, cost nothing to generate in bulk (the
seeder and the sync pull write millions), and cannot be misread in another time zone. Python code only
ever sees timezone-aware ``datetime`` objects in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Dialect, Enum, Integer
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC ``datetime`` in Python, epoch seconds in SQL."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Seller Desk stores UTC-aware times only")
        return int(value.timestamp())

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.fromtimestamp(int(value), UTC)


def to_epoch(value: datetime) -> int:
    """The stored form of a timestamp, for Core and raw-SQL paths that bypass the type."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: Seller Desk stores UTC-aware times only")
    return int(value.timestamp())


def from_epoch(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(int(value), UTC)


def str_enum(enum_cls: type[StrEnum]) -> Enum:
    """Store a StrEnum by its *value* (the documented wire word), with no CHECK constraint, so a new
    member needs no migration and raw SQL reads the same words the CLI prints."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
