"""SQL text for the Shipments list, built once per query shape (see ``shipments.py`` for the why).

The list's order is *urgency*: a key ``(rank, promised_at, id)`` where the rank splits the outbound
parcels into four disjoint *arms*, each one index range read in ``(promised_at, id)`` order:

====  ===========================================  ================================================
rank  rows                                         index
====  ===========================================  ================================================
0     not delivered, with a promised date          ``ix_shipments_outbound_open`` (partial)
1     not delivered, no promised date yet          ``ix_shipments_outbound_open`` (its NULL range)
2     delivered, with a promised date              ``ix_shipments_direction_status_promised_at``
3     delivered, no promised date                  ``ix_shipments_direction_status_promised_at``
====  ===========================================  ================================================

A page reads the arms one after another (``shipments.page_shipments``), so no arm is ever merged or
sorted. The "late" quick filter keeps arm 0 below ``:now`` and reads arm 2 from
``ix_shipments_outbound_late_delivered``, a partial index of the parcels delivered after their promise;
"exception" and "lost" read their status's range of the composite index. The partial indexes' WHERE
texts are the constants below, repeated by migration 0009 and the ORM model: SQLite uses a partial
index only when the query repeats its WHERE term.

Values are named parameters: ``now``, ``s0..`` statuses, ``carrier``, ``marketplace``, ``from``/``to``
(shipped range), ``q``/``qu`` the search as typed and upper-cased, ``kp``/``ki`` the key.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

OPEN = "direction = 'outbound' AND status <> 'delivered'"
LATE_DELIVERED = "direction = 'outbound' AND status = 'delivered' AND delivered_at > promised_at"
# (index name, indexed columns, partial-index WHERE): created by migration 0009 and the ORM model.
PARTIAL_INDEXES = (
    ("ix_shipments_outbound_open", ("promised_at",), OPEN),
    ("ix_shipments_outbound_late_delivered", ("promised_at",), LATE_DELIVERED),
)
# The same terms on the list's alias ``s`` (SQLite matches them to the index's WHERE column by column).
OPEN_S = "s.direction = 'outbound' AND s.status <> 'delivered'"
LATE_DELIVERED_S = "s.direction = 'outbound' AND s.status = 'delivered' AND s.delivered_at > s.promised_at"
STATUS_INDEX = "ix_shipments_direction_status_promised_at"
MOVING = ("in_transit", "out_for_delivery", "delayed", "failed_attempt", "available_for_pickup")

ROW_COLUMNS = (
    "s.id, o.order_id, o.marketplace, s.carrier, s.tracking_number, s.status, s.shipped_at, "
    "s.promised_at, s.carrier_eta, s.delivered_at, s.last_event_at, s.last_location, "
    "coalesce((SELECT max(1 | ((r.a_to_z_claim OR r.source = 'a_to_z') << 1)) FROM refund_requests r "
    "WHERE r.order_pk = s.order_pk), 0) AS refund_flags"
)
RANK = "(((s.status = 'delivered') << 1) | (s.promised_at IS NULL))"
FROM = "shipments s{hint} LEFT JOIN orders o ON o.id = s.order_pk"


class ShipmentQuick(StrEnum):
    """The quick filters above the list (with live counts)."""

    LATE = "late"
    EXCEPTION = "exception"
    LOST = "lost"
    IN_TRANSIT = "in_transit"


class FilterShape(NamedTuple):
    """Which filter fields are set (and how many statuses): all the SQL text depends on."""

    statuses: int
    carrier: bool
    marketplace: bool
    shipped_from: bool
    shipped_to: bool
    search: bool
    quick: ShipmentQuick | None


class Arm(NamedTuple):
    rank: int
    hint: str  # the index the arm reads
    terms: tuple[str, ...]  # what selects the arm's rows from that index


def arms(shape: FilterShape) -> tuple[Arm, ...]:
    """The arms a filter of this shape reads, in rank order (arms that cannot match are left out)."""
    quick = shape.quick
    found: list[Arm] = []
    for rank in range(4):
        delivered, no_promise = rank >= 2, rank % 2 == 1
        promise = "s.promised_at IS NULL" if no_promise else "s.promised_at IS NOT NULL"
        if quick is ShipmentQuick.LATE:
            if no_promise:
                continue  # nothing promised: never late
            if delivered:
                found.append(Arm(rank, "ix_shipments_outbound_late_delivered", (LATE_DELIVERED_S,)))
            else:
                found.append(Arm(rank, "ix_shipments_outbound_open", (OPEN_S, "s.promised_at < :now")))
            continue
        if quick in (ShipmentQuick.EXCEPTION, ShipmentQuick.LOST):
            if not delivered:
                found.append(
                    Arm(rank, STATUS_INDEX, ("s.direction = 'outbound'", f"s.status = '{quick}'", promise))
                )
            continue
        if quick is ShipmentQuick.IN_TRANSIT:
            if not delivered:
                moving = ", ".join(f"'{m}'" for m in MOVING)
                found.append(
                    Arm(rank, "ix_shipments_outbound_open", (OPEN_S, promise, f"+s.status IN ({moving})"))
                )
            continue
        if delivered:
            found.append(
                Arm(rank, STATUS_INDEX, ("s.direction = 'outbound'", "s.status = 'delivered'", promise))
            )
        else:
            found.append(Arm(rank, "ix_shipments_outbound_open", (OPEN_S, promise)))
    return tuple(found)


def filter_terms(shape: FilterShape) -> list[str]:
    """The filters every arm carries as residual checks (each arm's index already fixes its order)."""
    terms: list[str] = []
    if shape.statuses:
        terms.append(f"+s.status IN ({', '.join(f':s{i}' for i in range(shape.statuses))})")
    if shape.carrier:
        terms.append("s.carrier = :carrier")
    if shape.marketplace:
        terms.append("o.marketplace = :marketplace")
    if shape.shipped_from:
        terms.append("+s.shipped_at >= :from")
    if shape.shipped_to:
        terms.append("+s.shipped_at < :to")
    return terms


SEARCH_RESIDUAL = "+s.direction = 'outbound'"  # '+': the OR below must drive the search, not direction
SEARCH_TERM = (
    "(s.tracking_number IN (:q, :qu) OR s.order_pk IN (SELECT id FROM orders WHERE order_id IN (:q, :qu)))"
)


@lru_cache(maxsize=256)
def arm_page_sql(shape: FilterShape, rank: int, keyed: bool) -> str:
    """A page of one arm, in ``(promised_at, id)`` order, after the key ``(:kp, :ki)`` if ``keyed``."""
    arm = next(a for a in arms(shape) if a.rank == rank)
    terms = [*arm.terms, *filter_terms(shape)]
    if keyed:
        terms.append("s.id > :ki" if rank % 2 else "(s.promised_at, s.id) > (:kp, :ki)")
    where = " AND ".join(terms)
    return (
        f"SELECT {ROW_COLUMNS}, {rank} AS rank FROM {FROM.format(hint=f' INDEXED BY {arm.hint}')} "
        f"WHERE {where} ORDER BY s.promised_at, s.id LIMIT :limit"
    )


@lru_cache(maxsize=256)
def arm_count_sql(shape: FilterShape) -> str:
    """COUNT over all the arms of a filter (a sum of index range counts)."""
    counts = []
    # Without a marketplace filter the order is not read: the delivered arms' counts then stay inside
    # the composite index (measured at 200 000 parcels: 404 ms with the join, see the commit).
    source = FROM if shape.marketplace else "shipments s{hint}"
    if shape.quick is ShipmentQuick.IN_TRANSIT:  # its arms together are its statuses' ranges, all covered
        moving = ", ".join(f"'{m}'" for m in MOVING)
        terms = " AND ".join(["s.direction = 'outbound'", f"s.status IN ({moving})", *filter_terms(shape)])
        return f"SELECT count(*) FROM {source.format(hint=f' INDEXED BY {STATUS_INDEX}')} WHERE {terms}"
    for arm in arms(shape):
        terms = " AND ".join([*arm.terms, *filter_terms(shape)])
        counts.append(f"(SELECT count(*) FROM {source.format(hint=f' INDEXED BY {arm.hint}')} WHERE {terms})")
    return f"SELECT {' + '.join(counts) or '0'}"


@lru_cache(maxsize=64)
def search_page_sql(shape: FilterShape, keyed: bool) -> str:
    """The search's page: a handful of rows found through the tracking-number and order-id indexes,
    sorted in the list's own order (the sort of a few rows costs nothing)."""
    terms = [SEARCH_RESIDUAL, SEARCH_TERM, *filter_terms(shape), *_quick_terms(shape.quick)]
    if keyed:
        terms.append(f"({RANK}, coalesce(s.promised_at, 0), s.id) > (:kr, :kp, :ki)")
    return (
        f"SELECT {ROW_COLUMNS}, {RANK} AS rank FROM {FROM.format(hint='')} WHERE {' AND '.join(terms)} "
        f"ORDER BY rank, s.promised_at, s.id LIMIT :limit"
    )


@lru_cache(maxsize=64)
def search_count_sql(shape: FilterShape) -> str:
    terms = [SEARCH_RESIDUAL, SEARCH_TERM, *filter_terms(shape), *_quick_terms(shape.quick)]
    return f"SELECT count(*) FROM {FROM.format(hint='')} WHERE {' AND '.join(terms)}"


def _quick_terms(quick: ShipmentQuick | None) -> list[str]:
    """A quick filter as plain terms (for the search, which does not read by arms)."""
    if quick is ShipmentQuick.LATE:
        return [f"(({OPEN_S} AND s.promised_at < :now) OR ({LATE_DELIVERED_S}))"]
    if quick in (ShipmentQuick.EXCEPTION, ShipmentQuick.LOST):
        return [f"s.status = '{quick}'"]
    if quick is ShipmentQuick.IN_TRANSIT:
        return [f"s.status IN ({', '.join(repr(m) for m in MOVING)})"]
    return []
