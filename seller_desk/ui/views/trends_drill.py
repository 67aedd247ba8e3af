"""From a chart's bar, cell or spike to exactly the returns behind it: a ``ReturnsFilter`` and the words
the Returns filter bar shows for it.

Bounds are UTC midnights of day numbers, as the ``week`` column and the month buckets count: a week
bar runs Monday 00:00 UTC up to the next Monday (exclusive), a month bar from the 1st. The trends
filter's SKU, category, marketplace and channel carry over, so the Returns list counts what the bar
counted. The unmapped codes' bar selects the returns whose raw code maps to no canonical reason.
"""

from __future__ import annotations

from seller_desk.analytics.trends import UNMAPPED
from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.store.queries.trends import TrendsFilter, bucket_end, day_to_utc
from seller_desk.ui.formatting import reason_label


def label_of(reason: str) -> str:
    """A reason key as the charts show it."""
    return "Unmapped codes" if reason == UNMAPPED else reason_label(reason, reason)


def _span_text(first: int | None, end: int | None, bucket: str | None) -> str:
    if first is None and end is None:
        return "any date"
    if bucket == "week" and first is not None:
        return f"week of {day_to_utc(first):%d %b %Y} (UTC)"
    if bucket == "month" and first is not None:
        return f"{day_to_utc(first):%B %Y} (UTC)"
    start = "…" if first is None else f"{day_to_utc(first):%d %b %Y}"
    last = "…" if end is None else f"{day_to_utc(end - 1):%d %b %Y}"
    return f"{start} – {last} (UTC)"


def drill_filter(
    f: TrendsFilter,
    *,
    reason: str | None = None,
    sku: str | None = None,
    bucket_start: int | None = None,
    bucket: str | None = None,
) -> tuple[ReturnsFilter, str]:
    """The Returns filter and its description for a bucket (or ``f``'s whole window when
    ``bucket_start`` is None) × reason × SKU."""
    first: int | None
    end: int | None
    unit: str | None = None
    if bucket_start is not None:
        unit = bucket or f.bucket
        first, end = bucket_start, bucket_end("week" if unit == "week" else "month", bucket_start)
    else:
        first, end = f.window()
    chosen_sku = sku or f.sku
    returns_filter = ReturnsFilter(
        reason=None if reason == UNMAPPED else reason,
        reason_unmapped=reason == UNMAPPED,
        sku=chosen_sku,
        category=f.category,
        marketplace=f.marketplace,
        channel=f.channel,
        requested_from=None if first is None else day_to_utc(first),
        requested_to=None if end is None else day_to_utc(end),
    )
    parts = [label_of(reason)] if reason else []
    if chosen_sku:
        parts.append(chosen_sku)
    parts.append(_span_text(first, end, unit))
    return returns_filter, "From Trends: " + ", ".join(parts)
