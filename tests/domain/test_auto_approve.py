"""Auto-approve rules: what matches, why not, and the limits no rule can lift."""

from __future__ import annotations

import pytest

from seller_desk.domain.auto_approve import AutoApproveRule, Candidate, describe, evaluate
from seller_desk.domain.enums import RefundSource
from seller_desk.domain.money import Money

RULE = AutoApproveRule("Small", Money(3000, "USD"), reasons=frozenset({"unwanted"}), require_sellable=True)


def candidate(**changes: object) -> Candidate:
    base: dict[str, object] = {
        "request_id": 1, "amount": Money(2500, "USD"), "source": RefundSource.RETURN, "reason": "unwanted",
        "return_status": "inspected", "inspected": True, "sellable": True, "in_policy": True,
        "a_to_z_claim": False,
    }  # fmt: skip
    return Candidate(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({}, "matches"),
        ({"amount": Money(3001, "USD")}, "30.01 USD is over 30.00 USD"),
        ({"amount": Money(100, "EUR")}, "in EUR, the rule is for USD"),
        ({"reason": "defective"}, "reason defective is not one of the rule's"),
        ({"in_policy": False}, "the return is outside the policy"),
        ({"return_status": "in_transit"}, "not received at the bench yet"),
        ({"inspected": False, "sellable": False, "return_status": "received"}, "not inspected yet"),
        ({"sellable": False}, "inspected, and not everything can be sold again"),
        ({"a_to_z_claim": True}, "an A-to-z claim is open: decide it yourself"),
        ({"source": RefundSource.A_TO_Z}, "an A-to-z claim is open: decide it yourself"),
    ],
)
def test_each_condition_says_why_it_does_not_match(changes: dict[str, object], why: str) -> None:
    verdict = evaluate(RULE, candidate(**changes))
    assert verdict.why == why and verdict.matches == (why == "matches")


def test_a_rule_is_always_bounded_and_never_takes_a_to_z() -> None:
    with pytest.raises(ValueError, match="above zero"):
        AutoApproveRule("Unbounded", Money(0, "USD"))
    with pytest.raises(ValueError, match="A-to-z"):
        AutoApproveRule("Claims", Money(100, "USD"), sources=frozenset({RefundSource.A_TO_Z}))
    assert describe(RULE) == "Approve up to 30.00 USD, for unwanted, once inspected sellable, in policy"
