"""``seller-desk sync [--once] [--backend URL]``: push queued acts, then pull changes.

``--once`` pushes every queued act (backoff or not: the user asked for it now), pulls until the feed
is drained and exits 0; if the backend cannot be reached, or refuses the token, it exits 1 saying so.
Without ``--once`` it keeps syncing (on a timer, and at once when the network returns) until Ctrl-C or
SIGTERM. A kill at any moment is safe: the next run resends in-flight acts under the same keys.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from seller_desk.cli.common import UserError, add_common, open_store_for, print_json


def register(sub: Any) -> None:
    parser = sub.add_parser("sync", help="push queued mutations, then pull changes from the backend")
    add_common(parser)
    parser.add_argument("--once", action="store_true", help="one push and pull until drained, then exit")
    parser.add_argument("--backend", metavar="URL", help="the backend to use (default: the connected one)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout (--once)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from seller_desk.paths import resolve_paths
    from seller_desk.sync.connection import (
        Backend,
        BackendSettingsError,
        normalize_url,
        open_client,
        remembered,
        token_for,
    )
    from seller_desk.sync.credentials import CredentialStore
    from seller_desk.sync.engine import SyncEngine

    store = open_store_for(args)
    try:
        known = remembered(store)
        try:
            if args.backend:
                url = normalize_url(args.backend)
                backend = Backend(url, known.ca_file if known is not None and known.url == url else None)
            elif known is not None:
                backend = known
            else:
                raise UserError(
                    "no backend is connected; run: seller-desk connect --backend URL --token-file FILE"
                )
            credentials = CredentialStore(resolve_paths(args.data_dir).config_dir)
            client = open_client(backend, token_for(credentials, backend))
        except BackendSettingsError as exc:
            raise UserError(str(exc)) from exc
        with client:
            engine = SyncEngine(store, client, token_refresher=lambda: credentials.load(backend.url))
            if args.once:
                return _once(engine, backend.url, as_json=args.json)
            return _forever(engine)
    finally:
        store.close()


def _once(engine: Any, url: str, *, as_json: bool) -> int:
    summary = engine.sync_once(force=True)
    push, pull = summary.push, summary.pull
    status = engine.status()
    if as_json:
        print_json({
            "backend": url, "sent": push.sent, "acknowledged": push.acknowledged, "conflicts": push.conflicts,
            "rejected": push.rejected, "retry_later": push.retried, "pulled_changes": pull.changes,
            "pages": pull.pages, "rebuilt": pull.rebuilt > 0, "drained": pull.drained,
            "pending_mutations": status.pending, "error": summary.error,
        })  # fmt: skip
    else:
        print(
            f"pushed {push.sent} (acknowledged {push.acknowledged}, conflicts {push.conflicts}, "
            f"rejected {push.rejected}, retry later {push.retried}); pulled {pull.changes} changes "
            f"in {pull.pages} pages{' after a full rebuild' if pull.rebuilt else ''}; "
            f"{status.pending} mutations pending",
            file=sys.stderr if as_json else sys.stdout,
        )
    if summary.unreachable:
        raise UserError(f"the backend at {url} is unreachable: {summary.error}")
    if push.unauthorized or pull.unauthorized:
        raise UserError(f"{summary.error}; run seller-desk connect again with a valid token")
    if not pull.drained:
        raise UserError(f"sync with {url} did not complete: {summary.error}")
    return 0


def _forever(engine: Any) -> int:
    previous = signal.signal(signal.SIGTERM, lambda *_: engine.stop())
    print("syncing; Ctrl-C stops", file=sys.stderr)
    try:
        engine.run()
    except KeyboardInterrupt:
        engine.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)
    print("sync stopped", file=sys.stderr)
    return 0
