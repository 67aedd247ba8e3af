"""The shared walk of a tab-separated report: find the header, then read each data row into a record,
collecting every problem of the row (not only the first) as ``RowError``s with line and column.

A file whose header lacks a required column is refused as a whole, with one error naming the missing
columns: none of its rows could be read correctly. Blank lines are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import ClassVar, TypeVar

from seller_desk.importers.fields import FieldError
from seller_desk.importers.records import MAX_LENGTH, MAX_TITLE, ReturnItem, RowError
from seller_desk.importers.tabular import Header

T = TypeVar("T")


class FileRefused(Exception):
    """The file as a whole cannot be read (wrong or missing header, unreadable XML)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


class FieldReader:
    """Reads the fields of one row, turning each ``FieldError`` into a ``RowError`` for its column."""

    __slots__ = ("_errors", "_header", "_line", "_row", "failed")

    def __init__(self, line: int, row: Mapping[str, str], header: Header, errors: list[RowError]) -> None:
        self._line, self._row, self._header, self._errors = line, row, header, errors
        self.failed = False

    def fail(self, field: str, message: str) -> None:
        self.failed = True
        self._errors.append(RowError(self._line, self._header.column(field), message))

    def optional(self, field: str, parse: Callable[[str], T]) -> T | None:
        raw = self._row.get(field)
        if not raw or raw.isspace():
            return None
        try:
            return parse(raw)
        except FieldError as exc:
            self.fail(field, str(exc))
            return None

    def required(self, field: str, parse: Callable[[str], T]) -> T | None:
        raw = self._row.get(field)
        if not raw or raw.isspace():
            self.fail(field, "required, but empty")
            return None
        try:
            return parse(raw)
        except FieldError as exc:
            self.fail(field, str(exc))
            return None


class RowReader:
    """Subclasses name their aliases and required fields and build a record from a row."""

    aliases: ClassVar[Mapping[str, Iterable[str]]]
    required: ClassVar[tuple[str, ...]]

    def __init__(self) -> None:
        self.header: Header | None = None

    def reader(self, line: int, row: Mapping[str, str], errors: list[RowError]) -> FieldReader:
        assert self.header is not None
        return FieldReader(line, row, self.header, errors)

    def item(self, line: int, row: dict[str, str], errors: list[RowError]) -> ReturnItem | None:
        raise NotImplementedError

    def rows(self, lines: Iterable[tuple[int, str]]) -> Iterator[tuple[ReturnItem | None, list[RowError]]]:
        """Per data row: its record (None when rejected) and its errors."""
        for number, text in lines:
            if not text.strip():
                continue
            if self.header is None:
                self.header = Header.read(text, self.aliases)
                missing = self.header.missing(self.required)
                if missing:
                    names = ", ".join(self.header.column(m) for m in missing)
                    raise FileRefused(RowError(number, None, f"the header lacks required columns: {names}"))
                continue
            row = self.header.cells(text)
            if row is None:
                width = self.header.width
                found = len(text.split("\t"))
                yield None, [RowError(number, None, f"the row has {found} fields, the header {width}")]
                continue
            errors: list[RowError] = []
            yield self.checked(self.item(number, row, errors), errors), errors

    # The reader field each record attribute comes from, for naming the column of a too-long value.
    SOURCE: ClassVar[dict[str, str]] = {"tracking_number": "tracking", "reason_raw": "reason"}

    def checked(self, item: ReturnItem | None, errors: list[RowError]) -> ReturnItem | None:
        """``item`` when every identifier fits its column (see ``MAX_LENGTH``), its title cut to fit."""
        if item is None:
            return None
        assert self.header is not None
        for attribute, limit in MAX_LENGTH.items():
            value = getattr(item, attribute)
            if value is not None and len(value) > limit:
                column = self.header.column(self.SOURCE.get(attribute, attribute))
                errors.append(RowError(item.line, column, f"longer than {limit} characters ({len(value)})"))
        if errors:
            return None
        if item.title is not None and len(item.title) > MAX_TITLE:
            return replace(item, title=item.title[: MAX_TITLE - 1] + "…")
        return item
