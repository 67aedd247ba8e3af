"""Sellers, devices and their bearer tokens.

A token is ``secrets.token_urlsafe(32)`` (32 random bytes), printed once by ``backend token create``
and never stored: the database keeps its SHA-256, which is all authentication needs (a lookup by
hash) and useless to whoever reads a backup. A revoked device's token stops working at once; its
row stays, because its mutations name it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from seller_desk.backend.store.models import Device, Seller

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the device a token belongs to, and the seller whose data it may touch."""

    seller_id: int
    seller_name: str
    device_id: int
    device_name: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    seller_id: int
    device_id: int
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def ensure_seller(session: Session, name: str, now: datetime) -> int:
    """The id of the seller called ``name``, created if there is none."""
    if not name.strip():
        raise ValueError("a seller needs a name")
    found = session.execute(select(Seller.id).where(Seller.name == name)).scalar_one_or_none()
    if found is not None:
        return int(found)
    return int(
        session.execute(insert(Seller).values(name=name, created_at=now).returning(Seller.id)).scalar_one()
    )


def create_device_token(session: Session, seller_name: str, device_name: str, now: datetime) -> IssuedToken:
    """Register a device of ``seller_name`` (creating the seller if needed) and mint its token."""
    if not device_name.strip():
        raise ValueError("a device needs a name")
    seller_id = ensure_seller(session, seller_name, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    device_id = session.execute(
        insert(Device)
        .values(seller_id=seller_id, name=device_name, token_hash=hash_token(token), created_at=now)
        .returning(Device.id)
    ).scalar_one()
    return IssuedToken(seller_id=seller_id, device_id=int(device_id), token=token)


def revoke_device(session: Session, device_id: int, now: datetime) -> bool:
    """Revoke a device's token; False if there is no such device or it was already revoked."""
    result = session.execute(
        update(Device).where(Device.id == device_id, Device.revoked_at.is_(None)).values(revoked_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def authenticate(session: Session, token: str) -> Principal | None:
    """The principal of a live token; None for an unknown or revoked one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.execute(
        select(Device.id, Device.name, Device.revoked_at, Seller.id.label("sid"), Seller.name.label("sname"))
        .join(Seller, Seller.id == Device.seller_id)
        .where(Device.token_hash == hash_token(token))
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return Principal(seller_id=row.sid, seller_name=row.sname, device_id=row.id, device_name=row.name)
