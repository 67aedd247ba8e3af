"""``seller-desk seed --returns N [--seed S]``: a reproducible, realistic demo history."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from seller_desk.cli.common import UserError, add_common, open_store_for, print_json


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(sub: Any) -> None:
    parser = sub.add_parser("seed", help="write a reproducible demo history into the local store")
    add_common(parser)
    parser.add_argument("--returns", type=_positive, required=True, metavar="N", help="number of returns")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    parser.add_argument("--replace", action="store_true", help="delete the store's existing history first")
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing (exit 0) when the store already holds returns"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from seller_desk.demo import SeedError, seed_store

    store = open_store_for(args)
    if args.if_empty and _has_returns(store):
        store.close()
        if args.json:
            print_json({"returns": 0, "skipped": "the store already holds returns"})
        else:
            print(f"{store.path} already holds returns; nothing seeded")
        return 0
    try:
        progress = None if args.json or not sys.stderr.isatty() else _print_progress
        summary = seed_store(
            store, returns=args.returns, seed=args.seed, replace=args.replace, progress=progress
        )
    except SeedError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    if args.json:
        print_json(summary)
    else:
        counts = ", ".join(f"{k} {v:,}" for k, v in summary["rows"].items())
        print(f"seeded {store.path} in {summary['seconds']:.1f} s: {counts}")
    return 0


def _has_returns(store: Any) -> bool:
    from sqlalchemy import select

    from seller_desk.store.models import Return

    with store.reading() as session:
        return session.scalar(select(Return.id).limit(1)) is not None


def _print_progress(stage: str, done: int, total: int) -> None:
    print(f"\r{stage}: {done:,}/{total:,}", end="\n" if done >= total else "", file=sys.stderr, flush=True)
