"""``seller-desk export restock --out FILE.csv|FILE.xlsx``: the restock plan of every SKU, most urgent first.

The plan uses the default settings (a 28-day horizon, 14 days of cover, 7 days of safety stock, 14 days
of lead time for a SKU without its own) and today's date in UTC, like the Restock screen before the
seller changes anything. ``--from``/``--to``/``--status``/``--search`` select returns, not SKUs, so
they are refused here rather than silently ignored.
"""

from __future__ import annotations

import argparse

from seller_desk.cli.common import UserError, open_store_for, report_export


def run_restock(args: argparse.Namespace) -> int:
    from seller_desk.analytics.restock import plan_all, read_inputs
    from seller_desk.domain.restock import RestockSettings
    from seller_desk.exports.restock import export_restock
    from seller_desk.exports.tables import ExportError, export_format
    from seller_desk.store.queries.returns import dbapi

    given = [flag for flag, value in (("--from", args.date_from), ("--to", args.date_to),
             ("--status", args.status), ("--search", args.search)) if value]  # fmt: skip
    if given:
        raise UserError(f"{', '.join(given)} narrow the returns exports; `export restock` plans every SKU")
    try:
        suffix = export_format(args.out)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    store = open_store_for(args)
    try:
        from seller_desk.store.sellable_counts import catch_up

        with store.writing() as session:
            catch_up(dbapi(session.connection()))
        with store.engine.connect() as conn, conn.begin():
            inputs = read_inputs(dbapi(conn))
        written = export_restock(plan_all(inputs, RestockSettings()), args.out)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    return report_export(args, suffix, written, "SKU's plan", "SKUs' plans")
