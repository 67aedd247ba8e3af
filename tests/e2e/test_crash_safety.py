"""The app loses no queued decision when it dies mid-write, and an unhandled error leaves a report
(issue 8, item 5). Real processes: the normal app, offscreen, approving refunds through its Refunds
screen (``ui/approve_probe.py``), SIGKILLed between and during its writes, then started again."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from seller_desk import __version__
from tests.cli.test_cli_contract import run_cli

pytestmark = pytest.mark.slow
APPROVALS_BEFORE_KILL = 4


def _pending(data_dir: Path, count: int) -> list[int]:
    listed = run_cli(
        "refunds", "list", "--state", "pending", "--limit", "1000", "--json", "--data-dir", str(data_dir)
    )
    ids = [
        r["id"]
        for r in json.loads(listed.stdout)
        if r["decision"] is None and r["refundable"]["amount"] != "0.00"
    ]
    assert len(ids) >= count, f"the fixture store has only {len(ids)} pending requests"
    return ids[:count]


def _app(data_dir: Path, requests: list[int], raise_after: int = 0) -> subprocess.Popen[str]:
    plan = json.dumps({"requests": requests, "raise_after": raise_after})
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SELLER_DESK_NO_WELCOME": "1",
           "SELLER_DESK_APPROVE_PROBE": plan}  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "seller_desk", "--data-dir", str(data_dir)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _lines(process: subprocess.Popen[str]) -> list[dict[str, int]]:
    assert process.stdout is not None
    return [json.loads(line) for line in process.stdout if line.startswith("{")]


def _queued(data_dir: Path) -> dict[int, int]:
    """Decisions queued per refund request, after checking that each has exactly its one outbox row."""
    with sqlite3.connect(data_dir / "seller-desk.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute(
            "SELECT count(*) FROM mutations m LEFT JOIN outbox o ON o.mutation_id = m.id "
            "WHERE o.seq IS NULL AND m.status = 'queued'"
        ).fetchone()[0]
        assert orphans == 0, "a queued mutation lost its outbox row"
        assert (
            conn.execute(
                "SELECT count(*) FROM outbox WHERE mutation_id NOT IN (SELECT id FROM mutations)"
            ).fetchone()[0]
            == 0
        )
        rows = conn.execute(
            "SELECT target, count(*) FROM mutations WHERE kind = 'refund_decision' GROUP BY target"
        ).fetchall()
    return {int(target.split(":")[1]): n for target, n in rows}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store (the demo history has refund requests waiting for a decision; 1,500 returns give 17)."""
    data_dir = tmp_path_factory.mktemp("crash-store")
    done = run_cli("seed", "--returns", "1500", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    return data_dir


@pytest.fixture
def data_dir(seeded: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(seeded, copy)
    return copy


def test_killed_mid_write_then_restarted_every_decision_is_queued_once(data_dir: Path) -> None:
    requests = _pending(data_dir, 12)
    before = _queued(data_dir)
    app = _app(data_dir, requests)
    assert app.stdout is not None
    approved: list[int] = []
    for line in app.stdout:
        if line.startswith('{"approved"'):
            approved.append(json.loads(line)["approved"])
            if len(approved) == APPROVALS_BEFORE_KILL:
                app.send_signal(signal.SIGKILL)  # the next approval is on its way to the store
                break
    app.wait(timeout=30)
    assert app.returncode == -signal.SIGKILL
    after_kill = _queued(data_dir)
    for request in approved:  # everything the screen confirmed survived the kill
        assert after_kill.get(request, 0) - before.get(request, 0) == 1
    rest = [r for r in requests if after_kill.get(r, 0) == before.get(r, 0)]
    assert len(rest) >= len(requests) - APPROVALS_BEFORE_KILL - 1  # at most the one in flight committed

    again = _app(data_dir, rest)
    lines = _lines(again)
    assert again.wait(timeout=60) == 0, again.stderr.read() if again.stderr else ""
    assert lines[-1] == {"done": len(rest)}
    final = _queued(data_dir)
    assert {r: final.get(r, 0) - before.get(r, 0) for r in requests} == dict.fromkeys(requests, 1)


def test_an_unhandled_error_writes_a_report_and_the_app_carries_on(data_dir: Path) -> None:
    requests = _pending(data_dir, 4)
    app = _app(data_dir, requests, raise_after=2)
    lines = _lines(app)
    assert app.wait(timeout=60) == 0
    assert lines[-1] == {"done": 4}  # the error did not stop the seller's work
    reports = list((data_dir / "logs" / "crashes").glob("crash-*.txt"))
    assert len(reports) == 1
    report = reports[0].read_text(encoding="utf-8")
    assert report.startswith(f"Seller Desk {__version__} crash report")
    assert "ProbeBug: a bug in a slot, after 2 approvals" in report
    assert "Where: thread MainThread" in report
    log = (data_dir / "logs" / "seller-desk.log").read_text(encoding="utf-8")
    assert "unhandled ProbeBug in thread MainThread; report written to" in log
    assert all(n == 1 for n in _queued(data_dir).values() if n) and len(_queued(data_dir)) >= 4
