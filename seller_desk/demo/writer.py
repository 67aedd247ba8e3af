"""Bulk load: raw sqlite3, one transaction, indexes dropped and rebuilt, a second core for big seeds.

Measured on the 2-core target (ARCHITECTURE.md and this module's own runs): `executemany` into an
index-free table is ~4x faster than into an indexed one and SQLAlchemy paths are slower still, so the
seed writes through the driver. Secondary indexes of the seeded tables (names from the models'
metadata, DDL from the file itself, so what is rebuilt is exactly what the migration made) are
dropped first and recreated at the end, which also re-validates the unique ones.

Binding Python values is the bottleneck (~0.1-0.2 µs per value), so for big seeds forked helpers
write about half of the tables into scratch files next to the store — the first one already while
the rest of the history is being generated — while this process writes the other half and builds
their indexes; the helpers' tables are then copied in with `INSERT ... SELECT`, which runs in C.
During the load the connection uses a rollback journal instead of the WAL (measured: the WAL doubles
every page written and made the commit alone take 7 s at 1 M returns), with `synchronous=OFF` and
foreign keys off — the file is not in use by a GUI while seeding, and a failure still rolls the whole
seed back. WAL, `synchronous=FULL` and foreign keys are restored afterwards.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from seller_desk.demo.columns import Table
from seller_desk.demo.helper import Group, grouped, insert, remove, write_groups
from seller_desk.store.engine import apply_pragmas
from seller_desk.store.models import Base

# Children before parents, so deletes never dangle even with foreign keys on.
MIRROR_TABLES: tuple[str, ...] = (
    "decisions", "refund_payments", "refund_request_lines", "refund_requests", "inspections", "notes",
    "return_lines", "returns", "tracking_events", "shipments", "order_lines", "orders", "daily_sales",
    "sku_stock", "skus",
)  # fmt: skip
# What helper processes write in a parallel load, one scratch file per group (SQLite attaches at most
# ten files). The catalogue group is delegated as soon as units sold are final; the rest after the
# history is generated, biggest first, so this process can copy and index them while the helper goes on.
EARLY_GROUPS: tuple[tuple[str, ...], ...] = (("skus", "sku_stock", "daily_sales"),)
HELPER_GROUPS: tuple[tuple[str, ...], ...] = (
    ("tracking_events",), ("refund_request_lines", "refund_payments"), ("orders", "return_lines"),
    ("order_lines",), ("inspections",), ("shipments",), ("refund_requests",),
)  # fmt: skip
HELPER_TABLES: frozenset[str] = frozenset(name for group in HELPER_GROUPS for name in group)
PARALLEL_MIN_RETURNS = 60_000
Progress = Callable[[str, int, int], None]
Check = Callable[[dict[str, int], int], None]


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
    query = "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    found = dict(con.execute(query))
    result: list[tuple[str, str, str]] = []
    for table in tables:
        for name in sorted(str(ix.name) for ix in Base.metadata.tables[table].indexes):
            if name in found:
                result.append((table, name, found[name]))
    return result


def parallel_available(returns: int) -> bool:
    return returns >= PARALLEL_MIN_RETURNS and "fork" in multiprocessing.get_all_start_methods()


class BulkLoad:
    """One seed's load. `delegate` hands tables to a helper (or keeps them, serially); `finish` writes."""

    def __init__(self, path: Path, *, progress: Progress, check: Check, parallel: bool) -> None:
        self.path = path
        self.progress = progress
        self.check = check
        self.parallel = parallel
        self.kept: list[Table] = []
        self.groups: list[Group] = []
        self.report = LoadReport(parallel=parallel)
        self._last = time.perf_counter()

    def __enter__(self) -> BulkLoad:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for process in {id(g.process): g.process for g in self.groups if g.process is not None}.values():
            if process.is_alive():
                process.terminate()
            process.join()
        for group in self.groups:
            remove(group.scratch)

    def _scratch(self, number: int) -> Path:
        """A scratch file next to the store, unique to this process (two seeds never share one)."""
        return self.path.with_name(f"{self.path.name}.seed-scratch-{os.getpid()}-{number}")

    def _clock(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.seconds[stage] = self.report.seconds.get(stage, 0.0) + now - self._last
        self._last = now

    def delegate(self, tables: list[Table], spec: tuple[tuple[str, ...], ...]) -> None:
        """Start a helper process writing `tables` (grouped by `spec`) now; serially, keep them."""
        if not self.parallel:
            self.kept += tables
            return
        started = time.perf_counter()
        groups = [
            Group(group, self._scratch(len(self.groups) + i + 1))
            for i, group in enumerate(grouped(tables, spec))
        ]
        probe = sqlite3.connect(self.path)
        try:
            query = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"
            jobs = []
            for group in groups:
                remove(group.scratch)
                ddl = [probe.execute(query, (t.name,)).fetchone()[0] for t in group.tables]
                jobs.append((group.scratch, ddl, group.tables))
        finally:
            probe.close()
        # Forked before this process opens the store for writing: the child inherits no connection.
        process = multiprocessing.get_context("fork").Process(target=write_groups, args=(jobs,))
        process.start()
        for group in groups:
            group.process = process
        self.groups += groups
        seconds = self.report.seconds
        seconds["start helpers"] = seconds.get("start helpers", 0.0) + time.perf_counter() - started

    def finish(self, own: list[Table], meta: dict[str, str]) -> LoadReport:
        """Write `own` tables (and kept ones), fold in the helpers' tables as they finish, commit."""
        self._last = time.perf_counter()
        mine = self.kept + own
        every = mine + [t for g in self.groups for t in g.tables]
        con = connect(self.path)
        attached: list[str] = []
        try:
            con.execute("PRAGMA foreign_keys = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.execute("PRAGMA cache_size = -131072")
            con.execute("PRAGMA temp_store = MEMORY")
            con.execute("PRAGMA journal_mode = DELETE")  # stays WAL if another connection has the file open
            for i, group in enumerate(self.groups):
                con.execute("ATTACH DATABASE ? AS ?", (str(group.scratch), f"scratch{i}"))
                attached.append(f"scratch{i}")
            # Deferred, then a write at once: IMMEDIATE would also lock the attached scratch files.
            con.execute("BEGIN")
            con.execute("DELETE FROM app_meta WHERE key = 'demo_seed'")
            self.check(existing_rows(con), unsent_mutations(con))
            ddl = index_ddl(con, MIRROR_TABLES)
            for _, name, _ in ddl:
                con.execute(f"DROP INDEX main.{name}")
            self._clock("prepare")
            total, done = sum(t.rows for t in every), 0
            for table in mine:
                insert(con, table)
                done += table.rows
                self._clock(f"insert {table.name}")
                self.progress("writing", done, total)
            helped = {t.name for g in self.groups for t in g.tables}
            indexes = [d for d in ddl if d[0] not in helped]
            waiting = list(zip(attached, self.groups, strict=True))
            built = 0
            # Copy each helper group as soon as it is done, and build indexes in between.
            while waiting or indexes:
                ready = next((w for w in waiting if w[1].done()), None)
                if ready is not None:
                    waiting.remove(ready)
                    schema, group = ready
                    con.execute(f"SELECT count(*) FROM {schema}.sqlite_master").fetchone()
                    for table in group.tables:
                        con.execute(f"INSERT INTO main.{table.name} SELECT * FROM {schema}.{table.name}")
                        done += table.rows
                        self._clock(f"copy {table.name}")
                        self.progress("writing", done, total)
                    indexes += [d for d in ddl if d[0] in {t.name for t in group.tables}]
                elif indexes:
                    table_name, _, sql = indexes.pop(0)
                    con.execute(sql)
                    built += 1
                    self._clock(f"index {table_name}")
                    if built % 6 == 0 or not (waiting or indexes):
                        self.progress("indexing", built, len(ddl))
                else:
                    self._wait([g for _, g in waiting])
            con.executemany("INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)", meta.items())
            con.execute("PRAGMA analysis_limit = 1000")
            con.execute("ANALYZE")
            self._clock("analyze")
            con.execute("COMMIT")
            self._clock("commit")
            self.report.rows = {
                t.name: t.rows for t in sorted(every, key=lambda t: _LOAD_ORDER.index(t.name))
            }
            self.progress("done", 1, 1)
            return self.report
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            for schema in attached:
                con.execute(f"DETACH DATABASE {schema}")
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = FULL")
            con.execute("PRAGMA foreign_keys = ON")
            con.close()

    def _wait(self, groups: list[Group]) -> None:
        """Nothing to do until a helper finishes a group; fail if a helper died without finishing."""
        for group in groups:
            process = group.process
            if process is not None and not process.is_alive() and not group.done():
                raise LoadError(
                    f"a parallel writer failed (exit code {process.exitcode}); nothing was written"
                )
        time.sleep(0.01)
        self._clock("wait for helpers")


_LOAD_ORDER: tuple[str, ...] = tuple(reversed(MIRROR_TABLES))
