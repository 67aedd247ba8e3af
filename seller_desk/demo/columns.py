"""Tables as columns: numpy arrays (or pooled strings) that become row tuples one chunk at a time.

The generators produce integer codes; text appears only here, by indexing an object array of the
vocabulary (its last slot is None, so code -1 means NULL). A chunk of rows is a `zip` over the
columns' `.tolist()` slices: the cheapest way from numpy to sqlite3's `executemany`, and memory stays
bounded by the chunk, not the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    values: Any = None  # np.ndarray (numbers or codes) or a list / object array of values
    pool: np.ndarray | None = None  # object array of the vocabulary, None last
    nullable: bool = False  # numbers: negative means NULL
    literal: str | None = None  # a constant written into the SQL instead of bound

    def slice(self, lo: int, hi: int) -> list[Any]:
        part = self.values[lo:hi]
        if self.pool is not None:
            result: list[Any] = self.pool[part].tolist()
            return result
        if isinstance(part, list):
            return part
        if part.dtype.kind == "S":  # fixed-width ASCII identifiers; empty means NULL
            boxed = part.astype(f"U{part.dtype.itemsize}").astype(object)
            boxed[part == b""] = None
            return list(boxed.tolist())
        if self.nullable:
            boxed = part.astype(object)
            boxed[part < 0] = None
            return list(boxed.tolist())
        return list(part.tolist())


def compact(values: np.ndarray) -> np.ndarray:
    """The narrowest integer type that holds `values`: the tables keep ~15 M numbers in memory."""
    if values.dtype == bool:
        return values.astype(np.int8)
    if values.dtype.kind not in "iu" or len(values) == 0:
        return values
    lo, hi = int(values.min()), int(values.max())
    for kind in (np.int8, np.int16, np.int32):
        info = np.iinfo(kind)
        if info.min <= lo and hi <= info.max:
            return values.astype(kind, copy=False)
    return values


def number(name: str, values: np.ndarray, *, nullable: bool = False) -> Column:
    return Column(name, values=compact(values), nullable=nullable)


def pooled(name: str, codes: np.ndarray, vocabulary: Sequence[object]) -> Column:
    """Text (or enum values) chosen by integer code; -1 is NULL."""
    words = [getattr(w, "value", w) for w in vocabulary]
    return Column(name, values=compact(codes), pool=np.array([*words, None], dtype=object))


def text(name: str, values: list[Any] | np.ndarray) -> Column:
    """Strings: a list, an object array, or a fixed-width bytes array (b"" is NULL)."""
    return Column(name, values=values)


def constant(name: str, literal: str) -> Column:
    return Column(name, literal=literal)


@dataclass(slots=True)
class Table:
    name: str
    rows: int
    columns: list[Column] = field(default_factory=list)

    def __post_init__(self) -> None:
        for column in self.columns:
            if column.literal is None and len(column.values) != self.rows:
                raise ValueError(
                    f"{self.name}.{column.name}: {len(column.values)} values for {self.rows} rows"
                )

    def insert_sql(self) -> str:
        names = ", ".join(c.name for c in self.columns)
        marks = ", ".join("?" if c.literal is None else c.literal for c in self.columns)
        return f"INSERT INTO {self.name} ({names}) VALUES ({marks})"

    def chunks(self, size: int) -> Iterator[tuple[int, Iterator[tuple[Any, ...]]]]:
        """(rows in chunk, row tuples) per chunk of `size` rows."""
        bound = [c for c in self.columns if c.literal is None]
        for lo in range(0, self.rows, size):
            hi = min(self.rows, lo + size)
            yield hi - lo, zip(*(c.slice(lo, hi) for c in bound), strict=True)
