"""The ``seller-desk`` command line (design/CLI.md is the contract: add, never rename).

Without a sub-command it opens the app. Each sub-command lives in its own module here with a
``register(subparsers)`` that adds its parser and sets ``handler``; modules import their heavy
dependencies inside the handler, so ``seller-desk status`` never pays for Qt or pandas.
Exit codes: 0 success, 1 user error (message on stderr naming what and where), 2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from seller_desk import __version__
from seller_desk.cli import (
    backend,
    connect,
    export,
    imports,
    refunds,
    returns,
    screenshot,
    seed,
    status,
    sync,
)
from seller_desk.cli.common import UserError, add_common

COMMANDS = (seed, screenshot, status, returns, refunds, imports, export, connect, sync, backend)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seller-desk",
        description="Returns, refunds, return-reason trends and restock planning for marketplace sellers.",
    )
    parser.add_argument("--version", action="version", version=f"seller-desk {__version__}")
    add_common(parser)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the embedded backend with the marketplace simulator on 127.0.0.1 and connect to it",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="headless self-test: a new store, migrations on a copy of this one, every screen built "
        "offscreen, one chart drawn; exit 0 = healthy",
    )
    parser.set_defaults(handler=_run_gui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    if args.smoke:
        from seller_desk.app import run_smoke

        return run_smoke(args.data_dir)
    from seller_desk.app import run_app

    return run_app(data_dir=args.data_dir, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from seller_desk.store.errors import StoreError

    try:
        return int(args.handler(args))
    except (UserError, StoreError) as exc:
        print(f"seller-desk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("seller-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `seller-desk returns list | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush cannot fail again
        return 0
