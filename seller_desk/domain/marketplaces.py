"""The Amazon marketplaces Seller Desk knows, with the facts clocks and money need.

A marketplace fixes three things the domain depends on: the currency orders are charged in, the country
whose public holidays stop the refund SLA clock (the `holidays` package code, which is "GB" for the UK
marketplace), and the time zone in which "end of the business day" is drawn. The table is data, not
configuration: Amazon's marketplace ids are public constants and never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from zoneinfo import ZoneInfo

from seller_desk.domain.errors import UnknownMarketplace


@dataclass(frozen=True)
class Marketplace:
    """One Amazon marketplace.

    `code` is Seller Desk's short name ("US", "UK", …), `amazon_id` the SP-API `marketplaceId`,
    `country` the ISO-3166 alpha-2 code used for public holidays, `currency` the ISO-4217 code and
    `time_zone` the IANA zone whose local days the business-day SLAs count.
    """

    code: str
    name: str
    amazon_id: str
    country: str
    currency: str
    time_zone: str

    @cached_property
    def tz(self) -> ZoneInfo:
        """The `time_zone` as a `ZoneInfo` (looked up once per marketplace)."""
        return ZoneInfo(self.time_zone)


_ALL = (
    # US and CA: Seller Central draws US days in Pacific time; CA uses its most populous zone.
    Marketplace("US", "United States", "ATVPDKIKX0DER", "US", "USD", "America/Los_Angeles"),
    Marketplace("CA", "Canada", "A2EUQ1WTGCTBG2", "CA", "CAD", "America/Toronto"),
    Marketplace("MX", "Mexico", "A1AM78C64UM0Y8", "MX", "MXN", "America/Mexico_City"),
    Marketplace("UK", "United Kingdom", "A1F83G8C2ARO7P", "GB", "GBP", "Europe/London"),
    Marketplace("DE", "Germany", "A1PA6795UKMFR9", "DE", "EUR", "Europe/Berlin"),
    Marketplace("FR", "France", "A13V1IB3VIYZZH", "FR", "EUR", "Europe/Paris"),
    Marketplace("IT", "Italy", "APJ6JRA9NG5V4", "IT", "EUR", "Europe/Rome"),
    Marketplace("ES", "Spain", "A1RKKUPIHCS9HS", "ES", "EUR", "Europe/Madrid"),
    Marketplace("NL", "Netherlands", "A1805IZSGTT6HS", "NL", "EUR", "Europe/Amsterdam"),
    Marketplace("SE", "Sweden", "A2NODRKZP88ZB9", "SE", "SEK", "Europe/Stockholm"),
    Marketplace("PL", "Poland", "A1C3SOZRARQ6R3", "PL", "PLN", "Europe/Warsaw"),
    Marketplace("JP", "Japan", "A1VC38T7YXB528", "JP", "JPY", "Asia/Tokyo"),
    Marketplace("AU", "Australia", "A39IBJ37TRP1C6", "AU", "AUD", "Australia/Sydney"),
)

MARKETPLACES: Mapping[str, Marketplace] = MappingProxyType({m.code: m for m in _ALL})
_BY_AMAZON_ID: Mapping[str, Marketplace] = MappingProxyType({m.amazon_id: m for m in _ALL})
# Sellers and reports also write the ISO country code "GB" for the UK marketplace.
_ALIASES: Mapping[str, str] = MappingProxyType({"GB": "UK"})


def marketplace(code: str) -> Marketplace:
    """The marketplace for a code such as "US" or "uk" (case and surrounding spaces ignored).

    Raises `UnknownMarketplace` naming the code and the codes that are known.
    """
    key = code.strip().upper()
    key = _ALIASES.get(key, key)
    try:
        return MARKETPLACES[key]
    except KeyError:
        known = ", ".join(MARKETPLACES)
        raise UnknownMarketplace(f"unknown marketplace {code!r}; known: {known}") from None


def marketplace_by_amazon_id(amazon_id: str) -> Marketplace:
    """The marketplace for an SP-API `marketplaceId` such as "ATVPDKIKX0DER"."""
    try:
        return _BY_AMAZON_ID[amazon_id.strip()]
    except KeyError:
        raise UnknownMarketplace(f"unknown Amazon marketplace id {amazon_id!r}") from None


_FIRST_BY_CURRENCY: dict[str, Marketplace] = {}
for _m in _ALL:
    _FIRST_BY_CURRENCY.setdefault(_m.currency, _m)


def marketplace_for_currency(currency: str | None, default: str) -> Marketplace:
    """The marketplace a report row most likely comes from, knowing only its currency: the one market of
    that currency, the first listed where several share it (EUR: Germany), else ``default``'s."""
    found = _FIRST_BY_CURRENCY.get((currency or "").upper())
    return found if found is not None else marketplace(default)
