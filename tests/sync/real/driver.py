"""The desktop side of the real-process fault tests, run as ``python -m tests.sync.real.driver``.

``sync``: the engine exactly as ``seller-desk sync`` builds it (the connected backend, the token from
the credential store, access-token exchange) but with the knobs a fault needs: a short client
timeout, small pages, several targets in flight, and a kill hook that SIGKILLs this process at the
N-th pass of a named point (``push.claimed``, ``push.answered``, ``pull.applied``, ...) or sleeps after
each POST (``--linger``: a slow desktop, so an access token expires mid-queue; ``--push-batch 1``
makes each act its own batch request). Each round prints one
JSON line.

``record``: one approval through the store's outbox API, as the GUI's "Approve" does; prints the
mutation id once the commit returned, then waits to be killed (fault 14).

``write-loop``: acts recorded in a tight loop on the same file while a sync runs (fault 13); prints
each committed id and the time, then ``done``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx

from seller_desk.paths import resolve_paths
from seller_desk.store import push_queue
from seller_desk.store.migrate import open_store
from seller_desk.sync.client import SyncClient
from seller_desk.sync.connection import remembered, token_for
from seller_desk.sync.credentials import CredentialStore
from seller_desk.sync.engine import SyncEngine
from seller_desk.sync.push import KillHook
from tests.sync.helpers import approval, decide, record


def _kill_hook(kill_at: str | None, linger: float) -> KillHook:
    passes: Counter[str] = Counter()
    point, _, nth = (kill_at or "").partition(":")

    def hook(name: str) -> None:
        passes[name] += 1
        if name == "push.sent" and linger:
            time.sleep(linger)
        if name == point and passes[name] == int(nth or 1):
            print(json.dumps({"killed_at": name, "pass": passes[name]}), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def run_sync(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.data_dir)
    store = open_store(paths.database)
    backend = remembered(store)
    assert backend is not None, "connect the desk first"
    token = token_for(CredentialStore(paths.config_dir), backend)
    timeout = httpx.Timeout(args.timeout, connect=2.0)
    client = SyncClient(backend.url, token, timeout=timeout, exchange_tokens=True)
    hook = _kill_hook(args.kill_at, args.linger)
    engine = SyncEngine(
        store,
        client,
        page_limit=args.page_limit,
        concurrency=args.concurrency,
        push_batch=args.push_batch,
        kill=hook,
    )
    for round_no in range(args.rounds):
        summary = engine.sync_once(force=True)
        with store.reading() as session:
            counts = push_queue.counts(session)
        print(json.dumps({
            "round": round_no, "acknowledged": summary.push.acknowledged, "conflicts": summary.push.conflicts,
            "rejected": summary.push.rejected, "retried": summary.push.retried, "pages": summary.pull.pages,
            "rebuilt": summary.pull.rebuilt, "error": summary.error, "unreachable": summary.unreachable,
            "pending": counts["queued"] + counts["sending"], "exchanges": client.exchanges, "at": time.time(),
        }), flush=True)  # fmt: skip
        if args.until_drained and counts["queued"] + counts["sending"] == 0 and summary.pull.drained:
            break
        if args.stop_file is not None and args.stop_file.exists():
            break
        time.sleep(args.pause)
    client.close()
    store.close()
    return 0


def run_record(args: argparse.Namespace) -> int:
    store = open_store(resolve_paths(args.data_dir).database)
    now = datetime.now(UTC)
    mutation_id = decide(store, args.request, approval(args.line, args.amount, now), now)
    print(mutation_id, flush=True)  # the click returned: the act is committed
    time.sleep(60)  # the test pulls the plug now
    return 0


def run_write_loop(args: argparse.Namespace) -> int:
    store = open_store(resolve_paths(args.data_dir).database)
    for i in range(args.count):
        now = datetime.now(UTC)
        print(record(store, "note", args.target, {"text": f"call #{i}"}, now), time.time(), flush=True)
    print("done", time.time(), flush=True)
    store.close()
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="driver")
    commands = parser.add_subparsers(required=True)
    sync = commands.add_parser("sync")
    sync.add_argument("--data-dir", type=Path, required=True)
    sync.add_argument("--rounds", type=int, default=1)
    sync.add_argument("--until-drained", action="store_true")
    sync.add_argument("--pause", type=float, default=0.0)
    sync.add_argument("--stop-file", type=Path, help="stop after the round that finds this file")
    sync.add_argument("--timeout", type=float, default=10.0)
    sync.add_argument("--page-limit", type=int, default=1000)
    sync.add_argument("--concurrency", type=int, default=1)
    sync.add_argument("--push-batch", type=int, default=50, help="mutations claimed and sent per batch")
    sync.add_argument("--kill-at", help="POINT[:N]: SIGKILL at the N-th pass of POINT")
    sync.add_argument("--linger", type=float, default=0.0, help="seconds to sleep after each answer")
    sync.set_defaults(run=run_sync)
    rec = commands.add_parser("record")
    rec.add_argument("--data-dir", type=Path, required=True)
    rec.add_argument("--request", type=int, required=True)
    rec.add_argument("--line", type=int, required=True)
    rec.add_argument("--amount", type=int, required=True)
    rec.set_defaults(run=run_record)
    loop = commands.add_parser("write-loop")
    loop.add_argument("--data-dir", type=Path, required=True)
    loop.add_argument("--target", required=True)
    loop.add_argument("--count", type=int, default=40)
    loop.set_defaults(run=run_write_loop)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
