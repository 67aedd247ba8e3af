"""Exact money: integer minor units plus an ISO-4217 currency code.

Floats cannot hold 0.10 exactly, and a refund feed that is one cent off is refused upstream (a tax
component above the tax charged is an error), so money is an `int` of minor units everywhere. Amounts in
different currencies never mix silently: every operation between two amounts checks the currency and
raises `CurrencyMismatch`. Rounding happens in exactly two places, `percent_of` (half-up) and `allocate`
(largest remainder), and both are written with integers so the result is the same on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from seller_desk.domain.errors import CurrencyMismatch, InvalidMoney

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_DECIMAL_RE = re.compile(r"^([+-]?)(\d+)(?:\.(\d+))?$")

# ISO-4217 minor-unit exponents that differ from the usual 2.
_EXPONENTS: dict[str, int] = {
    "JPY": 0, "KRW": 0, "CLP": 0, "VND": 0, "ISK": 0, "UGX": 0, "XOF": 0, "XAF": 0, "PYG": 0,
    "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3, "IQD": 3,
}  # fmt: skip

# Prefix symbols for display. Currencies not listed format as "12.34 XYZ".
_SYMBOLS: dict[str, str] = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "MXN": "MX$",
    "INR": "₹", "BRL": "R$",
}  # fmt: skip

BASIS_POINTS_PER_UNIT = 10_000


def minor_exponent(currency: str) -> int:
    """Number of decimal places of `currency`'s minor unit (JPY 0, KWD 3, default 2)."""
    return _EXPONENTS.get(currency, 2)


def _check_currency(currency: object) -> str:
    if not isinstance(currency, str) or not _CURRENCY_RE.match(currency):
        raise InvalidMoney(f"currency must be three upper-case letters (ISO-4217), got {currency!r}")
    return currency


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: `amount_minor` minor units (cents, pence, yen) of `currency`.

    Equality is structural (`Money(100, "USD") != Money(100, "EUR")` is simply False), while ordering and
    arithmetic between different currencies raise `CurrencyMismatch`: asking which is larger is a bug.
    """

    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount_minor) is not int:  # rejects float, Decimal and bool alike
            raise InvalidMoney(f"amount_minor must be an int, got {type(self.amount_minor).__name__}")
        _check_currency(self.currency)

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str | Decimal, currency: str) -> Money:
        """Read a decimal amount such as "12.34", "-0.5" or "500" (JPY).

        Floats are refused (their value is already inexact); so is any text with more significant
        decimals than the currency has minor units ("1.005" USD), because silently rounding an imported
        amount hides a data error. Extra trailing zeros ("12.340") are exact and accepted.
        """
        _check_currency(currency)
        if isinstance(text, Decimal):
            if not text.is_finite():
                raise InvalidMoney(f"not a finite amount: {text}")
            text = format(text, "f")
        if not isinstance(text, str):
            raise InvalidMoney(f"parse a decimal string, not {type(text).__name__} ({text!r})")
        match = _DECIMAL_RE.match(text.strip())
        if match is None:
            raise InvalidMoney(f"not a decimal amount: {text!r}")
        sign, units, fraction = match.group(1), match.group(2), match.group(3) or ""
        exponent = minor_exponent(currency)
        if len(fraction) > exponent and fraction[exponent:].strip("0") == "":
            fraction = fraction[:exponent]
        if len(fraction) > exponent:
            raise InvalidMoney(f"{text!r} has more than {exponent} decimal places for {currency}")
        minor = int(units) * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
        return cls(-minor if sign == "-" else minor, currency)

    # -- conversion ---------------------------------------------------------------------------------
    def to_decimal_string(self) -> str:
        """Plain decimal text with exactly the currency's minor digits: "12.34", "-0.50", "500"."""
        exponent = minor_exponent(self.currency)
        sign = "-" if self.amount_minor < 0 else ""
        units, fraction = divmod(abs(self.amount_minor), 10**exponent)
        if exponent == 0:
            return f"{sign}{units}"
        return f"{sign}{units}.{fraction:0{exponent}d}"

    def to_decimal(self) -> Decimal:
        """The exact amount as a `Decimal` (for reports and charts, never for float maths)."""
        return Decimal(self.to_decimal_string())

    def format(self) -> str:
        """Display text: "$1,234.56", "-€5.00", "¥500"; unknown symbols give "12.34 XYZ"."""
        exponent = minor_exponent(self.currency)
        units, fraction = divmod(abs(self.amount_minor), 10**exponent)
        body = f"{units:,}" if exponent == 0 else f"{units:,}.{fraction:0{exponent}d}"
        sign = "-" if self.amount_minor < 0 else ""
        symbol = _SYMBOLS.get(self.currency)
        if symbol is None:
            return f"{sign}{body} {self.currency}"
        return f"{sign}{symbol}{body}"

    # -- predicates ---------------------------------------------------------------------------------
    @property
    def is_zero(self) -> bool:
        return self.amount_minor == 0

    @property
    def is_positive(self) -> bool:
        return self.amount_minor > 0

    @property
    def is_negative(self) -> bool:
        return self.amount_minor < 0

    # -- arithmetic ---------------------------------------------------------------------------------
    def _same(self, other: Money, operation: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(self.currency, other.currency, operation)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount_minor), self.currency)

    def __mul__(self, factor: int) -> Money:
        """Multiply by a whole number (a quantity). Fractions go through `percent_of` or `allocate`."""
        if type(factor) is not int:
            return NotImplemented
        return Money(self.amount_minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount_minor <= other.amount_minor

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount_minor > other.amount_minor

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount_minor >= other.amount_minor

    def __str__(self) -> str:
        return f"{self.to_decimal_string()} {self.currency}"


def zero(currency: str) -> Money:
    """Nothing, in `currency` (the start value for sums)."""
    return Money(0, currency)


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum of `amounts`, which must all be in `currency`; an empty iterable gives zero."""
    result = zero(currency)
    for amount in amounts:
        result = result + amount
    return result


def percent_of(money: Money, basis_points: int) -> Money:
    """`basis_points`/10 000 of `money`, rounded half-up to whole minor units.

    Half-up here means half away from zero (like `decimal.ROUND_HALF_UP`): 0.5 cent becomes 1 cent and
    -0.5 cent becomes -1 cent, so `percent_of(-m, bp) == -percent_of(m, bp)`. It is the rule buyers
    and sellers compute by hand; banker's rounding would surprise them on fee amounts.
    """
    if type(basis_points) is not int:
        raise InvalidMoney(f"basis_points must be an int, got {type(basis_points).__name__}")
    product = money.amount_minor * basis_points
    quotient, remainder = divmod(abs(product), BASIS_POINTS_PER_UNIT)
    if 2 * remainder >= BASIS_POINTS_PER_UNIT:
        quotient += 1
    return Money(-quotient if product < 0 else quotient, money.currency)


def allocate(money: Money, weights: Sequence[int]) -> list[Money]:
    """Split `money` in proportion to `weights` without creating or losing a minor unit.

    Largest-remainder method: every part first gets the floor of its exact share, then the units left
    over go one each to the parts with the largest remainders (earlier parts win ties). The parts sum
    to `money` exactly and each is less than one minor unit away from its exact share.
    """
    if not weights:
        raise InvalidMoney("allocate needs at least one weight")
    if any(type(w) is not int or w < 0 for w in weights):
        raise InvalidMoney(f"weights must be non-negative ints, got {list(weights)!r}")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise InvalidMoney("weights must not all be zero")
    magnitude = abs(money.amount_minor)
    shares = [divmod(magnitude * w, weight_sum) for w in weights]
    parts = [floor for floor, _ in shares]
    leftover = magnitude - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
    for index in by_remainder[:leftover]:
        parts[index] += 1
    sign = -1 if money.amount_minor < 0 else 1
    return [Money(sign * part, money.currency) for part in parts]
