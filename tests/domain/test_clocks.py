"""SLA clocks: business days per marketplace country, computed by hand for known dates, plus properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seller_desk.domain.errors import InvariantViolation
from seller_desk.domain.marketplaces import MARKETPLACES, marketplace
from seller_desk.domain.policies.clocks import (
    a_to_z_risk,
    add_business_days,
    authorization_due_at,
    delivered_not_received_overdue,
    holiday_dates,
    is_business_day,
    is_overdue,
    is_stalled,
    local_date,
    refund_due_at,
    return_window_ends,
    safet_claim_deadline,
    time_left,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# -- known answers, computed by hand --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("market", "delivered_at", "due"),
    [
        # US, Friday 18 Dec 2026 (07:00 PT): Mon 21 = 1, Tue 22 = 2 -> Tue 23:59:59 PST = 07:59:59Z Wed.
        ("US", utc(2026, 12, 18, 15), utc(2026, 12, 23, 7, 59, 59)),
        # US, Thu 24 Dec: Fri 25 Christmas, weekend, Mon 28 = 1, Tue 29 = 2.
        ("US", utc(2026, 12, 24, 18), utc(2026, 12, 30, 7, 59, 59)),
        # US, 22:00 PST Monday 21 Dec is already Tuesday in UTC: the local (Monday) date counts.
        ("US", utc(2026, 12, 22, 6), utc(2026, 12, 24, 7, 59, 59)),
        # US across the DST start (Sun 8 Mar 2026): Fri 6 Mar -> Tue 10 Mar 23:59:59 PDT (UTC-7).
        ("US", utc(2026, 3, 6, 18), utc(2026, 3, 11, 6, 59, 59)),
        # US, delivered on Saturday: counting starts on Monday -> Tue 22 Dec.
        ("US", utc(2026, 12, 19, 20), utc(2026, 12, 23, 7, 59, 59)),
        # UK, Thu 24 Dec: Fri 25 Christmas, Sat 26 Boxing Day, Sun, Mon 28 Boxing Day (substitute),
        # Tue 29 = 1, Wed 30 = 2 -> 23:59:59 GMT.
        ("UK", utc(2026, 12, 24, 12), utc(2026, 12, 30, 23, 59, 59)),
        # UK, Wed 23 Dec: Thu 24 = 1, then Fri 25 .. Mon 28 closed, Tue 29 = 2.
        ("UK", utc(2026, 12, 23, 9), utc(2026, 12, 29, 23, 59, 59)),
        # DE, Wed 23 Dec: Thu 24 = 1 (Christmas Eve is not a public holiday), Fri 25 closed, Mon 28 = 2,
        # end of day CET (UTC+1).
        ("DE", utc(2026, 12, 23, 10), utc(2026, 12, 28, 22, 59, 59)),
        # JP Golden Week, Fri 1 May 2026: Mon 4, Tue 5 holidays, Wed 6 substitute holiday -> Thu 7 = 1,
        # Fri 8 = 2, 23:59:59 JST = 14:59:59Z.
        ("JP", utc(2026, 5, 1, 3), utc(2026, 5, 8, 14, 59, 59)),
    ],
)
def test_refund_due_at_known_answers(market: str, delivered_at: datetime, due: datetime) -> None:
    assert refund_due_at(delivered_at, market) == due
    assert refund_due_at(delivered_at, marketplace(market)) == due


def test_refund_due_at_accepts_any_offset_and_answers_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    due = refund_due_at(datetime(2026, 12, 23, 11, tzinfo=paris), "DE")
    assert due == utc(2026, 12, 28, 22, 59, 59) and due.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvariantViolation, match="timezone-aware"):
        refund_due_at(datetime(2026, 12, 18, 12), "US")
    with pytest.raises(InvariantViolation):
        time_left(utc(2026, 1, 1), datetime(2026, 1, 1))


def test_business_days() -> None:
    assert is_business_day(date(2026, 12, 24), "UK")
    assert not is_business_day(date(2026, 12, 28), "UK")  # Boxing Day (substitute)
    assert is_business_day(date(2026, 12, 28), "US")
    assert not is_business_day(date(2026, 12, 26), "US")  # Saturday
    assert add_business_days(date(2026, 12, 31), 1, "US") == date(2027, 1, 4)  # over New Year and a weekend
    assert add_business_days(date(2026, 12, 18), 5, "US") == date(2026, 12, 28)
    with pytest.raises(InvariantViolation):
        add_business_days(date(2026, 1, 1), 0, "US")


def test_holiday_calendars_are_cached_per_country_and_year() -> None:
    holiday_dates.cache_clear()
    start = utc(2026, 1, 5, 12)
    for hours in range(0, 24 * 200, 7):
        refund_due_at(start + timedelta(hours=hours), "UK")
    info = holiday_dates.cache_info()
    assert info.misses <= 2  # 2026 and perhaps 2027: built once each
    assert info.hits > 500


def test_calendar_deadlines() -> None:
    t = utc(2026, 2, 27, 13, 30)
    assert authorization_due_at(t) == utc(2026, 2, 28, 13, 30)
    assert return_window_ends(t) == utc(2026, 3, 29, 13, 30)
    assert safet_claim_deadline(t) == utc(2026, 4, 28, 13, 30)


def test_time_left_and_overdue() -> None:
    due = utc(2026, 12, 23, 7, 59, 59)
    assert time_left(due, utc(2026, 12, 22, 7, 59, 59)) == timedelta(days=1)
    assert time_left(due, utc(2026, 12, 23, 8, 59, 59)) == timedelta(hours=-1)
    assert not is_overdue(due, due)  # met at the instant itself
    assert is_overdue(due, due + timedelta(seconds=1))


def test_a_to_z_risk() -> None:
    delivered = utc(2026, 12, 18, 15)
    due = utc(2026, 12, 23, 7, 59, 59)
    after = due + timedelta(seconds=1)
    assert not a_to_z_risk(delivered, refunded=False, now=due, market="US")
    assert a_to_z_risk(delivered, refunded=False, now=after, market="US")
    assert not a_to_z_risk(delivered, refunded=True, now=after, market="US")
    assert not a_to_z_risk(None, refunded=False, now=after, market="US")


def test_stalled_parcel() -> None:
    scan = utc(2026, 6, 1, 10)
    assert not is_stalled(scan, scan + timedelta(days=4, hours=23))
    assert is_stalled(scan, scan + timedelta(days=5))
    assert not is_stalled(scan, scan + timedelta(days=5), threshold_days=7)
    with pytest.raises(InvariantViolation):
        is_stalled(scan, scan, threshold_days=0)


def test_delivered_not_received_overdue() -> None:
    delivered = utc(2026, 12, 24, 12)  # UK: deadline end of Wed 30 Dec
    assert not delivered_not_received_overdue(delivered, utc(2026, 12, 30, 23, 59, 59), "UK")
    assert delivered_not_received_overdue(delivered, utc(2026, 12, 31, 0, 0, 0), "UK")


# -- properties -------------------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
markets = st.sampled_from(sorted(MARKETPLACES))


def _independent_business_day(day: date, country: str) -> bool:
    return day.weekday() < 5 and day not in holidays.country_holidays(country, years=day.year)


@settings(deadline=None, max_examples=300)
@given(instants, markets)
def test_refund_due_never_falls_on_a_weekend_or_holiday(delivered_at: datetime, code: str) -> None:
    market = marketplace(code)
    due = refund_due_at(delivered_at, market)
    due_day = local_date(due, market)
    assert _independent_business_day(due_day, market.country)
    assert due.astimezone(market.tz).time().isoformat() == "23:59:59"
    # Exactly one business day lies strictly between the local delivery date and the due date.
    start = local_date(delivered_at, market)
    between = [start + timedelta(days=i) for i in range(1, (due_day - start).days)]
    assert sum(_independent_business_day(d, market.country) for d in between) == 1
    assert due > delivered_at


@settings(deadline=None, max_examples=300)
@given(instants, instants, markets)
def test_refund_due_is_monotonic_in_delivery_time(a: datetime, b: datetime, code: str) -> None:
    early, late = min(a, b), max(a, b)
    assert refund_due_at(early, code) <= refund_due_at(late, code)


@settings(deadline=None)
@given(instants, markets, st.integers(1, 20))
def test_add_business_days_lands_on_a_business_day(start: datetime, code: str, count: int) -> None:
    market = marketplace(code)
    day = add_business_days(start.date(), count, market)
    assert _independent_business_day(day, market.country)
    assert day > start.date()


def test_the_sellers_holiday_calendar_counts_the_business_days() -> None:
    """Boxing Day is a holiday in the UK, not in the US: a US-marketplace return delivered on Christmas
    Eve is due two business days later by each calendar, on different days."""
    from datetime import UTC, date, datetime

    from seller_desk.domain.policies.clocks import add_business_days, delivered_not_received_overdue

    christmas_eve = date(2025, 12, 24)
    assert add_business_days(christmas_eve, 2, "US") == date(2025, 12, 29)  # Fri 26th counts
    assert add_business_days(christmas_eve, 2, "US", country="GB") == date(2025, 12, 30)
    delivered = datetime(2025, 12, 24, 15, tzinfo=UTC)
    on_the_30th = datetime(2025, 12, 30, 15, tzinfo=UTC)
    assert delivered_not_received_overdue(delivered, on_the_30th, "US")
    assert not delivered_not_received_overdue(delivered, on_the_30th, "US", country="GB")
