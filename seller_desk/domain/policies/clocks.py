"""SLA clocks: business days per marketplace country, and every deadline a seller sees counting down.

All functions are pure: the current time is a parameter (`now`), never read from the system, so a test can
stand on any date and the backend and desktop agree on every deadline. Inputs must be timezone-aware
(any offset; they are converted to UTC); outputs are UTC.

Business days: Monday-Friday in the marketplace's country that are not public holidays there, from the
`holidays` package (national holidays with observed substitutes, no regional ones, e.g. Boxing Day
observed on Monday 28 Dec 2026 in the UK). Every marketplace we serve has a Saturday-Sunday weekend.
Holiday calendars are built once per (country, year) and cached.

Business-day deadlines ("N business days after X"): take the local date of X in the marketplace's
time zone, step forward one calendar day at a time counting only business days until N are counted;
the deadline is the end of that local day, 23:59:59, converted to UTC. The day of X itself never counts,
even if X was early on a business day, and X on a weekend or holiday simply starts counting from the
next business day. So a US return delivered on Friday 18 Dec 2026 is due on Tuesday 22 Dec 2026 at
23:59:59 Pacific time (2026-12-23T07:59:59Z). A deadline is met at that instant and missed after it.

Calendar deadlines (authorization 24 h, return window 30 days, SAFE-T 60 days) are exact durations added
to the instant: they are Amazon's fixed windows, not business-day SLAs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from seller_desk.domain.errors import InvariantViolation
from seller_desk.domain.marketplaces import Marketplace, marketplace
from seller_desk.domain.validation import as_utc

REFUND_SLA_BUSINESS_DAYS = 2
RECEIVE_SLA_BUSINESS_DAYS = 2
AUTHORIZATION_SLA = timedelta(hours=24)
RETURN_WINDOW = timedelta(days=30)
SAFET_CLAIM_WINDOW = timedelta(days=60)
DEFAULT_STALL_DAYS = 5
END_OF_DAY = time(23, 59, 59)
_SATURDAY = 5


def _market(market: Marketplace | str) -> Marketplace:
    return market if isinstance(market, Marketplace) else marketplace(market)


@lru_cache(maxsize=512)
def holiday_dates(country: str, year: int) -> frozenset[date]:
    """Public holidays (observed days included) of `country` in `year`, computed once and cached."""
    return frozenset(holidays.country_holidays(country, years=year).keys())


def is_business_day(day: date, market: Marketplace | str, country: str | None = None) -> bool:
    """Monday-Friday and not a public holiday of the marketplace's country (or of ``country``, the
    seller's chosen holiday calendar, when given)."""
    calendar = country or _market(market).country
    return day.weekday() < _SATURDAY and day not in holiday_dates(calendar, day.year)


def add_business_days(day: date, count: int, market: Marketplace | str, country: str | None = None) -> date:
    """The `count`-th business day strictly after `day` (count >= 1)."""
    if type(count) is not int or count < 1:
        raise InvariantViolation(f"count must be a positive int, got {count!r}")
    current = day
    remaining = count
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current, market, country):
            remaining -= 1
    return current


def local_date(instant: datetime, market: Marketplace | str) -> date:
    """The calendar date of `instant` in the marketplace's time zone."""
    return as_utc(instant, "instant").astimezone(_market(market).tz).date()


def end_of_local_day(day: date, market: Marketplace | str) -> datetime:
    """23:59:59 of `day` in the marketplace's time zone, as UTC."""
    local = datetime.combine(day, END_OF_DAY, tzinfo=_market(market).tz)
    return local.astimezone(UTC)


def business_days_deadline(
    start: datetime, count: int, market: Marketplace | str, country: str | None = None
) -> datetime:
    """End of the `count`-th business day after the local date of `start` (the module's rule); the
    day ends in the marketplace's time zone whichever holiday calendar counts the days."""
    return end_of_local_day(add_business_days(local_date(start, market), count, market, country), market)


def refund_due_at(delivered_at: datetime, market: Marketplace | str, country: str | None = None) -> datetime:
    """When a delivered return must be refunded: end of the 2nd business day after delivery."""
    return business_days_deadline(delivered_at, REFUND_SLA_BUSINESS_DAYS, market, country)


def authorization_due_at(requested_at: datetime) -> datetime:
    """A request needing manual authorization must be answered within 24 hours."""
    return as_utc(requested_at, "requested_at") + AUTHORIZATION_SLA


def return_window_ends(estimated_delivery: datetime) -> datetime:
    """The buyer may return for 30 days from the order's estimated delivery."""
    return as_utc(estimated_delivery, "estimated_delivery") + RETURN_WINDOW


def safet_claim_deadline(refunded_at: datetime) -> datetime:
    """Last moment to file a SAFE-T claim: 60 days after the refund (refund at first scan)."""
    return as_utc(refunded_at, "refunded_at") + SAFET_CLAIM_WINDOW


def time_left(due: datetime, now: datetime) -> timedelta:
    """How long until `due`; negative once it has passed (the queue sorts by this)."""
    return as_utc(due, "due") - as_utc(now, "now")


def is_overdue(due: datetime, now: datetime) -> bool:
    """True strictly after the deadline: at `due` itself the deadline is still met."""
    return as_utc(now, "now") > as_utc(due, "due")


def a_to_z_risk(
    delivered_at: datetime | None, refunded: bool, now: datetime, market: Marketplace | str
) -> bool:
    """True once a delivered return is still unrefunded after its refund SLA.

    The buyer may then claim "returned an item and the seller hasn't refunded" under the A-to-z
    Guarantee. Not delivered yet (None) or refunded means no risk from this clock.
    """
    if delivered_at is None or refunded:
        return False
    return is_overdue(refund_due_at(delivered_at, market), now)


def is_stalled(last_scan_at: datetime, now: datetime, threshold_days: int = DEFAULT_STALL_DAYS) -> bool:
    """No carrier scan for `threshold_days` full days (calendar days: carriers scan on weekends too)."""
    if type(threshold_days) is not int or threshold_days < 1:
        raise InvariantViolation(f"threshold_days must be a positive int, got {threshold_days!r}")
    return as_utc(now, "now") - as_utc(last_scan_at, "last_scan_at") >= timedelta(days=threshold_days)


def delivered_not_received_overdue(
    delivered_at: datetime, now: datetime, market: Marketplace | str, country: str | None = None
) -> bool:
    """Carrier says delivered, but nobody scanned it in at the bench within 2 business days.

    The caller asks this only for returns still in `delivered` (not yet received).
    """
    deadline = business_days_deadline(delivered_at, RECEIVE_SLA_BUSINESS_DAYS, market, country)
    return is_overdue(deadline, now)
