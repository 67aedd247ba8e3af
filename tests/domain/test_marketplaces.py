"""Marketplaces: the facts the clocks and money depend on."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import holidays
import pytest

from seller_desk.domain.errors import DomainError, UnknownMarketplace
from seller_desk.domain.marketplaces import (
    MARKETPLACES,
    marketplace,
    marketplace_by_amazon_id,
)
from seller_desk.domain.money import Money


@pytest.mark.parametrize(
    ("code", "amazon_id", "country", "currency"),
    [
        ("US", "ATVPDKIKX0DER", "US", "USD"), ("UK", "A1F83G8C2ARO7P", "GB", "GBP"),
        ("DE", "A1PA6795UKMFR9", "DE", "EUR"), ("FR", "A13V1IB3VIYZZH", "FR", "EUR"),
        ("IT", "APJ6JRA9NG5V4", "IT", "EUR"), ("ES", "A1RKKUPIHCS9HS", "ES", "EUR"),
        ("CA", "A2EUQ1WTGCTBG2", "CA", "CAD"), ("JP", "A1VC38T7YXB528", "JP", "JPY"),
    ],
)  # fmt: skip
def test_known_marketplace_facts(code: str, amazon_id: str, country: str, currency: str) -> None:
    market = marketplace(code)
    assert (market.amazon_id, market.country, market.currency) == (amazon_id, country, currency)
    assert marketplace_by_amazon_id(amazon_id) is market


def test_all_thirteen_marketplaces_are_usable() -> None:
    assert set(MARKETPLACES) == {"US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "JP", "AU"}
    for market in MARKETPLACES.values():
        assert isinstance(market.tz, ZoneInfo)
        Money(0, market.currency)  # a valid currency code
        assert holidays.country_holidays(market.country, years=2026)  # the holidays package knows it
    assert len({m.amazon_id for m in MARKETPLACES.values()}) == len(MARKETPLACES)


def test_lookup_is_case_and_space_tolerant_and_accepts_gb() -> None:
    assert marketplace(" us ") is MARKETPLACES["US"]
    assert marketplace("gb") is MARKETPLACES["UK"]


def test_unknown_marketplace_error_names_the_code_and_the_known_ones() -> None:
    with pytest.raises(UnknownMarketplace, match=r"'ZZ'.*known: US") as raised:
        marketplace("ZZ")
    assert isinstance(raised.value, DomainError) and isinstance(raised.value, LookupError)
    with pytest.raises(UnknownMarketplace):
        marketplace_by_amazon_id("NOPE")
