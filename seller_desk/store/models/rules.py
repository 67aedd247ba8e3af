"""The seller's auto-approve rules, kept on this desktop (they act through this desktop's outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.store.models.base import Base


class AutoApproveRuleRow(Base):
    __tablename__ = "auto_approve_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    enabled: Mapped[bool] = mapped_column(default=False)
    currency: Mapped[str] = mapped_column(String(3))
    max_minor: Mapped[int]
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of canonical reasons; [] = any
    sources: Mapped[str] = mapped_column(Text)  # JSON list of RefundSource values
    require_received: Mapped[bool] = mapped_column(default=True)
    require_sellable: Mapped[bool] = mapped_column(default=False)
    in_policy_only: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    switched_on_at: Mapped[datetime | None]

    __table_args__ = (Index(None, "name", unique=True),)
