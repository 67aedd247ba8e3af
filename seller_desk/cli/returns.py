"""``seller-desk returns list|receive``: the Returns list for scripts, and receiving without the GUI.

``list`` pages through the same keyset queries as the Returns screen and prints as it goes, so listing a
million returns to a pipe uses the memory of one page. ``receive`` takes the keys a bench scanner
produces (RMA, return tracking number or order id); each key is its own transaction, so one bad key
never undoes the others, and every refused key is reported. Receipts are queued mutations, sent by the
next ``seller-desk sync`` or by the app.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from seller_desk.cli.common import UserError, add_common, open_store_for, print_json

if TYPE_CHECKING:
    from seller_desk.store.queries.returns import ReturnRow

PAGE = 500
TABLE_COLUMNS = (("RMA", 14), ("ORDER", 20), ("SKU", 16), ("STATUS", 11), ("REASON", 18), ("TRACKING", 22))


def register(sub: Any) -> None:
    parser = sub.add_parser("returns", help="list returns, or record their receipt at the bench")
    add_common(parser)
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="returns, newest request first")
    add_common(listing)
    listing.add_argument(
        "--status", action="append", default=[], metavar="S",
        help="only returns in this status (repeat for several): " + ", ".join(_statuses()),
    )  # fmt: skip
    listing.add_argument(
        "--search", default="", metavar="Q",
        help="an exact RMA, order id, tracking number, SKU or ASIN, or words of the customer's comment",
    )  # fmt: skip
    listing.add_argument("--limit", type=_positive, metavar="N", help="at most N returns (default: all)")
    listing.add_argument("--json", action="store_true", help="print only a JSON array on stdout")
    listing.set_defaults(handler=run_list)

    receive = actions.add_parser("receive", help="record parcels received at the bench (queued to sync)")
    add_common(receive)
    receive.add_argument("keys", nargs="+", metavar="KEY", help="RMA, return tracking number or order id")
    receive.add_argument("--json", action="store_true", help="print only JSON on stdout")
    receive.set_defaults(handler=run_receive)


def _statuses() -> list[str]:
    from seller_desk.domain.enums import ReturnStatus

    return [s.value for s in ReturnStatus]


def check_statuses(statuses: list[str]) -> None:
    unknown = [s for s in statuses if s not in _statuses()]
    if unknown:
        raise UserError(
            f"--status {unknown[0]!r} is not a return status; use one of {', '.join(_statuses())}"
        )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"--limit must be at least 1, not {value}")
    return value


def run_list(args: argparse.Namespace) -> int:
    from seller_desk.store.comment_index import catch_up_batch
    from seller_desk.store.queries.returns import DEFAULT_SORT, ReturnsFilter, dbapi, page_returns

    unknown = [s for s in args.status if s not in _statuses()]
    if unknown:
        raise UserError(
            f"--status {unknown[0]!r} is not a return status; use one of {', '.join(_statuses())}"
        )
    returns_filter = ReturnsFilter(statuses=tuple(args.status), search=args.search)
    store = open_store_for(args)
    out = sys.stdout
    printed = 0
    try:
        with store.engine.connect() as conn:
            if returns_filter.search:  # words of comments pulled since the app last indexed them
                while catch_up_batch(dbapi(conn)):
                    pass
            if args.json:
                out.write("[")
            else:
                out.write("  ".join(title.ljust(width) for title, width in TABLE_COLUMNS).rstrip() + "\n")
            key = None
            while args.limit is None or printed < args.limit:
                want = PAGE if args.limit is None else min(PAGE, args.limit - printed)
                rows = page_returns(conn, returns_filter, DEFAULT_SORT, key, want)
                for row in rows:
                    if args.json:
                        out.write(("," if printed else "") + json.dumps(return_json(row), ensure_ascii=False))
                    else:
                        out.write(_table_line(row) + "\n")
                    printed += 1
                if len(rows) < want:
                    break
                key = DEFAULT_SORT.key_of(rows[-1])
    finally:
        store.close()
    if args.json:
        out.write("]\n")
    else:
        print(f"{printed:,} return{'' if printed == 1 else 's'}", file=sys.stderr)
    return 0


def return_json(row: ReturnRow) -> dict[str, Any]:
    """One return as CLI.md promises it: stable names, ISO times (UTC), money as a decimal string."""
    from seller_desk.domain.money import Money
    from seller_desk.store.queries.returns import ReturnFlag

    return {
        "rma": row.rma,
        "order_id": row.order_id,
        "sku": row.sku,
        "title": row.title,
        "quantity": row.quantity,
        "status": row.status,
        "reason": row.reason,
        "reason_raw": row.reason_raw,
        "tracking": row.tracking_number,
        "carrier": row.carrier,
        "eta": _iso(row.eta),
        "last_scan_at": _iso(row.last_scan_at),
        "requested_at": _iso(row.requested_at),
        "value": {
            "amount": Money(row.value_minor, row.currency).to_decimal_string(),
            "currency": row.currency,
        },
        "flags": [flag.name.lower() for flag in ReturnFlag if flag in ReturnFlag(row.flags) and flag.name],
    }


def _iso(epoch: int | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def _table_line(row: ReturnRow) -> str:
    cells = (
        row.rma,
        row.order_id,
        row.sku,
        row.status,
        row.reason or row.reason_raw,
        row.tracking_number or "",
    )
    return "  ".join(str(c).ljust(w) for c, (_t, w) in zip(cells, TABLE_COLUMNS, strict=True)).rstrip()


def run_receive(args: argparse.Namespace) -> int:
    from seller_desk.store.receiving import ReceiveRefused, receive_by_key

    store = open_store_for(args)
    user = _user()
    received: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    try:
        for key in args.keys:
            try:
                with store.writing() as session:
                    done = receive_by_key(session, key, user=user)
            except ReceiveRefused as exc:
                errors.append({"key": key, "message": str(exc)})
                if not args.json:
                    print(f"seller-desk: {exc}", file=sys.stderr)
                continue
            received.append({"key": key, "rma": done.rma, "mutation_id": done.mutation_id})
            if not args.json:
                print(f"{done.rma}: received (queued to sync)")
    finally:
        store.close()
    if args.json:
        print_json({"received": received, "errors": errors})
    return 1 if errors else 0


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return None
