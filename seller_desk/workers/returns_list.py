"""The Returns list's background reads, as ``Op`` functions (``fn(ctx)``) the list model queues.

Each opens its own connection on the DB thread through ``ctx`` and returns plain data, so the model
never sees a connection and the GUI thread never waits on SQLite.
"""

from __future__ import annotations

from typing import NamedTuple

from seller_desk.store.comment_index import catch_up_batch
from seller_desk.store.queries import returns_quick
from seller_desk.store.queries.attention import AttentionItem, attention_items
from seller_desk.store.queries.returns import (
    ReturnRow,
    ReturnsFilter,
    ReturnsSort,
    SortKey,
    anchor_keys,
    count_returns,
    dbapi,
    page_returns,
)
from seller_desk.store.queries.returns_choices import FilterChoices, filter_choices
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS, QuickFilter, quick_counts
from seller_desk.workers.ops import OpContext


class FirstPage(NamedTuple):
    count: int | None  # None: counted separately (``load_count``), after the page is on screen
    rows: list[ReturnRow]


def load_first_page(ctx: OpContext, f: ReturnsFilter, sort: ReturnsSort, limit: int) -> FirstPage:
    """The count and the first page, read in one transaction so they agree with each other.

    A search for comment words that fills the page leaves its count for later: counting thousands of
    matches means looking each one up (~13 ms at a million returns for a common word), and the seller
    is waiting for the rows, not the number.
    """
    conn = ctx.connection()
    with conn.begin():
        rows = page_returns(conn, f, sort, None, limit)
        if f.shape.search_words and len(rows) == limit:
            return FirstPage(None, rows)
        return FirstPage(count_returns(conn, f), rows)


def load_count(ctx: OpContext, f: ReturnsFilter) -> int:
    """How many returns ``f`` selects (the count a first page left for later)."""
    return count_returns(ctx.connection(), f)


def load_page(
    ctx: OpContext, f: ReturnsFilter, sort: ReturnsSort, after: SortKey | None, offset: int, limit: int
) -> list[ReturnRow]:
    """``limit`` rows starting ``offset`` rows after the known key ``after`` (None: the list's start)."""
    return page_returns(ctx.connection(), f, sort, after, limit, offset=offset)


def load_anchors(
    ctx: OpContext,
    f: ReturnsFilter,
    sort: ReturnsSort,
    every: int,
    after: SortKey | None,
    max_keys: int,
    budget_s: float | None = None,
) -> list[SortKey]:
    """The next anchor keys after ``after`` (one slice; the model asks for the next)."""
    return anchor_keys(
        ctx.connection(), f, sort, every, after_key=after, max_keys=max_keys, budget_s=budget_s
    )


def load_quick_counts(ctx: OpContext, stalled_after_days: int = STALLED_AFTER_DAYS) -> dict[QuickFilter, int]:
    """The quick filters' live counts (a few index range counts; milliseconds at a million returns)."""
    return quick_counts(dbapi(ctx.connection()), stalled_after_days=stalled_after_days)


def load_filter_choices(ctx: OpContext) -> FilterChoices:
    """The filter menus' values; a full-table read, so run it on the I/O lane (see ``returns_choices``)."""
    return filter_choices(dbapi(ctx.connection()))


def index_comments(ctx: OpContext) -> int:
    """Bring the comment word index up to date, a batch per transaction; how many comments it indexed.

    Runs on the I/O lane (its own connection: the DB lane's page reads go on meanwhile) and stops
    between batches when cancelled (the app is quitting).
    """
    raw = dbapi(ctx.connection())
    total = 0
    while not ctx.cancelled:
        done = catch_up_batch(raw)
        total += done
        if done == 0:
            break
    return total


def load_attention(ctx: OpContext, stalled_after_days: int = STALLED_AFTER_DAYS) -> list[AttentionItem]:
    """The attention inbox at this moment (``store.queries.attention``)."""
    now = returns_quick.now_epoch()
    return attention_items(dbapi(ctx.connection()), now, stalled_after_days=stalled_after_days)
