"""The helper process's side of a parallel load: groups of tables written into scratch files.

Each group goes to its own scratch file next to the store, and a `.done` marker says it is complete, so
the parent can copy a group while the helper writes the next one (the parent never reads a file the
helper still writes, and SQLite attaches at most ten files). Scratch files have no journal and are
not synced: they are thrown away after the load, whatever happens.
"""

from __future__ import annotations

import sqlite3
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

from seller_desk.demo.columns import Table

CHUNK = 100_000


def insert(con: sqlite3.Connection, table: Table, *, commit_chunks: bool = False) -> None:
    sql = table.insert_sql().replace("INSERT INTO ", "INSERT INTO main.", 1)
    for _, rows in table.chunks(CHUNK):
        if commit_chunks:
            con.execute("BEGIN")
        con.executemany(sql, rows)
        if commit_chunks:
            con.execute("COMMIT")


def write_groups(jobs: list[tuple[Path, list[str], list[Table]]]) -> None:
    """Child process: write each group of tables into its scratch file, then mark the file done.

    No journal and no fsync (scratch is thrown away); a transaction per chunk, so a file's lock is free
    between chunks for the parent's ATTACH.
    """
    try:
        for scratch, ddl, tables in jobs:
            con = sqlite3.connect(scratch, isolation_level=None)
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.execute("PRAGMA cache_size = -65536")
            con.execute("BEGIN")
            for sql in ddl:
                con.execute(sql)
            con.execute("COMMIT")
            for table in tables:
                insert(con, table, commit_chunks=True)
            con.close()
            Path(f"{scratch}.done").touch()
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        raise


def remove(scratch: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm", ".done"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)


@dataclass(slots=True)
class Group:
    """Tables a helper writes into one scratch file."""

    tables: list[Table]
    scratch: Path
    process: BaseProcess | None = None

    def done(self) -> bool:
        return Path(f"{self.scratch}.done").exists()


def grouped(tables: list[Table], spec: tuple[tuple[str, ...], ...]) -> list[list[Table]]:
    by_name = {t.name: t for t in tables}
    groups = [[by_name[name] for name in group if name in by_name] for group in spec]
    rest = [[t] for t in tables if not any(t.name in group for group in spec)]
    return [g for g in groups if g] + rest
