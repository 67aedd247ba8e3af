"""Short-lived access tokens: what a desktop sends on every call after exchanging its device token.

An access token is stateless — ``sda1.<device id>.<expiry, epoch seconds>.<MAC>`` — so issuing one
writes nothing and checking one is a primary-key lookup of the device, as before. The MAC is
HMAC-SHA256 over the first three parts, keyed by ``HMAC(server secret, device's stored token hash)``:

* the device row is read on every call, so revoking the device ends its access tokens at once;
* the server secret (random per process unless given) means a backup of the database — which holds
  the token hashes — is still not enough to mint access tokens; a restart of the backend ends every
  access token, and desktops simply exchange their device token again on the ``401``;
* the expiry is inside the MAC, so it cannot be stretched; past it the answer is ``401 token_expired``.

Device tokens stay accepted as bearer tokens on every endpoint (scripts, curl, older desktops): the
access token shortens how long a *captured request* is worth, it does not replace the device token,
which is the credential a revocation ends. Only a device token can be exchanged, so an access token
cannot renew itself past a revocation or its expiry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from seller_desk.backend.store.models import Device, Seller
from seller_desk.backend.tenancy import Principal, authenticate

PREFIX = "sda1"
DEFAULT_TTL = timedelta(hours=1)
# Digits are bounded so a forged id or expiry never reaches the database as an out-of-range integer.
_ACCESS_TOKEN = re.compile(rf"^{PREFIX}\.([1-9][0-9]{{0,17}})\.([1-9][0-9]{{0,11}})\.([A-Za-z0-9_-]{{43}})$")


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """How this backend process signs access tokens and for how long they live."""

    secret: bytes
    ttl: timedelta = DEFAULT_TTL

    @classmethod
    def generate(cls, ttl: timedelta = DEFAULT_TTL) -> AccessPolicy:
        if ttl <= timedelta(0):
            raise ValueError("the access-token lifetime must be positive")
        return cls(secrets.token_bytes(32), ttl)


@dataclass(frozen=True, slots=True)
class AccessGrant:
    token: str
    expires_at: datetime


class Denied(Enum):
    """Why a bearer token was refused (all ``401``; only ``EXPIRED`` invites an exchange)."""

    UNKNOWN = "unknown or revoked token"
    EXPIRED = "the access token has expired; exchange the device token again at POST /v1/auth/token"
    NOT_A_DEVICE_TOKEN = "only a device token can be exchanged for an access token"


def is_access_token(token: str) -> bool:
    return token.startswith(PREFIX + ".")


def _mac(policy: AccessPolicy, token_hash: str, signed: str) -> str:
    key = hmac.new(policy.secret, token_hash.encode("ascii"), hashlib.sha256).digest()
    digest = hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def issue(session: Session, device_token: str, policy: AccessPolicy, now: datetime) -> AccessGrant | Denied:
    """Exchange a live device token for an access token valid until ``now + policy.ttl``."""
    if is_access_token(device_token):
        return Denied.NOT_A_DEVICE_TOKEN
    principal = authenticate(session, device_token)
    if principal is None:
        return Denied.UNKNOWN
    token_hash = session.execute(
        select(Device.token_hash).where(Device.id == principal.device_id)
    ).scalar_one()
    expires = int((now + policy.ttl).timestamp())
    signed = f"{PREFIX}.{principal.device_id}.{expires}"
    return AccessGrant(f"{signed}.{_mac(policy, token_hash, signed)}", datetime.fromtimestamp(expires, UTC))


def authenticate_bearer(
    session: Session, token: str, policy: AccessPolicy, now: datetime
) -> Principal | Denied:
    """The principal of a live device token or a valid, unexpired access token of a live device."""
    if not is_access_token(token):
        return authenticate(session, token) or Denied.UNKNOWN
    match = _ACCESS_TOKEN.match(token)
    if match is None:
        return Denied.UNKNOWN
    device_id, expires, mac = int(match[1]), int(match[2]), match[3]
    row = session.execute(
        select(Device.name, Device.token_hash, Device.revoked_at)
        .add_columns(Seller.id.label("sid"), Seller.name.label("sname"))
        .join(Seller, Seller.id == Device.seller_id)
        .where(Device.id == device_id)
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return Denied.UNKNOWN
    if not hmac.compare_digest(mac, _mac(policy, row.token_hash, f"{PREFIX}.{device_id}.{expires}")):
        return Denied.UNKNOWN
    if now.timestamp() >= expires:
        return Denied.EXPIRED
    return Principal(seller_id=row.sid, seller_name=row.sname, device_id=device_id, device_name=row.name)
