"""State machines of a return (RMA) and of a refund request.

Both lifecycles are tables, not scattered `if`s, so the store, the sync engine and the screens ask the same
question ("may this move happen?") and get the same answer. Anything not in a table is illegal and raises
`IllegalTransition`; staying in the same state is not a transition and is refused too, so a caller that
re-applies a fact must check `current == target` itself (that keeps "nothing happened" visible).

Return (DOMAIN.md "Return lifecycle")::

    requested -> authorized -> in_transit -> delivered -> received -> inspected -> closed

Side exits, and exactly where they may start:

* `rejected`   from requested only: it is the refusal of the authorization.
* `cancelled`  from requested or authorized: the customer withdraws before the parcel moves.
* `expired`    from authorized only: authorized but never shipped within the return window.
* `returnless` from requested or authorized: refund without a return is decided before shipping.
* `lost`       from authorized or in_transit: the carrier says so (possibly before any movement scan)
  or the parcel stalled too long in transit.
* A lost parcel is not terminal: a later scan may prove it alive (`lost -> in_transit`, `lost ->
  delivered`), or the seller writes it off (`lost -> closed`).
* `authorized -> delivered` is allowed because carriers sometimes report delivery as the first scan.

Terminal: closed, rejected, cancelled, expired, returnless.

Refund request (DOMAIN.md "Refund request lifecycle")::

    pending -> approved -> submitted -> completed
                              submitted -> failed -> approved (retry)

* `pending` may end as rejected (seller refuses), cancelled (customer withdraws) or auto_refunded
  (the marketplace refunded by itself).
* `approved` may still be cancelled (the customer withdraws before anything was sent upstream) or become
  auto_refunded (the marketplace refunded first, e.g. the SLA lapsed while the approval waited). Once
  `submitted`, money may already be moving, so only the feed's outcome (completed/failed) can follow.
* `failed` goes back to approved for a retry, or is cancelled when the seller gives up.

Terminal: completed, rejected, cancelled, auto_refunded.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import overload

from seller_desk.domain.enums import RefundState, ReturnStatus
from seller_desk.domain.errors import IllegalTransition

_RS = ReturnStatus
_FS = RefundState

RETURN_TRANSITIONS: Mapping[ReturnStatus, frozenset[ReturnStatus]] = MappingProxyType({
    _RS.REQUESTED: frozenset({_RS.AUTHORIZED, _RS.REJECTED, _RS.CANCELLED, _RS.RETURNLESS}),
    _RS.AUTHORIZED: frozenset({
        _RS.IN_TRANSIT, _RS.DELIVERED, _RS.LOST, _RS.CANCELLED, _RS.EXPIRED, _RS.RETURNLESS,
    }),
    _RS.IN_TRANSIT: frozenset({_RS.DELIVERED, _RS.LOST}),
    _RS.LOST: frozenset({_RS.IN_TRANSIT, _RS.DELIVERED, _RS.CLOSED}),
    _RS.DELIVERED: frozenset({_RS.RECEIVED}),
    _RS.RECEIVED: frozenset({_RS.INSPECTED}),
    _RS.INSPECTED: frozenset({_RS.CLOSED}),
    _RS.CLOSED: frozenset(),
    _RS.REJECTED: frozenset(),
    _RS.CANCELLED: frozenset(),
    _RS.EXPIRED: frozenset(),
    _RS.RETURNLESS: frozenset(),
})  # fmt: skip

REFUND_TRANSITIONS: Mapping[RefundState, frozenset[RefundState]] = MappingProxyType({
    _FS.PENDING: frozenset({_FS.APPROVED, _FS.REJECTED, _FS.CANCELLED, _FS.AUTO_REFUNDED}),
    _FS.APPROVED: frozenset({_FS.SUBMITTED, _FS.CANCELLED, _FS.AUTO_REFUNDED}),
    _FS.SUBMITTED: frozenset({_FS.COMPLETED, _FS.FAILED}),
    _FS.FAILED: frozenset({_FS.APPROVED, _FS.CANCELLED}),
    _FS.COMPLETED: frozenset(),
    _FS.REJECTED: frozenset(),
    _FS.CANCELLED: frozenset(),
    _FS.AUTO_REFUNDED: frozenset(),
})  # fmt: skip

# The main line of a return, in order; tracking uses it to refuse backward moves.
RETURN_MAIN_LINE: tuple[ReturnStatus, ...] = (
    _RS.REQUESTED, _RS.AUTHORIZED, _RS.IN_TRANSIT, _RS.DELIVERED, _RS.RECEIVED, _RS.INSPECTED, _RS.CLOSED,
)  # fmt: skip


def _targets(current: ReturnStatus | RefundState) -> frozenset[ReturnStatus] | frozenset[RefundState]:
    if isinstance(current, ReturnStatus):
        return RETURN_TRANSITIONS[current]
    if isinstance(current, RefundState):
        return REFUND_TRANSITIONS[current]
    raise TypeError(f"not a lifecycle state: {current!r}")


@overload
def allowed_targets(current: ReturnStatus) -> frozenset[ReturnStatus]: ...
@overload
def allowed_targets(current: RefundState) -> frozenset[RefundState]: ...
def allowed_targets(current: ReturnStatus | RefundState) -> frozenset[ReturnStatus] | frozenset[RefundState]:
    """The states `current` may move to (empty for a terminal state)."""
    return _targets(current)


def can_transition(current: ReturnStatus | RefundState, target: ReturnStatus | RefundState) -> bool:
    """Whether `current -> target` is in the lifecycle table (never true for current == target)."""
    return target in _targets(current)


def is_terminal(state: ReturnStatus | RefundState) -> bool:
    """A state nothing can leave."""
    return not _targets(state)


@overload
def transition(entity: str, current: ReturnStatus, target: ReturnStatus) -> ReturnStatus: ...
@overload
def transition(entity: str, current: RefundState, target: RefundState) -> RefundState: ...
def transition(
    entity: str, current: ReturnStatus | RefundState, target: ReturnStatus | RefundState
) -> ReturnStatus | RefundState:
    """Return `target` if `current -> target` is allowed, else raise `IllegalTransition`.

    `entity` names the thing in the message ("return RMA-123", "refund request 42"). Mixing a return
    status with a refund state is a programming error and raises `TypeError`.
    """
    if type(current) is not type(target):
        raise TypeError(f"{entity}: cannot move a {type(current).__name__} to a {type(target).__name__}")
    if not can_transition(current, target):
        raise IllegalTransition(entity, current.value, target.value)
    return target
