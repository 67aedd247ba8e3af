"""Errors the domain raises.

Every domain error derives from `DomainError` so the layers above (workers, CLI, backend) can catch
"the business said no" separately from programming errors. The subclasses carry the facts the UI
needs to explain the refusal (which entity, which state, which line and component) as attributes,
not only in the message, so nobody has to parse strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - import only for annotations (money imports errors)
    from seller_desk.domain.money import Money


class DomainError(Exception):
    """Base of every error raised by `seller_desk.domain`."""


class InvariantViolation(DomainError, ValueError):
    """An entity was built with values that can never be true (negative quantity, naive datetime…).

    Also a `ValueError`, because that is what it is to callers that don't know the domain.
    """


class InvalidMoney(DomainError, ValueError):
    """A money amount or currency code that cannot be represented exactly."""


class CurrencyMismatch(DomainError):
    """Two amounts in different currencies were combined; there is no implicit conversion."""

    def __init__(self, left: str, right: str, operation: str = "combine") -> None:
        self.left = left
        self.right = right
        self.operation = operation
        super().__init__(f"cannot {operation} {left} with {right}: currencies differ")


class IllegalTransition(DomainError):
    """A lifecycle move that the state machine does not allow."""

    def __init__(self, entity: str, from_state: str, to_state: str) -> None:
        self.entity = entity
        self.from_state = from_state
        self.to_state = to_state
        super().__init__(f"{entity}: illegal transition from {from_state!r} to {to_state!r}")


class PolicyViolation(DomainError):
    """A seller rule refuses the action (refund cap, restocking fee rules, net refund not a credit)."""


class RefundCapExceeded(PolicyViolation):
    """An approval asks more for one line and component than is refundable now."""

    def __init__(self, line: str, component: str, asked: Money, allowed: Money) -> None:
        self.line = line
        self.component = component
        self.asked = asked
        self.allowed = allowed
        super().__init__(
            f"line {line}, {component}: asked {asked.to_decimal_string()} {asked.currency} "
            f"but only {allowed.to_decimal_string()} {allowed.currency} is refundable now"
        )


class UnknownMarketplace(DomainError, LookupError):
    """A marketplace code or id that Seller Desk has no facts for."""


class UnknownTrackingCode(DomainError, LookupError):
    """A carrier status code outside every vocabulary we normalize (AMAZON.md §6)."""

    def __init__(self, code: str, source: str | None) -> None:
        self.code = code
        self.source = source
        where = f"the {source} vocabulary" if source else "any known tracking vocabulary"
        super().__init__(f"tracking code {code!r} is not in {where}")
