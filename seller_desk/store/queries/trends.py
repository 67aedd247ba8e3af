"""Return-reason trends as plain rows: counts per week or month × canonical reason, per SKU, units sold
in the same window, and the money involved (DOMAIN.md "Return-reason analytics").

Aggregation happens in SQL, on indexes, never by reading a million rows into Python:

- weeks count from the ``(week, reason)`` index alone — ``returns.week`` is the Monday of the request's
  ISO week (UTC) in days since 1970-01-01, so a window of whole weeks is a range of that index and the
  GROUP BY walks it in order (ARCHITECTURE.md: ≈ 125 ms at a million against ≈ 1 s for strftime);
- months count from the ``(reason, requested_at, id)`` index, which covers both columns;
- the window is therefore snapped to whole buckets: a week window runs Monday 00:00 UTC to Monday, a
  month window from the 1st; clicking a bar opens exactly the returns that bar counted.

A filter on SKU, category, marketplace or channel adds terms those indexes do not hold: SQLite then
reads the rows in the window (a SKU through its own index). Units sold come from ``daily_sales``
(``day`` in days since epoch, the same clock). Money is summed per currency, never across.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, NamedTuple

EPOCH = date(1970, 1, 1)
DAY_S = 86_400
SPIKE_LOOKBACK_WEEKS = 8  # spikes compare a week with the 8 before it: read those too
Bucket = Literal["week", "month"]
BUCKETS: tuple[Bucket, ...] = ("week", "month")
_CREDIT = "CASE WHEN p.component = 'promotion' THEN -p.amount_minor ELSE p.amount_minor END"
"""A payment as a credit to the buyer: amounts are magnitudes, and a promotion taken back counts negative."""


def monday_of(day: int) -> int:
    """The Monday (days since epoch) of ``day``'s ISO week; 1970-01-01 was a Thursday."""
    return day - (day + 3) % 7


def month_start(day: int) -> int:
    when = EPOCH + timedelta(days=day)
    return (date(when.year, when.month, 1) - EPOCH).days


def next_month(day: int) -> int:
    when = EPOCH + timedelta(days=day)
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    return (date(year, month, 1) - EPOCH).days


def day_to_utc(day: int) -> datetime:
    """Midnight UTC of a day number: the exact bound the ``week`` column and month buckets use."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=day)


def bucket_end(bucket: Bucket, start: int) -> int:
    """The first day after the bucket that starts on ``start``."""
    return start + 7 if bucket == "week" else next_month(start)


@dataclass(frozen=True, slots=True)
class TrendsFilter:
    """What the Trends screen counts. Days are days since 1970-01-01 UTC; ``end_day`` is exclusive.
    Empty fields mean "any"; ``window()`` widens the days to whole buckets."""

    first_day: int | None = None
    end_day: int | None = None
    sku: str | None = None
    category: str | None = None
    marketplace: str | None = None
    channel: str | None = None
    bucket: Bucket = "week"

    def __post_init__(self) -> None:
        if self.bucket not in BUCKETS:
            raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}, not {self.bucket!r}")
        if self.first_day is not None and self.end_day is not None and self.end_day <= self.first_day:
            raise ValueError(f"empty window: end_day {self.end_day} is not after first_day {self.first_day}")

    def window(self, bucket: Bucket | None = None) -> tuple[int | None, int | None]:
        """(first day, end day) widened to whole ``bucket``s (default: the filter's own)."""
        unit = bucket or self.bucket
        first, end = self.first_day, self.end_day
        if unit == "week":
            return (None if first is None else monday_of(first),
                    None if end is None else monday_of(end - 1) + 7)  # fmt: skip
        return (None if first is None else month_start(first),
                None if end is None else next_month(end - 1))  # fmt: skip


class BucketCount(NamedTuple):
    start_day: int  # first day of the week or month
    reason: str | None  # NULL: a raw code nobody has mapped
    returns: int


class SkuReasonCount(NamedTuple):
    sku: str
    reason: str | None
    currency: str
    returns: int
    units: int
    label_costs_minor: int  # return labels the seller paid for


class SkuWeekCount(NamedTuple):
    sku: str
    week: int
    reason: str | None
    returns: int


class MoneyTotals(NamedTuple):
    """Per currency: net refunded (settled payments), restocking fees kept, return labels the seller paid."""

    currency: str
    refunded_minor: int
    fees_kept_minor: int
    label_costs_minor: int


class SkuInfo(NamedTuple):
    sku: str
    title: str
    category: str


def _terms(
    f: TrendsFilter, bucket: Bucket, *, first: int | None, end: int | None, table: str = ""
) -> tuple[list[str], dict[str, Any]]:
    """WHERE terms over ``returns`` (named ``table`` in a join) and their parameters for the window
    [first, end) in ``bucket``s and ``f``'s other filters."""
    col = f"{table}." if table else ""
    terms: list[str] = []
    params: dict[str, Any] = {}
    column, scale = ("week", 1) if bucket == "week" else ("requested_at", DAY_S)
    if first is not None:
        terms.append(f"{col}{column} >= :lo")
        params["lo"] = first * scale
    if end is not None:
        terms.append(f"{col}{column} < :hi")
        params["hi"] = end * scale
    for name in ("sku", "marketplace", "channel"):
        value = getattr(f, name)
        if value is not None:
            terms.append(f"{col}{name} = :{name}")
            params[name] = value
    if f.category is not None:
        terms.append(f"{col}sku IN (SELECT sku FROM skus WHERE category = :category)")
        params["category"] = f.category
    return terms, params


def _where(terms: list[str]) -> str:
    return f" WHERE {' AND '.join(terms)}" if terms else ""


def weekly_sql(f: TrendsFilter, *, lookback_weeks: int = 0) -> tuple[str, dict[str, Any]]:
    """The weekly × reason count (also what the benchmark times and checks the plan of)."""
    first, end = f.window("week")
    if first is not None:
        first -= 7 * lookback_weeks
    terms, params = _terms(f, "week", first=first, end=end)
    return f"SELECT week, reason, count(*) FROM returns{_where(terms)} GROUP BY week, reason", params


def weekly_counts(conn: sqlite3.Connection, f: TrendsFilter, *, lookback_weeks: int = 0) -> list[BucketCount]:
    """Returns per ISO week (UTC) × reason in ``f``'s window of whole weeks, starting ``lookback_weeks``
    earlier (the spike baseline of the first weeks). Weeks without returns are absent."""
    sql, params = weekly_sql(f, lookback_weeks=lookback_weeks)
    return [BucketCount(*row) for row in conn.execute(sql, params)]


def monthly_counts(conn: sqlite3.Connection, f: TrendsFilter) -> list[BucketCount]:
    """Returns per calendar month (UTC) × reason in ``f``'s window of whole months."""
    first, end = f.window("month")
    terms, params = _terms(f, "month", first=first, end=end)
    sql = (
        "SELECT strftime('%Y-%m', requested_at, 'unixepoch') AS month, reason, count(*) "
        f"FROM returns{_where(terms)} GROUP BY month, reason"
    )
    rows = []
    for month, reason, count in conn.execute(sql, params):
        start = (date(int(month[:4]), int(month[5:7]), 1) - EPOCH).days
        rows.append(BucketCount(start, reason, count))
    return rows


def sku_reason_counts(
    conn: sqlite3.Connection, f: TrendsFilter, *, scan: bool = False
) -> list[SkuReasonCount]:
    """Returns, units returned and seller-paid label costs per SKU × reason × currency in the window
    (the rate ranking, the heatmap, the label costs): one read of the rows in the window. ``scan``
    reads the table in order instead of looking each row up from an index: the faster way when the
    window holds a large share of all returns (the caller knows how many from the weekly counts)."""
    first, end = f.window()
    terms, params = _terms(f, f.bucket, first=first, end=end)
    hint = " NOT INDEXED" if scan else ""
    sql = (
        "SELECT sku, reason, currency, count(*), sum(quantity), "
        "sum(CASE WHEN label_paid_by = 'seller' THEN label_cost_minor ELSE 0 END) "
        f"FROM returns{hint}{_where(terms)} GROUP BY sku, reason, currency"
    )
    return [SkuReasonCount(*row) for row in conn.execute(sql, params)]


def sku_weekly_counts(
    conn: sqlite3.Connection, f: TrendsFilter, skus: list[str], *, lookback_weeks: int = 0
) -> list[SkuWeekCount]:
    """Weekly × reason counts of the given SKUs (their spikes), each read through the SKU index."""
    if not skus:
        return []
    first, end = f.window("week")
    if first is not None:
        first -= 7 * lookback_weeks
    terms, params = _terms(f, "week", first=first, end=end)
    names = [f":k{i}" for i in range(len(skus))]
    params.update({f"k{i}": sku for i, sku in enumerate(skus)})
    terms.insert(0, f"sku IN ({', '.join(names)})")
    sql = f"SELECT sku, week, reason, count(*) FROM returns{_where(terms)} GROUP BY sku, week, reason"
    return [SkuWeekCount(*row) for row in conn.execute(sql, params)]


def units_sold(conn: sqlite3.Connection, f: TrendsFilter) -> dict[str, int]:
    """Units sold per SKU in the same window of whole buckets, from ``daily_sales``."""
    first, end = f.window()
    terms: list[str] = []
    params: dict[str, Any] = {}
    if first is not None:
        terms.append("day >= :d0")
        params["d0"] = first
    if end is not None:
        terms.append("day < :d1")
        params["d1"] = end
    for name in ("sku", "marketplace", "channel"):
        value = getattr(f, name)
        if value is not None:
            terms.append(f"{name} = :{name}")
            params[name] = value
    if f.category is not None:
        terms.append("sku IN (SELECT sku FROM skus WHERE category = :category)")
        params["category"] = f.category
    sql = f"SELECT sku, sum(units) FROM daily_sales{_where(terms)} GROUP BY sku"
    return {sku: int(units) for sku, units in conn.execute(sql, params)}


def money_totals(
    conn: sqlite3.Connection,
    f: TrendsFilter,
    sku_rows: list[SkuReasonCount] | None = None,
    *,
    scan: bool = False,
) -> list[MoneyTotals]:
    """Money around the returns in the window, per currency: settled refund payments (net of fees and of
    promotions taken back), restocking fees kept (the negative principal rows), and return labels the
    seller paid for (summed from ``sku_rows``, read here when not given). ``scan``: the window holds a
    large share of all returns, so walk every payment (1.5 s at a million) rather than find the returns
    first (3.8 s)."""
    first, end = f.window()
    terms, params = _terms(f, f.bucket, first=first, end=end, table="r")
    # Wide: walk the payments and look their request and return up by primary key (CROSS JOIN keeps
    # that order); narrow: find the returns first, then their requests and payments by index.
    source = (
        "refund_payments p CROSS JOIN refund_requests q CROSS JOIN returns r"
        if scan
        else "returns r JOIN refund_requests q JOIN refund_payments p"
    )
    sql = (
        f"SELECT q.currency, sum({_CREDIT}), "
        "sum(CASE WHEN p.component = 'principal' AND p.amount_minor < 0 THEN -p.amount_minor ELSE 0 END) "
        f"FROM {source} WHERE q.id = p.refund_request_id AND r.id = q.return_id AND p.settled"
        f"{''.join(' AND ' + t for t in terms)} GROUP BY q.currency"
    )
    paid = {currency: (int(refunded), int(fees)) for currency, refunded, fees in conn.execute(sql, params)}
    labels: dict[str, int] = {}
    for row in sku_reason_counts(conn, f, scan=scan) if sku_rows is None else sku_rows:
        labels[row.currency] = labels.get(row.currency, 0) + row.label_costs_minor
    return [
        MoneyTotals(c, *paid.get(c, (0, 0)), labels.get(c, 0))
        for c in sorted(set(paid) | {c for c, v in labels.items() if v})
    ]


def sku_info(conn: sqlite3.Connection) -> dict[str, SkuInfo]:
    """Title and category of every catalogue SKU (a few thousand rows at most)."""
    return {row[0]: SkuInfo(*row) for row in conn.execute("SELECT sku, title, category FROM skus")}


def trend_choices(conn: sqlite3.Connection) -> tuple[list[str], list[str], list[str]]:
    """Categories, marketplaces and channels present: the catalogue's, and ``daily_sales``' small
    distinct sets (its primary key starts with the SKU, so this reads the sales table once)."""
    categories = [r[0] for r in conn.execute("SELECT DISTINCT category FROM skus ORDER BY 1") if r[0]]
    markets = conn.execute("SELECT DISTINCT marketplace, channel FROM daily_sales").fetchall()
    return (
        categories,
        sorted({m for m, _c in markets if m}),
        sorted({c for _m, c in markets if c}),
    )
