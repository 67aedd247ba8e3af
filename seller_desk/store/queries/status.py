"""Counts for ``seller-desk status`` and the status bar, and whether the store is still untouched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seller_desk.domain.enums import MutationStatus
from seller_desk.store.meta import BACKEND_URL, get_meta
from seller_desk.store.models import Conflict, Mutation, RefundRequest, Return, SyncState


def store_status(session: Session) -> dict[str, Any]:
    returns = session.scalar(select(func.count()).select_from(Return)) or 0
    by_state = {
        str(state): int(count)
        for state, count in session.execute(
            select(RefundRequest.state, func.count()).group_by(RefundRequest.state)
        )
    }
    pending = session.scalar(
        select(func.count())
        .select_from(Mutation)
        .where(Mutation.status.in_([MutationStatus.QUEUED, MutationStatus.SENDING]))
    )
    conflicts = session.scalar(
        select(func.count()).select_from(Conflict).where(Conflict.resolved_at.is_(None))
    )
    last_sync = session.scalar(select(func.max(SyncState.last_success_at)))
    rejected = session.scalar(
        select(func.count()).select_from(Mutation).where(Mutation.status == MutationStatus.REJECTED)
    )
    errors = select(SyncState.last_error).where(SyncState.last_error.is_not(None))
    last_error = session.scalar(errors.limit(1))
    return {
        "returns": int(returns),
        "refund_requests": by_state,
        "pending_mutations": int(pending or 0),
        "conflicts": int(conflicts or 0),
        "last_sync_at": last_sync.isoformat() if last_sync is not None else None,
        # Added with sync (CLI.md: add, never rename):
        "rejected_mutations": int(rejected or 0),
        "backend": get_meta(session, BACKEND_URL),
        "last_sync_error": last_error,
    }


def is_untouched(session: Session) -> bool:
    """Whether nothing has reached this store yet: not one return, and no backend remembered. The
    desktop's first-run welcome is offered for such a store only (``ui/first_run.py``)."""
    if session.scalar(select(Return.id).limit(1)) is not None:
        return False
    return get_meta(session, BACKEND_URL) is None
