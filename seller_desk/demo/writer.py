"""Bulk load: raw sqlite3, one transaction, indexes dropped and rebuilt, a second core for big seeds.

Measured on the 2-core target (ARCHITECTURE.md and this module's own runs): `executemany` into an
index-free table is ~4x faster than into an indexed one and SQLAlchemy paths are slower still, so the
seed writes through the driver. Secondary indexes of the seeded tables (names from the models'
metadata, DDL from the file itself, so what is rebuilt is exactly what the migration made) are
dropped first and recreated at the end, which also re-validates the unique ones.

Binding Python values is the bottleneck (~0.1-0.2 µs per value), so for big seeds a forked child
writes half of the tables into a scratch file next to the store while this process writes the other
half and builds their indexes; the child's tables are then copied in with `INSERT ... SELECT`, which
runs in C. During the load the connection uses a rollback journal instead of the WAL (measured: the
WAL doubles every page written and made the commit alone take 7 s at 1 M returns), with
`synchronous=OFF` and foreign keys off — the file is not in use by a GUI while seeding, and a failure
still rolls the whole seed back. WAL, `synchronous=FULL` and foreign keys are restored afterwards.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from seller_desk.demo.columns import Table
from seller_desk.store.engine import apply_pragmas
from seller_desk.store.models import Base

# Children before parents, so deletes never dangle even with foreign keys on.
MIRROR_TABLES: tuple[str, ...] = (
    "decisions", "refund_payments", "refund_request_lines", "refund_requests", "inspections", "notes",
    "return_lines", "returns", "tracking_events", "shipments", "order_lines", "orders", "daily_sales",
    "sku_stock", "skus",
)  # fmt: skip
LOCAL_TABLES: tuple[str, ...] = ("conflicts", "outbox", "mutations", "sync_state")
# Written by the helper process in a parallel load (about half of the binding work).
HELPER_TABLES: frozenset[str] = frozenset({
    "daily_sales", "orders", "order_lines", "tracking_events", "return_lines", "inspections",
    "refund_request_lines", "refund_payments",
})  # fmt: skip
PARALLEL_MIN_ROWS = 1_000_000
CHUNK = 100_000
Progress = Callable[[str, int, int], None]


class LoadError(Exception):
    """The load failed or the store is not in a state the seeder may write to."""


@dataclass(slots=True)
class LoadReport:
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    parallel: bool = False


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)
    apply_pragmas(con)
    return con


def existing_rows(con: sqlite3.Connection) -> dict[str, int]:
    return {t: int(con.execute(f"SELECT count(*) FROM main.{t}").fetchone()[0]) for t in MIRROR_TABLES}


def unsent_mutations(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT count(*) FROM mutations WHERE status IN ('queued', 'sending', 'conflict')")
    return int(row.fetchone()[0])


def index_ddl(con: sqlite3.Connection, tables: Iterable[str]) -> list[tuple[str, str, str]]:
    """(table, name, CREATE INDEX sql) of the models' secondary indexes on `tables`, as the file has them."""
    found = dict(
        con.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    )
    result: list[tuple[str, str, str]] = []
    for table in tables:
        for name in sorted(str(ix.name) for ix in Base.metadata.tables[table].indexes):
            if name in found:
                result.append((table, name, found[name]))
    return result


def _insert(con: sqlite3.Connection, table: Table, schema: str = "main") -> None:
    sql = table.insert_sql().replace("INSERT INTO ", f"INSERT INTO {schema}.", 1)
    for _, rows in table.chunks(CHUNK):
        con.executemany(sql, rows)


def _helper(aux: Path, ddl: list[str], tables: list[Table]) -> None:
    """Child process: write `tables` into the scratch file `aux` (no journal, no fsync: it is scratch)."""
    try:
        con = sqlite3.connect(aux, isolation_level=None)
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -65536")
        con.execute("BEGIN")
        for sql in ddl:
            con.execute(sql)
        for table in tables:
            _insert(con, table)
        con.execute("COMMIT")
        con.close()
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        raise


def _remove(aux: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{aux}{suffix}").unlink(missing_ok=True)


def _use_helper(tables: list[Table], parallel: bool | None) -> bool:
    if parallel is None:
        parallel = sum(t.rows for t in tables) >= PARALLEL_MIN_ROWS
    return parallel and "fork" in multiprocessing.get_all_start_methods()


class _Clock:
    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.seconds[stage] = self.report.seconds.get(stage, 0.0) + now - self.last
        self.last = now


def load(
    path: Path,
    tables: list[Table],
    meta: dict[str, str],
    *,
    replace: bool,
    progress: Progress,
    check: Callable[[dict[str, int], int], None],
    parallel: bool | None = None,
) -> LoadReport:
    """Write `tables` (and `meta` into app_meta) into the store at `path` in one transaction."""
    report = LoadReport(parallel=_use_helper(tables, parallel))
    clock = _Clock(report)
    helper_tables = [t for t in tables if report.parallel and t.name in HELPER_TABLES]
    own_tables = [t for t in tables if t not in helper_tables]
    aux = path.with_name(path.name + ".seed-scratch")
    _remove(aux)
    child = None
    if helper_tables:
        probe = sqlite3.connect(path)
        try:
            ddl = [
                probe.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (t.name,)
                ).fetchone()[0]
                for t in helper_tables
            ]
        finally:
            probe.close()
        child = multiprocessing.get_context("fork").Process(target=_helper, args=(aux, ddl, helper_tables))
        child.start()  # before this process opens the store: the child inherits no connection
    con = connect(path)
    attached = False
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -131072")
        con.execute("PRAGMA temp_store = MEMORY")
        con.execute("PRAGMA journal_mode = DELETE")  # stays WAL if another connection has the file open
        if child is not None:
            con.execute("ATTACH DATABASE ? AS scratch", (str(aux),))
            attached = True
        # Deferred, then a write at once: IMMEDIATE would also lock the attached scratch file.
        con.execute("BEGIN")
        con.execute("DELETE FROM app_meta WHERE key = 'demo_seed'")
        check(existing_rows(con), unsent_mutations(con))
        if replace:
            for name in MIRROR_TABLES + LOCAL_TABLES:
                con.execute(f"DELETE FROM main.{name}")
        ddl_all = index_ddl(con, MIRROR_TABLES)
        for _, name, _ in ddl_all:
            con.execute(f"DROP INDEX main.{name}")
        clock("prepare")
        total, done = sum(t.rows for t in tables), 0
        for table in own_tables:
            _insert(con, table)
            done += table.rows
            clock(f"insert {table.name}")
            progress("writing", done, total)
        own_names = {t.name for t in own_tables}
        _build_indexes(con, [d for d in ddl_all if d[0] in own_names or d[0] not in HELPER_TABLES], progress)
        clock("indexes")
        if child is not None:
            child.join()
            clock("wait for helper")
            if child.exitcode != 0:
                raise LoadError(
                    f"the parallel writer failed (exit code {child.exitcode}); nothing was written"
                )
            con.execute("SELECT count(*) FROM scratch.sqlite_master").fetchone()
            for table in helper_tables:
                con.execute(f"INSERT INTO main.{table.name} SELECT * FROM scratch.{table.name}")
                done += table.rows
                clock(f"copy {table.name}")
                progress("writing", done, total)
            _build_indexes(con, [d for d in ddl_all if d[0] in {t.name for t in helper_tables}], progress)
            clock("indexes")
        report.rows = {t.name: t.rows for t in tables}
        con.executemany("INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)", meta.items())
        con.execute("PRAGMA analysis_limit = 1000")
        con.execute("ANALYZE")
        clock("analyze")
        con.execute("COMMIT")
        clock("commit")
        progress("done", 1, 1)
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        if child is not None and child.is_alive():
            child.terminate()
            child.join()
        raise
    finally:
        if attached:
            con.execute("DETACH DATABASE scratch")
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA foreign_keys = ON")
        con.close()
        _remove(aux)
    return report


def _build_indexes(con: sqlite3.Connection, ddl: list[tuple[str, str, str]], progress: Progress) -> None:
    for i, (_, _, sql) in enumerate(ddl, start=1):
        con.execute(sql)
        if i % 6 == 0 or i == len(ddl):
            progress("indexing", i, len(ddl))
