"""Change-log compaction (``seller-desk backend compact --keep-days N``) and idempotency-key pruning.

Below a seller's horizon — the newest of its changes older than the cut-off — only the latest change
of each row is kept: a bootstrap still finds every row, but a cursor standing below the horizon would
miss the intermediate versions it expects, so it is refused with ``410 must_refetch`` (the horizon is
stored on the seller). Compaction runs per seller under that seller's feed lock, so it never races a
writer. Idempotency keys older than the cut-off are pruned too: the permanent ``mutations`` record
still answers a replay of any mutation they covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import ChangeRow, IdempotencyKey, Seller


@dataclass(frozen=True, slots=True)
class CompactionReport:
    sellers: int
    changes_removed: int
    keys_pruned: int


def compact(
    db: Database, *, cutoff: datetime, now: datetime, seller_id: int | None = None
) -> CompactionReport:
    """Compact every seller's log (or one seller's) below the changes made before ``cutoff``."""
    with db.reading() as session:
        query = select(Seller.id).order_by(Seller.id)
        if seller_id is not None:
            query = query.where(Seller.id == seller_id)
        seller_ids = list(session.execute(query).scalars())
    removed = 0
    for sid in seller_ids:
        with db.writing() as session:
            removed += _compact_seller(session, sid, cutoff, now)
    with db.writing() as session:
        keys = prune_keys(session, cutoff, seller_id)
    return CompactionReport(sellers=len(seller_ids), changes_removed=removed, keys_pruned=keys)


def _compact_seller(session: Session, seller_id: int, cutoff: datetime, now: datetime) -> int:
    FeedWriter.open(session, seller_id, now)  # the seller's lock: no writer appends meanwhile
    horizon = session.execute(
        select(func.max(ChangeRow.seq)).where(ChangeRow.seller_id == seller_id, ChangeRow.created_at < cutoff)
    ).scalar_one_or_none()
    current = int(session.execute(select(Seller.feed_horizon_seq).where(Seller.id == seller_id)).scalar_one())
    if horizon is None or horizon <= current:
        return 0
    newer = aliased(ChangeRow)
    superseded_below = exists().where(
        newer.seller_id == ChangeRow.seller_id,
        newer.entity == ChangeRow.entity,
        newer.entity_id == ChangeRow.entity_id,
        newer.seq > ChangeRow.seq,
        newer.seq <= horizon,
    )
    result = session.execute(
        delete(ChangeRow)
        .where(ChangeRow.seller_id == seller_id, ChangeRow.seq <= horizon, superseded_below)
        .execution_options(synchronize_session=False)
    )
    session.execute(update(Seller).where(Seller.id == seller_id).values(feed_horizon_seq=horizon))
    return int(result.rowcount)  # type: ignore[attr-defined]


def prune_keys(session: Session, cutoff: datetime, seller_id: int | None = None) -> int:
    """Delete idempotency keys created before ``cutoff`` (their mutations stay recorded forever)."""
    stmt = delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
    if seller_id is not None:
        stmt = stmt.where(IdempotencyKey.seller_id == seller_id)
    result = session.execute(stmt.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]
