"""``seller-desk export returns|refunds|trends|restock --out FILE.csv|FILE.xlsx [--from D] [--to D]``: the
Returns list, the refund requests, returns per ISO week (UTC) × reason, or the restock plan, to a file.

Dates are days in this machine's time zone, both ends included, on the day the customer asked to
return (trends: the whole weeks those days touch). ``--status`` and ``--search`` narrow the returns
as in ``returns list`` (refunds: ``--status`` is a refund state, and the days are when the request
arrived).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from seller_desk.cli.common import UserError, add_common, open_store_for, report_export

AVAILABLE = ("returns", "refunds", "trends", "restock")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export", help="write returns, refunds, weekly trends or the restock plan to a CSV file or workbook"
    )
    add_common(parser)
    parser.add_argument("what", choices=AVAILABLE, help="what to export")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.csv or FILE.xlsx")
    parser.add_argument("--from", dest="date_from", type=_day, metavar="D", help="first day (YYYY-MM-DD)")
    parser.add_argument(
        "--to", dest="date_to", type=_day, metavar="D", help="last day, included (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--status", action="append", default=[], metavar="S", help="only this status (repeat)"
    )
    parser.add_argument("--search", default="", metavar="Q", help="as in `returns list --search`")
    parser.add_argument("--json", action="store_true", help="print only JSON on stdout")
    parser.set_defaults(handler=run)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day like 2026-11-22") from None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def run(args: argparse.Namespace) -> int:
    from seller_desk.cli.returns import check_statuses
    from seller_desk.exports.returns import export_returns
    from seller_desk.exports.tables import ExportError, export_format
    from seller_desk.store.queries.returns import ReturnsFilter, dbapi

    if args.what == "restock":
        from seller_desk.cli.export_restock import run_restock

        return run_restock(args)
    if args.what == "refunds":
        from seller_desk.cli.export_refunds import run_refunds

        return run_refunds(args)
    if args.what == "trends":
        from seller_desk.cli.export_trends import run_trends

        return run_trends(args)
    check_statuses(args.status)
    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UserError(f"--to {args.date_to} is before --from {args.date_from}")
    try:
        suffix = export_format(args.out)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    returns_filter = ReturnsFilter(
        statuses=tuple(args.status),
        search=args.search,
        requested_from=_local_midnight(args.date_from) if args.date_from else None,
        requested_to=_local_midnight(args.date_to + timedelta(days=1)) if args.date_to else None,
    )
    store = open_store_for(args)
    try:
        with store.engine.connect() as conn:
            steps = export_returns(dbapi(conn), returns_filter, args.out)
            while True:
                try:
                    done = next(steps)
                except StopIteration as finished:
                    written = int(finished.value)
                    break
                if not args.json and sys.stderr.isatty():
                    print(f"\rexported {done:,}…", end="", file=sys.stderr, flush=True)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    return report_export(args, suffix, written, "return", "returns")
