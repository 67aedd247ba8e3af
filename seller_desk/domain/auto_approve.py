"""Auto-approve rules: the refund requests a seller lets the desktop approve in full by itself.

A rule is always bounded: it names a currency and a most-per-request amount, and it never approves an
A-to-z claim (those need a human). On top, it may ask for given canonical reasons, given sources, the
item received at the bench, every inspected line sellable (disposition "restock"), and in-policy
returns only. `evaluate` answers whether a request matches and, when it does not, the first reason in
words ("over 50.00 EUR", "not inspected yet"), so the what-if replay and the rules screen can say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seller_desk.domain.enums import RefundSource
from seller_desk.domain.money import Money

RECEIVED_STATUSES = frozenset({"received", "inspected", "closed"})
RULE_SOURCES = frozenset({RefundSource.CUSTOMER, RefundSource.RETURN, RefundSource.MARKETPLACE})


@dataclass(frozen=True, slots=True)
class AutoApproveRule:
    name: str
    max_amount: Money  # per request, in the rule's currency; requests in other currencies never match
    reasons: frozenset[str] = frozenset()  # canonical reasons; empty: any
    sources: frozenset[RefundSource] = RULE_SOURCES
    require_received: bool = True
    require_sellable: bool = False
    in_policy_only: bool = True
    enabled: bool = False
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a rule needs a name")
        if not self.max_amount.is_positive:
            raise ValueError("a rule needs a most-per-request amount above zero")
        if RefundSource.A_TO_Z in self.sources:
            raise ValueError("A-to-z claims are never approved automatically")


@dataclass(frozen=True, slots=True)
class Candidate:
    """What a rule looks at about one refund request."""

    request_id: int
    amount: Money  # what approving in full would refund (the replay uses what the request asked)
    source: RefundSource
    reason: str | None  # the return's canonical reason, else the request's
    return_status: str | None
    inspected: bool  # at least one returned line inspected
    sellable: bool  # every inspected line's disposition is "restock"
    in_policy: bool | None  # every returned line in policy (None: no return)
    a_to_z_claim: bool
    state: str = "pending"
    outcome: str | None = field(default=None, compare=False)  # replay: what happened in the end


@dataclass(frozen=True, slots=True)
class Verdict:
    matches: bool
    why: str


def evaluate(rule: AutoApproveRule, c: Candidate) -> Verdict:
    """Whether `rule` approves `c`, else the first reason it does not (in the order a seller reads)."""
    if c.a_to_z_claim or c.source == RefundSource.A_TO_Z:
        return Verdict(False, "an A-to-z claim is open: decide it yourself")
    if c.amount.currency != rule.max_amount.currency:
        return Verdict(False, f"in {c.amount.currency}, the rule is for {rule.max_amount.currency}")
    if c.amount > rule.max_amount:
        return Verdict(False, f"{c.amount} is over {rule.max_amount}")
    if not c.amount.is_positive:
        return Verdict(False, "nothing to refund")
    if c.source not in rule.sources:
        return Verdict(False, f"asked by the {c.source.value.replace('_', ' ')}, not a source of the rule")
    if rule.reasons and (c.reason or "unknown") not in rule.reasons:
        return Verdict(False, f"reason {c.reason or 'unknown'} is not one of the rule's")
    if rule.in_policy_only and c.in_policy is False:
        return Verdict(False, "the return is outside the policy")
    if rule.require_received and (c.return_status or "") not in RECEIVED_STATUSES:
        return Verdict(False, "not received at the bench yet" if c.return_status else "no return to receive")
    if rule.require_sellable and not c.inspected:
        return Verdict(False, "not inspected yet")
    if rule.require_sellable and not c.sellable:
        return Verdict(False, "inspected, and not everything can be sold again")
    return Verdict(True, "matches")


def describe(rule: AutoApproveRule) -> str:
    """The rule in one sentence, as the rules screen lists it."""
    parts = [f"up to {rule.max_amount}"]
    if rule.reasons:
        parts.append("for " + ", ".join(sorted(r.replace("_", " ") for r in rule.reasons)))
    if rule.require_sellable:
        parts.append("once inspected sellable")
    elif rule.require_received:
        parts.append("once received")
    if rule.in_policy_only:
        parts.append("in policy")
    return "Approve " + ", ".join(parts)
