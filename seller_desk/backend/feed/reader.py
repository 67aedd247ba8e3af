"""Pages of one seller's change feed (``GET /v1/changes``).

See ``cursor`` for the two phases (bootstrap snapshot, then tail). Cursors that can no longer be
served raise ``must_refetch`` (410): one below the seller's compaction horizon (the changes it would
need were merged away), one from another epoch, or one beyond the newest change of this database.
Reads need no lock: each page is a single statement over committed rows, and the writer's seller
lock guarantees that rows below a delivered seq are all committed (see ``writer``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from seller_desk.backend.errors import must_refetch
from seller_desk.backend.feed.cursor import BadCursor, Position, Snapshot, Tail, decode, encode
from seller_desk.backend.feed.encoding import FeedChange, FeedPage
from seller_desk.backend.store.models import ChangeRow, FeedState, Seller

MAX_LIMIT = 5000
DEFAULT_LIMIT = 1000


def feed_epoch(session: Session) -> str:
    return str(session.execute(select(FeedState.epoch).where(FeedState.id == 1)).scalar_one())


def read_page(session: Session, seller_id: int, cursor: str | None, limit: int) -> FeedPage:
    epoch = feed_epoch(session)
    horizon = int(session.execute(select(Seller.feed_horizon_seq).where(Seller.id == seller_id)).scalar_one())
    newest = int(session.execute(select(func.coalesce(func.max(ChangeRow.seq), 0))).scalar_one())
    if cursor is None:
        seller_newest = session.execute(
            select(func.coalesce(func.max(ChangeRow.seq), 0)).where(ChangeRow.seller_id == seller_id)
        ).scalar_one()
        position: Position = Snapshot(bound=int(seller_newest), rank=-1, seq=0)
    else:
        try:
            position = decode(epoch, cursor)
        except BadCursor as exc:
            raise must_refetch(str(exc)) from exc
        _check_servable(position, horizon, newest)
    if isinstance(position, Snapshot):
        return _snapshot_page(session, seller_id, epoch, position, limit)
    return _tail_page(session, seller_id, epoch, position, limit)


def _check_servable(position: Position, horizon: int, newest: int) -> None:
    floor = position.bound if isinstance(position, Snapshot) else position.seq
    if floor < horizon:
        raise must_refetch(
            f"the cursor is older than the retained change log (it stands at {floor}, the log is "
            f"compacted up to {horizon}): pull everything again without a cursor"
        )
    if floor > newest or (isinstance(position, Snapshot) and position.seq > position.bound):
        raise must_refetch("the cursor is ahead of this feed: pull everything again without a cursor")


def _tail_page(session: Session, seller_id: int, epoch: str, at: Tail, limit: int) -> FeedPage:
    rows = _changes(
        session,
        select(*_COLUMNS)
        .where(ChangeRow.seller_id == seller_id, ChangeRow.seq > at.seq)
        .order_by(ChangeRow.seq)
        .limit(limit + 1),
    )
    page, has_more = rows[:limit], len(rows) > limit
    last = page[-1][0].seq if page else at.seq
    return FeedPage([c for c, _ in page], encode(epoch, Tail(last)), has_more)


def _snapshot_page(session: Session, seller_id: int, epoch: str, at: Snapshot, limit: int) -> FeedPage:
    newer = aliased(ChangeRow)
    superseded = exists().where(
        newer.seller_id == ChangeRow.seller_id,
        newer.entity == ChangeRow.entity,
        newer.entity_id == ChangeRow.entity_id,
        newer.seq > ChangeRow.seq,
        newer.seq <= at.bound,
    )
    # A row-value comparison, not ``rank > r OR (rank = r AND seq > s)``: SQLite and PostgreSQL then walk
    # the (seller_id, rank, seq) index from the cursor and stop at the limit, where the OR form read
    # every row of the snapshot and sorted them for each page (quadratic over a bootstrap).
    after = tuple_(ChangeRow.rank, ChangeRow.seq) > tuple_(at.rank, at.seq)
    rows = _changes(
        session,
        select(*_COLUMNS, ChangeRow.rank)
        .where(
            ChangeRow.seller_id == seller_id,
            ChangeRow.seq <= at.bound,
            after,
            ChangeRow.op == "upsert",
            ~superseded,
        )
        .order_by(ChangeRow.rank, ChangeRow.seq)
        .limit(limit + 1),
    )
    page = rows[:limit]
    if len(rows) > limit:
        last, last_rank = page[-1]
        next_position: Position = Snapshot(at.bound, last_rank, last.seq)
        has_more = True
    else:
        next_position = Tail(at.bound)
        has_more = _any_after(session, seller_id, at.bound)
    return FeedPage([c for c, _ in page], encode(epoch, next_position), has_more)


def _any_after(session: Session, seller_id: int, seq: int) -> bool:
    found = session.execute(
        select(ChangeRow.seq).where(ChangeRow.seller_id == seller_id, ChangeRow.seq > seq).limit(1)
    ).first()
    return found is not None


_COLUMNS = (
    ChangeRow.seq,
    ChangeRow.entity,
    ChangeRow.entity_id,
    ChangeRow.version,
    ChangeRow.op,
    ChangeRow.data,
)


def _changes(session: Session, query: Select[Any]) -> list[tuple[FeedChange, int]]:
    """The page's changes as plain records (no ORM objects), each with its rank when the query has one."""
    return [
        (FeedChange(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5]), int(r[6]) if len(r) > 6 else 0)
        for r in session.execute(query)
    ]
