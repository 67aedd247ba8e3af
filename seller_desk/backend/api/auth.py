"""Who is calling, and ``POST /v1/auth/token`` (design: ``seller_desk.backend.access_tokens``).

Every ``/v1`` endpoint takes ``Authorization: Bearer <token>``, a device token or an access token;
a missing, unknown, revoked or forged one is ``401 unauthorized``, an expired access token is
``401 token_expired`` — both before anything else about the request is looked at, so a retried
mutation that met an expired token was not processed and may be sent again under the same key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from seller_desk.backend.access_tokens import AccessPolicy, Denied, authenticate_bearer, issue
from seller_desk.backend.api.state import BackendState, backend_state
from seller_desk.backend.errors import ApiError, unauthorized
from seller_desk.backend.tenancy import Principal
from seller_desk.wire import AccessTokenOut, ErrorBody, ErrorCode

_bearer = HTTPBearer(
    auto_error=False,
    description="the device's token from `seller-desk backend token create`, or an access token from "
    "POST /v1/auth/token",
)
_MISSING = "missing bearer token: send 'Authorization: Bearer <token>'"


def _refused(denied: Denied) -> ApiError:
    if denied is Denied.EXPIRED:
        body = ErrorBody(error=ErrorCode.TOKEN_EXPIRED, message=denied.value, field="Authorization")
        return ApiError(401, body, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return unauthorized(denied.value)


def current_principal(
    state: Annotated[BackendState, Depends(backend_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise unauthorized(_MISSING)
    with state.db.reading() as session:
        found = authenticate_bearer(session, credentials.credentials, state.access, state.clock())
    if isinstance(found, Denied):
        raise _refused(found)
    return found


router = APIRouter(prefix="/v1")
_E: dict[str, Any] = {"model": ErrorBody}


@router.post(
    "/auth/token",
    response_model=AccessTokenOut,
    responses={
        401: {**_E, "description": "missing, unknown or revoked device token (or an access token)"},
        503: {**_E, "description": "database busy or unreachable; retry"},
    },
    summary="Exchange the device token for a short-lived access token",
)
def post_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> JSONResponse:
    state = backend_state(request)
    if credentials is None:
        raise unauthorized(_MISSING)
    now = state.clock()
    with state.db.reading() as session:
        grant = issue(session, credentials.credentials, state.access, now)
    if isinstance(grant, Denied):
        raise _refused(grant)
    body = AccessTokenOut(
        access_token=grant.token,
        expires_at=grant.expires_at,
        expires_in=max(0, int((grant.expires_at - now).total_seconds())),
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


__all__ = ["AccessPolicy", "current_principal", "router"]
