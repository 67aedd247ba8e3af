"""``seller-desk import FILE... [--strict] [--json]``: read Amazon returns reports into the store.

Each file is detected (MFN flat, MFN XML or FBA) and imported in its own transaction. By default
its valid rows are saved and the rest listed; with ``--strict`` a file with any bad row saves
nothing. The exit status is 0 only when every row of every file was imported (so a script notices a
rejected row), 1 otherwise; the summary (``--json``: CLI.md's shape) says which rows and why.

Connected to a backend, the files go there (``POST /v1/imports``) so the whole team sees them, and
their rows arrive with the next pull; the local store is a replica then and is not written directly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from seller_desk.cli.common import UserError, add_common, open_store_for, print_json

SHOWN_ERRORS = 20


def register(sub: Any) -> None:
    parser = sub.add_parser("import", help="import Amazon returns reports (MFN flat, MFN XML, FBA)")
    add_common(parser)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files")
    parser.add_argument("--strict", action="store_true", help="a file with any bad row imports nothing")
    parser.add_argument(
        "--marketplace", default="US", help="marketplace of orders a report gives no currency for (FBA)"
    )
    parser.add_argument("--json", action="store_true", help="print only JSON on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from seller_desk.domain.errors import UnknownMarketplace
    from seller_desk.domain.marketplaces import marketplace
    from seller_desk.store.report_import import import_report

    for path in args.files:
        if not path.is_file():
            raise UserError(f"{path}: no such file")
    try:
        market = marketplace(args.marketplace).code
    except UnknownMarketplace as exc:
        raise UserError(f"--marketplace: {exc}") from None
    store = open_store_for(args)
    outcomes: list[dict[str, Any]] = []
    try:
        client = _connected_client(args, store)
        for path in args.files:
            if client is None:
                outcome = import_report(store, path, strict=args.strict, default_marketplace=market).as_json()
            else:
                outcome = _upload(client, path, strict=args.strict, marketplace=market)
            outcomes.append(outcome)
            if not args.json:
                _print_outcome(outcome)
        if client is not None:
            client.close()
            if not args.json:
                print(f"sent to {client.base_url}; the rows arrive here with the next sync")
    finally:
        store.close()
    if args.json:
        print_json({"files": outcomes})
    return 0 if all(o["committed"] and not o["errors"] for o in outcomes) else 1


def _connected_client(args: argparse.Namespace, store: Any) -> Any:
    """A client for the connected backend, or None when this desktop works offline only."""
    from seller_desk.paths import resolve_paths
    from seller_desk.sync.connection import BackendSettingsError, open_client, remembered, token_for
    from seller_desk.sync.credentials import CredentialStore

    backend = remembered(store)
    if backend is None:
        return None
    try:
        credentials = CredentialStore(resolve_paths(args.data_dir).config_dir)
        return open_client(backend, token_for(credentials, backend))
    except BackendSettingsError as exc:
        raise UserError(str(exc)) from exc


def _upload(client: Any, path: Path, *, strict: bool, marketplace: str) -> dict[str, Any]:
    from seller_desk.sync.report_upload import upload_report
    from seller_desk.sync.results import Rejected

    answer = upload_report(client, path, strict=strict, marketplace=marketplace)
    if isinstance(answer, dict):
        return answer
    if isinstance(answer, Rejected):
        raise UserError(f"{path}: the backend refused it: {answer.message}")
    raise UserError(f"{path}: not imported: {answer.message}")


def _print_outcome(outcome: dict[str, Any]) -> None:
    from seller_desk.importers.records import FORMAT_LABELS

    name = FORMAT_LABELS.get(outcome["format"] or "", "unknown format")
    errors = outcome["errors"]
    rejected = len({e["line"] for e in errors})
    counts = (f"{outcome['imported']:,} new, {outcome['updated']:,} updated, "
              f"{outcome['skipped']:,} unchanged, {rejected:,} rejected")  # fmt: skip
    print(f"{outcome['file']} ({name}): {outcome['rows']:,} rows — {counts}")
    if errors and not outcome["committed"]:
        print("  nothing from this file was saved", file=sys.stderr)
    for error in errors[:SHOWN_ERRORS]:
        where = f"{outcome['file']}:{error['line']}" + (f": {error['column']}" if error["column"] else "")
        print(f"  {where}: {error['message']}", file=sys.stderr)
    if len(errors) > SHOWN_ERRORS:
        print(f"  … {len(errors) - SHOWN_ERRORS:,} more (--json lists every one)", file=sys.stderr)
