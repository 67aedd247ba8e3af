"""A hundred refunds approved offline reach the marketplace exactly once (issue 5, item 8), with real
processes only: ``seller-desk backend serve`` (uvicorn on 127.0.0.1, its own SQLite file, the relay
executing refunds on the simulated marketplace's file), the desktop's store on its own SQLite file,
and the desktop's ``seller-desk sync`` loop.

The story: the backend is seeded with pending refund requests and the desktop syncs them; the backend
stops; the seller approves a hundred on the desktop (``tests.e2e.approver``, one process, killed once
mid-transaction and started again); a sync loop starts while the backend is down and is SIGKILLed
mid-run; the backend comes back for a moment, a sync pushes the first 50 and is SIGKILLed after the
backend applied them but before it recorded any answer, and the backend stops again; the sync loop is
started again, then the backend. Then: exactly one upstream ledger entry per approval (``backend
ledger --json``) and one refund per request in the marketplace's own file, none twice; after a sync
every request is ``completed`` on the desktop (``status --json``, ``refunds list --json``), nothing
is left in the outbox, no conflict.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from seller_desk.backend.store import sqlite_url
from seller_desk.backend.store.models import MutationRecord
from seller_desk.backend.upstream import SimulatedMarketplace
from tests.backend.live import LiveBackend
from tests.backend.shop import Shop
from tests.sync.real.world import ENV, ROOT, Desk, check_invariants

APPROVALS = 100
EXTRA_PENDING = 5  # requests nobody approves: they must stay pending
KILLED_AT = 41  # the approval the first approver process dies inside of


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def serve(tmp_path: Path, name: str, port: int = 0) -> LiveBackend:
    args = ("--upstream", str(tmp_path / "marketplace.sqlite3"), "--upstream-faults", "none")
    return LiveBackend.start("sqlite", sqlite_url(tmp_path / "backend.sqlite3"), tmp_path / f"{name}.log",
                             extra_args=args, port=port)  # fmt: skip


def approver(desk: Desk, requests: list[int], *, hang_at: int = 0) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.e2e.approver", "--data-dir", str(desk.data_dir),
               "--hang-at", str(hang_at), *map(str, requests)]  # fmt: skip
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT
    )


def cli_json(desk: Desk, *args: str) -> Any:
    done = desk.cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def records(backend: LiveBackend, seller_id: int) -> int:
    """Mutations the backend has applied for the seller (each at most once: ``check_invariants``)."""
    with backend.db.reading() as session:
        query = select(func.count()).select_from(MutationRecord).where(MutationRecord.seller_id == seller_id)
        return int(session.execute(query).scalar_one())


def last_sync_error(desk: Desk) -> str | None:
    rows = desk.sql("SELECT last_error FROM sync_state WHERE last_error IS NOT NULL")
    return str(rows[0][0]) if rows else None


def test_a_hundred_offline_approvals_reach_the_marketplace_exactly_once(tmp_path: Path) -> None:
    started = time.monotonic()
    backend = serve(tmp_path, "first")
    port = int(backend.base_url.rsplit(":", 1)[1])
    shop = Shop.open(backend.db, backend.base_url)
    loops: list[subprocess.Popen[bytes]] = []
    try:
        seeded = [shop.seed() for _ in range(APPROVALS + EXTRA_PENDING)]
        requests = [s.request_id for s in seeded[:APPROVALS]]
        desk = Desk.connect(tmp_path / "desk", backend.base_url, shop.token, tmp_path / "template")
        desk.drain()
        assert desk.sql("SELECT state, count(*) FROM refund_requests GROUP BY state") == [
            ("pending", APPROVALS + EXTRA_PENDING)
        ]
        backend.stop()
        timings = {"seeded and synced": time.monotonic() - started}

        # The seller approves while the backend is down; the first approver dies inside an approval.
        first = approver(desk, requests, hang_at=KILLED_AT)
        assert first.stdout is not None
        lines = [json.loads(first.stdout.readline()) for _ in range(KILLED_AT)]
        assert lines[-1] == {
            "in_transaction": requests[KILLED_AT - 1],
            "mutation_id": lines[-1]["mutation_id"],
        }
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -9
        committed = {line["approved"]: line["mutation_id"] for line in lines[:-1]}
        assert dict(desk.sql("SELECT target, id FROM mutations")) == {
            f"refund_request:{r}": m for r, m in committed.items()
        }  # the killed approval left nothing: no mutation, no outbox row, no local decision
        assert desk.sql("SELECT count(*) FROM outbox")[0][0] == KILLED_AT - 1
        assert desk.sql("SELECT count(*) FROM decisions WHERE id < 0")[0][0] == KILLED_AT - 1
        second = approver(desk, requests[KILLED_AT - 1 :])
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
        for line in map(json.loads, out.splitlines()):
            committed[line["approved"]] = line["mutation_id"]
        assert sorted(committed) == sorted(requests)
        assert desk.statuses() == {m: "queued" for m in committed.values()}
        timings["approved"] = time.monotonic() - started

        # A sync loop runs while the backend is down, and is killed mid-run.
        loops.append(desk.cli_process("sync"))
        wait_for(lambda: last_sync_error(desk) is not None, "the offline loop's first round")
        time.sleep(0.5)
        loops[-1].send_signal(signal.SIGKILL)
        assert loops[-1].wait(timeout=10) == -9
        assert set(desk.statuses().values()) <= {"queued", "sending"}  # nothing delivered, nothing lost

        # The backend comes back for a moment: a sync pushes the first batch of 50, the backend applies
        # it, and the sync is SIGKILLed before it records a single answer (SYNC.md 2: answers lost).
        backend = serve(tmp_path, "second", port=port)
        desk.run_driver("sync", "--push-batch", "50", "--kill-at", "push.answered:1", killed=True)
        assert records(backend, shop.seller_id) == 50
        assert sorted(set(desk.statuses().values())) == ["queued", "sending"]  # none known delivered
        backend.stop()

        # The sync loop again while the backend is down, then the backend (same files, same port, the
        # relay executing refunds upstream): the loop delivers all, the first 50 as replays.
        desk.write("UPDATE sync_state SET last_error = NULL")  # to see the restarted loop's own round
        loops.append(desk.cli_process("sync"))
        wait_for(lambda: last_sync_error(desk) is not None, "the restarted loop's offline round")
        backend = serve(tmp_path, "third", port=port)
        delivered = ("acknowledged", "settled")
        wait_for(
            lambda: set(desk.statuses().values()) <= set(delivered), "the loop to deliver every approval"
        )
        assert records(backend, shop.seller_id) == APPROVALS
        timings["delivered"] = time.monotonic() - started
        ledger_cli = ("backend", "ledger", "--db", backend.db_url)
        wait_for(lambda: [e["state"] for e in cli_json(desk, *ledger_cli)] == ["executed"] * APPROVALS,
                 "the relay to execute every refund")  # fmt: skip
        timings["executed"] = time.monotonic() - started
        loops[-1].send_signal(signal.SIGTERM)
        assert loops[-1].wait(timeout=20) == 0

        ledger = cli_json(desk, *ledger_cli)
        assert len(ledger) == APPROVALS
        assert sorted(e["refund_id"] for e in ledger) == sorted(requests)  # one per request: none twice
        assert {e["mutation_id"] for e in ledger} == set(committed.values())
        marketplace = SimulatedMarketplace(tmp_path / "marketplace.sqlite3")
        upstream = [r.upstream_ref for r in marketplace.all_refunds() if r.seller == shop.seller_name]
        assert sorted(upstream) == sorted(e["upstream_ref"] for e in ledger)  # the marketplace's own count

        summary = desk.drain()  # one more sync: the completions come down
        assert summary["conflicts"] == 0 and summary["rejected"] == 0
        status = cli_json(desk, "status")
        assert status["refund_requests"] == {"completed": APPROVALS, "pending": EXTRA_PENDING}
        assert status["pending_mutations"] == 0 and status["conflicts"] == 0
        states = dict(desk.sql("SELECT id, state FROM refund_requests"))
        assert all(states[r] == "completed" for r in requests)
        assert desk.sql("SELECT count(*) FROM outbox JOIN mutations m ON m.id = outbox.mutation_id "
                        "WHERE m.status IN ('queued', 'sending')") == [(0,)]  # fmt: skip
        assert desk.sql("SELECT count(*) FROM conflicts") == [(0,)]
        assert set(desk.statuses().values()) == {"settled"}
        _refunds_list_agrees(desk, requests)
        check_invariants(backend.db, shop.seller_id, [desk])
        timings["checked"] = time.monotonic() - started
        print("offline refunds e2e:", {k: round(v, 1) for k, v in timings.items()})
    finally:
        for loop in loops:
            if loop.poll() is None:
                loop.kill()
                loop.wait(timeout=10)
        shop.close()
        backend.stop()


def _refunds_list_agrees(desk: Desk, requests: list[int]) -> None:
    """``refunds list --json`` (CLI.md): each approved request completed, its decision settled."""
    shown = {int(row["id"]): row for row in cli_json(desk, "refunds", "list")}
    for request_id in requests:
        row = shown[request_id]
        assert row["state"] == "completed", row
        assert row["decision"] is None or row["decision"]["sync_state"] == "settled", row
