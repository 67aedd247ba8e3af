"""The world of the real-process fault tests: desktops as directories, processes, and the invariants.

A ``Desk`` is a data directory a real ``seller-desk`` would use: its store (copied from a migrated
template), the connected backend's URL in ``app_meta`` and the device token in the credential file
(no keyring in tests). Its syncs run as subprocesses — the CLI, or ``driver`` when a fault needs a
knob — and acts are recorded through the store's outbox API, as the app records them.

``check_invariants`` reads the backend's database and every desk's file after a scenario:
exactly one server record per delivered mutation, at most one decision per mutation and one approval
(and one upstream ledger entry) per refund request, refunded ≤ charged per line and component, no
acknowledged decision lost, and (``drained``) no queued or sending row left.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring.backends.fail
from sqlalchemy import func, select, text

from seller_desk.backend.store import Database
from seller_desk.backend.store.models import Decision, LedgerEntry, MutationRecord, OrderLine, RefundPayment
from seller_desk.domain.enums import DecisionKind
from seller_desk.paths import resolve_paths
from seller_desk.store.migrate import open_store
from seller_desk.sync.connection import Backend, remember
from seller_desk.sync.credentials import CredentialStore
from tests.sync.conftest import template_store
from tests.sync.helpers import approval, decide, record

ROOT = Path(__file__).resolve().parents[3]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
PENDING = ("queued", "sending")


@dataclass
class Desk:
    data_dir: Path

    @classmethod
    def connect(cls, data_dir: Path, url: str, token: str, template_dir: Path) -> Desk:
        paths = resolve_paths(data_dir)
        paths.data_dir.mkdir(parents=True)
        shutil.copyfile(template_store(template_dir), paths.database)
        store = open_store(paths.database)
        try:
            remember(store, Backend(url, None))
        finally:
            store.close()
        CredentialStore(paths.config_dir, backend=keyring.backends.fail.Keyring()).save(url, token)
        return cls(data_dir)

    @property
    def database(self) -> Path:
        return resolve_paths(self.data_dir).database

    # -- processes -----------------------------------------------------------------------------------
    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "seller_desk", *args, "--data-dir", str(self.data_dir)]
        return subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=timeout)

    def cli_process(self, *args: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "seller_desk", *args, "--data-dir", str(self.data_dir)]
        return subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=ROOT
        )

    def drain(self) -> dict[str, Any]:
        """Liveness: faults are over; one ``sync --once`` must deliver everything and exit 0."""
        done = self.cli("sync", "--once", "--json")
        assert done.returncode == 0, done.stderr
        summary: dict[str, Any] = json.loads(done.stdout)
        assert summary["pending_mutations"] == 0 and summary["drained"], summary
        return summary

    def driver(self, *args: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "tests.sync.real.driver", args[0], "--data-dir", str(self.data_dir),
                   *args[1:]]  # fmt: skip
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                                cwd=ROOT)  # fmt: skip

    def run_driver(self, *args: str, killed: bool = False, timeout: float = 60) -> list[dict[str, Any]]:
        """Run the driver to its end; the JSON lines it printed. ``killed``: it must die of SIGKILL."""
        process = self.driver(*args)
        out, err = process.communicate(timeout=timeout)
        expected = -9 if killed else 0
        assert process.returncode == expected, f"driver exited {process.returncode}:\n{out}\n{err}"
        return [json.loads(line) for line in out.splitlines() if line.startswith("{")]

    # -- the store, in this process ------------------------------------------------------------------
    def sql(self, query: str, **params: Any) -> list[tuple[Any, ...]]:
        store = open_store(self.database)
        try:
            with store.reading() as session:
                return [tuple(row) for row in session.execute(text(query), params)]
        finally:
            store.close()

    def write(self, query: str, **params: Any) -> None:
        store = open_store(self.database)
        try:
            with store.writing() as session:
                session.execute(text(query), params)
        finally:
            store.close()

    def statuses(self) -> dict[str, str]:
        return dict(self.sql("SELECT id, status FROM mutations"))  # type: ignore[arg-type]

    def approve(self, request_id: int, line_id: int, amount: int) -> str:
        store = open_store(self.database)
        try:
            now = datetime.now(UTC)
            return decide(store, request_id, approval(line_id, amount, now), now)
        finally:
            store.close()

    def note(self, target: str, text_: str) -> str:
        store = open_store(self.database)
        try:
            return record(store, "note", target, {"text": text_}, datetime.now(UTC))
        finally:
            store.close()


def check_invariants(db: Database, seller_id: int, desks: list[Desk], *, drained: bool = True) -> None:
    with db.reading() as session:
        records = Counter(
            session.execute(select(MutationRecord.mutation_id).where(MutationRecord.seller_id == seller_id))
            .scalars()
            .all()
        )
        decisions = Counter(
            session.execute(
                select(Decision.mutation_id).where(
                    Decision.seller_id == seller_id, Decision.mutation_id.is_not(None)
                )
            )
            .scalars()
            .all()
        )
        paid = session.execute(
            select(RefundPayment.order_line_id, RefundPayment.component, func.sum(RefundPayment.amount_minor))
            .where(RefundPayment.seller_id == seller_id)
            .group_by(RefundPayment.order_line_id, RefundPayment.component)
        ).all()
        charged = {
            line.id: line
            for line in session.scalars(select(OrderLine).where(OrderLine.seller_id == seller_id))
        }
        ledger = session.execute(
            select(LedgerEntry.refund_request_id, func.count())
            .where(LedgerEntry.seller_id == seller_id)
            .group_by(LedgerEntry.refund_request_id)
            .having(func.count() > 1)
        ).all()
        approvals = session.execute(
            select(Decision.refund_request_id, func.count())
            .where(Decision.seller_id == seller_id, Decision.kind == DecisionKind.APPROVE)
            .group_by(Decision.refund_request_id)
            .having(func.count() > 1)
        ).all()
    assert all(n == 1 for n in records.values()), records
    assert all(n == 1 for n in decisions.values()), decisions
    assert not approvals, f"refund requests approved more than once: {approvals}"
    assert not ledger, f"refund requests sent upstream more than once: {ledger}"
    for line_id, component, amount in paid:
        limit = getattr(charged[line_id], f"{component.value}_minor")
        assert amount <= limit, f"line {line_id} {component}: refunded {amount} > charged {limit}"
    for desk in desks:
        rows = desk.sql("SELECT id, kind, status FROM mutations")
        for mutation_id, kind, status in rows:
            if status in ("acknowledged", "settled", "conflict"):
                assert records[mutation_id] == 1, f"{kind} {mutation_id} is {status} but has no server record"
            if status in ("acknowledged", "settled") and kind == "refund_decision":
                assert decisions[mutation_id] == 1, f"acknowledged decision {mutation_id} lost on the backend"
            if drained:
                assert status not in PENDING, f"{kind} {mutation_id} still {status} after the drain"


def backend_counts(db: Database, seller_id: int) -> dict[str, int]:
    """Rows of each mirrored entity the backend holds for the seller (what a converged desk mirrors)."""
    from seller_desk.backend.feed.entities import SPECS
    from seller_desk.wire import ENTITIES

    with db.reading() as session:
        return {
            ENTITIES[entity]: int(
                session.execute(
                    select(func.count()).select_from(spec.table).where(spec.table.c.seller_id == seller_id)
                ).scalar_one()
            )
            for entity, spec in SPECS.items()
        }


def desk_counts(desk: Desk) -> dict[str, int]:
    from seller_desk.store.local_effects import LOCAL_ROW_TABLES
    from seller_desk.wire import ENTITIES

    def where(table: str) -> str:
        return " WHERE id > 0" if table in LOCAL_ROW_TABLES else ""  # not the desk's own unsent rows

    return {
        table: int(desk.sql(f"SELECT count(*) FROM {table}{where(table)}")[0][0])
        for table in ENTITIES.values()
    }
