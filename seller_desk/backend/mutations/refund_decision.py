"""``refund_decision``: a seller approves (fully, partly, per component, maybe with a restocking fee)
or rejects one refund request.

Checks, in this order, each refusing with the answer the desktop shows:

1. the request's state: anything but ``pending`` is a conflict — ``customer_cancelled``,
   ``auto_refunded``, or ``decided_elsewhere`` (approved, submitted, completed, failed or rejected by
   another mutation); an open A-to-z claim is ``claim_opened`` (the marketplace decides now);
2. ``base_version``: refund decisions are the one kind that checks it. A decision made on a version
   of the request older than the server's (its amounts or due time changed since the desktop saw it)
   is ``version_mismatch``; a receipt or a note is about the parcel, not about the row's version, so
   those kinds ignore it. A missing ``base_version`` skips the check.
3. for an approval: the currency and every order line must be the request's (400, naming the field);
   every component must fit in refundable-now (409 ``over_refund``: someone else's refund may have
   used it); the restocking fee must be allowed (400 on ``payload.restocking_fee_bp``); the net must
   be a credit (400).

An approval then moves the request to ``approved`` (domain lifecycle), records the decision, takes the
request's one slot in ``refund_approvals`` (the schema's "at most one approval"), writes the unsettled
``refund_payments`` and creates the ledger entry the relay will execute upstream, all in this
transaction. A rejection moves the request to ``rejected`` and records the decision.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import RowMapping

from seller_desk.backend.errors import bad_request, conflict
from seller_desk.backend.mutations.money import fee_facts, order_money
from seller_desk.backend.mutations.targets import MutationContext, snapshot
from seller_desk.backend.store.models import LedgerEntry, RefundApproval
from seller_desk.domain.enums import ChargeComponent, DecisionKind, RefundState
from seller_desk.domain.errors import PolicyViolation, RefundCapExceeded
from seller_desk.domain.lifecycle import transition
from seller_desk.domain.money import Money, percent_of, total
from seller_desk.domain.policies.refunds import (
    Adjustment,
    FeeFacts,
    build_adjustment,
    check_approval,
    check_restocking_fee,
)
from seller_desk.wire import MutationOutcome, RefundDecisionPayload

_ENTITY = "refund_request"


def upstream_ref(mutation_id: str) -> str:
    """The reference the relay sends upstream: derived from the mutation, so a resend is recognizable."""
    return "sd-" + mutation_id.replace("-", "")


def apply_refund_decision(ctx: MutationContext, request: RowMapping) -> MutationOutcome:
    payload = RefundDecisionPayload.model_validate(ctx.mutation.payload)
    _check_state(request)
    base = ctx.mutation.base_version
    if base is not None and base < int(request["server_version"]):
        raise conflict(
            "version_mismatch",
            f"refund request {request['id']} changed since this decision was made "
            f"(decided on version {base}, now {request['server_version']}): review it and decide again",
            snapshot(_ENTITY, request),
        )
    if payload.decision == "reject":
        return _reject(ctx, request, payload)
    return _approve(ctx, request, payload)


def _check_state(request: RowMapping) -> None:
    state: RefundState = request["state"]
    rid, snap = request["id"], snapshot(_ENTITY, request)
    if state is RefundState.CANCELLED:
        raise conflict("customer_cancelled", f"the customer cancelled refund request {rid}", snap)
    if state is RefundState.AUTO_REFUNDED:
        raise conflict("auto_refunded", f"the marketplace already refunded request {rid} by itself", snap)
    if state is not RefundState.PENDING:
        raise conflict("decided_elsewhere", f"refund request {rid} was already decided ({state.value})", snap)
    if request["a_to_z_claim"]:
        raise conflict("claim_opened", f"an A-to-z claim is open on refund request {rid}", snap)


def _reject(ctx: MutationContext, request: RowMapping, payload: RefundDecisionPayload) -> MutationOutcome:
    state = transition(f"refund request {request['id']}", request["state"], RefundState.REJECTED)
    updated = ctx.writer.update(_ENTITY, request, {"state": state, "updated_at": ctx.now})
    decision = ctx.writer.insert("decision", _decision_values(ctx, request, payload, DecisionKind.REJECT, 0))
    return _outcome(ctx, updated, {"state": state.value, "decision_id": decision["id"]})


def _approve(ctx: MutationContext, request: RowMapping, payload: RefundDecisionPayload) -> MutationOutcome:
    currency: str = request["currency"]
    if payload.currency != currency:
        raise bad_request(
            f"refund request {request['id']} is in {currency}, the decision in {payload.currency}",
            "payload.currency",
        )
    money = order_money(ctx.writer.session, request["order_pk"], currency)
    asked = _asked(payload, money.lines, request, currency)
    try:
        check_approval(asked, money.charged, money.refunded, money.approved_unsettled)
    except RefundCapExceeded as exc:
        raise conflict("over_refund", str(exc), snapshot(_ENTITY, request)) from exc
    fees, facts = _fees(ctx, request, payload, asked)
    try:
        adjustment = build_adjustment(
            asked, money.charged, money.refunded, money.approved_unsettled, fees, facts, currency=currency
        )
    except PolicyViolation as exc:  # what is left once caps and fees passed: the net is no credit
        raise bad_request(str(exc), "payload.components") from exc

    state = transition(f"refund request {request['id']}", request["state"], RefundState.APPROVED)
    updated = ctx.writer.update(_ENTITY, request, {"state": state, "updated_at": ctx.now})
    values = _decision_values(ctx, request, payload, DecisionKind.APPROVE, adjustment.net.amount_minor)
    decision = ctx.writer.insert("decision", values)
    session = ctx.writer.session
    session.execute(
        insert(RefundApproval).values(
            refund_request_id=request["id"],
            seller_id=ctx.writer.seller_id,
            mutation_id=ctx.mutation_id,
            decision_id=decision["id"],
            created_at=ctx.now,
        )
    )
    for line_id, components in asked.items():
        for component, amount in components.items():
            if amount.is_positive:
                ctx.writer.insert(
                    "refund_payment",
                    {
                        "refund_request_id": request["id"],
                        "order_line_id": int(line_id),
                        "component": component,
                        "amount_minor": amount.amount_minor,
                        "settled": False,
                        "executed_at": None,
                    },
                )
    ledger_id = session.execute(
        insert(LedgerEntry)
        .values(
            seller_id=ctx.writer.seller_id,
            refund_request_id=request["id"],
            mutation_id=ctx.mutation_id,
            order_id=request["order_id"],
            amount_minor=adjustment.net.amount_minor,
            currency=currency,
            components=_ledger_components(adjustment, money.lines),
            state="pending",
            upstream_ref=upstream_ref(ctx.mutation_id),
            attempts=0,
            created_at=ctx.now,
        )
        .returning(LedgerEntry.id)
    ).scalar_one()
    fee_total = total(fees.values(), currency).amount_minor
    result = {
        "state": state.value,
        "decision_id": decision["id"],
        "ledger_id": ledger_id,
        "refund_minor": adjustment.net.amount_minor,
        "restocking_fee_minor": fee_total,
        "currency": currency,
    }
    return _outcome(ctx, updated, result)


def _asked(
    payload: RefundDecisionPayload, lines: dict[int, RowMapping], request: RowMapping, currency: str
) -> dict[str, dict[ChargeComponent, Money]]:
    asked: dict[str, dict[ChargeComponent, Money]] = {}
    for index, component in enumerate(payload.components):
        if component.order_line_id not in lines:
            raise bad_request(
                f"order line {component.order_line_id} is not a line of order {request['order_id']}",
                f"payload.components.{index}.order_line_id",
            )
        line = asked.setdefault(str(component.order_line_id), {})
        if component.component in line:
            raise bad_request(
                f"order line {component.order_line_id} lists {component.component.value} twice",
                f"payload.components.{index}.component",
            )
        line[component.component] = Money(component.amount_minor, currency)
    return asked


def _fees(
    ctx: MutationContext,
    request: RowMapping,
    payload: RefundDecisionPayload,
    asked: dict[str, dict[ChargeComponent, Money]],
) -> tuple[dict[str, Money], dict[str, FeeFacts]]:
    """The restocking fee per line (a share of the principal refunded on it), checked line by line."""
    if not payload.restocking_fee_bp:
        return {}, {}
    fees: dict[str, Money] = {}
    for line, components in asked.items():
        principal = components.get(ChargeComponent.PRINCIPAL)
        if principal is not None and principal.is_positive:
            fees[line] = percent_of(principal, payload.restocking_fee_bp)
    if not fees:
        raise bad_request(
            "a restocking fee applies to refunded principal, and this approval refunds none",
            "payload.restocking_fee_bp",
        )
    facts = fee_facts(ctx.writer.session, request["return_id"], bool(payload.evidence))
    for line, fee in fees.items():
        try:
            check_restocking_fee(f"{line}", fee, asked[line][ChargeComponent.PRINCIPAL], facts.get(line))
        except PolicyViolation as exc:
            raise bad_request(str(exc), "payload.restocking_fee_bp") from exc
    return fees, facts


def _decision_values(
    ctx: MutationContext, request: RowMapping, payload: RefundDecisionPayload, kind: DecisionKind, amount: int
) -> dict[str, Any]:
    components = [c.model_dump(mode="json") for c in payload.components]
    return {
        "refund_request_id": request["id"],
        "mutation_id": ctx.mutation_id,
        "kind": kind,
        "amount_minor": amount,
        "currency": request["currency"],
        "components": json.dumps(components, separators=(",", ":")),
        "restocking_fee_bp": payload.restocking_fee_bp,
        "reason": payload.reason,
        "customer_message": payload.customer_message,
        "decided_by": payload.decided_by,
        "device_id": ctx.mutation.device_id,
        "decided_at": payload.decided_at,
    }


def _ledger_components(adjustment: Adjustment, lines: dict[int, RowMapping]) -> list[dict[str, Any]]:
    return [
        {
            "order_line_id": int(item.order_item_code),
            "order_item_code": lines[int(item.order_item_code)]["order_item_code"],
            "type": component.type.value,
            "amount_minor": component.amount.amount_minor,
        }
        for item in adjustment.items
        for component in item.components
    ]


def _outcome(ctx: MutationContext, request: RowMapping, result: dict[str, Any]) -> MutationOutcome:
    return MutationOutcome(
        mutation_id=ctx.mutation.mutation_id,
        target=ctx.mutation.target,
        server_version=int(request["server_version"]),
        result=result,
    )
