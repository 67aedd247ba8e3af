"""The seller approving refunds on the desktop, as one process: ``python -m tests.e2e.approver``.

It approves each given refund request in full — every line and component the request asks for — in
its own write transaction through the store's outbox API (``record_mutation``), as the app's
"Approve" does, and prints ``{"approved": request, "mutation_id": ...}`` once that commit returned.

``--hang-at N`` holds the N-th approval *inside* its transaction — the mutation, its outbox row and its
local decision written but not committed — prints ``{"in_transaction": request}`` and waits to be
killed: the test SIGKILLs it there, deterministically mid-transaction.

One process for the hundred, not ``seller-desk refunds approve`` per request: a CLI start costs about
half a second here, so a hundred would spend the whole test budget starting interpreters, and the
property under test — each approval is one durable local commit with its outbox row — is the same.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from seller_desk.paths import resolve_paths
from seller_desk.store.meta import device_id
from seller_desk.store.migrate import open_store
from seller_desk.store.outbox import record_mutation


def full_approval(session: Any, request_id: int, now: datetime) -> dict[str, Any]:
    """The payload approving everything request ``request_id`` asks for, from the mirrored request."""
    currency = session.execute(
        text("SELECT currency FROM refund_requests WHERE id = :r"), {"r": request_id}
    ).scalar_one()
    lines = session.execute(
        text("SELECT order_line_id, component, amount_minor FROM refund_request_lines "
             "WHERE refund_request_id = :r ORDER BY id"), {"r": request_id},
    ).all()  # fmt: skip
    components = [
        {"order_line_id": line, "component": comp, "amount_minor": amount} for line, comp, amount in lines
    ]
    return {
        "decision": "approve",
        "currency": currency,
        "components": components,
        "decided_at": now.isoformat(),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="approver")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--hang-at", type=int, default=0, help="hold the N-th approval open until killed")
    parser.add_argument("requests", type=int, nargs="+")
    args = parser.parse_args(argv)
    store = open_store(resolve_paths(args.data_dir).database)
    for n, request_id in enumerate(args.requests, start=1):
        now = datetime.now(UTC)
        with store.writing() as session:
            payload = full_approval(session, request_id, now)
            mutation = record_mutation(session, "refund_decision", f"refund_request:{request_id}", payload,
                                       None, "seller", device_id(session), now=now)  # fmt: skip
            session.flush()
            if n == args.hang_at:
                print(json.dumps({"in_transaction": request_id, "mutation_id": mutation.id}), flush=True)
                time.sleep(120)  # the test pulls the plug now
            mutation_id = mutation.id
        print(json.dumps({"approved": request_id, "mutation_id": mutation_id}), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
