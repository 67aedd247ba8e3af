"""Tidy frames for the Trends screen, built from the store's aggregates (never from raw rows).

``compute_trends`` runs the few aggregate queries of ``store.queries.trends`` and shapes them:

- ``buckets``: one row per week (or month) of the window, zero-filled, one column per reason, the
  reasons ordered by their total (largest first, so the biggest sits at the bottom of a stack);
- ``rates``: per SKU, units returned / units sold in the same window, ranked (highest first; SKUs
  selling fewer than ``MIN_UNITS_SOLD`` units in the window rank after the others: 1 return of 2 sold
  is noise, not a product problem);
- ``pareto``: reasons by count with their cumulative share;
- ``matrix``: reasons × the ``top`` most-returned SKUs;
- ``money``: per currency, refunded, fees kept, label costs (integer minor units);
- ``spikes``: overall and for the ``top`` SKUs (``analytics.spikes``), newest first.

This module imports pandas at its top: only the Trends screen's worker and the CLI export import it,
after the app has started.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seller_desk.analytics.spikes import BASELINE_WEEKS, Spike, find_spikes
from seller_desk.domain.enums import CanonicalReason
from seller_desk.store.queries import trends as q
from seller_desk.store.queries.trends import MoneyTotals, TrendsFilter

UNMAPPED = "unmapped"  # the reason key of raw codes nobody mapped (``reason`` NULL)
MIN_UNITS_SOLD = 10
# Read the whole table rather than look rows up by the week index when the window holds more than this
# share of all returns (at a million: per-SKU counts for two years 1.4 s by a scan, 3.3 s by lookups).
SCAN_SHARE = 0.15
TOP_SKUS = 20
REASON_ORDER = [r.value for r in CanonicalReason] + [UNMAPPED]


def reason_key(reason: str | None) -> str:
    return UNMAPPED if reason is None else reason


@dataclass
class TrendsData:
    filter: TrendsFilter
    buckets: pd.DataFrame
    rates: pd.DataFrame
    pareto: pd.DataFrame
    matrix: pd.DataFrame
    money: list[MoneyTotals]
    spikes: list[Spike] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    complete: bool = True  # False: only the bucket counts, Pareto and overall spikes so far

    @property
    def total_returns(self) -> int:
        return int(self.buckets.to_numpy().sum())


def bucket_frame(
    rows: list[q.BucketCount], bucket: q.Bucket, first: int | None, end: int | None
) -> pd.DataFrame:
    """Counts as buckets × reasons, every bucket of [first, end) present (zeros where none)."""
    starts = [r.start_day for r in rows]
    lo = first if first is not None else (min(starts) if starts else None)
    hi = end if end is not None else (q.bucket_end(bucket, max(starts)) if starts else None)
    index: list[int] = []
    day = lo
    while day is not None and hi is not None and day < hi:
        index.append(day)
        day = q.bucket_end(bucket, day)
    frame = pd.DataFrame(
        {"start": starts, "reason": [reason_key(r.reason) for r in rows], "n": [r.returns for r in rows]}
    )
    if frame.empty:
        return pd.DataFrame(index=pd.Index(index, name="start", dtype=np.int64), dtype=np.int64)
    wide = frame.pivot_table(index="start", columns="reason", values="n", aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=index, fill_value=0)
    totals = wide.sum(axis=0).sort_values(ascending=False, kind="stable")
    wide = wide[[c for c in totals.index if totals[c] > 0]].astype(np.int64)
    wide.index.name = "start"
    wide.columns.name = "reason"
    return wide


def rate_frame(
    rows: list[q.SkuReasonCount], sold: dict[str, int], info: dict[str, q.SkuInfo]
) -> pd.DataFrame:
    """Per SKU: returns, units returned, units sold, return rate; ranked as the module says."""
    frame = pd.DataFrame(rows, columns=list(q.SkuReasonCount._fields))
    per_sku = frame.groupby("sku", sort=False)[["returns", "units"]].sum()
    per_sku = per_sku.rename(columns={"units": "units_returned"})
    per_sku["units_sold"] = [sold.get(sku, 0) for sku in per_sku.index]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = per_sku["units_returned"] / per_sku["units_sold"].where(per_sku["units_sold"] > 0)
    per_sku["rate"] = rate
    per_sku["reliable"] = per_sku["units_sold"] >= MIN_UNITS_SOLD
    per_sku["title"] = [info[s].title if s in info else "" for s in per_sku.index]
    per_sku["category"] = [info[s].category if s in info else "" for s in per_sku.index]
    per_sku = per_sku.reset_index().sort_values(
        ["reliable", "rate", "units_returned", "sku"], ascending=[False, False, False, True],
        na_position="last", kind="stable",
    )  # fmt: skip
    columns = ["sku", "title", "category", "returns", "units_returned", "units_sold", "rate", "reliable"]
    return per_sku[columns].reset_index(drop=True)


def pareto_frame(buckets: pd.DataFrame) -> pd.DataFrame:
    """Reasons by count, largest first, with share and cumulative share (0..1)."""
    totals = buckets.sum(axis=0).sort_values(ascending=False, kind="stable")
    whole = int(totals.sum())
    frame = pd.DataFrame({"reason": totals.index, "returns": totals.to_numpy().astype(np.int64)})
    frame["share"] = frame["returns"] / whole if whole else 0.0
    frame["cumulative"] = frame["share"].cumsum()
    return frame


def matrix_frame(rows: list[q.SkuReasonCount], top: list[str], reasons: list[str]) -> pd.DataFrame:
    """Returns per reason (rows, in ``reasons`` order) × SKU (columns, ``top`` order)."""
    frame = pd.DataFrame(rows, columns=list(q.SkuReasonCount._fields))
    if frame.empty:
        return pd.DataFrame(0, index=reasons, columns=top, dtype=np.int64)
    frame["reason"] = frame["reason"].map(reason_key)
    frame = frame[frame["sku"].isin(top)]
    wide = frame.pivot_table(index="reason", columns="sku", values="returns", aggfunc="sum", fill_value=0)
    return wide.reindex(index=reasons, columns=top, fill_value=0).astype(np.int64)


def weekly_spikes(
    rows: list[q.BucketCount] | list[q.SkuWeekCount], *, first_tested: int | None, history_start: int
) -> list[Spike]:
    """Spikes of each (reason[, SKU]) weekly series in ``rows``."""
    if not rows:
        return []
    per_sku = isinstance(rows[0], q.SkuWeekCount)
    frame = pd.DataFrame(
        {
            "week": [r.week if isinstance(r, q.SkuWeekCount) else r.start_day for r in rows],
            "reason": [reason_key(r.reason) for r in rows],
            "sku": [r.sku if isinstance(r, q.SkuWeekCount) else "" for r in rows],
            "n": [r.returns for r in rows],
        }
    )
    wide = frame.pivot_table(index="week", columns=["reason", "sku"], values="n", aggfunc="sum", fill_value=0)
    weeks = np.arange(int(wide.index.min()), int(wide.index.max()) + 1, 7)
    wide = wide.reindex(index=weeks, fill_value=0)
    labels = [(str(reason), str(sku) if per_sku else None) for reason, sku in wide.columns]
    return find_spikes(
        wide.to_numpy(), weeks, history_start=history_start, first_tested=first_tested, labels=labels
    )


def trends_steps(
    conn: sqlite3.Connection, f: TrendsFilter, *, top: int = TOP_SKUS
) -> Generator[TrendsData, None, TrendsData]:
    """``compute_trends`` in two steps: it yields the weekly (or monthly) counts, their Pareto and the
    overall spikes first — index reads, a tenth of a second at a million returns — then returns
    everything, after the per-SKU and money reads that look at each row in the window (seconds there)."""
    first, end = f.window()
    counts = q.weekly_counts(conn, f) if f.bucket == "week" else q.monthly_counts(conn, f)
    buckets = bucket_frame(counts, f.bucket, first, end)
    history = conn.execute("SELECT min(week) FROM returns").fetchone()[0]
    week_first = f.window("week")[0]
    spikes: list[Spike] = []
    if history is not None:
        weekly = q.weekly_counts(conn, f, lookback_weeks=BASELINE_WEEKS)
        spikes = weekly_spikes(weekly, first_tested=week_first, history_start=history)
        if f.sku is not None:  # the whole chart is one SKU: its spikes are that SKU's
            spikes = [s._replace(sku=f.sku) for s in spikes]
    empty_rates = rate_frame([], {}, {})
    yield TrendsData(f, buckets, empty_rates, pareto_frame(buckets), matrix_frame([], [], []), [], spikes,
                     complete=False)  # fmt: skip
    window_returns = int(buckets.to_numpy().sum())
    scan = window_returns > SCAN_SHARE * _table_rows(conn) and f.sku is None and f.category is None
    sku_rows = q.sku_reason_counts(conn, f, scan=scan)
    info = q.sku_info(conn)
    rates = rate_frame(sku_rows, q.units_sold(conn, f), info)
    top_skus = rates.sort_values("returns", ascending=False, kind="stable")["sku"].head(top).tolist()
    matrix = matrix_frame(sku_rows, top_skus, list(buckets.columns))
    if history is not None and f.sku is None:
        per_sku = q.sku_weekly_counts(conn, f, top_skus, lookback_weeks=BASELINE_WEEKS)
        spikes = spikes + weekly_spikes(per_sku, first_tested=week_first, history_start=history)
    spikes.sort(key=lambda s: (-s.week, s.p_value))
    return TrendsData(
        filter=f,
        buckets=buckets,
        rates=rates,
        pareto=pareto_frame(buckets),
        matrix=matrix,
        money=q.money_totals(conn, f, sku_rows, scan=scan),
        spikes=spikes,
        titles={sku: i.title for sku, i in info.items()},
    )


def _table_rows(conn: sqlite3.Connection) -> int:
    """About how many returns the store holds (the largest id: instant, unlike count(*))."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM returns").fetchone()[0])


def compute_trends(conn: sqlite3.Connection, f: TrendsFilter, *, top: int = TOP_SKUS) -> TrendsData:
    """Everything the Trends screen shows for ``f`` (a handful of aggregate queries)."""
    steps = trends_steps(conn, f, top=top)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
