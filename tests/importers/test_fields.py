"""Field readers: every date format reports use, exact amounts, flags and quantities, and clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from seller_desk.domain.money import Money
from seller_desk.importers import fields as f


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10-Jul-2025", datetime(2025, 7, 10, tzinfo=UTC)),
        ("05-Mär-2025", datetime(2025, 3, 5, tzinfo=UTC)),  # German month names
        ("3-janv.-2025", datetime(2025, 1, 3, tzinfo=UTC)),  # French, with its dot
        ("12-dic-2024", datetime(2024, 12, 12, tzinfo=UTC)),  # Spanish / Italian
        ("2020-11-12T12:44:17Z", datetime(2020, 11, 12, 12, 44, 17, tzinfo=UTC)),
        ("2025-06-05T17:31:40+02:00", datetime(2025, 6, 5, 15, 31, 40, tzinfo=UTC)),
        ("05-06-2025", datetime(2025, 6, 5, tzinfo=UTC)),  # DD-MM-YYYY
        ("2025-06-05", datetime(2025, 6, 5, tzinfo=UTC)),
        (" 2025-06-05 10:00:00 ", datetime(2025, 6, 5, 10, tzinfo=UTC)),
    ],
)
def test_dates_in_every_report_format_read_as_utc(raw: str, expected: datetime) -> None:
    assert f.date_time(raw) == expected


@pytest.mark.parametrize(("raw", "why"), [("31-Foo-2025", "unknown month"), ("31-02-2025", "no such day"),
                                          ("yesterday", "expected DD-Mon-YYYY")])  # fmt: skip
def test_a_bad_date_says_what_was_found(raw: str, why: str) -> None:
    with pytest.raises(f.FieldError, match=why) as caught:
        f.date_time(raw)
    assert raw in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "minor"),
    [("21.38", 2138), ("21,38", 2138), ("1,234.56", 123456), ("1.234,56", 123456), ("1,234", 123400),
     ("59.9", 5990), ("-3", -300), ("0.00", 0)],
)  # fmt: skip
def test_amounts_are_exact_whatever_the_separators(raw: str, minor: int) -> None:
    assert f.money(raw, "USD") == Money(minor, "USD")


def test_amounts_respect_the_currency_and_refuse_what_would_round() -> None:
    assert f.money("1500", "JPY") == Money(1500, "JPY")
    with pytest.raises(f.FieldError, match="more than 2 decimal places"):
        f.money("1.005", "USD")
    with pytest.raises(f.FieldError, match="not an amount"):
        f.money("$12", "USD")


def test_flags_quantities_and_blanks() -> None:
    assert [f.flag(x) for x in ("Y", "n", "true", "False", "1")] == [True, False, True, False, True]
    with pytest.raises(f.FieldError, match="expected Y or N"):
        f.flag("maybe")
    assert f.quantity("2") == 2
    assert f.quantity("3.0") == 3
    for bad in ("0", "-1", "1.5", "two"):
        with pytest.raises(f.FieldError, match="whole number"):
            f.quantity(bad)
    assert f.blank(" ")
    assert f.text(" ") is None
    assert f.text(" x ") == "x"


@pytest.mark.parametrize(
    ("raw", "currency"),
    [("21.38", "USD"), ("21,38", "EUR"), ("1,234.56", "GBP"), ("-3", "USD"), ("1500", "JPY"),
     ("12.345", "KWD"), ("0.00", "USD"), (" 7.05 ", "USD")],
)  # fmt: skip
def test_the_fast_amount_path_reads_what_money_reads(raw: str, currency: str) -> None:
    assert f.amount_minor(raw, currency) == f.money(raw, currency).amount_minor


def test_the_fast_amount_path_refuses_what_money_refuses() -> None:
    with pytest.raises(f.FieldError, match="not an amount"):
        f.amount_minor("12.34.5x", "USD")
    with pytest.raises(f.FieldError, match="decimal places"):
        f.amount_minor("12.34", "JPY")  # two decimals are not yen: the fast path must not take them


def test_currency_codes_are_upper_cased_and_unknown_ones_named() -> None:
    assert f.currency_code(" usd ") == "USD"
    with pytest.raises(f.FieldError, match="unknown currency code 'US'"):
        f.currency_code("US")
