"""Cursors are opaque to clients but exact for us: they round-trip, and anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seller_desk.backend.feed.cursor import BadCursor, Snapshot, Tail, decode, encode

EPOCH = "0123456789abcdef"
seqs = st.integers(0, 2**63 - 1)


@given(seq=seqs)
def test_tail_cursors_round_trip(seq: int) -> None:
    text = encode(EPOCH, Tail(seq))
    assert decode(EPOCH, text) == Tail(seq)
    assert text.isascii() and "=" not in text and "/" not in text and "+" not in text


@given(bound=seqs, rank=st.integers(0, 14), seq=seqs)
def test_snapshot_cursors_round_trip(bound: int, rank: int, seq: int) -> None:
    assert decode(EPOCH, encode(EPOCH, Snapshot(bound, rank, seq))) == Snapshot(bound, rank, seq)


def test_a_cursor_from_another_epoch_is_refused() -> None:
    with pytest.raises(BadCursor, match="another database"):
        decode("ffffffffffffffff", encode(EPOCH, Tail(5)))


@given(text=st.text(max_size=300))
def test_arbitrary_text_is_either_a_cursor_or_bad_cursor(text: str) -> None:
    try:
        position = decode(EPOCH, text)
    except BadCursor:
        return
    assert encode(EPOCH, position) == text.rstrip("=")
