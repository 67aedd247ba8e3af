"""Demo history: a reproducible, realistic seller history written in bulk (``seller-desk seed``).

``seed_store(store, returns=N, seed=S)`` fills an empty store (or, with ``replace=True``, replaces
its history) with about two years of a marketplace seller's life ending at ``today``: a catalogue,
daily sales, the returned and in-transit orders, returns with carrier timelines, refund requests and
payments, and bench inspections. The same (N, seed, today) always writes the same rows.

Modules, one job each: ``catalogue``/``words``/``markets`` (the world), ``calendar`` (time and
seasons), ``sales`` (demand and which sales come back), ``reasons``/``comments`` (why), ``orders``,
``lifecycle`` (return timelines), ``parcels``/``tracking`` (carrier events), ``inspections``,
``refunds``/``return_refunds``/``extra_refunds``/``refund_lines`` (money), ``stock``, ``history``
(runs the stages), ``tables``/``return_tables``/``columns`` (rows), ``writer``/``helper`` (bulk load),
``replace`` (``--replace`` as a file swap).
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


def _fold_sellable_counts(store: Store) -> None:
    """Count the seeded inspections into the restock plan's kept counts (store/sellable_counts.py)."""
    from seller_desk.store.queries.returns import dbapi
    from seller_desk.store.sellable_counts import catch_up

    with store.writing() as session:
        catch_up(dbapi(session.connection()))


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
    from seller_desk.demo import replace as replacement
    from seller_desk.demo import writer
    from seller_desk.demo.history import generate_rest, generate_sales
    from seller_desk.demo.tables import catalogue_tables, rest_tables

    if returns < 1:
        raise SeedError(f"the number of returns must be at least 1, got {returns}")
    report_progress = progress or _no_progress
    day = today or datetime.now(UTC).date()
    started = time.perf_counter()
    store.engine.dispose()  # our own pooled connections; the load wants the file to itself
    con = writer.connect(store.path)
    try:
        # Fail before minutes of work; the load checks its (empty) target again in its transaction.
        _checker(store, replace)(writer.existing_rows(con), writer.unsent_mutations(con))
    finally:
        con.close()
    stages: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        stages[stage] = now - mark
        mark = now

    parallel = writer.parallel_available(returns)
    # A replace seeds a fresh file and swaps it in at the end (see demo.replace); a first seed writes
    # into the store itself. Either way the target must be empty when the load's transaction begins.
    target = replacement.fresh_store(store.path) if replace else store.path
    lap("prepare replacement")
    try:
        with writer.BulkLoad(
            target, progress=report_progress, check=_checker(store, False), parallel=parallel
        ) as load:
            sales = generate_sales(returns, seed, day, report_progress)
            lap("generate sales")
            load.delegate(catalogue_tables(sales), writer.EARLY_GROUPS)  # written while the rest is generated
            history = generate_rest(sales, report_progress)
            lap("generate the rest")
            tables, meta = rest_tables(history)
            del history, sales
            load.delegate([t for t in tables if t.name in writer.HELPER_TABLES], writer.HELPER_GROUPS)
            lap("tables")
            report = load.finish([t for t in tables if t.name not in writer.HELPER_TABLES], meta)
        if replace:
            replacement.swap(target, store.path)
        _fold_sellable_counts(store)
    except writer.LoadError as exc:
        raise SeedError(str(exc)) from exc
    finally:
        if replace:
            replacement.discard(target)  # after a swap there is nothing left to discard
    seconds = time.perf_counter() - started
    stages.update(report.seconds)
    log.info(
        "seeded %s (%s) in %.1f s: %s",
        store.path,
        "2 processes" if report.parallel else "1 process",
        seconds,
        ", ".join(f"{k} {v:.2f}s" for k, v in stages.items()),
    )
    return {
        "returns": returns,
        "seed": seed,
        "today": day.isoformat(),
        "seconds": round(seconds, 3),
        "rows": report.rows,
    }
