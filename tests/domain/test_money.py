"""Money: exact parsing and formatting, currency safety, half-up percentages, lossless allocation."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seller_desk.domain.errors import CurrencyMismatch, DomainError, InvalidMoney
from seller_desk.domain.money import (
    Money,
    allocate,
    minor_exponent,
    percent_of,
    total,
    zero,
)

CURRENCIES = ["USD", "EUR", "GBP", "JPY", "KWD", "SEK", "XYZ"]
amounts = st.integers(min_value=-(10**12), max_value=10**12)
currencies = st.sampled_from(CURRENCIES)


def money_in(currency: str) -> st.SearchStrategy[Money]:
    return amounts.map(lambda a: Money(a, currency))


# -- construction and parsing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.34", "USD", 1234),
        ("-0.50", "USD", -50),
        ("-0.5", "USD", -50),
        ("+7", "EUR", 700),
        ("0", "GBP", 0),
        (" 3.10 ", "USD", 310),
        ("500", "JPY", 500),
        ("1.234", "KWD", 1234),
        ("12.340", "USD", 1234),  # trailing zeros are exact
    ],
)
def test_parse_known_values(text: str, currency: str, minor: int) -> None:
    assert Money.parse(text, currency) == Money(minor, currency)


def test_parse_accepts_exact_decimal() -> None:
    assert Money.parse(Decimal("19.99"), "USD") == Money(1999, "USD")


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("1.005", "USD"),
        ("5.5", "JPY"),
        ("1.2345", "KWD"),
        ("abc", "USD"),
        ("", "USD"),
        ("1e3", "USD"),
        (".5", "USD"),
        ("1.", "USD"),
        ("1,000.00", "USD"),
    ],
)
def test_parse_rejects_inexact_or_malformed_text(text: str, currency: str) -> None:
    with pytest.raises(InvalidMoney):
        Money.parse(text, currency)


@pytest.mark.parametrize("value", [12.34, 12, None])
def test_parse_rejects_non_text(value: object) -> None:
    with pytest.raises(InvalidMoney, match="decimal string"):
        Money.parse(value, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("currency", ["usd", "US", "USDX", "", "U5D"])
def test_currency_must_be_three_upper_case_letters(currency: str) -> None:
    with pytest.raises(InvalidMoney):
        Money(1, currency)


@pytest.mark.parametrize("amount", [1.0, True, Decimal(1)])
def test_amount_must_be_int(amount: object) -> None:
    with pytest.raises(InvalidMoney):
        Money(amount, "USD")  # type: ignore[arg-type]


def test_invalid_money_is_a_domain_error_and_value_error() -> None:
    with pytest.raises(DomainError):
        Money.parse("x", "USD")
    with pytest.raises(ValueError):
        Money.parse("x", "USD")


def test_minor_exponents() -> None:
    assert (minor_exponent("JPY"), minor_exponent("KWD"), minor_exponent("USD"), minor_exponent("XYZ")) == (
        0, 3, 2, 2,
    )  # fmt: skip


# -- text out ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("money", "decimal_text"),
    [
        (Money(1234, "USD"), "12.34"),
        (Money(-50, "USD"), "-0.50"),
        (Money(5, "USD"), "0.05"),
        (Money(500, "JPY"), "500"),
        (Money(1, "KWD"), "0.001"),
        (Money(0, "EUR"), "0.00"),
    ],
)
def test_to_decimal_string(money: Money, decimal_text: str) -> None:
    assert money.to_decimal_string() == decimal_text
    assert money.to_decimal() == Decimal(decimal_text)


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money(1234, "USD"), "$12.34"),
        (Money(500, "EUR"), "€5.00"),
        (Money(500, "JPY"), "¥500"),
        (Money(-1234, "GBP"), "-£12.34"),
        (Money(123456789, "USD"), "$1,234,567.89"),
        (Money(1234, "XYZ"), "12.34 XYZ"),
        (Money(1234, "SEK"), "12.34 SEK"),
        (Money(1500, "KWD"), "1.500 KWD"),
    ],
)
def test_format_for_display(money: Money, shown: str) -> None:
    assert money.format() == shown


def test_str_is_unambiguous() -> None:
    assert str(Money(-50, "USD")) == "-0.50 USD"


# -- arithmetic ----------------------------------------------------------------------------------------


def test_arithmetic_known_values() -> None:
    a, b = Money(1050, "USD"), Money(275, "USD")
    assert a + b == Money(1325, "USD")
    assert a - b == Money(775, "USD")
    assert -a == Money(-1050, "USD")
    assert a * 3 == Money(3150, "USD") == 3 * a
    assert abs(Money(-5, "USD")) == Money(5, "USD")
    assert b < a and a > b and a >= Money(1050, "USD") and b <= Money(275, "USD")


def test_multiplication_by_float_is_refused() -> None:
    with pytest.raises(TypeError):
        Money(100, "USD") * 1.5  # type: ignore[operator]


def test_equality_across_currencies_is_false_not_an_error() -> None:
    assert Money(100, "USD") != Money(100, "EUR")
    assert len({Money(100, "USD"), Money(100, "USD"), Money(100, "EUR")}) == 2


def test_zero_and_total() -> None:
    assert zero("JPY") == Money(0, "JPY") and zero("JPY").is_zero
    assert total([Money(1, "USD"), Money(2, "USD")], "USD") == Money(3, "USD")
    assert total([], "EUR") == Money(0, "EUR")
    with pytest.raises(CurrencyMismatch):
        total([Money(1, "EUR")], "USD")


@given(currencies, currencies, amounts, amounts)
def test_currency_mismatch_always_raises(c1: str, c2: str, a1: int, a2: int) -> None:
    left, right = Money(a1, c1), Money(a2, c2)
    operations: list[Callable[[], object]] = [
        lambda: left + right, lambda: left - right, lambda: left < right,
        lambda: left <= right, lambda: left > right, lambda: left >= right,
    ]  # fmt: skip
    for operation in operations:
        if c1 == c2:
            operation()
        else:
            with pytest.raises(CurrencyMismatch) as raised:
                operation()
            assert {raised.value.left, raised.value.right} == {c1, c2}


@given(currencies.flatmap(lambda c: st.tuples(money_in(c), money_in(c), money_in(c))))
def test_addition_is_associative_and_commutative(triple: tuple[Money, Money, Money]) -> None:
    a, b, c = triple
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert a - b == a + (-b)
    assert a + zero(a.currency) == a


@given(currencies.flatmap(money_in), st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_multiplication_distributes(m: Money, x: int, y: int) -> None:
    assert m * (x + y) == m * x + m * y


@given(currencies.flatmap(money_in))
def test_parse_of_to_decimal_string_round_trips(m: Money) -> None:
    assert Money.parse(m.to_decimal_string(), m.currency) == m


# -- percent_of ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minor", "bp", "expected"),
    [
        (1000, 2000, 200),  # 20 % of $10.00
        (1, 5000, 1),  # 0.5 cent rounds up (half-up)
        (3, 5000, 2),  # 1.5 -> 2
        (5, 5000, 3),  # 2.5 -> 3 (banker's would give 2)
        (-5, 5000, -3),  # half away from zero for negatives
        (1, 4999, 0),
        (12345, 1500, 1852),  # 1851.75 -> 1852
        (999, 0, 0),
        (999, 10_000, 999),
    ],
)
def test_percent_of_rounds_half_up(minor: int, bp: int, expected: int) -> None:
    assert percent_of(Money(minor, "USD"), bp) == Money(expected, "USD")


@given(currencies.flatmap(money_in), st.integers(0, 20_000))
def test_percent_of_is_within_half_a_unit_and_symmetric(m: Money, bp: int) -> None:
    result = percent_of(m, bp)
    exact = Decimal(m.amount_minor) * bp / 10_000
    assert abs(Decimal(result.amount_minor) - exact) <= Decimal("0.5")
    assert percent_of(-m, bp) == -result


def test_percent_of_refuses_fractional_basis_points() -> None:
    with pytest.raises(InvalidMoney):
        percent_of(Money(100, "USD"), 12.5)  # type: ignore[arg-type]


# -- allocate ------------------------------------------------------------------------------------------


def test_allocate_known_split() -> None:
    assert allocate(Money(100, "USD"), [1, 1, 1]) == [Money(34, "USD"), Money(33, "USD"), Money(33, "USD")]
    assert allocate(Money(-100, "USD"), [1, 1, 1]) == [
        Money(-34, "USD"),
        Money(-33, "USD"),
        Money(-33, "USD"),
    ]
    assert allocate(Money(5, "USD"), [3, 0, 7]) == [Money(2, "USD"), Money(0, "USD"), Money(3, "USD")]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1], [1.5]])
def test_allocate_rejects_bad_weights(weights: list[int]) -> None:
    with pytest.raises(InvalidMoney):
        allocate(Money(100, "USD"), weights)


@given(currencies.flatmap(money_in), st.lists(st.integers(0, 1000), min_size=1, max_size=12))
def test_allocate_sums_to_the_whole_and_stays_within_one_unit(m: Money, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    parts = allocate(m, weights)
    assert len(parts) == len(weights)
    assert total(parts, m.currency) == m
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        # |part - exact share| < 1 minor unit, written without division.
        assert abs(part.amount_minor * weight_sum - m.amount_minor * weight) < weight_sum


@given(currencies.flatmap(money_in), st.integers(1, 20))
def test_allocate_equal_weights_differ_by_at_most_one_unit(m: Money, n: int) -> None:
    parts = [p.amount_minor for p in allocate(m, [1] * n)]
    assert max(parts) - min(parts) <= 1
