"""Reading one report field: blanks, dates, Y/N flags, quantities and amounts, as reports write them.

Each reader takes the raw text and returns a value, or raises ``FieldError`` with a message a seller
can act on ("not a date: '31-Foo-2025' (expected DD-Mon-YYYY or ISO-8601)"); the format readers add
the file, line and column. Blank means empty or whitespace only: Seller Central writes an empty field
as a single space.

Dates arrive as ``DD-Mon-YYYY`` (month names in the marketplace's language), ISO-8601 with ``Z`` or an
offset, ``DD-MM-YYYY`` or ``YYYY-MM-DD`` (AMAZON.md §1). A date without a time is midnight UTC; a
time without an offset is taken as UTC. Amounts are exact decimals (``Money.parse``), with a comma
accepted as the decimal separator (``21,38``) and thousands separators removed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from seller_desk.domain.errors import InvalidMoney
from seller_desk.domain.money import Money, minor_exponent

__all__ = [
    "FieldError",
    "amount_minor",
    "blank",
    "currency_code",
    "date_time",
    "flag",
    "money",
    "quantity",
    "text",
]


class FieldError(ValueError):
    """A field that cannot be read; the message says what was found and what was expected."""


# Month abbreviations in the report languages of Amazon's marketplaces (EN, DE, FR, ES, IT, NL, SE, PL).
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan janv januar janvier enero ene gennaio gen januari sty styczeń",
        "feb febr februar février fév févr febrero febbraio februari lut luty",
        "mar mär mrz märz mars marzo maart mrt marzec",
        "apr avr april avril abril abr aprile kwi kwiecień",
        "may mai mayo maggio mag mei maj",
        "jun juni juin junio giugno giu cze czerwiec",
        "jul juli juil juillet julio luglio lug lip lipiec",
        "aug august août ago agosto augustus augusti sie sierpień",
        "sep sept september septembre septiembre set settembre wrz wrzesień",
        "oct okt oktober octobre octubre ott ottobre paź październik",
        "nov november novembre noviembre lis listopad",
        "dec dez dezember décembre déc dic diciembre dicembre december gru grudzień",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[- ./]([^\W\d_]{3,10})\.?[- ./](\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_AMOUNT = re.compile(r"^[+-]?[\d.,]+$")
_PLAIN_CENTS = re.compile(r"^-?\d{1,12}\.\d\d$")
_TRUE = frozenset({"y", "yes", "true", "1", "t"})
_FALSE = frozenset({"n", "no", "false", "0", "f"})


def blank(raw: str | None) -> bool:
    return not raw or raw.isspace()


def text(raw: str | None) -> str | None:
    """The trimmed text, or None when blank."""
    return None if not raw or raw.isspace() else raw.strip()


@lru_cache(maxsize=8192)
def date_time(raw: str) -> datetime:
    """A report date or timestamp in UTC (cached: a report repeats its few hundred dates)."""
    value = raw.strip()
    match = _DAY_MON_YEAR.match(value)
    if match:
        month = _MONTHS.get(match.group(2).lower().rstrip("."))
        if month is None:
            raise FieldError(f"not a date: {raw!r} (unknown month {match.group(2)!r})")
        return _utc_date(int(match.group(3)), month, int(match.group(1)), raw)
    match = _DAY_MONTH_YEAR.match(value)
    if match:
        return _utc_date(int(match.group(3)), int(match.group(2)), int(match.group(1)), raw)
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError:
        raise FieldError(f"not a date: {raw!r} (expected DD-Mon-YYYY, DD-MM-YYYY or ISO-8601)") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _utc_date(year: int, month: int, day: int, raw: str) -> datetime:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        raise FieldError(f"not a date: {raw!r} (no such day)") from None


@lru_cache(maxsize=64)
def flag(raw: str) -> bool:
    """Y/N, true/false, yes/no, 1/0, any case."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FieldError(f"expected Y or N, found {raw!r}")


@lru_cache(maxsize=1024)
def quantity(raw: str) -> int:
    """A count of units: a positive whole number ("2", also "2.0" as spreadsheets write it)."""
    value = raw.strip()
    whole = value[:-2] if value.endswith(".0") else value
    if not whole.isdecimal() or int(whole) <= 0:
        raise FieldError(f"expected a whole number of units above 0, found {raw!r}")
    return int(whole)


@lru_cache(maxsize=256)
def currency_code(raw: str) -> str:
    """An ISO 4217 code this app knows, upper-cased ("usd" reads as USD)."""
    code = raw.strip().upper()
    try:
        Money(0, code)
    except InvalidMoney:
        raise FieldError(f"unknown currency code {raw.strip()!r}") from None
    return code


def amount_minor(raw: str, currency: str) -> int:
    """``money(raw, currency).amount_minor``, with the usual "12.34" in a two-decimal currency read
    without building a Money (an import reads a few of these per row, hundreds of thousands of rows)."""
    value = raw.strip()
    if _PLAIN_CENTS.match(value) and minor_exponent(currency) == 2:
        return int(value.replace(".", ""))
    return money(raw, currency).amount_minor


def money(raw: str, currency: str) -> Money:
    """An exact amount in ``currency``; "21.38", "21,38", "1,234.56" and "1.234,56" all read."""
    value = raw.strip()
    if _PLAIN_CENTS.match(value) and minor_exponent(currency) == 2:  # the usual "12.34": no parsing needed
        return Money(int(value.replace(".", "")), currency)
    value = value.replace("\u00a0", "").replace(" ", "")
    if not _AMOUNT.match(value):
        raise FieldError(f"not an amount: {raw!r}")
    comma, dot = value.rfind(","), value.rfind(".")
    if comma > dot:  # the comma is the decimal separator ("1.234,56", "21,38") unless it groups thousands
        decimals = len(value) - comma - 1
        if dot >= 0 or decimals != 3:
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    else:
        value = value.replace(",", "")
    try:
        return Money.parse(value, currency)
    except InvalidMoney as exc:
        raise FieldError(f"not an amount in {currency}: {raw!r} ({exc})") from None
