"""``seller-desk backend …``: run and operate the tracking backend (design/CLI.md).

    backend serve [--db URL] [--host H] [--port P] [--tls-cert F --tls-key F] [--access-token-ttl S]
                  [--simulate [--speed X] [--seed N] [--orders-per-day N]] [--upstream FILE]
                  [--upstream-faults SPEC] [--amazon SELLER --merchant-id ID [--amazon-marketplace M]
                  [--report-interval HOURS]]
    backend token create [--db URL] --seller S --device NAME     prints the token once
    backend ledger [--db URL] [--json]                           upstream refund executions
    backend compact [--db URL] --keep-days N                     trim the change log, prune keys

``--db`` takes a SQLAlchemy URL (``sqlite:///FILE``, ``postgresql+psycopg://…``) or a plain file path
(a SQLite file); the default is ``backend.sqlite3`` in the data directory. The backend is imported
inside each handler, so the rest of the CLI never pays for FastAPI.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from seller_desk.cli.common import UserError, add_common, print_json

DEFAULT_DB_FILE = "backend.sqlite3"


def register(sub: Any) -> None:
    parser = sub.add_parser("backend", help="run and operate the tracking backend")
    add_common(parser)
    parser.set_defaults(handler=lambda _args: _usage(parser))
    commands = parser.add_subparsers(title="backend commands", metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the backend's HTTP API (migrates the database first)")
    _add_db(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8765, help="port to listen on (default 8765)")
    serve.add_argument(
        "--tls-cert", type=Path, metavar="FILE", help="serve HTTPS with this certificate (PEM)"
    )
    serve.add_argument("--tls-key", type=Path, metavar="FILE", help="the certificate's private key (PEM)")
    serve.add_argument(
        "--simulate",
        action="store_true",
        help="run the marketplace simulator for seller 'demo', and the relay",
    )
    serve.add_argument("--speed", type=_speed, default=None, metavar="X",
                       help="simulated seconds per real second (default 600)")  # fmt: skip
    serve.add_argument("--seed", type=_non_negative, default=1, metavar="N", help="the simulator's seed")
    serve.add_argument("--orders-per-day", type=_positive, default=None, metavar="N",
                       help="how busy the simulated shop is, in simulated days (default 36)")  # fmt: skip
    serve.add_argument("--upstream", type=Path, metavar="FILE",
                       help="the simulated marketplace's refund file; runs the relay (default with "
                            "--simulate: marketplace.sqlite3 beside the database)")  # fmt: skip
    serve.add_argument("--upstream-faults", metavar="SPEC",
                       help="how unreliable that marketplace is, e.g. 'fail=0.1,lost=0.05,timeout=0.05,"
                            "delay=0.05-0.4,seed=7', or 'none' (default: a few percent of each)")  # fmt: skip
    serve.add_argument(
        "--access-token-ttl", type=_positive, default=3600, metavar="SECONDS",
        help="lifetime of the access tokens desktops exchange their device token for (default 3600)",
    )  # fmt: skip
    serve.add_argument("--amazon", metavar="SELLER",
                       help="execute SELLER's refunds on Amazon (SP-API) and pull its returns reports; "
                            "credentials from the keyring or SP_API_REFRESH_TOKEN, LWA_APP_ID and "
                            "LWA_CLIENT_SECRET")  # fmt: skip
    serve.add_argument("--merchant-id", metavar="ID", help="the seller's Amazon merchant id (with --amazon)")
    serve.add_argument("--amazon-marketplace", default="US", metavar="CODE",
                       help="the marketplace reports and feeds are for (default US)")  # fmt: skip
    serve.add_argument("--report-interval", type=_positive, default=6, metavar="HOURS",
                       help="hours between returns-report pulls (default 6)")  # fmt: skip
    serve.set_defaults(handler=run_serve)

    token = commands.add_parser("token", help="device tokens")
    token.set_defaults(handler=lambda _args: _usage(token))
    token_commands = token.add_subparsers(title="token commands", metavar="COMMAND")
    create = token_commands.add_parser("create", help="register a device and print its token once")
    _add_db(create)
    create.add_argument("--seller", required=True, help="the seller (created if new)")
    create.add_argument("--device", required=True, help="a name for the device")
    create.set_defaults(handler=run_token_create)

    ledger = commands.add_parser("ledger", help="upstream refund executions")
    _add_db(ledger)
    ledger.add_argument("--json", action="store_true", help="print only JSON on stdout")
    ledger.set_defaults(handler=run_ledger)

    compact = commands.add_parser("compact", help="compact the change log and prune idempotency keys")
    _add_db(compact)
    compact.add_argument("--keep-days", type=_non_negative, required=True, metavar="N",
                         help="keep every change (and key) of the last N days")  # fmt: skip
    compact.add_argument("--json", action="store_true", help="print only JSON on stdout")
    compact.set_defaults(handler=run_compact)


def _add_db(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"database URL or SQLite file (default: {DEFAULT_DB_FILE} in the data dir)",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _port(text: str) -> int:
    value = _non_negative(text)
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return value


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not positive")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{text!r}: the speed must be above 0 and at most 1000000")
    return value


def db_url(args: argparse.Namespace) -> str:
    """The database URL: ``--db`` (a URL, or a path to a SQLite file), else the data dir's file."""
    from seller_desk.backend.store import sqlite_url

    if args.db:
        return str(args.db) if "://" in args.db else sqlite_url(Path(args.db).expanduser().resolve())
    from seller_desk.paths import resolve_paths

    return sqlite_url(resolve_paths(getattr(args, "data_dir", None)).data_dir / DEFAULT_DB_FILE)


def _open(args: argparse.Namespace) -> Any:
    """The migrated database, or a user error naming the URL."""
    from sqlalchemy.exc import SQLAlchemyError

    from seller_desk.backend.store import Database, upgrade

    url = db_url(args)
    try:
        db = Database(url)
        upgrade(db)
    except (ValueError, SQLAlchemyError, OSError) as exc:
        raise UserError(f"backend database {_safe(url)}: {exc}") from exc
    return db


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


def run_serve(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from seller_desk.backend.server import ServeOptions, serve

    if (args.tls_cert is None) != (args.tls_key is None):
        raise UserError("HTTPS needs both --tls-cert and --tls-key")
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            raise UserError(f"{path}: no such file")
    options = ServeOptions(db_url=db_url(args), host=args.host, port=args.port,
                           tls_cert=args.tls_cert, tls_key=args.tls_key,
                           access_token_ttl=timedelta(seconds=args.access_token_ttl))  # fmt: skip
    configurers = _background(args, options.db_url) + _amazon(args, options.db_url)
    try:
        serve(options, configurers)
    except (ValueError, SQLAlchemyError, OSError) as exc:
        raise UserError(f"backend on {_safe(options.db_url)}: {exc}") from exc
    return 0


def _background(args: argparse.Namespace, url: str) -> list[Any]:
    """The relay (with an upstream file) and the simulator (``--simulate``) as server configurers."""
    for flag, value in (("--speed", args.speed), ("--orders-per-day", args.orders_per_day)):
        if value is not None and not args.simulate:
            raise UserError(f"{flag} only applies with --simulate")
    if not args.simulate and args.upstream is None:
        if args.upstream_faults:
            raise UserError("--upstream-faults needs --upstream FILE or --simulate")
        return []
    from seller_desk.backend.background import BackgroundOptions, background_configurer
    from seller_desk.backend.simulator import DEFAULT_SPEED, SimulatorSettings
    from seller_desk.backend.upstream import FaultPlan

    spec = args.upstream_faults
    try:
        faults = FaultPlan() if spec in ("none", "") else FaultPlan.parse(spec) if spec else None
    except ValueError as exc:
        raise UserError(f"--upstream-faults: {exc}") from exc
    simulate = None
    if args.simulate:
        simulate = SimulatorSettings(seed=args.seed, speed=args.speed or DEFAULT_SPEED)
        if args.orders_per_day is not None:
            simulate = simulate.busier(args.orders_per_day)
    options = BackgroundOptions(
        db_url=url,
        upstream_path=(args.upstream or _default_upstream(args, url)).expanduser().resolve(),
        faults=faults or FaultPlan.lively(args.seed),
        simulate=simulate,
    )
    return [background_configurer(options)]


def _amazon(args: argparse.Namespace, url: str) -> list[Any]:
    """The SP-API connector as a server configurer (``--amazon SELLER``)."""
    if args.amazon is None:
        for flag, value in (("--merchant-id", args.merchant_id),):
            if value is not None:
                raise UserError(f"{flag} only applies with --amazon SELLER")
        return []
    if args.simulate or args.upstream is not None:
        raise UserError("--amazon executes refunds on Amazon: it cannot run with --simulate or --upstream")
    if not args.merchant_id:
        raise UserError("--amazon needs --merchant-id (the seller's Amazon merchant id)")
    try:
        from seller_desk.backend.amazon.service import AmazonOptions, amazon_configurer
    except ImportError as exc:  # the desktop bundle leaves the SP-API client out (packaging/bundle_trim.py)
        raise UserError(f"--amazon: this build has no SP-API client ({exc.name} is missing); run the team "
                        "backend from a Python install of Seller Desk") from None  # fmt: skip
    from seller_desk.backend.amazon.credentials import ENVIRONMENT, KEYRING_SERVICE, load_credentials
    from seller_desk.domain.errors import UnknownMarketplace
    from seller_desk.domain.marketplaces import marketplace

    try:
        market = marketplace(args.amazon_marketplace).code
    except UnknownMarketplace as exc:
        raise UserError(f"--amazon-marketplace: {exc}") from None
    credentials = load_credentials(args.amazon)
    if credentials is None:
        names = ", ".join(ENVIRONMENT.values())
        where = f"the keyring (service {KEYRING_SERVICE}, user SELLER:refresh_token and so on)"
        raise UserError(f"no SP-API credentials for {args.amazon}: set {names}, or keep them in {where}")
    options = AmazonOptions(db_url=url, seller=args.amazon, merchant_id=args.merchant_id,
                            credentials=credentials, marketplace=market,
                            interval_s=args.report_interval * 3600.0)  # fmt: skip
    return [amazon_configurer(options)]


def _default_upstream(args: argparse.Namespace, url: str) -> Path:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return Path(parsed.database).parent / "marketplace.sqlite3"
    from seller_desk.paths import resolve_paths

    return resolve_paths(getattr(args, "data_dir", None)).data_dir / "marketplace.sqlite3"


def run_token_create(args: argparse.Namespace) -> int:
    from seller_desk.backend.clock import system_clock
    from seller_desk.backend.tenancy import create_device_token

    db = _open(args)
    try:
        with db.writing() as session:
            issued = create_device_token(session, args.seller, args.device, system_clock())
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    finally:
        db.dispose()
    print(issued.token)
    print(f"device {issued.device_id} of seller {args.seller!r}: keep this token; it is not stored and "
          "cannot be shown again", file=sys.stderr)  # fmt: skip
    return 0


def run_ledger(args: argparse.Namespace) -> int:
    from seller_desk.backend.ledger import list_ledger

    db = _open(args)
    try:
        with db.reading() as session:
            lines = list_ledger(session)
    finally:
        db.dispose()
    if args.json:
        print_json([line.as_json() for line in lines])
        return 0
    if not lines:
        print("the ledger is empty")
    for line in lines:
        executed = line.executed_at.isoformat() if line.executed_at else "-"
        print(f"{line.id:>6}  {line.seller:<16} refund {line.refund_id:<8} {line.amount.format():>12}  "
              f"{line.state:<9} {line.upstream_ref}  attempts {line.attempts}  "
              f"executed {executed}")  # fmt: skip
    return 0


def run_compact(args: argparse.Namespace) -> int:
    from seller_desk.backend.clock import system_clock
    from seller_desk.backend.feed.compaction import compact

    db = _open(args)
    now = system_clock()
    try:
        report = compact(db, cutoff=now - timedelta(days=args.keep_days), now=now)
    finally:
        db.dispose()
    result = {
        "sellers": report.sellers,
        "changes_removed": report.changes_removed,
        "keys_pruned": report.keys_pruned,
    }
    if args.json:
        print_json(result)
    else:
        print(f"compacted {report.sellers} seller(s): {report.changes_removed} change(s) removed, "
              f"{report.keys_pruned} idempotency key(s) pruned")  # fmt: skip
    return 0
