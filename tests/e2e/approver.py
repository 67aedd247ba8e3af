"""The seller approving refunds on the desktop, as one process: ``python -m tests.e2e.approver``.

It approves each given refund request in full — every line and component the request asks for,
capped at refundable now — in its own write transaction with ``store.refund_bulk.approve_in_full``
(the review API the app's Approve and bulk-approve use), and prints
``{"approved": request, "mutation_id": ...}`` once that commit returned.

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

from sqlalchemy import select

from seller_desk.paths import resolve_paths
from seller_desk.store.migrate import open_store
from seller_desk.store.models import Mutation
from seller_desk.store.refund_bulk import approve_in_full


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
            summary = approve_in_full(session, [request_id], user="seller", now=now)
            assert summary.approved_ids == (request_id,), summary.refused
            mutation_id = session.execute(
                select(Mutation.id).where(Mutation.target == f"refund_request:{request_id}")
            ).scalar_one()
            if n == args.hang_at:
                print(json.dumps({"in_transaction": request_id, "mutation_id": mutation_id}), flush=True)
                time.sleep(120)  # the test pulls the plug now
        print(json.dumps({"approved": request_id, "mutation_id": mutation_id}), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
