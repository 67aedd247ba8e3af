"""What a seller reviews before deciding a refund request, and the drafts a decision starts from.

The review facts are a snapshot of one request: per order line and charge component what was charged,
what is already refunded, what is approved but not settled yet (on the server and in this desktop's
queue), what is refundable now, and what the request asks. The drafts (`full_approval`,
`partial_approval`, `rejection`) are plain data the dialog edits; `preview` runs every refund rule of
`policies.refunds` on a draft and answers the signed adjustment exactly as it would go upstream, so
what the seller sees before clicking Approve is what the marketplace receives.

Amounts are magnitudes per ``order_line_id`` here (the store's key) and become per order item code
(the marketplace's key) only inside `preview`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from seller_desk.domain.entities import LineAmounts, signed_total
from seller_desk.domain.enums import (
    ChargeComponent,
    ConditionGrade,
    DecisionKind,
    Disposition,
    RefundSource,
    RefundState,
)
from seller_desk.domain.errors import PolicyViolation
from seller_desk.domain.money import Money, allocate, percent_of, total, zero
from seller_desk.domain.policies.refunds import Adjustment, FeeFacts, build_adjustment, refundable_now

Amounts = Mapping[ChargeComponent, Money]


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One order line of the request's order, with its money per charge component."""

    order_line_id: int
    order_item_code: str
    sku: str
    title: str | None
    quantity: int
    charged: Amounts
    refunded: Amounts = field(default_factory=dict)
    pending: Amounts = field(default_factory=dict)
    refundable: Amounts = field(default_factory=dict)
    asked: Amounts = field(default_factory=dict)
    asked_quantity: int | None = None
    returned_quantity: int | None = None
    in_policy: bool | None = None
    condition: ConditionGrade | None = None
    disposition: Disposition | None = None


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """Everything a seller sees before deciding one refund request."""

    request_id: int
    order_id: str
    currency: str
    state: RefundState
    source: RefundSource
    reason: str | None
    due_at: datetime | None
    server_version: int
    a_to_z_claim: bool
    needs_authorization: bool
    return_id: int | None
    rma: str | None
    return_status: str | None
    lines: tuple[LineFacts, ...]
    requested: Money
    local_decision: str | None = None  # this desktop's decision's sync state, e.g. "queued"
    marketplace: str | None = None

    def line(self, order_line_id: int) -> LineFacts:
        for line in self.lines:
            if line.order_line_id == order_line_id:
                return line
        raise PolicyViolation(f"order line {order_line_id} is not a line of order {self.order_id}")

    @property
    def asked_any(self) -> bool:
        return any(line.asked for line in self.lines)


@dataclass(frozen=True, slots=True)
class DecisionDraft:
    """A decision before it is recorded: what the dialog edits and `record_decision` queues."""

    request_id: int
    kind: DecisionKind
    amounts: Mapping[int, Amounts] = field(default_factory=dict)  # order_line_id -> component -> magnitude
    restocking_fee_bp: int = 0
    evidence: tuple[str, ...] = ()
    reason: str | None = None
    customer_message: str | None = None

    def total(self, currency: str) -> Money:
        """The buyer's credit before any restocking fee: every line's amounts, a promotion taken back
        counting against it (as `preview`'s signed net does)."""
        return signed_total((m for comps in self.amounts.values() for m in comps.items()), currency)


@dataclass(frozen=True, slots=True)
class PolicyCheck:
    """One line of the checks a seller is shown (and the audit keeps): a rule, whether it holds, why."""

    name: str
    ok: bool
    detail: str


def _capped(asked: Amounts, refundable: Amounts) -> dict[ChargeComponent, Money]:
    out: dict[ChargeComponent, Money] = {}
    for component, amount in asked.items():
        cap = refundable.get(component)
        if cap is None:
            continue
        part = amount if amount <= cap else cap
        if part.is_positive:
            out[component] = part
    return out


def full_approval(facts: ReviewFacts, *, customer_message: str | None = None) -> DecisionDraft:
    """Everything the request asks for, capped at what is refundable now on each line and component.

    A request that names no amounts (some marketplace claims) approves what is refundable now on every
    line instead.
    """
    amounts: dict[int, Amounts] = {}
    for line in facts.lines:
        wanted = line.asked if facts.asked_any else line.refundable
        capped = _capped(wanted, line.refundable)
        if capped:
            amounts[line.order_line_id] = capped
    return DecisionDraft(facts.request_id, DecisionKind.APPROVE, amounts, customer_message=customer_message)


def asked_total(facts: ReviewFacts) -> Money:
    """Everything the request asks, over all lines and components, as a credit to the buyer."""
    return signed_total((item for line in facts.lines for item in line.asked.items()), facts.currency)


def units_share(charged: Money, quantity: int, units: int) -> Money:
    """What `units` of a line of `quantity` units were charged: the line's amount split unit by unit
    without losing a minor unit (largest remainder), the first `units` parts summed. All units give
    back exactly the charged amount."""
    if units <= 0 or quantity <= 0:
        return zero(charged.currency)
    if units >= quantity:
        return charged
    return total(allocate(charged, [1] * quantity)[:units], charged.currency)


def partial_approval(
    facts: ReviewFacts,
    quantities: Mapping[int, int],
    components: Collection[ChargeComponent],
    *,
    restocking_fee_bp: int = 0,
) -> DecisionDraft:
    """Refund `quantities[line]` units of each line, for the given components only, pro rata to the
    charged amounts and capped at what is refundable now."""
    amounts: dict[int, Amounts] = {}
    for line_id, units in quantities.items():
        line = facts.line(line_id)
        if units < 0 or units > line.quantity:
            raise PolicyViolation(f"line {line.sku}: {units} units asked, the line has {line.quantity}")
        share = {
            c: units_share(line.charged[c], line.quantity, units)
            for c in components
            if c in line.charged and line.charged[c].is_positive
        }
        capped = _capped(share, line.refundable)
        if capped:
            amounts[line_id] = capped
    return DecisionDraft(facts.request_id, DecisionKind.APPROVE, amounts, restocking_fee_bp=restocking_fee_bp)


def rejection(facts: ReviewFacts, reason: str, *, customer_message: str | None = None) -> DecisionDraft:
    if not reason.strip():
        raise PolicyViolation("a rejection needs a reason")
    return DecisionDraft(
        facts.request_id, DecisionKind.REJECT, {}, reason=reason.strip(), customer_message=customer_message
    )


def amounts_by_code(facts: ReviewFacts, pick: str) -> LineAmounts:
    return {line.order_item_code: dict(getattr(line, pick)) for line in facts.lines}


def asked_by_code(facts: ReviewFacts, draft: DecisionDraft) -> dict[str, dict[ChargeComponent, Money]]:
    asked: dict[str, dict[ChargeComponent, Money]] = {}
    for line_id, comps in draft.amounts.items():
        line = facts.line(line_id)
        nonzero = {c: m for c, m in comps.items() if not m.is_zero}
        if nonzero:
            asked[line.order_item_code] = nonzero
    return asked


def restocking_fees(facts: ReviewFacts, draft: DecisionDraft) -> dict[str, Money]:
    """The fee per order item code: `restocking_fee_bp` of the principal refunded on that line."""
    if draft.restocking_fee_bp == 0:
        return {}
    fees: dict[str, Money] = {}
    for code, comps in asked_by_code(facts, draft).items():
        principal = comps.get(ChargeComponent.PRINCIPAL)
        if principal is not None and principal.is_positive:
            fees[code] = percent_of(principal, draft.restocking_fee_bp)
    return fees


def fee_facts(facts: ReviewFacts, draft: DecisionDraft) -> dict[str, FeeFacts]:
    """What the restocking-fee rule knows of each line; a line with no return gets none (no fee)."""
    return {
        line.order_item_code: FeeFacts(
            in_policy=bool(line.in_policy), condition=line.condition, evidence_attached=bool(draft.evidence)
        )
        for line in facts.lines
        if line.in_policy is not None
    }


def preview(facts: ReviewFacts, draft: DecisionDraft) -> Adjustment | None:
    """The signed adjustment an approval sends upstream (None for a rejection, which sends none).

    Raises `RefundCapExceeded` or `PolicyViolation` naming the first rule the draft breaks.
    """
    if draft.kind == DecisionKind.REJECT:
        if not (draft.reason or "").strip():
            raise PolicyViolation("a rejection needs a reason")
        return None
    asked = asked_by_code(facts, draft)
    if not asked:
        raise PolicyViolation("an approval needs an amount to refund on at least one line")
    return build_adjustment(
        asked,
        amounts_by_code(facts, "charged"),
        amounts_by_code(facts, "refunded"),
        amounts_by_code(facts, "pending"),
        restocking_fees(facts, draft),
        fee_facts(facts, draft),
        currency=facts.currency,
    )


def with_promised(facts: ReviewFacts, promised: Mapping[int, Amounts]) -> ReviewFacts:
    """`facts` as they stand once more money is promised on some lines (approvals decided since the
    facts were read, e.g. earlier in the same bulk approval): pending grows, refundable shrinks."""
    if not any(line.order_line_id in promised for line in facts.lines):
        return facts
    lines = []
    for line in facts.lines:
        more = promised.get(line.order_line_id)
        if not more:
            lines.append(line)
            continue
        pending = dict(line.pending)
        for component, amount in more.items():
            pending[component] = pending[component] + amount if component in pending else amount
        left = refundable_now({"x": line.charged}, {"x": line.refunded}, {"x": pending})["x"]
        lines.append(replace(line, pending=pending, refundable=left))
    return replace(facts, lines=tuple(lines))


_WAITING = ("queued", "sending", "acknowledged")


def why_not_decidable(facts: ReviewFacts) -> str | None:
    """Why no decision can be made on this request now (None when one can): only a pending request
    with no decision of this desktop still on its way can be decided."""
    if facts.local_decision in _WAITING:
        return (
            f"refund request {facts.request_id} was already decided on this desktop "
            f"({facts.local_decision}); undo that decision first"
        )
    if facts.state != RefundState.PENDING:
        return f"refund request {facts.request_id} is already {facts.state.value} on the backend"
    return None
