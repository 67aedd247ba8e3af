"""SQL text for the Returns list, built once per query shape (see ``returns.py`` for the why).

A query is a list of *arms*, one SELECT per index range, each a list of WHERE terms; one arm is a
plain SELECT, several are a compound SQLite merges in ``ORDER BY`` order. Arms come from two sources,
multiplied together:

- the partition: one arm per status when several statuses are sorted by date and no SKU or reason
  filter pins another index;
- the key: when the sort's leading column is not pinned to one value, rows after the key may lie in
  several index ranges (the remaining statuses; NULL reasons before or after the non-NULL ones).

A search is different: it matches a few ids through several indexes (``_search_ids``), and one SELECT
reads those rows with the filters and the key (the key arms OR-ed) and sorts them.

Values are named parameters: ``s0..`` statuses, ``q``/``qu`` the search as typed and upper-cased,
``kc``/``kt``/``ki`` the key's lead column, ``requested_at`` and ``id``.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from seller_desk.store.comment_index import FTS_TABLE
from seller_desk.store.queries.returns_quick import QUICK_INDEX, QUICK_TERMS, QuickFilter

ROW_COLUMNS = (
    "id, rma, order_id, sku, (SELECT title FROM skus WHERE skus.sku = returns.sku) AS title, quantity, "
    "reason, reason_raw, status, carrier, tracking_number, last_scan_at, eta, value_minor, currency, "
    "requested_at, "
    "(a_to_z_claim | (safet_claim << 1) | ((NOT in_policy) << 2)"
    " | (coalesce(status = 'in_transit' AND last_scan_at < :stalled_before, 0) << 3)) AS flags, "
    "shipped_at, delivered_at"
)
SEARCH_COLUMNS = ("rma", "order_id", "tracking_number", "sku")
EQUALITY_FILTERS = ("reason", "sku", "marketplace", "channel", "carrier")
# A category is a few dozen SKUs: SQLite reads each one's (sku, requested_at, id) range, or scans the
# sort's index checking membership, whichever its planner costs lower.
INDEXED_LEADS = ("status", "sku", "reason")  # each has a (column, requested_at, id) index
NULLABLE_LEADS = ("reason", "carrier", "tracking_number", "last_scan_at", "eta")
ASIN_TERM_START = "sku IN (SELECT sku FROM skus WHERE asin IN "
SKU_INDEX = "ix_returns_sku_requested_at_id"
ID_DATE_INDEX = "ix_returns_id_requested_at"
CATEGORY_TERM = "sku IN (SELECT sku FROM skus WHERE category = :category)"


class FilterShape(NamedTuple):
    """Which filter fields are set (and how many statuses): all the SQL text depends on."""

    statuses: int
    reason: bool
    sku: bool
    marketplace: bool
    channel: bool
    carrier: bool
    requested_from: bool
    requested_to: bool
    search: bool
    search_upper: bool
    quick: QuickFilter | None = None
    category: bool = False
    search_words: bool = False  # the search has words to look up in the comment index
    reason_unmapped: bool = False  # only returns whose raw code maps to no canonical reason


class KeyShape(Enum):
    NONE = "none"  # first page
    PINNED = "pinned"  # lead column fixed by a filter (or sort by date): key is (requested_at, id)
    LEAD = "lead"  # full (lead, requested_at, id) row value on the lead column's index
    NULL_LEAD = "null_lead"  # reason sort, the key's reason is NULL
    STATUS_ARMS = "status_arms"  # several statuses sorted by status: the key's status + those after it


class PageShape(NamedTuple):
    sort_key: str
    descending: bool
    filters: FilterShape
    key: KeyShape
    arms_after: int  # STATUS_ARMS: how many statuses come after the key's


Arm = tuple[str, ...]


@lru_cache(maxsize=256)
def page_sql(shape: PageShape, *, keys_only: bool) -> str:
    """SELECT of a page (or, with ``keys_only``, of the sort keys alone) for this shape."""
    lead = None if shape.sort_key == "requested_at" else shape.sort_key
    direction = "DESC" if shape.descending else "ASC"
    order_columns = ([lead] if lead else []) + ["requested_at", "id"]
    columns = ", ".join(order_columns) if keys_only else ROW_COLUMNS
    order_by = ", ".join(f"{c} {direction}" for c in order_columns)
    if shape.filters.search:
        return _search_page(shape, columns, order_by, late_columns=not keys_only)
    arms = [p + k for p in _partition_arms(shape) for k in _key_arms(shape)]
    common = _filter_terms(shape)
    hint = _index_hint(shape.filters)
    selects = [_select(columns, common + list(arm), hint) for arm in arms]
    return f"{' UNION ALL '.join(selects)} ORDER BY {order_by} LIMIT :limit OFFSET :offset"


def _search_page(shape: PageShape, columns: str, order_by: str, *, late_columns: bool) -> str:
    """A search's page: the matching ids first (each key column's index, the catalogue for an ASIN,
    the comment index for words: ids only, deduplicated), then one SELECT of those rows with the
    filters and the key, sorted. Merging whole rows arm by arm instead sorted and deduplicated every
    row twice. The page's own columns are read last, for its rows only: sorting whole rows (the title
    looked up for each) made a common comment word's page (8,000 returns at a million) 43 ms; ids and
    sort keys alone, 17 ms."""
    keys = [" AND ".join(arm) for arm in _key_arms(shape) if arm]
    filters = _filter_terms(shape)
    terms = [*filters, f"id IN ({_search_ids(shape.filters)})"]
    if keys:
        terms.append("(" + " OR ".join(f"({k})" for k in keys) + ")")
    # The search alone, by date: ids and dates come from the narrow index, no table row is read.
    hint = f" INDEXED BY {ID_DATE_INDEX}" if shape.sort_key == "requested_at" and not filters else ""
    if not late_columns:
        return f"{_select(columns, terms, hint)} ORDER BY {order_by} LIMIT :limit OFFSET :offset"
    page = f"{_select('id', terms, hint)} ORDER BY {order_by} LIMIT :limit OFFSET :offset"
    return f"SELECT {columns} FROM returns WHERE id IN ({page}) ORDER BY {order_by}"


def _search_ids(shape: FilterShape) -> str:
    """Ids of the returns a search matches: an exact key column (as typed and upper-cased), an ASIN
    through the small catalogue (no index on ``returns.asin`` to maintain; read through the SKU index,
    which SQLite would otherwise trade for a walk of the date index), or the words of a comment."""
    spellings = (":q", ":qu") if shape.search_upper else (":q",)
    ids = [f"SELECT id FROM returns WHERE {column} IN ({', '.join(spellings)})" for column in SEARCH_COLUMNS]
    ids.append(
        f"SELECT id FROM returns INDEXED BY {SKU_INDEX} WHERE {ASIN_TERM_START}({', '.join(spellings)}))"
    )
    if shape.search_words:
        ids.append(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :qw")
    return " UNION ".join(ids)


@lru_cache(maxsize=64)
def count_sql(shape: FilterShape) -> str:
    """COUNT of the rows matching a filter of this shape (no order, so statuses are one IN list)."""
    terms = _equality_terms(shape) + _date_terms(shape, drop=None) + _quick_terms(shape)
    if shape.statuses:
        terms.insert(0, _status_term(shape.statuses))
    if not shape.search:
        return _select("count(*)", terms, _index_hint(shape))
    hint = "" if terms else f" INDEXED BY {ID_DATE_INDEX}"  # existence per id, from the narrow index
    return _select("count(*)", [*terms, f"id IN ({_search_ids(shape)})"], hint)


def _select(columns: str, terms: list[str], hint: str = "") -> str:
    where = f" WHERE {' AND '.join(terms)}" if terms else ""
    return f"SELECT {columns} FROM returns{hint}{where}"


def _index_hint(shape: FilterShape) -> str:
    """``INDEXED BY`` the quick filter's partial index (see ``returns_quick``), unless a search
    drives each arm through its own column's index."""
    if shape.quick in QUICK_INDEX and not shape.search:
        return f" INDEXED BY {QUICK_INDEX[shape.quick]}"
    return ""


def _status_term(count: int) -> str:
    if count == 1:
        return "status = :s0"
    return f"status IN ({', '.join(f':s{i}' for i in range(count))})"


def _equality_terms(shape: FilterShape, *, residual: tuple[str, ...] = ()) -> list[str]:
    terms = [
        f"{'+' if name in residual else ''}{name} = :{name}"
        for name in EQUALITY_FILTERS
        if getattr(shape, name)
    ]
    if shape.category:
        terms.append(CATEGORY_TERM)
    if shape.reason_unmapped:
        terms.append("reason IS NULL")
    return terms


def _date_terms(shape: FilterShape, *, drop: str | None, residual: bool = False) -> list[str]:
    column = "+requested_at" if residual else "requested_at"
    terms = []
    if shape.requested_from and drop != "from":
        terms.append(f"{column} >= :from")
    if shape.requested_to and drop != "to":
        terms.append(f"{column} < :to")
    return terms


def _quick_terms(shape: FilterShape) -> list[str]:
    """A quick filter's fixed terms, as written in its partial index (so SQLite can use it)."""
    return [] if shape.quick is None else list(QUICK_TERMS[shape.quick])


def _status_partitioned(shape: PageShape) -> bool:
    f = shape.filters
    pinned_elsewhere = f.search or f.sku or f.reason or f.quick is not None
    return shape.sort_key == "requested_at" and f.statuses > 1 and not pinned_elsewhere


def lead_pinned(sort_key: str, f: FilterShape) -> bool:
    """Sorting by date, or by a column an equality filter fixes: the order is (requested_at, id)."""
    return (
        sort_key == "requested_at"
        or (sort_key == "status" and f.statuses == 1)
        or (sort_key == "sku" and f.sku)
        or (sort_key == "reason" and f.reason)
        or (sort_key == "carrier" and f.carrier)
    )


def _filter_terms(shape: PageShape) -> list[str]:
    """Terms every arm carries: the filters not already expressed by the arms themselves.

    When the sort's own index must drive the scan (an indexed lead column not pinned), the status, reason
    and date terms are written ``+column``, which keeps SQLite from choosing their index and then
    sorting hundreds of thousands of rows per page (a status or reason matches a large share of all
    returns). A SKU matches few, so its index stays usable and SQLite may sort that small set.
    """
    f = shape.filters
    residual = shape.sort_key in INDEXED_LEADS and not lead_pinned(shape.sort_key, f)
    terms = _equality_terms(f, residual=("reason",) if residual else ())
    statuses_in_arms = _status_partitioned(shape) or shape.key is KeyShape.STATUS_ARMS
    if f.statuses and not statuses_in_arms:
        terms.insert(0, ("+" if residual else "") + _status_term(f.statuses))
    # With a key on (requested_at, id), the key *replaces* the date bound the scan starts from.
    drop = None
    if shape.key is KeyShape.PINNED:
        drop = "to" if shape.descending else "from"
    return terms + _date_terms(f, drop=drop, residual=residual) + _quick_terms(f)


def _partition_arms(shape: PageShape) -> list[Arm]:
    if _status_partitioned(shape):
        return [(f"status = :s{i}",) for i in range(shape.filters.statuses)]
    return [()]


def _key_arms(shape: PageShape) -> list[Arm]:
    op = "<" if shape.descending else ">"
    tail = f"(requested_at, id) {op} (:kt, :ki)"
    lead = shape.sort_key
    if shape.key is KeyShape.NONE:
        return [()]
    if shape.key is KeyShape.PINNED:
        return [(tail,)]
    if shape.key is KeyShape.STATUS_ARMS:
        return [("status = :kc", tail)] + [(f"status = :s{i}",) for i in range(shape.arms_after)]
    if shape.key is KeyShape.NULL_LEAD:
        # SQLite sorts NULL first: ascending, all non-NULL reasons follow; descending, none do.
        after_nulls = [] if shape.descending else [(f"{lead} IS NOT NULL",)]
        return [(f"{lead} IS NULL", tail), *after_nulls]
    full = f"({lead}, requested_at, id) {op} (:kc, :kt, :ki)"
    if lead in NULLABLE_LEADS and shape.descending:
        return [(full,), (f"{lead} IS NULL",)]  # a row value with NULL compares as NULL: add them back
    return [(full,)]
