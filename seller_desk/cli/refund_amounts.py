"""Turning ``refunds approve``'s amount options into a decision draft (see cli/refunds.py for the rules).

Everything here is exact: amounts are parsed with `Money.parse` in the request's currency (more
decimals than the currency has is an error, not a rounding), and ``--amount`` is split with the
domain's largest-remainder `allocate`, which never puts a component above its share of the full
approval.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from seller_desk.cli.common import UserError
from seller_desk.domain.enums import ChargeComponent, DecisionKind
from seller_desk.domain.errors import DomainError
from seller_desk.domain.money import Money, allocate
from seller_desk.domain.refund_review import DecisionDraft, LineFacts, ReviewFacts, full_approval

ComponentArg = tuple[str | None, str, Decimal]  # (line: SKU or order item code, component, amount)


def _money(value: Decimal, currency: str, what: str) -> Money:
    try:
        return Money.parse(str(value), currency)
    except DomainError as exc:
        raise UserError(f"{what}: {exc}") from exc


def _split(facts: ReviewFacts, amount: Decimal) -> dict[int, dict[ChargeComponent, Money]]:
    full = full_approval(facts)
    wanted = _money(amount, facts.currency, "--amount")
    # Split over the credit components only: a promotion taken back is not part of an amount typed.
    parts = [
        (line, comp, m)
        for line, comps in full.amounts.items()
        for comp, m in comps.items()
        if comp != ChargeComponent.PROMOTION
    ]
    most = Money(sum(m.amount_minor for _, _, m in parts), facts.currency)
    if not parts or not most.is_positive:
        raise UserError("--amount: nothing is refundable on this request now")
    if wanted > most:
        raise UserError(f"--amount {wanted} is more than the {most} refundable now")
    shares = allocate(wanted, [m.amount_minor for _, _, m in parts])
    out: dict[int, dict[ChargeComponent, Money]] = {}
    for (line, comp, _), share in zip(parts, shares, strict=True):
        if share.is_positive:
            out.setdefault(line, {})[comp] = share
    return out


def _line_for(facts: ReviewFacts, name: str | None, component: ChargeComponent) -> LineFacts:
    if name is not None:
        named = [line for line in facts.lines if name in (line.sku, line.order_item_code)]
        if not named:
            skus = ", ".join(line.sku for line in facts.lines)
            raise UserError(
                f"--component {name}:{component.value}: the order has no line {name} (lines: {skus})"
            )
        return named[0]
    having = [line for line in facts.lines if component in line.charged]
    if len(having) == 1:
        return having[0]
    if not having:
        raise UserError(f"--component {component.value}: nothing of it was charged on order {facts.order_id}")
    skus = ", ".join(line.sku for line in having)
    raise UserError(
        f"--component {component.value}: several lines have it ({skus}); write SKU:{component.value}=X"
    )


def _components(facts: ReviewFacts, given: Sequence[ComponentArg]) -> dict[int, dict[ChargeComponent, Money]]:
    names = {c.value: c for c in ChargeComponent}
    out: dict[int, dict[ChargeComponent, Money]] = {}
    for line_name, name, value in given:
        if name not in names:
            raise UserError(f"--component {name!r} is not a charge component; use one of {', '.join(names)}")
        component = names[name]
        line = _line_for(facts, line_name, component)
        amount = _money(value, facts.currency, f"--component {name}")
        comps = out.setdefault(line.order_line_id, {})
        comps[component] = comps[component] + amount if component in comps else amount
    return out


def approval_draft(
    facts: ReviewFacts,
    *,
    amount: Decimal | None,
    components: Sequence[ComponentArg],
    fee_bp: int,
    evidence: tuple[str, ...],
) -> DecisionDraft:
    """The draft the options describe; `preview` then checks it against every refund rule."""
    if amount is not None:
        amounts = _split(facts, amount)
    elif components:
        amounts = _components(facts, components)
    else:
        amounts = dict(full_approval(facts).amounts)
    return DecisionDraft(
        facts.request_id, DecisionKind.APPROVE, amounts, restocking_fee_bp=fee_bp, evidence=evidence
    )
