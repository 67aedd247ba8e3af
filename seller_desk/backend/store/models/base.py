"""Declarative base of the backend store: its own MetaData with a naming convention.

Named constraints let migrations refer to them on both SQLite and PostgreSQL. Every mirrored table
(one the change feed carries to desktops) also takes ``MirroredMixin``: the tenant column every query
filters on, and ``server_version``, bumped on every write and sent as the change's ``version``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from seller_desk.backend.store.types import BigId, EpochSeconds, str_enum
from seller_desk.domain.enums import (
    Channel,
    ChargeComponent,
    ConditionGrade,
    DecisionKind,
    Disposition,
    LabelPaidBy,
    MutationKind,
    RefundSource,
    RefundState,
    Resolution,
    ReturnStatus,
    ShipmentDirection,
    TrackingStatus,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_ENUMS = (
    Channel,
    ChargeComponent,
    ConditionGrade,
    DecisionKind,
    Disposition,
    LabelPaidBy,
    MutationKind,
    RefundSource,
    RefundState,
    Resolution,
    ReturnStatus,
    ShipmentDirection,
    TrackingStatus,
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: EpochSeconds(),
        int: BigId,
        **{e: str_enum(e) for e in _ENUMS},
    }


class MirroredMixin:
    """Tenant and version columns of every table the change feed mirrors to desktops."""

    @declared_attr
    def seller_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("sellers.id"), index=False)

    server_version: Mapped[int] = mapped_column(default=1)
