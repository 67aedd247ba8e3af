"""``seller-desk status [--json]``: what is in the local store and what waits to sync."""

from __future__ import annotations

import argparse
from typing import Any

from seller_desk.cli.common import add_common, open_store_for, print_json


def register(sub: Any) -> None:
    parser = sub.add_parser("status", help="counts of returns, refund requests and pending sync work")
    add_common(parser)
    parser.add_argument("--json", action="store_true", help="print only JSON on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from seller_desk.store.queries.status import store_status

    store = open_store_for(args)
    try:
        with store.reading() as session:
            status = store_status(session)
    finally:
        store.close()
    if args.json:
        print_json(status)
    else:
        print(f"returns:            {status['returns']:,}")
        states = ", ".join(f"{k} {v:,}" for k, v in sorted(status["refund_requests"].items())) or "none"
        print(f"refund requests:    {states}")
        print(f"pending mutations:  {status['pending_mutations']:,}")
        print(f"conflicts:          {status['conflicts']:,}")
        print(f"rejected mutations: {status['rejected_mutations']:,}")
        print(f"backend:            {status['backend'] or 'not connected'}")
        print(f"last sync:          {status['last_sync_at'] or 'never'}")
        if status["last_sync_error"]:
            print(f"last sync error:    {status['last_sync_error']}")
    return 0
