"""Declarative base for the desktop store.

The naming convention gives every index and constraint a predictable name, so Alembic migrations can
refer to them and the seeder can drop and rebuild secondary indexes around a bulk load.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from seller_desk.domain import enums
from seller_desk.store.types import UTCDateTime, str_enum

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Every vocabulary of domain.enums maps to a column stored by value; a new enum needs no edit here.
_ENUMS = tuple(
    member
    for member in vars(enums).values()
    if isinstance(member, type) and issubclass(member, StrEnum) and member is not StrEnum
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # SQLAlchemy's documented class attribute: Python types -> column types.
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        **{e: str_enum(e) for e in _ENUMS},
    }
