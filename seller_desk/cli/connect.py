"""``seller-desk connect --backend URL (--token T | --token-file F) [--ca-file F]``.

Remembers the backend for this store and keeps the device token in the OS keyring (or, where there is
none, in a private file in the config directory: see ``seller_desk.sync.credentials``). The token is
checked first with one ``GET /v1/changes?limit=1``, so a mistyped token is reported now (401), not at
the first sync; nothing is saved when the check fails, unless ``--no-check``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from seller_desk.cli.common import UserError, add_common, open_store_for, print_json


def register(sub: Any) -> None:
    parser = sub.add_parser("connect", help="remember the backend and this device's token")
    add_common(parser)
    parser.add_argument("--backend", required=True, metavar="URL", help="e.g. https://desk.example.com")
    token = parser.add_mutually_exclusive_group(required=True)
    token.add_argument("--token", metavar="T", help="the device token (visible to other local users in ps)")
    token.add_argument("--token-file", metavar="F", help="a file holding the token; '-' reads stdin")
    parser.add_argument(
        "--ca-file", metavar="F", help="PEM file of the CA that signed the backend's certificate"
    )
    parser.add_argument("--no-check", action="store_true", help="save without asking the backend first")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.set_defaults(handler=run)


def _read_token(args: argparse.Namespace) -> str:
    from seller_desk.sync.connect import clean_token
    from seller_desk.sync.connection import BackendSettingsError

    if args.token is not None:
        token = str(args.token)
    elif args.token_file == "-":
        token = sys.stdin.read()
    else:
        try:
            token = Path(args.token_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{args.token_file}: cannot read the token file ({exc.strerror})") from exc
    try:
        return clean_token(token)
    except BackendSettingsError as exc:
        raise UserError(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    from seller_desk.paths import resolve_paths
    from seller_desk.sync.connect import BackendUnreachable, backend_at, check_backend, save_connection
    from seller_desk.sync.connection import BackendSettingsError

    token = _read_token(args)
    try:
        backend = backend_at(args.backend, args.ca_file)
        if not args.no_check:
            check_backend(backend, token)
    except BackendUnreachable as exc:
        raise UserError(f"{exc} (--no-check saves without asking)") from exc
    except BackendSettingsError as exc:
        raise UserError(str(exc)) from exc
    store = open_store_for(args)
    try:
        connected = save_connection(store, resolve_paths(args.data_dir).config_dir, backend, token)
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "backend": connected.url,
                "device_id": connected.device_id,
                "token_stored_in": connected.token_stored_in,
                "checked": not args.no_check,
            }
        )
    else:
        print(
            f"connected {store.path} to {connected.url} as device {connected.device_id}; "
            f"token stored in {connected.token_stored_in}"
        )
    return 0
