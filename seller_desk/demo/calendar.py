"""Time for the demo history: the window, seasonality, time of day, and weekend-skipping days.

Days are integers (days since 1970-01-01, UTC) and instants are integer epoch seconds, as in the store,
so a million timestamps are one numpy array and week buckets are integer arithmetic. The history is
"as of" midnight UTC at the start of `today`: nothing generated lies after that instant, except
carrier ETAs, which are forecasts.

Seasonality is what makes the trend and restock screens look like a real shop: weekend bumps, a July
Prime-day peak, the Black-Friday-to-Christmas rush (with its January wave of returns, since Amazon
extends the return window for holiday purchases to 31 January), steady growth, and per-category
shapes (toys live in December, sports in summer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

DAY = 86_400
HOUR = 3_600
HISTORY_DAYS = 730
YEARLY_GROWTH = 1.35

# Monday .. Sunday demand multipliers.
WEEKDAY_FACTORS = np.array([0.97, 0.94, 0.95, 0.97, 1.0, 1.09, 1.12])
# Share of a day's orders or requests per UTC hour (US-heavy: evenings in America are UTC night).
_HOURLY = np.array(
    [5.0, 5.2, 4.8, 4.0, 3.0, 2.0, 1.4, 1.1, 1.0, 1.1, 1.4, 1.9,
     2.6, 3.3, 3.9, 4.3, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6, 5.6, 5.3]
)  # fmt: skip
_HOURLY_CDF = np.cumsum(_HOURLY) / _HOURLY.sum()


@dataclass(frozen=True, slots=True)
class Window:
    """The history's days: `first_day` .. `first_day + days - 1`, as of `as_of` (midnight of today)."""

    today: date
    days: int = HISTORY_DAYS

    @property
    def today_day(self) -> int:
        return (self.today - date(1970, 1, 1)).days

    @property
    def first_day(self) -> int:
        return self.today_day - self.days

    @property
    def as_of(self) -> int:
        return self.today_day * DAY

    def epoch_days(self) -> np.ndarray:
        return np.arange(self.first_day, self.today_day, dtype=np.int64)

    def dates(self) -> list[date]:
        start = self.today - timedelta(days=self.days)
        return [start + timedelta(days=i) for i in range(self.days)]


def weekday(epoch_day: np.ndarray) -> np.ndarray:
    """Monday = 0 .. Sunday = 6 (1970-01-01 was a Thursday)."""
    return (epoch_day + 3) % 7


def monday(epoch_day: np.ndarray) -> np.ndarray:
    """The Monday of each day's ISO week, as days since 1970-01-01 (the `returns.week` column)."""
    result: np.ndarray = epoch_day - weekday(epoch_day)
    return result


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))


def event_factors(window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Per day: the shared promotional spikes (Prime day, Black Friday week, December) and the month.

    Returned separately from the monthly shape so categories can react to events with their own
    sensitivity (a toy shop's December is not a book shop's).
    """
    days = window.dates()
    spikes = np.ones(len(days))
    months = np.array([d.month for d in days])
    years = sorted({d.year for d in days})
    index = {d: i for i, d in enumerate(days)}
    for year in years:
        prime = _nth_weekday(year, 7, 1, 2)  # second Tuesday of July, two days
        black_friday = _nth_weekday(year, 11, 3, 4)
        marks: list[tuple[date, float]] = [(prime - timedelta(days=k), 1.25) for k in range(1, 6)]
        marks += [(prime, 2.9), (prime + timedelta(days=1), 2.6), (prime + timedelta(days=2), 1.3)]
        marks += [(black_friday + timedelta(days=k), f) for k, f in enumerate((2.6, 2.2, 2.0, 2.8, 1.8))]
        marks += [(black_friday - timedelta(days=k), 1.3) for k in range(1, 8)]
        marks += [(date(year, 12, d), 1.55) for d in range(1, 19)]
        marks += [(date(year, 12, d), 1.15) for d in range(19, 24)]
        marks += [(date(year, 12, d), 0.75) for d in range(24, 32)]
        for day, factor in marks:
            i = index.get(day)
            if i is not None:
                spikes[i] = factor
    return spikes, months


def demand_curve(window: Window, monthly: tuple[float, ...], event_sensitivity: float) -> np.ndarray:
    """Relative daily demand of one category: growth × weekday × month shape × events^sensitivity."""
    spikes, months = event_factors(window)
    t = np.arange(window.days) / 365.0
    growth = YEARLY_GROWTH**t
    wd = weekday(window.epoch_days())
    shape = np.asarray(monthly, dtype=float)[months - 1]
    curve: np.ndarray = growth * WEEKDAY_FACTORS[wd] * shape * spikes**event_sensitivity
    return curve


def holiday_purchase(window: Window) -> np.ndarray:
    """True for days in November and December: their returns may wait until 31 January."""
    return np.array([d.month in (11, 12) for d in window.dates()])


def days_until_jan31(window: Window) -> np.ndarray:
    """For each day, how many days remain until the next 31 January (the holiday return deadline)."""
    out = np.empty(window.days, dtype=np.int64)
    for i, d in enumerate(window.dates()):
        deadline = date(d.year + (1 if d.month >= 2 else 0), 1, 31)
        out[i] = (deadline - d).days
    return out


def time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight UTC, following the shop's hourly rhythm."""
    hours = np.searchsorted(_HOURLY_CDF, rng.random(n), side="right")
    return hours * HOUR + rng.integers(0, HOUR, n)


def lognormal_seconds(rng: np.random.Generator, n: int, median_hours: float, sigma: float) -> np.ndarray:
    """Durations with a long right tail (waits for people and parcels), in whole seconds."""
    return (median_hours * HOUR * np.exp(sigma * rng.standard_normal(n))).astype(np.int64)


def add_business_days(ts: np.ndarray, n: int) -> np.ndarray:
    """`ts` plus `n` business days, skipping Saturdays and Sundays (holidays are the domain clock's job).

    A start on a weekend counts from the following Monday, as a seller's SLA clock would.
    """
    day = ts // DAY
    wd = weekday(day)
    # Move weekend starts to Monday 00:00, keeping weekday instants as they are.
    shift = np.where(wd == 5, 2, np.where(wd == 6, 1, 0))
    start = np.where(shift > 0, (day + shift) * DAY, ts)
    wd = weekday(start // DAY)
    weeks, rest = divmod(n, 5)
    extra = weeks * 7 + rest + np.where(wd + rest >= 5, 2, 0)
    out: np.ndarray = start + extra * DAY
    return out
