"""Demo history: a reproducible, realistic seller history written in bulk (``seller-desk seed``).

``seed_store(store, returns=N, seed=S)`` fills an empty store (or, with ``replace=True``, replaces
its history) with about two years of a marketplace seller's life ending at ``today``: a catalogue,
daily sales, the returned and in-transit orders, returns with carrier timelines, refund requests and
payments, and bench inspections. The same (N, seed, today) always writes the same rows.

Modules, one job each: ``catalogue``/``words``/``markets`` (the world), ``calendar`` (time and
seasons), ``sales`` (demand and which sales come back), ``reasons``/``comments`` (why), ``orders``,
``lifecycle`` (return timelines), ``parcels``/``tracking`` (carrier events), ``inspections``,
``refunds``/``return_refunds``/``extra_refunds``/``refund_lines`` (money), ``stock``, ``history``
(runs the stages), ``tables``/``return_tables``/``columns`` (rows), ``writer`` (bulk load).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from seller_desk.store.uow import Store

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


class SeedError(Exception):
    """The store cannot be seeded as asked; the message says why and what to do."""


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _checker(store: Store, replace: bool) -> Callable[[dict[str, int], int], None]:
    def check(rows: dict[str, int], unsent: int) -> None:
        if replace:
            if unsent:
                raise SeedError(
                    f"{store.path} has {unsent:,} local change(s) not yet synced (decisions, notes or "
                    "inspections); --replace would orphan them. Sync first, then seed again."
                )
            return
        if rows.get("returns"):
            raise SeedError(
                f"{store.path} already holds {rows['returns']:,} returns; pass --replace to overwrite"
            )
        filled = {table: count for table, count in rows.items() if count}
        if filled:
            table, count = next(iter(filled.items()))
            raise SeedError(
                f"{store.path} already holds data ({table}: {count:,} rows); pass --replace to overwrite"
            )

    return check


def seed_store(
    store: Store,
    *,
    returns: int,
    seed: int = 1,
    replace: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Write a demo history of `returns` returns into `store`; returns a summary for the CLI."""
    from seller_desk.demo.history import generate
    from seller_desk.demo.tables import build_tables
    from seller_desk.demo.writer import LoadError, connect, existing_rows, load, unsent_mutations

    if returns < 1:
        raise SeedError(f"the number of returns must be at least 1, got {returns}")
    report_progress = progress or _no_progress
    day = today or datetime.now(UTC).date()
    started = time.perf_counter()
    check = _checker(store, replace)
    store.engine.dispose()  # our own pooled connections; the load wants the file to itself
    con = connect(store.path)
    try:
        check(existing_rows(con), unsent_mutations(con))
    finally:
        con.close()
    history = generate(returns, seed, day, report_progress)
    generated = time.perf_counter()
    tables, meta = build_tables(history)
    del history
    built = time.perf_counter()
    try:
        report = load(store.path, tables, meta, replace=replace, progress=report_progress, check=check)
    except LoadError as exc:
        raise SeedError(str(exc)) from exc
    seconds = time.perf_counter() - started
    stages = {"generate": generated - started, "tables": built - generated, **report.seconds}
    log.info("seeded %s: %s", store.path, ", ".join(f"{k} {v:.2f}s" for k, v in stages.items()))
    return {
        "returns": returns,
        "seed": seed,
        "today": day.isoformat(),
        "seconds": round(seconds, 3),
        "rows": report.rows,
    }
