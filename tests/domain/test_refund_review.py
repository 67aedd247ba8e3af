"""Drafts, previews, policy checks and customer messages on hand-built review facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seller_desk.domain.customer_messages import Outcome, default_message, outcome_of
from seller_desk.domain.enums import ChargeComponent, ConditionGrade, DecisionKind, RefundSource, RefundState
from seller_desk.domain.errors import PolicyViolation, RefundCapExceeded
from seller_desk.domain.money import Money
from seller_desk.domain.policies.refunds import AdjustmentType
from seller_desk.domain.policies.review_checks import describe_time_left, policy_checks
from seller_desk.domain.refund_review import (
    DecisionDraft,
    LineFacts,
    ReviewFacts,
    full_approval,
    partial_approval,
    preview,
    rejection,
    units_share,
    with_promised,
)

P, S, T, PROMO = (ChargeComponent.PRINCIPAL, ChargeComponent.SHIPPING, ChargeComponent.TAX,
                  ChargeComponent.PROMOTION)  # fmt: skip
NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


def facts(
    *, in_policy: bool = True, condition: ConditionGrade | None = None, due_in_h: float = 30
) -> ReviewFacts:
    line = LineFacts(
        order_line_id=1, order_item_code="OI-1", sku="LAMP", title="Lamp", quantity=3,
        charged={P: usd(3000), S: usd(600), T: usd(301), PROMO: usd(300)},
        refunded={S: usd(100)}, pending={},
        refundable={P: usd(3000), S: usd(500), T: usd(301), PROMO: usd(300)},
        asked={P: usd(3000), S: usd(600), T: usd(301)}, returned_quantity=3, in_policy=in_policy,
        condition=condition,
    )  # fmt: skip
    return ReviewFacts(
        request_id=9, order_id="111-1", currency="USD", state=RefundState.PENDING, source=RefundSource.RETURN,
        reason="defective", due_at=NOW + timedelta(hours=due_in_h), server_version=4, a_to_z_claim=False,
        needs_authorization=False, return_id=5, rma="RMA5", return_status="received", lines=(line,),
        requested=usd(3901),
    )  # fmt: skip


def test_full_approval_asks_what_the_request_asks_capped_at_refundable() -> None:
    draft = full_approval(facts())
    assert draft.kind == DecisionKind.APPROVE
    assert draft.amounts == {1: {P: usd(3000), S: usd(500), T: usd(301)}}  # shipping capped: 1.00 refunded
    adjustment = preview(facts(), draft)
    assert adjustment is not None
    assert adjustment.net == usd(3801)
    assert [(c.type, c.amount) for c in adjustment.items[0].components] == [
        (AdjustmentType.PRINCIPAL, usd(3000)),
        (AdjustmentType.SHIPPING, usd(500)),
        (AdjustmentType.TAX, usd(301)),
    ]  # fmt: skip


def test_partial_by_quantity_splits_exactly_and_all_units_give_back_the_charge() -> None:
    draft = partial_approval(facts(), {1: 1}, [P, T])
    assert draft.amounts == {1: {P: usd(1000), T: usd(101)}}  # 3.01 over 3 units: 1.01 + 1.00 + 1.00
    assert partial_approval(facts(), {1: 3}, [P, T]).amounts == {1: {P: usd(3000), T: usd(301)}}
    with pytest.raises(PolicyViolation, match="4 units asked, the line has 3"):
        partial_approval(facts(), {1: 4}, [P])


@given(st.integers(0, 10**9), st.integers(1, 50), st.data())
def test_unit_shares_never_exceed_the_charge_and_add_up(
    minor: int, quantity: int, data: st.DataObject
) -> None:
    units = data.draw(st.integers(0, quantity))
    part = units_share(usd(minor), quantity, units)
    rest = units_share(usd(minor), quantity, quantity) - part
    assert usd(0) <= part <= usd(minor)
    assert rest.amount_minor >= 0
    assert units_share(usd(minor), quantity, quantity) == usd(minor)


def test_an_amount_above_refundable_is_refused_naming_line_and_component() -> None:
    draft = DecisionDraft(9, DecisionKind.APPROVE, {1: {S: usd(600)}})
    with pytest.raises(RefundCapExceeded, match=r"line OI-1, shipping: asked 6\.00 USD but only 5\.00 USD"):
        preview(facts(), draft)
    cap = policy_checks(facts(), draft, NOW)[0]
    assert (cap.name, cap.ok) == ("Refundable amount", False)


def test_restocking_fee_refused_in_policy_original_condition_and_20_percent_needs_evidence() -> None:
    draft = DecisionDraft(9, DecisionKind.APPROVE, {1: {P: usd(3000)}}, restocking_fee_bp=1500)
    with pytest.raises(
        PolicyViolation, match="no restocking fee on an in-policy return in original condition"
    ):
        preview(facts(condition=ConditionGrade.LIKE_NEW), draft)
    used = facts(condition=ConditionGrade.ACCEPTABLE)
    adjustment = preview(used, draft)
    assert adjustment is not None and adjustment.net == usd(3000 - 450)
    assert adjustment.items[0].components[-1].type == AdjustmentType.RESTOCKING_FEE
    big = DecisionDraft(9, DecisionKind.APPROVE, {1: {P: usd(3000)}}, restocking_fee_bp=2000)
    with pytest.raises(PolicyViolation, match="20 % or more needs evidence"):
        preview(used, big)
    with_photo = DecisionDraft(9, DecisionKind.APPROVE, {1: {P: usd(3000)}}, restocking_fee_bp=2000,
                               evidence=("/e/1.jpg",))  # fmt: skip
    fee_check = policy_checks(used, with_photo, NOW)[1]
    assert fee_check.ok and "20 %" in fee_check.detail


def test_a_rejection_previews_to_nothing_and_needs_a_reason() -> None:
    assert preview(facts(), rejection(facts(), "used and damaged by the buyer")) is None
    with pytest.raises(PolicyViolation, match="needs a reason"):
        rejection(facts(), "  ")
    checks = policy_checks(facts(), DecisionDraft(9, DecisionKind.REJECT, {}, reason=""), NOW)
    assert (checks[0].name, checks[0].ok) == ("Reason", False)


def test_the_clock_check_says_time_left_or_overdue() -> None:
    assert describe_time_left(timedelta(hours=28, minutes=5)) == "1 d 4 h left"
    assert describe_time_left(-timedelta(hours=3, minutes=20)) == "3 h 20 min overdue"
    late = {c.name: c for c in policy_checks(facts(due_in_h=-2), full_approval(facts(due_in_h=-2)), NOW)}
    assert late["Refund clock"].ok is False and late["Refund clock"].detail == "2 h 0 min overdue"


def test_promised_money_shrinks_what_is_refundable() -> None:
    later = with_promised(facts(), {1: {P: usd(2500)}})
    assert later.lines[0].refundable[P] == usd(500)
    assert full_approval(later).amounts[1][P] == usd(500)


def test_messages_follow_the_outcome() -> None:
    f = facts()
    full = full_approval(f)
    assert outcome_of(f, full) == Outcome.APPROVED
    part = partial_approval(f, {1: 1}, [P])
    assert outcome_of(f, part) == Outcome.PARTIAL
    text = default_message(Outcome.PARTIAL, f, part, usd(1000))
    assert "10.00 USD" in text and "111-1" in text
    no = rejection(f, "the item was used")
    assert "the item was used" in default_message(outcome_of(f, no), f, no, None)


def test_a_promotion_taken_back_counts_against_the_total_as_upstream() -> None:
    draft = DecisionDraft(9, DecisionKind.APPROVE, {1: {P: usd(3000), PROMO: usd(300)}})
    adjustment = preview(facts(), draft)
    assert adjustment is not None and draft.total("USD") == adjustment.net == usd(2700)
