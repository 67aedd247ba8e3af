"""The desktop's side of the sync protocol (SYNC.md "Client tables"), plus audit and app metadata.

A mutation and its outbox row are always written in one ``BEGIN IMMEDIATE`` transaction; the
idempotency key is minted then and reused on every retry, so a crash at any point can neither lose the
seller's intent nor send it twice under two keys.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.domain.enums import MutationKind, MutationStatus
from seller_desk.store.models.base import Base


class Mutation(Base):
    __tablename__ = "mutations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4, made on the desktop
    kind: Mapped[MutationKind]
    target: Mapped[str] = mapped_column(String(80))  # e.g. "refund_request:123", "return:RMA123"
    payload: Mapped[str] = mapped_column(Text)  # JSON
    base_version: Mapped[int | None]
    status: Mapped[MutationStatus]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime | None]
    server_version: Mapped[int | None]
    # JSON: what record_mutation wrote to the mirrors for the optimistic view (local rows with negative
    # ids, overlaid fields and their server values), so a pull can replay it and undo/conflict revert it.
    # NULL once the server's own rows show the effect (store/local_effects.py).
    local_effect: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)  # JSON: the backend's stored response (201/200)
    # The outbox row's seq, copied when both are written and never changed: the push claim walks
    # (status, queue_seq) in queue order and probes (target, status, queue_seq), sorting nothing.
    queue_seq: Mapped[int | None]

    __table_args__ = (
        Index(None, "status", "created_at"),
        Index(None, "target"),
        Index(None, "status", "queue_seq"),
        Index(None, "target", "status", "queue_seq"),
    )


class OutboxEntry(Base):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(ForeignKey("mutations.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    in_flight_since: Mapped[datetime | None]

    __table_args__ = (
        Index(None, "mutation_id", unique=True),
        Index(None, "idempotency_key", unique=True),
        Index(None, "next_attempt_at"),
    )


CHANGES_STREAM = "changes"  # the one stream of sync_state today: the backend's /v1/changes feed


class SyncState(Base):
    __tablename__ = "sync_state"

    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(200))
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class Conflict(Base):
    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    mutation_id: Mapped[str] = mapped_column(ForeignKey("mutations.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))
    server_snapshot: Mapped[str | None] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(24))

    __table_args__ = (Index(None, "mutation_id"), Index(None, "resolved_at"))


class AuditEntry(Base):
    """Who did what, when, on which device; ``detail`` is JSON (e.g. the policy checks shown)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    user: Mapped[str | None] = mapped_column(String(120))
    device: Mapped[str | None] = mapped_column(String(36))
    what: Mapped[str] = mapped_column(String(80))
    target: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index(None, "target", "at"),)


class AppMeta(Base):
    """Key/value facts about this store: device id, the app version that last wrote it."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
