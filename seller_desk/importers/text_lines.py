"""Report files as numbered lines of text, streamed, whatever their encoding.

Seller Central files come as UTF-8 (with or without a byte-order mark) or, when downloaded without a
declared charset, ISO-8859-1/cp1252 (AMAZON.md §1); some files even mix them after being edited by
hand. So each line is decoded on its own: UTF-8 first (which almost never decodes Latin-1 text by
accident), then cp1252, then ISO-8859-1, which decodes any byte. Lines end in LF or CRLF.

Reading is by line from a buffered binary file: memory stays flat with the file's size, and
``position`` (bytes consumed) drives a progress bar.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

BOM = b"\xef\xbb\xbf"
ENCODINGS = ("utf-8", "cp1252", "latin-1")


def decode_line(raw: bytes) -> str:
    """One line's bytes as text: UTF-8, else cp1252, else ISO-8859-1 (never fails)."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


class TextLines:
    """Numbered, decoded lines of a binary stream (1-based, as an editor shows them)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.position = 0

    @classmethod
    def open(cls, path: Path) -> TextLines:
        return cls(path.open("rb", buffering=1 << 20))

    def close(self) -> None:
        self._stream.close()

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for number, raw in enumerate(self._stream, start=1):
            self.position += len(raw)
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
            yield number, decode_line(raw).rstrip("\r\n")
