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
    if args.token is not None:
        token = str(args.token)
    elif args.token_file == "-":
        token = sys.stdin.read()
    else:
        try:
            token = Path(args.token_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{args.token_file}: cannot read the token file ({exc.strerror})") from exc
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise UserError("the token is empty or contains spaces; give exactly the token you were issued")
    return token


def run(args: argparse.Namespace) -> int:
    from seller_desk.paths import resolve_paths
    from seller_desk.sync.connection import (
        Backend,
        BackendSettingsError,
        check_token,
        normalize_url,
        open_client,
    )
    from seller_desk.sync.connection import remember as remember_backend
    from seller_desk.sync.credentials import CredentialStore
    from seller_desk.sync.results import ChangesReceived, Retryable, Unauthorized

    token = _read_token(args)
    try:
        url = normalize_url(args.backend)
        ca_file = Path(args.ca_file).expanduser().resolve() if args.ca_file else None
        backend = Backend(url, ca_file)
        if not args.no_check:
            with open_client(backend, token) as client:
                answer = check_token(client)
            if isinstance(answer, Unauthorized):
                raise UserError(
                    f"the backend at {url} refused this token (401 Unauthorized); nothing was saved. "
                    "Check the token, or have a new one made with: seller-desk backend token create"
                )
            if isinstance(answer, Retryable) and answer.unreachable:
                raise UserError(f"{answer.message}; nothing was saved (--no-check saves without asking)")
            if not isinstance(answer, ChangesReceived):
                raise UserError(f"the backend at {url} did not answer as expected: {answer.message}")
    except BackendSettingsError as exc:
        raise UserError(str(exc)) from exc
    paths = resolve_paths(args.data_dir)
    where = CredentialStore(paths.config_dir).save(url, token)
    store = open_store_for(args)
    try:
        device = remember_backend(store, backend)
    finally:
        store.close()
    if args.json:
        print_json(
            {"backend": url, "device_id": device, "token_stored_in": where, "checked": not args.no_check}
        )
    else:
        print(f"connected {store.path} to {url} as device {device}; token stored in {where}")
    return 0
