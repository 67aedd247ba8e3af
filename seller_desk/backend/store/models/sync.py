"""The sync machinery: the change log, applied mutations, idempotency keys and the feed's epoch.

* ``changes``: one row per write of a mirrored row, in ``seq`` order, the one order every desktop
  applies. ``seq`` is allocated while the writer holds its seller's lock, so within a seller the
  order of ``seq`` is the order of commits and a reader can never skip a change that commits late.
  ``rank`` is the entity's position in ``wire.ENTITIES`` (parents first), for bootstrap snapshots.
* ``mutations``: every mutation that got a final answer, forever: ``mutation_id`` is unique, so a
  replay under a pruned key still finds its first answer and is never applied twice.
* ``idempotency_keys``: the answer stored under each (seller, key); prunable.
* ``feed_state``: one row holding the database's epoch, which every cursor carries: a cursor from
  another database (restored, recreated) is refused rather than silently skipping changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.backend.store.models.base import Base
from seller_desk.domain.enums import MutationKind


class ChangeRow(Base):
    __tablename__ = "changes"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int]
    op: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]

    __table_args__ = (
        Index(None, "seller_id", "seq"),
        Index(None, "seller_id", "entity", "entity_id", "seq"),
        Index(None, "seller_id", "rank", "seq"),
        {"sqlite_autoincrement": True},
    )


class MutationRecord(Base):
    __tablename__ = "mutations"

    id: Mapped[int] = mapped_column(primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(36))
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id"))
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    client_device: Mapped[str] = mapped_column(String(64))
    kind: Mapped[MutationKind]
    target: Mapped[str] = mapped_column(String(40))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]

    __table_args__ = (Index(None, "mutation_id", unique=True),)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id"))
    key: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # in_progress | done
    response_status: Mapped[int | None]
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]

    __table_args__ = (Index(None, "seller_id", "key", unique=True), Index(None, "created_at"))


class FeedState(Base):
    __tablename__ = "feed_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
