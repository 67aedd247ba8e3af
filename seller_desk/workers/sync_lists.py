"""The Sync screen's background reads and its one local act, as ``Op`` functions (``fn(ctx)``).

All three lists and the feed's bookkeeping are read in one transaction, so the queue, the conflicts
and the history agree with each other (a mutation never shows in two of them at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from seller_desk.store.meta import BACKEND_URL, get_meta
from seller_desk.store.queries.sync_view import (
    ConflictRow,
    HistoryRow,
    QueueRow,
    SyncRunFacts,
    conflict_rows,
    discard_conflict,
    history_rows,
    queue_rows,
    sync_run_facts,
)
from seller_desk.workers.ops import OpContext


@dataclass(frozen=True, slots=True)
class SyncLists:
    backend_url: str | None
    queue: list[QueueRow]
    conflicts: list[ConflictRow]
    history: list[HistoryRow]
    facts: SyncRunFacts


def load_sync_lists(ctx: OpContext) -> SyncLists:
    with ctx.store.reading() as session:
        return SyncLists(
            backend_url=get_meta(session, BACKEND_URL),
            queue=queue_rows(session),
            conflicts=conflict_rows(session),
            history=history_rows(session),
            facts=sync_run_facts(session),
        )


def discard(ctx: OpContext, mutation_id: str, user: str | None) -> int:
    """Resolve a conflict by keeping the backend's version; returns how many conflicts it closed."""
    with ctx.store.writing() as session:
        return discard_conflict(session, mutation_id, user=user, now=datetime.now(UTC))
