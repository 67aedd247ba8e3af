"""Facts about this installation kept in ``app_meta``: the device id and the backend it syncs with.

The device id is made once, the first time anything asks for it, and never changes: the backend
keys tokens, audit rows and decisions by it, so a new id would look like a new desk. It lives in the
store (not in a config file) because it belongs to this database: copying the store to another
machine moves the device, deleting it makes a new one.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from seller_desk.store.models import AppMeta

DEVICE_ID = "device_id"
BACKEND_URL = "backend_url"
BACKEND_CA_FILE = "backend_ca_file"


def get_meta(session: Session, key: str) -> str | None:
    return session.scalar(select(AppMeta.value).where(AppMeta.key == key))


def set_meta(session: Session, key: str, value: str | None) -> None:
    """Write (or, with ``None``, delete) one fact, in the caller's write transaction."""
    row = session.get(AppMeta, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(AppMeta(key=key, value=value))
    else:
        row.value = value
    session.flush()


def device_id(session: Session) -> str:
    """This desktop's id, made (uuid4) on first use; call it inside a write transaction."""
    existing = get_meta(session, DEVICE_ID)
    if existing is not None:
        return existing
    made = str(uuid.uuid4())
    set_meta(session, DEVICE_ID, made)
    return made
