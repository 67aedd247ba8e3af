"""``seller-desk backend serve --simulate`` end to end, as the desktop's demo launcher drives it.

A real server process simulates at high speed; a token comes from ``backend token create --seller demo``;
a desktop-style client pulls ``/v1/changes``: the history is there at once, new returns keep arriving,
and an approval made from what was pulled is executed (or, if the marketplace ended the request first,
cancelled) by the relay against the marketplace file beside the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from seller_desk.backend.ledger import list_ledger
from seller_desk.backend.simulator import DEMO_SELLER
from seller_desk.backend.store import sqlite_url
from seller_desk.backend.upstream import SimulatedMarketplace
from tests.backend.live import ROOT, LiveBackend
from tests.backend.shop import mutation, now


def _pull(client: httpx.Client, cursor: str | None) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    while True:
        response = client.get(
            "/v1/changes", params={"cursor": cursor, "limit": 1000} if cursor else {"limit": 1000}
        )
        assert response.status_code == 200, response.text
        page = response.json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            assert cursor is not None
            return changes, cursor


def _token(db: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-m", "seller_desk", "backend", "token", "create", "--db", str(db),
               "--seller", DEMO_SELLER, "--device", "demo-desk"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_serve_simulate_feeds_a_desktop_and_executes_its_approval(tmp_path: Path) -> None:
    db_file = tmp_path / "backend.sqlite3"
    live = LiveBackend.start("sqlite", sqlite_url(db_file), tmp_path / "server.log",
                             extra_args=("--simulate", "--speed", "20000", "--seed", "3"))  # fmt: skip
    try:
        token = _token(db_file)
        with httpx.Client(
            base_url=live.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            history, cursor = _pull(client, None)
            kinds = {
                entity: sum(1 for c in history if c["entity"] == entity) for entity in ("order", "return")
            }
            assert kinds["order"] >= 100 and kinds["return"] >= 20, (
                kinds
            )  # seeded before the server was ready
            seen = {c["id"] for c in history if c["entity"] == "return"}
            new_returns: list[dict[str, Any]] = []
            deadline = time.monotonic() + 30
            while not new_returns and time.monotonic() < deadline:
                time.sleep(0.5)
                changes, cursor = _pull(client, cursor)
                history += changes
                new_returns = [c for c in changes if c["entity"] == "return" and c["id"] not in seen]
            assert new_returns, "no new return arrived within 30 s (about 7 simulated days)"
            _approve_one(client, history, live, tmp_path / "marketplace.sqlite3")
    finally:
        live.stop()
    assert "Traceback" not in live.log_tail()


def _approve_one(
    client: httpx.Client, history: list[dict[str, Any]], live: LiveBackend, market: Path
) -> None:
    latest: dict[tuple[str, int], dict[str, Any]] = {}
    for change in history:
        latest[(change["entity"], change["id"])] = change["data"]
    rows = [(entity, data) for (entity, _), data in latest.items() if data]
    pending = [
        d for e, d in rows if e == "refund_request" and d["state"] == "pending" and not d["a_to_z_claim"]
    ]
    request = pending[-1]
    lines = [d for e, d in rows if e == "refund_request_line" and d["refund_request_id"] == request["id"]]
    payload = {
        "decision": "approve", "currency": request["currency"], "decided_at": now().isoformat(),
        "components": [{"order_line_id": d["order_line_id"], "component": d["component"],
                        "amount_minor": d["amount_minor"]} for d in lines],
    }  # fmt: skip
    body = mutation("refund_decision", f"refund_request:{request['id']}", payload)
    response = client.post("/v1/mutations", json=body, headers={"Idempotency-Key": body["mutation_id"]})
    if response.status_code == 409:  # the marketplace got there first: a legitimate conflict
        assert response.json()["reason"] in ("customer_cancelled", "auto_refunded", "claim_opened")
        return
    assert response.status_code == 201, response.text
    ref = "sd-" + body["mutation_id"].replace("-", "")
    state = ""
    deadline = time.monotonic() + 40
    while state not in ("executed", "cancelled") and time.monotonic() < deadline:
        time.sleep(0.2)
        with live.db.reading() as session:
            lines = [line for line in list_ledger(session) if line.upstream_ref == ref]
        assert len(lines) == 1 and lines[0].seller == DEMO_SELLER
        state = lines[0].state
    refunds = [r for r in SimulatedMarketplace(market).all_refunds() if r.upstream_ref == ref]
    assert len(refunds) == (1 if state == "executed" else 0), (state, refunds)
    assert state in ("executed", "cancelled")
