"""What every ``/v1`` route depends on: the backend's state and the authenticated principal.

Authentication is a bearer token per device (``Authorization: Bearer <token>``); it resolves to the
device and its seller, and every query a route makes is scoped to that seller. A missing, unknown or
revoked token is ``401`` before anything else about the request is looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from seller_desk.backend.clock import Clock
from seller_desk.backend.errors import unauthorized
from seller_desk.backend.mutations import KeyGuard
from seller_desk.backend.mutations.service import BeforeCommit
from seller_desk.backend.store import Database
from seller_desk.backend.tenancy import Principal, authenticate


@dataclass
class BackendState:
    """What the app holds between requests (``app.state.backend``)."""

    db: Database
    clock: Clock
    guard: KeyGuard
    before_commit: BeforeCommit | None = None


def backend_state(request: Request) -> BackendState:
    state = request.app.state.backend
    assert isinstance(state, BackendState)
    return state


_bearer = HTTPBearer(
    auto_error=False, description="the device's token from `seller-desk backend token create`"
)


def current_principal(
    state: Annotated[BackendState, Depends(backend_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise unauthorized("missing bearer token: send 'Authorization: Bearer <token>'")
    with state.db.reading() as session:
        principal = authenticate(session, credentials.credentials)
    if principal is None:
        raise unauthorized("unknown or revoked token")
    return principal


StateDep = Annotated[BackendState, Depends(backend_state)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]
