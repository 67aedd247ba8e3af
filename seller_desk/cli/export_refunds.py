"""``seller-desk export refunds --out FILE.csv|FILE.xlsx [--from D] [--to D] [--status S]``.

Every refund request (or those in the ``--status`` states, which here are refund states: pending,
approved, submitted, completed, failed, rejected, cancelled, auto_refunded), the most urgent refund
clock first; ``--from``/``--to`` are local days on which the request arrived, both included.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time, timedelta

from seller_desk.cli.common import UserError, open_store_for, report_export


def _midnight(day: object) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)  # type: ignore[call-overload]


def run_refunds(args: argparse.Namespace) -> int:
    from seller_desk.domain.enums import RefundState
    from seller_desk.exports.refunds import export_refunds
    from seller_desk.exports.tables import ExportError, export_format

    states = [s.value for s in RefundState]
    unknown = [s for s in args.status if s not in states]
    if unknown:
        raise UserError(f"--status {unknown[0]!r} is not a refund state; use one of {', '.join(states)}")
    if args.search:
        raise UserError("--search narrows the returns export; `export refunds` takes --status and dates")
    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UserError(f"--to {args.date_to} is before --from {args.date_from}")
    try:
        suffix = export_format(args.out)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    created = (
        _midnight(args.date_from) if args.date_from else None,
        _midnight(args.date_to + timedelta(days=1)) if args.date_to else None,
    )
    store = open_store_for(args)
    try:
        with store.reading() as session:
            steps = export_refunds(session, [RefundState(s) for s in args.status], args.out, created)
            while True:
                try:
                    next(steps)
                except StopIteration as done:
                    written = int(done.value)
                    break
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    return report_export(args, suffix, written, "refund request", "refund requests")
