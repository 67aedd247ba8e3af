"""Opaque cursors of the change feed.

A cursor is where a desktop stands in its seller's feed, plus the database's epoch:

* ``Tail(seq)``: every change up to ``seq`` has been delivered; the next page starts after it.
* ``Snapshot(bound, rank, seq)``: a bootstrap in progress. A first pull (no cursor) does not replay
  the whole log: it sends the latest version of each row as of ``bound`` (the newest seq when the
  bootstrap began), entity by entity in ``wire.ENTITIES`` order (parents before children, so the
  desktop's foreign keys hold across page boundaries), then continues as ``Tail(bound)``.

The text is URL-safe base64 of ``1.<epoch>.t.<seq>`` or ``1.<epoch>.s.<bound>.<rank>.<seq>``: opaque
to clients, trivially debuggable by us. Anything that does not decode, or carries another database's
epoch, raises ``BadCursor``; the API answers ``410 must_refetch`` so the desktop rebuilds its mirrors
instead of retrying a cursor that can never work.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

_VERSION = "1"
_MAX_CURSOR_LEN = 200


class BadCursor(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Tail:
    seq: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    bound: int
    rank: int
    seq: int


Position = Tail | Snapshot


def encode(epoch: str, position: Position) -> str:
    if isinstance(position, Tail):
        text = f"{_VERSION}.{epoch}.t.{position.seq}"
    else:
        text = f"{_VERSION}.{epoch}.s.{position.bound}.{position.rank}.{position.seq}"
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def decode(epoch: str, cursor: str) -> Position:
    """The position in ``cursor``; ``BadCursor`` if it is malformed or from another epoch."""
    if not cursor or len(cursor) > _MAX_CURSOR_LEN:
        raise BadCursor("the cursor is empty or too long to be one of ours")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError) as exc:
        raise BadCursor("the cursor is not one this backend made") from exc
    parts = raw.split(".")
    if len(parts) < 4 or parts[0] != _VERSION:
        raise BadCursor("the cursor is not one this backend made")
    if parts[1] != epoch:
        raise BadCursor("the cursor comes from another database (epoch differs): pull everything again")
    numbers = _numbers(parts[3:])
    if parts[2] == "t" and len(numbers) == 1:
        return Tail(numbers[0])
    if parts[2] == "s" and len(numbers) == 3:
        return Snapshot(*numbers)
    raise BadCursor("the cursor is not one this backend made")


def _numbers(parts: list[str]) -> list[int]:
    if not all(p.isdigit() and p.isascii() and len(p) <= 19 for p in parts):
        raise BadCursor("the cursor is not one this backend made")
    return [int(p) for p in parts]
