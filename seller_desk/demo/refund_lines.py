"""Money per order line and component: what each request asks for, and what was (or will be) paid.

Amounts are cut from the charged amounts by integer arithmetic on the refunded quantity, so a request
can never ask for more than a line was charged, and the requests on one order never overlap (a return
refund takes goods and tax, plus shipping only when it was the seller's fault; a buyer's separate
shipping request only exists when the return did not refund shipping). Payments exist for approved,
submitted, completed and auto-refunded requests; a restocking fee is one more, negative, principal
row (the component vocabulary has no restocking-fee member). Amounts are magnitudes, a promotion the
size of the discount taken back, so a request's total and a payment's credit count it negative.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from seller_desk.demo.orders import Orders
from seller_desk.demo.refunds import ST, Requests
from seller_desk.domain.enums import ChargeComponent, RefundState

COMPONENTS: tuple[ChargeComponent, ...] = tuple(ChargeComponent)
_C = {c: i for i, c in enumerate(COMPONENTS)}
PAYING = np.zeros(len(ST), dtype=bool)
SETTLED = np.zeros(len(ST), dtype=bool)
FEE_STATES = np.zeros(len(ST), dtype=bool)
for _s in (RefundState.APPROVED, RefundState.SUBMITTED, RefundState.COMPLETED, RefundState.AUTO_REFUNDED):
    PAYING[ST[_s]] = True
for _s in (RefundState.COMPLETED, RefundState.AUTO_REFUNDED):
    SETTLED[ST[_s]] = True
for _s in (RefundState.APPROVED, RefundState.SUBMITTED, RefundState.COMPLETED):
    FEE_STATES[ST[_s]] = True


@dataclass(slots=True)
class Items:
    """What a request covers, per order line: goods share (quantity/of) and/or the shipping charges."""

    request: np.ndarray
    line: np.ndarray
    quantity: np.ndarray
    of: np.ndarray  # the line's ordered quantity
    goods: np.ndarray  # bool: principal, tax and promotion share
    shipping: np.ndarray  # bool: shipping, shipping tax and gift wrap in full


@dataclass(slots=True)
class Money:
    line_request: np.ndarray
    line_order_line: np.ndarray
    line_quantity: np.ndarray
    line_component: np.ndarray
    line_amount: np.ndarray
    pay_request: np.ndarray
    pay_order_line: np.ndarray
    pay_component: np.ndarray
    pay_amount: np.ndarray
    pay_settled: np.ndarray
    pay_executed_at: np.ndarray
    requested: np.ndarray  # per request
    refunded: np.ndarray  # per request: settled net amount


def concat_items(parts: list[Items]) -> Items:
    return Items(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Items)})


def money(orders: Orders, items: Items, requests: Requests) -> Money:
    l = items.line  # noqa: E741
    share = items.goods.astype(np.int64)
    full = items.shipping.astype(np.int64)
    parts = np.zeros((len(l), len(COMPONENTS)), dtype=np.int64)
    parts[:, _C[ChargeComponent.PRINCIPAL]] = orders.principal[l] * items.quantity // items.of * share
    parts[:, _C[ChargeComponent.TAX]] = orders.tax[l] * items.quantity // items.of * share
    parts[:, _C[ChargeComponent.PROMOTION]] = orders.promotion[l] * items.quantity // items.of * share
    parts[:, _C[ChargeComponent.SHIPPING]] = orders.shipping[l] * full
    parts[:, _C[ChargeComponent.SHIPPING_TAX]] = orders.shipping_tax[l] * full
    parts[:, _C[ChargeComponent.GIFT_WRAP]] = orders.gift_wrap[l] * full
    item, comp = np.nonzero(parts)
    comp = comp.astype(np.int8)
    req = items.request[item].astype(np.int32)
    amount = parts[item, comp]
    n_req = len(requests.state)
    requested = np.bincount(req, weights=_credit(comp, amount), minlength=n_req).astype(np.int64)

    state = requests.state[req]
    paying = PAYING[state]
    p_req, p_line, p_comp, p_amount = req[paying], l[item][paying], comp[paying], amount[paying]
    # One restocking fee row per request, on its first principal row.
    principal_rows = np.flatnonzero(paying & (comp == _C[ChargeComponent.PRINCIPAL]))
    first = principal_rows[np.unique(req[principal_rows], return_index=True)[1]]
    fee_bp = requests.fee_bp[req[first]]
    charged = first[(fee_bp > 0) & FEE_STATES[state[first]]]
    fee = -(amount[charged] * requests.fee_bp[req[charged]] // 10_000)
    all_req = np.concatenate([p_req, req[charged]])
    is_fee = np.concatenate([np.zeros(len(p_req), dtype=bool), np.ones(len(charged), dtype=bool)])
    order = np.lexsort((is_fee, all_req))
    pay_request = all_req[order]
    pay_amount = np.concatenate([p_amount, fee])[order]
    settled = SETTLED[requests.state[pay_request]]
    credit = _credit(np.concatenate([p_comp, comp[charged]])[order], pay_amount)
    refunded = np.bincount(pay_request[settled], weights=credit[settled], minlength=n_req).astype(np.int64)
    return Money(
        line_request=req,
        line_order_line=l[item],
        line_quantity=items.quantity[item],
        line_component=comp,
        line_amount=amount,
        pay_request=pay_request,
        pay_order_line=np.concatenate([p_line, l[item][charged]])[order],
        pay_component=np.concatenate([p_comp, comp[charged]])[order],
        pay_amount=pay_amount,
        pay_settled=settled,
        pay_executed_at=np.where(settled, requests.updated_at[pay_request], -1),
        requested=requested,
        refunded=refunded,
    )


def _credit(component: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Amounts as a credit to the buyer: a promotion taken back counts negative."""
    return np.where(component == _C[ChargeComponent.PROMOTION], -amount, amount)
