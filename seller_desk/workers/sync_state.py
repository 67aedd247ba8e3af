"""What the sync worker tells the GUI: its mode and one immutable snapshot of everything the status bar
and the Sync screen show. Apart from ``sync_worker`` so that screens and probes can name the states
without the worker's thread machinery; with the two store accesses the worker makes around rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seller_desk.sync.engine import SyncEngine, SyncSummary
    from seller_desk.sync.pull import PullProgress


class SyncMode(Enum):
    LOCAL_ONLY = "local_only"  # no backend connected: acts stay on this desktop
    NOT_RUNNING = "not_running"  # a backend is connected but this window does not sync (screenshots)
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    UNAUTHORIZED = "unauthorized"


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    """Everything the status bar shows, as one immutable value handed to the GUI thread."""

    mode: SyncMode
    backend_url: str | None = None
    last_sync_at: datetime | None = None
    pending: int = 0
    conflicts: int = 0
    rejected: int = 0
    last_error: str | None = None
    pulling: PullProgress | None = None  # set while a pull with more pages is running
    syncing: bool = False  # the engine's loop runs: "Sync now" can reach it


def stored_snapshot(store: object) -> SyncSnapshot:
    """The sync state the store holds (counts, last pull, last error), before any round reports."""
    from seller_desk.store import mirror, push_queue
    from seller_desk.store.uow import Store

    assert isinstance(store, Store)
    with store.reading() as session:
        counts = push_queue.counts(session)
        conflicts = push_queue.open_conflicts(session)
        last = push_queue.last_pull_at(session)
    return SyncSnapshot(
        SyncMode.LOCAL_ONLY,
        last_sync_at=last,
        pending=counts["queued"] + counts["sending"],
        conflicts=conflicts,
        rejected=counts["rejected"],
        last_error=mirror.last_error(store),
    )


def record_run(engine: SyncEngine, summary: SyncSummary) -> None:
    """Keep a round that moved something in the Sync screen's history (on the sync thread)."""
    from seller_desk.store.queries.sync_view import record_sync_run

    push, pull = summary.push, summary.pull
    counts = {
        "pulled": pull.changes,
        "pages": pull.pages,
        "sent": push.sent,
        "acknowledged": push.acknowledged,
        "conflicts": push.conflicts,
        "rejected": push.rejected,
    }
    with engine.store.writing() as session:
        record_sync_run(session, engine.clock.now(), engine.device_id, counts)
