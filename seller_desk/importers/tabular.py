"""Tab-separated reports: the header row mapped to our field names, each data row to a dict by name.

Headers are matched whatever their case, spaces, dashes or underscores (``Order ID``, ``order-id``),
through a table of aliases per field (``Seller RMA ID`` for ``Merchant RMA ID``, ``amazon-order-id``
for ``order-id``). A row shorter than the header is padded (the trailing SafeT and refund fields are
often missing); a row longer than it is an error, since its fields can no longer be told apart.
Columns we do not read are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from seller_desk.importers.vocabulary import squash


@dataclass(frozen=True, slots=True)
class Header:
    """Where each field sits in a row, and what the file calls it (for error messages)."""

    positions: dict[str, int]
    names: dict[str, str]
    width: int

    @classmethod
    def read(cls, line: str, aliases: Mapping[str, Iterable[str]]) -> Header:
        cells = line.split("\t")
        by_spelling = {squash(cell): index for index, cell in enumerate(cells) if cell.strip()}
        positions: dict[str, int] = {}
        names: dict[str, str] = {}  # as the file spells each column
        for field, spellings in aliases.items():
            names[field] = next(iter(spellings), field)  # Amazon's spelling, for a missing column
            for spelling in (field, *spellings):
                index = by_spelling.get(squash(spelling))
                if index is not None:
                    positions[field] = index
                    names[field] = cells[index].strip()
                    break
        return cls(positions, names, len(cells))

    def missing(self, required: Iterable[str]) -> list[str]:
        return [field for field in required if field not in self.positions]

    def column(self, field: str) -> str:
        """The column as the file spells it (the field's own name when the file lacks it)."""
        return self.names.get(field, field)

    def cells(self, line: str) -> dict[str, str] | None:
        """The row's fields by name (blank when the row is short); None when the row is too long."""
        cells = line.split("\t")
        if len(cells) > self.width and any(c.strip() for c in cells[self.width :]):
            return None
        count = len(cells)
        return {field: cells[i] if i < count else "" for field, i in self.positions.items()}
