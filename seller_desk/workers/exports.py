"""Exports as background work: the rows are read and written on the I/O lane, progress comes back.

The I/O lane has its own connection, so a long export (a million returns: seconds) never holds up the
DB lane the list pages through; cancelling stops between progress steps and leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from seller_desk.exports.returns import export_returns
from seller_desk.store.queries.returns import ReturnsFilter, dbapi
from seller_desk.workers.ops import OpContext, Progress


def export_returns_op(
    ctx: OpContext, f: ReturnsFilter, path: Path, total: int
) -> Generator[Progress, None, int]:
    """The returns ``f`` selects to ``path``; yields ``Progress(done, total)``; returns the count."""
    steps = export_returns(dbapi(ctx.connection()), f, path)
    while True:
        try:
            done = next(steps)
        except StopIteration as finished:
            return int(finished.value)
        yield Progress(done, total, f"Exporting to {path.name}")
