"""Sellers (tenants) and their devices (one bearer token each).

A token is 32 random bytes shown once; only its SHA-256 is stored, so a leaked database does not
leak working credentials. Revoking a device keeps its row (its mutations still name it).
``feed_horizon_seq`` is the seller's change-log horizon: changes at or below it were compacted, so a
cursor below it can no longer be served and gets ``410 must_refetch``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.backend.store.models.base import Base


class Seller(Base):
    __tablename__ = "sellers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    feed_horizon_seq: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index(None, "name", unique=True),)


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id"))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (Index(None, "token_hash", unique=True), Index(None, "seller_id"))
