"""Small checks shared by the entities' `__post_init__` methods.

Entities validate their invariants when they are built, so an impossible record (a naive datetime, a zero
quantity, a refund in another currency than its order) fails where it is created, with the field named,
instead of surfacing three layers later as a wrong number on screen. All failures raise
`InvariantViolation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import TypeVar

from seller_desk.domain.enums import ChargeComponent
from seller_desk.domain.errors import InvariantViolation
from seller_desk.domain.money import Money

_ZERO = timedelta(0)
_K = TypeVar("_K")
_V = TypeVar("_V")


def require_utc(value: datetime, field: str) -> None:
    """`value` must be timezone-aware with a zero UTC offset (entities store UTC only)."""
    if not isinstance(value, datetime):
        raise InvariantViolation(f"{field} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() != _ZERO:
        raise InvariantViolation(f"{field} must be a UTC datetime, got {value.isoformat()}")


def require_optional_utc(value: datetime | None, field: str) -> None:
    if value is not None:
        require_utc(value, field)


def as_utc(value: datetime, field: str) -> datetime:
    """Any timezone-aware datetime converted to UTC; naive datetimes are refused (they have no instant)."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvariantViolation(f"{field} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def require_text(value: str, field: str) -> None:
    """A non-blank identifier."""
    if not isinstance(value, str) or not value.strip():
        raise InvariantViolation(f"{field} must be a non-empty string, got {value!r}")


def require_positive(value: int, field: str) -> None:
    if type(value) is not int or value <= 0:
        raise InvariantViolation(f"{field} must be a positive int, got {value!r}")


def require_non_negative(value: int, field: str) -> None:
    if type(value) is not int or value < 0:
        raise InvariantViolation(f"{field} must be a non-negative int, got {value!r}")


def require_exact_non_negative(value: Decimal, field: str) -> None:
    """A non-negative `Decimal` (rates such as sales per day): floats are refused as inexact."""
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvariantViolation(f"{field} must be a finite non-negative Decimal, got {value!r}")


def require_money(value: Money, currency: str, field: str, *, allow_negative: bool = False) -> None:
    """`value` is Money in `currency` and, unless allowed, not negative."""
    if not isinstance(value, Money):
        raise InvariantViolation(f"{field} must be Money, got {type(value).__name__}")
    if value.currency != currency:
        raise InvariantViolation(f"{field} is in {value.currency}, expected {currency}")
    if value.is_negative and not allow_negative:
        raise InvariantViolation(f"{field} must not be negative, got {value}")


def frozen_mapping(items: Mapping[_K, _V]) -> Mapping[_K, _V]:
    """A read-only copy, so a frozen entity cannot be changed through a dict it was given."""
    return MappingProxyType(dict(items))


def frozen_components(
    amounts: Mapping[ChargeComponent, Money], currency: str, field: str
) -> Mapping[ChargeComponent, Money]:
    """Validate per-component amounts (known component, right currency, not negative) and freeze them."""
    for component, amount in amounts.items():
        if not isinstance(component, ChargeComponent):
            raise InvariantViolation(f"{field}: {component!r} is not a ChargeComponent")
        require_money(amount, currency, f"{field}[{component.value}]")
    return frozen_mapping(amounts)


def frozen_line_amounts(
    amounts: Mapping[str, Mapping[ChargeComponent, Money]], currency: str, field: str
) -> Mapping[str, Mapping[ChargeComponent, Money]]:
    """Validate and freeze per-line (order item code) per-component amounts."""
    frozen: dict[str, Mapping[ChargeComponent, Money]] = {}
    for line, components in amounts.items():
        require_text(line, f"{field} line")
        frozen[line] = frozen_components(components, currency, f"{field}[{line}]")
    return MappingProxyType(frozen)
