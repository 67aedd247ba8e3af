"""Options and helpers every sub-command shares."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


class UserError(Exception):
    """A mistake the user can fix; printed on stderr, exit 1."""


def add_common(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` and ``-v`` on the top-level parser and on every sub-command."""
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS if parser.prog != "seller-desk" else None,
        help="where the local store lives (default: $SELLER_DESK_HOME, else the platform's data dir)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS if parser.prog != "seller-desk" else False,
        help="log debug messages to stderr",
    )


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


def open_store_for(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The local store named by ``--data-dir`` / ``SELLER_DESK_HOME`` / the platform default."""
    from seller_desk.paths import resolve_paths
    from seller_desk.store.migrate import open_store

    paths = resolve_paths(args.data_dir)
    return open_store(paths.database, backup_dir=paths.backups)


def report_export(args: argparse.Namespace, suffix: str, written: int, one: str, many: str) -> int:
    """The end of every ``export``: ``{"file", "format", "rows"}`` with ``--json``, else a sentence."""
    if args.json:
        print_json({"file": str(args.out), "format": suffix.lstrip("."), "rows": written})
    else:
        print(f"exported {written:,} {one if written == 1 else many} to {args.out}")
    return 0
