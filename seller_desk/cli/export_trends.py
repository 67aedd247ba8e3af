"""``seller-desk export trends --out FILE.csv|FILE.xlsx [--from D] [--to D]``: returns per ISO week (UTC)
× canonical reason, the numbers behind the Trends screen's stacked chart (``exports.trends``)."""

from __future__ import annotations

import argparse
from datetime import timedelta

from seller_desk.cli.common import UserError, open_store_for, report_export
from seller_desk.cli.export import _local_midnight


def run_trends(args: argparse.Namespace) -> int:
    """Returns per ISO week (UTC) × reason; the weeks the local days --from/--to touch, whole."""
    from seller_desk.exports.tables import ExportError, export_format, write_table
    from seller_desk.exports.trends import HEADERS, trends_rows
    from seller_desk.store.queries.returns import dbapi
    from seller_desk.store.queries.trends import DAY_S, TrendsFilter

    if args.status or args.search:
        raise UserError("--status and --search narrow `export returns`, not `export trends`")
    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UserError(f"--to {args.date_to} is before --from {args.date_from}")
    try:
        suffix = export_format(args.out)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    first = int(_local_midnight(args.date_from).timestamp()) // DAY_S if args.date_from else None
    end = (
        -(-int(_local_midnight(args.date_to + timedelta(days=1)).timestamp()) // DAY_S)
        if args.date_to
        else None
    )
    store = open_store_for(args)
    try:
        with store.engine.connect() as conn:
            rows = list(trends_rows(dbapi(conn), TrendsFilter(first_day=first, end_day=end)))
        written = write_table(args.out, HEADERS, rows, sheet="Trends")
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    return report_export(args, suffix, written, "week × reason row", "week × reason rows")
