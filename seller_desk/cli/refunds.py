"""``seller-desk refunds list|approve|reject``: the refund queue for scripts, and deciding without the GUI.

Decisions made here are the same queued mutations the app makes (``store/refund_review.py``), checked
against the same policies and kept in the audit with the checks that applied; the next
``seller-desk sync`` or the app sends them. Amounts are decimals in the request's currency, parsed
exactly (never through a float):

* no amount: approve in full (everything the request asks, as far as it is refundable now);
* ``--amount X``: X split over what a full approval would refund, in proportion, to the minor unit
  (largest remainder), so no component goes above its cap;
* ``--component NAME=X``: X of one charge component; when the order has several lines with that
  component, name the line as ``SKU:NAME=X`` (or its order item code).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from seller_desk.cli.common import UserError, add_common, open_store_for, print_json
from seller_desk.cli.returns import _user

if TYPE_CHECKING:
    from seller_desk.domain.refund_review import DecisionDraft, ReviewFacts
    from seller_desk.store.queries.refund_list import RefundListRow

TABLE = (("ID", 9), ("ORDER", 20), ("STATE", 13), ("DUE (UTC)", 17), ("REFUNDABLE", 14), ("DECISION", 24))


def register(sub: Any) -> None:
    parser = sub.add_parser("refunds", help="list refund requests, or approve / reject them (queued to sync)")
    add_common(parser)
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="refund requests, the most urgent refund clock first")
    add_common(listing)
    listing.add_argument(
        "--state",
        action="append",
        default=[],
        metavar="S",
        help="only requests in this state (repeat for several): " + ", ".join(_states()),
    )
    listing.add_argument("--limit", type=int, metavar="N", help="at most N requests")
    listing.add_argument("--json", action="store_true", help="print only a JSON array on stdout")
    listing.set_defaults(handler=run_list)

    approve = actions.add_parser("approve", help="approve a request in full or in part")
    add_common(approve)
    approve.add_argument("id", type=int, metavar="ID", help="the refund request's id (see refunds list)")
    how = approve.add_mutually_exclusive_group()
    how.add_argument("--amount", metavar="X", help="refund X in total, split over what is asked")
    how.add_argument(
        "--component",
        action="append",
        default=[],
        metavar="NAME=X",
        help="refund X of one component (principal, shipping, tax, ...); SKU:NAME=X for a line",
    )
    approve.add_argument("--restocking-fee", metavar="PCT", help="keep PCT %% of the principal refunded")
    approve.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="FILE",
        help="a photo backing the restocking fee (needed from 20 %%)",
    )
    approve.add_argument("--message", metavar="TEXT", help="note to the customer (default: the template)")
    approve.add_argument("--json", action="store_true", help="print only JSON on stdout")
    approve.set_defaults(handler=run_approve)

    reject = actions.add_parser("reject", help="reject a request, with a reason")
    add_common(reject)
    reject.add_argument("id", type=int, metavar="ID")
    reject.add_argument("--reason", required=True, metavar="TEXT", help="why (shown to the customer)")
    reject.add_argument("--message", metavar="TEXT", help="note to the customer (default: the template)")
    reject.add_argument("--json", action="store_true", help="print only JSON on stdout")
    reject.set_defaults(handler=run_reject)  # fmt: skip


def _states() -> list[str]:
    from seller_desk.domain.enums import RefundState

    return [s.value for s in RefundState]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _money(amount: Any) -> dict[str, str]:
    return {"amount": amount.to_decimal_string(), "currency": amount.currency}


def refund_json(row: RefundListRow) -> dict[str, Any]:
    """One request as CLI.md promises it."""
    f, d = row.facts, row.decision
    return {
        "id": f.request_id,
        "order_id": f.order_id,
        "state": f.state.value,
        "source": f.source.value,
        "reason": f.reason,
        "requested": _money(f.requested),
        "refundable": _money(row.refundable),
        "due_at": _iso(f.due_at),
        "rma": f.rma,
        "decision": None
        if d is None
        else {"kind": d.kind, "amount": _money(d.amount), "sync_state": d.sync_state, "by": d.decided_by},
    }


def run_list(args: argparse.Namespace) -> int:
    from seller_desk.domain.enums import RefundState
    from seller_desk.store.queries.refund_list import iter_refunds

    unknown = [s for s in args.state if s not in _states()]
    if unknown:
        raise UserError(f"--state {unknown[0]!r} is not a refund state; use one of {', '.join(_states())}")
    store = open_store_for(args)
    out, printed = sys.stdout, 0
    try:
        with store.reading() as session:
            if args.json:
                out.write("[")
            else:
                out.write("  ".join(t.ljust(w) for t, w in TABLE).rstrip() + "\n")
            for row in iter_refunds(session, [RefundState(s) for s in args.state], limit=args.limit):
                if args.json:
                    out.write(("," if printed else "") + _dumps(refund_json(row)))
                else:
                    out.write(_line(row) + "\n")
                printed += 1
    finally:
        store.close()
    if args.json:
        out.write("]\n")
    else:
        print(f"{printed:,} refund request{'' if printed == 1 else 's'}", file=sys.stderr)
    return 0


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _line(row: RefundListRow) -> str:
    f, d = row.facts, row.decision
    due = "" if f.due_at is None else f.due_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    decided = "" if d is None else f"{d.kind} {d.amount.to_decimal_string()} ({d.sync_state})"
    cells = (f.request_id, f.order_id, f.state.value, due, str(row.refundable), decided)
    return "  ".join(str(c).ljust(w) for c, (_t, w) in zip(cells, TABLE, strict=True)).rstrip()


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise UserError(f"{what}: {text!r} is not a decimal amount") from None
    if not value.is_finite() or value < 0:
        raise UserError(f"{what}: {text!r} must be a positive amount")
    return value


def _fee_bp(text: str | None) -> int:
    if text is None:
        return 0
    pct = _decimal(text.rstrip("%"), "--restocking-fee")
    bp = pct * 100
    if bp != bp.to_integral_value() or bp > 10_000:
        raise UserError(f"--restocking-fee: {text!r} must be a percentage with at most two decimals, <= 100")
    return int(bp)


def _run_decision(args: argparse.Namespace, build: Any) -> int:
    from seller_desk.domain.customer_messages import default_message, outcome_of
    from seller_desk.domain.errors import DomainError
    from seller_desk.domain.policies.review_checks import policy_checks
    from seller_desk.domain.refund_review import preview, why_not_decidable
    from seller_desk.store.outbox import MutationRefused
    from seller_desk.store.refund_review import load_review_facts, record_decision

    store = open_store_for(args)
    user, now = _user(), datetime.now(UTC)
    try:
        with store.writing() as session:
            facts = load_review_facts(session, args.id)
            refusal = why_not_decidable(facts)
            if refusal is not None:
                raise MutationRefused(refusal)
            draft = build(facts, store)
            adjustment = preview(facts, draft)
            message = args.message or default_message(
                outcome_of(facts, draft), facts, draft, None if adjustment is None else adjustment.net
            )
            draft = _with_message(draft, message)
            checks = policy_checks(facts, draft, now)
            mutation = record_decision(session, draft, user=user, checks=checks, now=now, facts=facts)
    except (MutationRefused, DomainError) as exc:
        text = str(exc)
        raise UserError(
            text if text.startswith("refund request") else f"refund request {args.id}: {text}"
        ) from exc
    finally:
        store.close()
    amount = None if adjustment is None else adjustment.net
    if args.json:
        print_json({
            "id": args.id, "mutation_id": mutation.id, "kind": draft.kind.value,
            "amount": None if amount is None else _money(amount),
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
        })  # fmt: skip
    else:
        what = "rejected" if amount is None else f"approved {amount}"
        print(f"refund request {args.id}: {what} (queued to sync)")
        for check in checks:
            if not check.ok:
                print(f"  note: {check.name}: {check.detail}", file=sys.stderr)
    return 0


def _with_message(draft: DecisionDraft, message: str) -> DecisionDraft:
    from dataclasses import replace

    return replace(draft, customer_message=message)


def run_approve(args: argparse.Namespace) -> int:
    from seller_desk.cli.refund_amounts import approval_draft

    fee_bp = _fee_bp(args.restocking_fee)

    def build(facts: ReviewFacts, store: Any) -> DecisionDraft:
        evidence = _keep_evidence(args, facts, store)
        amount = None if args.amount is None else _decimal(args.amount, "--amount")
        parts = [_component_arg(text) for text in args.component]
        return approval_draft(facts, amount=amount, components=parts, fee_bp=fee_bp, evidence=evidence)

    return _run_decision(args, build)


def _component_arg(text: str) -> tuple[str | None, str, Decimal]:
    name, sep, value = text.partition("=")
    if not sep:
        raise UserError(f"--component {text!r}: write NAME=X, e.g. principal=12.50")
    line, _, component = name.rpartition(":")
    return (line or None), component.strip().lower(), _decimal(value, f"--component {text}")


def _keep_evidence(args: argparse.Namespace, facts: ReviewFacts, store: Any) -> tuple[str, ...]:
    if not args.evidence:
        return ()
    from seller_desk.store.evidence import EvidenceRefused, keep_photos

    try:
        kept = keep_photos(store.path.parent, facts.return_id or 0, args.evidence)
    except EvidenceRefused as exc:
        raise UserError(f"--evidence: {exc}") from exc
    return tuple(kept)


def run_reject(args: argparse.Namespace) -> int:
    from seller_desk.domain.errors import PolicyViolation
    from seller_desk.domain.refund_review import rejection

    def build(facts: ReviewFacts, _store: Any) -> DecisionDraft:
        try:
            return rejection(facts, args.reason)
        except PolicyViolation as exc:
            raise UserError(f"--reason: {exc}") from exc

    return _run_decision(args, build)
