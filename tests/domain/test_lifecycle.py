"""Lifecycles: the exact moves DOMAIN.md allows for a return and a refund request, and nothing else."""

from __future__ import annotations

import itertools

import pytest

from seller_desk.domain.enums import RefundState as F
from seller_desk.domain.enums import ReturnStatus as S
from seller_desk.domain.errors import DomainError, IllegalTransition
from seller_desk.domain.lifecycle import (
    REFUND_TRANSITIONS,
    RETURN_MAIN_LINE,
    RETURN_TRANSITIONS,
    allowed_targets,
    can_transition,
    is_terminal,
    transition,
)

RETURN_ALLOWED = {
    (S.REQUESTED, S.AUTHORIZED), (S.AUTHORIZED, S.IN_TRANSIT), (S.IN_TRANSIT, S.DELIVERED),
    (S.DELIVERED, S.RECEIVED), (S.RECEIVED, S.INSPECTED), (S.INSPECTED, S.CLOSED),
    (S.AUTHORIZED, S.DELIVERED),
    (S.REQUESTED, S.REJECTED),
    (S.REQUESTED, S.CANCELLED), (S.AUTHORIZED, S.CANCELLED),
    (S.AUTHORIZED, S.EXPIRED),
    (S.REQUESTED, S.RETURNLESS), (S.AUTHORIZED, S.RETURNLESS),
    (S.AUTHORIZED, S.LOST), (S.IN_TRANSIT, S.LOST),
    (S.LOST, S.DELIVERED), (S.LOST, S.IN_TRANSIT), (S.LOST, S.CLOSED),
}  # fmt: skip

REFUND_ALLOWED = {
    (F.PENDING, F.APPROVED), (F.APPROVED, F.SUBMITTED), (F.SUBMITTED, F.COMPLETED),
    (F.SUBMITTED, F.FAILED), (F.FAILED, F.APPROVED), (F.FAILED, F.CANCELLED),
    (F.PENDING, F.REJECTED), (F.PENDING, F.CANCELLED), (F.PENDING, F.AUTO_REFUNDED),
    (F.APPROVED, F.CANCELLED), (F.APPROVED, F.AUTO_REFUNDED),
}  # fmt: skip


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_return_transition_table_is_exactly_the_documented_one(current: S, target: S) -> None:
    expected = (current, target) in RETURN_ALLOWED
    assert can_transition(current, target) is expected
    if expected:
        assert transition("return R1", current, target) is target
    else:
        with pytest.raises(IllegalTransition):
            transition("return R1", current, target)


@pytest.mark.parametrize(("current", "target"), list(itertools.product(F, F)))
def test_refund_transition_table_is_exactly_the_documented_one(current: F, target: F) -> None:
    expected = (current, target) in REFUND_ALLOWED
    assert can_transition(current, target) is expected
    if expected:
        assert transition("refund 7", current, target) is target
    else:
        with pytest.raises(IllegalTransition):
            transition("refund 7", current, target)


def test_tables_cover_every_state() -> None:
    assert set(RETURN_TRANSITIONS) == set(S)
    assert set(REFUND_TRANSITIONS) == set(F)


def test_main_line_walks_forward() -> None:
    state = RETURN_MAIN_LINE[0]
    for target in RETURN_MAIN_LINE[1:]:
        state = transition("return R1", state, target)
    assert state is S.CLOSED


def test_refund_retry_cycle() -> None:
    state = F.PENDING
    for target in (F.APPROVED, F.SUBMITTED, F.FAILED, F.APPROVED, F.SUBMITTED, F.COMPLETED):
        state = transition("refund 7", state, target)
    assert state is F.COMPLETED


def test_illegal_transition_message_names_entity_and_both_states() -> None:
    with pytest.raises(IllegalTransition) as raised:
        transition("return RMA-42", S.DELIVERED, S.IN_TRANSIT)
    error = raised.value
    assert isinstance(error, DomainError)
    assert (error.entity, error.from_state, error.to_state) == ("return RMA-42", "delivered", "in_transit")
    assert "return RMA-42" in str(error) and "'delivered'" in str(error) and "'in_transit'" in str(error)


def test_terminal_states() -> None:
    assert {s for s in S if is_terminal(s)} == {S.CLOSED, S.REJECTED, S.CANCELLED, S.EXPIRED, S.RETURNLESS}
    assert {f for f in F if is_terminal(f)} == {F.COMPLETED, F.REJECTED, F.CANCELLED, F.AUTO_REFUNDED}
    assert not is_terminal(S.LOST)


def test_allowed_targets() -> None:
    assert allowed_targets(S.IN_TRANSIT) == {S.DELIVERED, S.LOST}
    assert allowed_targets(F.SUBMITTED) == {F.COMPLETED, F.FAILED}
    assert allowed_targets(S.CLOSED) == frozenset()


def test_mixing_return_and_refund_states_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        transition("x", S.REQUESTED, F.APPROVED)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        allowed_targets("requested")  # type: ignore[call-overload]


def test_no_main_line_state_goes_backwards() -> None:
    order = {state: index for index, state in enumerate(RETURN_MAIN_LINE)}
    for current, target in RETURN_ALLOWED:
        if current in order and target in order:
            assert order[target] > order[current]
