"""Refund policy: caps per line and component, the restocking-fee rule, and the signed adjustment."""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from seller_desk.domain.entities import LineAmounts
from seller_desk.domain.enums import ChargeComponent, ConditionGrade
from seller_desk.domain.errors import (
    CurrencyMismatch,
    PolicyViolation,
    RefundCapExceeded,
)
from seller_desk.domain.money import Money, total
from seller_desk.domain.policies.refunds import (
    AdjustmentType,
    FeeFacts,
    build_adjustment,
    check_approval,
    check_restocking_fee,
    fee_needs_evidence,
    refundable_now,
)

P, S, T = ChargeComponent.PRINCIPAL, ChargeComponent.SHIPPING, ChargeComponent.TAX
PROMO = ChargeComponent.PROMOTION
DAMAGED_OUT_OF_POLICY = FeeFacts(in_policy=False, condition=ConditionGrade.DAMAGED, evidence_attached=False)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


CHARGED: LineAmounts = {"A": {P: usd(2000), S: usd(500), T: usd(160)}, "B": {P: usd(1000)}}


# -- refundable now ------------------------------------------------------------------------------------


def test_refundable_now_subtracts_refunded_and_unsettled() -> None:
    left = refundable_now(CHARGED, {"A": {P: usd(500)}}, {"A": {P: usd(1000), T: usd(200)}})
    assert left == {"A": {P: usd(500), S: usd(500), T: usd(0)}, "B": {P: usd(1000)}}  # T floored at 0


def test_refundable_now_with_nothing_refunded_is_what_was_charged() -> None:
    assert refundable_now(CHARGED) == CHARGED


def test_refundable_now_refuses_mixed_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        refundable_now(CHARGED, {"A": {P: Money(1, "EUR")}})


# -- check_approval ------------------------------------------------------------------------------------


def test_approval_up_to_the_cap_is_accepted() -> None:
    check_approval({"A": {P: usd(1500), S: usd(500)}}, CHARGED, {"A": {P: usd(500)}})


def test_approval_above_the_cap_names_line_component_asked_and_allowed() -> None:
    with pytest.raises(RefundCapExceeded) as raised:
        check_approval({"A": {P: usd(600)}}, CHARGED, {"A": {P: usd(500)}}, {"A": {P: usd(1000)}})
    error = raised.value
    assert isinstance(error, PolicyViolation)
    assert (error.line, error.component, error.asked, error.allowed) == ("A", "principal", usd(600), usd(500))
    assert (
        "line A" in str(error) and "principal" in str(error) and "6.00" in str(error) and "5.00" in str(error)
    )


@pytest.mark.parametrize(
    "asked",
    [{"B": {S: usd(1)}}, {"Z": {P: usd(1)}}],  # a component, or a line, that was never charged
)
def test_nothing_can_be_refunded_that_was_not_charged(asked: LineAmounts) -> None:
    with pytest.raises(RefundCapExceeded) as raised:
        check_approval(asked, CHARGED)
    assert raised.value.allowed == usd(0)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(PolicyViolation, match="negative"):
        check_approval({"A": {P: usd(-1)}}, CHARGED)


# -- restocking fee ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("condition", [ConditionGrade.NEW, ConditionGrade.LIKE_NEW, None])
def test_no_fee_for_in_policy_return_in_original_condition(condition: ConditionGrade | None) -> None:
    facts = FeeFacts(in_policy=True, condition=condition, evidence_attached=True)
    with pytest.raises(PolicyViolation, match="original condition"):
        check_restocking_fee("A", usd(100), usd(2000), facts)


def test_fee_allowed_when_not_original_or_out_of_policy() -> None:
    check_restocking_fee("A", usd(300), usd(2000), FeeFacts(True, ConditionGrade.GOOD, False))
    check_restocking_fee("A", usd(300), usd(2000), FeeFacts(False, ConditionGrade.NEW, False))
    check_restocking_fee("A", usd(0), usd(2000), FeeFacts(True, ConditionGrade.NEW, False))  # no fee, no rule


def test_fee_of_twenty_percent_or_more_needs_evidence() -> None:
    assert not fee_needs_evidence(usd(1999), usd(10000))
    assert fee_needs_evidence(usd(2000), usd(10000))
    check_restocking_fee("A", usd(1999), usd(10000), DAMAGED_OUT_OF_POLICY)
    with pytest.raises(PolicyViolation, match="20 %"):
        check_restocking_fee("A", usd(2000), usd(10000), DAMAGED_OUT_OF_POLICY)
    with_photo = FeeFacts(in_policy=False, condition=ConditionGrade.DAMAGED, evidence_attached=True)
    check_restocking_fee("A", usd(5000), usd(10000), with_photo)


def test_fee_applies_to_principal_only() -> None:
    with_photo = FeeFacts(in_policy=False, condition=ConditionGrade.DAMAGED, evidence_attached=True)
    with pytest.raises(PolicyViolation, match="principal"):
        check_restocking_fee("A", usd(100), usd(0), with_photo)
    with pytest.raises(PolicyViolation, match="exceeds"):
        check_restocking_fee("A", usd(2001), usd(2000), with_photo)
    with pytest.raises(PolicyViolation, match="magnitude"):
        check_restocking_fee("A", usd(-1), usd(2000), with_photo)
    with pytest.raises(PolicyViolation, match="condition"):
        check_restocking_fee("A", usd(1), usd(2000), None)


# -- build_adjustment --------------------------------------------------------------------------------------


def test_adjustment_signs_and_net_as_sent_upstream() -> None:
    charged = {"A": {P: usd(2000), S: usd(500), T: usd(160), PROMO: usd(300)}}
    adjustment = build_adjustment(
        charged,
        charged,
        restocking_fees={"A": usd(200)},
        fee_facts={"A": DAMAGED_OUT_OF_POLICY},
        currency="USD",
    )
    (item,) = adjustment.items
    assert item.order_item_code == "A"
    assert [(c.type, c.amount) for c in item.components] == [
        (AdjustmentType.PRINCIPAL, usd(2000)),
        (AdjustmentType.SHIPPING, usd(500)),
        (AdjustmentType.TAX, usd(160)),
        (AdjustmentType.PROMOTION, usd(-300)),
        (AdjustmentType.RESTOCKING_FEE, usd(-200)),
    ]
    assert adjustment.net == usd(2000 + 500 + 160 - 300 - 200) == item.net("USD")
    assert (
        AdjustmentType.RESTOCKING_FEE.value == "RestockingFee"
        and AdjustmentType.SHIPPING_TAX.value == "ShippingTax"
    )


def test_adjustment_skips_zero_components_and_keeps_line_order() -> None:
    adjustment = build_adjustment(
        {"B": {P: usd(1000)}, "A": {T: usd(160), S: usd(0)}}, CHARGED, currency="USD"
    )
    assert [item.order_item_code for item in adjustment.items] == ["B", "A"]
    assert [c.type for c in adjustment.items[1].components] == [AdjustmentType.TAX]
    assert adjustment.net == usd(1160)


def test_net_must_be_a_credit_to_the_buyer() -> None:
    charged = {"A": {P: usd(2000), PROMO: usd(300)}}
    with pytest.raises(PolicyViolation, match="credit"):
        build_adjustment({"A": {PROMO: usd(300)}}, charged, currency="USD")
    with pytest.raises(PolicyViolation, match="credit"):
        build_adjustment({"A": {P: usd(0)}}, charged, currency="USD")


def test_adjustment_enforces_cap_and_fee_rules() -> None:
    with pytest.raises(RefundCapExceeded):
        build_adjustment({"A": {P: usd(2001)}}, CHARGED, currency="USD")
    with pytest.raises(PolicyViolation, match="refunds nothing"):
        build_adjustment({"A": {P: usd(100)}}, CHARGED, restocking_fees={"B": usd(10)}, currency="USD")
    with pytest.raises(PolicyViolation, match="policy and condition"):
        build_adjustment({"A": {P: usd(100)}}, CHARGED, restocking_fees={"A": usd(10)}, currency="USD")
    in_policy_new = {"A": FeeFacts(True, ConditionGrade.NEW, True)}
    with pytest.raises(PolicyViolation, match="original condition"):
        build_adjustment({"A": {P: usd(100)}}, CHARGED, restocking_fees={"A": usd(10)},
                         fee_facts=in_policy_new, currency="USD")  # fmt: skip


# -- properties --------------------------------------------------------------------------------------------

COMPONENTS = [P, S, T, PROMO]
minor = st.integers(0, 5_000)
component_amounts = st.dictionaries(st.sampled_from(COMPONENTS), minor.map(usd), min_size=1)
line_amounts = st.dictionaries(st.sampled_from(["A", "B", "C"]), component_amounts, min_size=1, max_size=3)


def _add(into: dict[str, dict[ChargeComponent, Money]], amounts: LineAmounts) -> None:
    for line, components in amounts.items():
        for component, amount in components.items():
            bucket = into.setdefault(line, {})
            bucket[component] = bucket.get(component, usd(0)) + amount


@st.composite
def approval_sequences(draw: st.DrawFn) -> tuple[LineAmounts, list[tuple[LineAmounts, bool]]]:
    """Charged amounts and a run of asks near them: some fit, some overshoot, some ask the uncharged."""
    charged = draw(line_amounts)
    asks: list[tuple[LineAmounts, bool]] = []
    for _ in range(draw(st.integers(1, 12))):
        ask: dict[str, dict[ChargeComponent, Money]] = {}
        for line in draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3, unique=True)):
            components = draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4, unique=True))
            ceiling = {c: charged.get(line, {}).get(c, usd(0)).amount_minor for c in components}
            ask[line] = {c: usd(draw(st.integers(0, ceiling[c] // 2 + 5))) for c in components}
        asks.append((ask, draw(st.booleans())))
    return charged, asks


@given(approval_sequences())
def test_no_sequence_of_accepted_approvals_exceeds_what_was_charged(
    case: tuple[LineAmounts, list[tuple[LineAmounts, bool]]],
) -> None:
    charged, asks = case
    refunded: dict[str, dict[ChargeComponent, Money]] = {}
    unsettled: dict[str, dict[ChargeComponent, Money]] = {}
    for asked, settle_now in asks:
        try:
            check_approval(asked, charged, refunded, unsettled)
        except PolicyViolation:
            event("refused")
            continue
        event("accepted")
        _add(refunded if settle_now else unsettled, asked)
    for line, components in {**refunded, **unsettled}.items():
        for component in components:
            paid = refunded.get(line, {}).get(component, usd(0)) + unsettled.get(line, {}).get(
                component, usd(0)
            )
            assert paid <= charged.get(line, {}).get(component, usd(0))


@st.composite
def approvals(draw: st.DrawFn) -> tuple[LineAmounts, LineAmounts, dict[str, Money], bool]:
    """Charged amounts and an approval that mostly fits under them, so most draws get past the cap."""
    charged = draw(line_amounts)
    asked: dict[str, dict[ChargeComponent, Money]] = {}
    fees: dict[str, Money] = {}
    for line, components in charged.items():
        if draw(st.booleans()):
            continue
        asked[line] = {c: usd(draw(st.integers(0, a.amount_minor))) for c, a in components.items()}
        principal = asked[line].get(P, usd(0)).amount_minor
        if principal and draw(st.booleans()):
            fees[line] = usd(draw(st.integers(0, principal // 2)))
    return charged, asked, fees, draw(st.booleans())


@settings(max_examples=400)
@given(approvals())
def test_accepted_adjustment_is_always_a_credit_with_correct_signs(
    case: tuple[LineAmounts, LineAmounts, dict[str, Money], bool],
) -> None:
    charged, asked, fees, evidence = case
    facts = {line: FeeFacts(False, ConditionGrade.DAMAGED, evidence) for line in fees}
    try:
        adjustment = build_adjustment(asked, charged, restocking_fees=fees, fee_facts=facts, currency="USD")
    except PolicyViolation:
        event("refused")
        return
    event("accepted")
    assert adjustment.net.is_positive
    signed = [c for item in adjustment.items for c in item.components]
    assert adjustment.net == total((c.amount for c in signed), "USD")
    for component in signed:
        negative = component.type in (AdjustmentType.RESTOCKING_FEE, AdjustmentType.PROMOTION)
        assert component.amount.is_negative if negative else component.amount.is_positive
    for line, fee in fees.items():
        if fee.is_positive:  # the fee never exceeds the principal refunded on its line
            assert fee <= asked[line][P]
