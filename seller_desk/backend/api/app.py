"""``create_app(db_url, clock=...)``: the backend's FastAPI application.

The app owns one ``Database`` (disposed at shutdown) and does not migrate it: ``serve`` (and the
tests) run the migrations first, so two server processes never race to migrate. ``clock`` is the
only source of "now" (tests inject a fake one); ``before_commit`` is a test seam into the mutation
transaction. ``access_token_ttl`` is how long an access token from ``POST /v1/auth/token`` lives
(signed with a secret made here, so a restart ends them all). OpenAPI is served at ``/openapi.json``
and ``/docs``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from seller_desk import __version__
from seller_desk.backend.access_tokens import DEFAULT_TTL, AccessPolicy
from seller_desk.backend.api import auth, imports
from seller_desk.backend.api.errors import install_error_handlers
from seller_desk.backend.api.limits import MAX_BODY_BYTES, BodySizeLimit
from seller_desk.backend.api.routes import router
from seller_desk.backend.api.state import BackendState
from seller_desk.backend.clock import Clock, system_clock
from seller_desk.backend.mutations import KeyGuard
from seller_desk.backend.mutations.service import BeforeCommit
from seller_desk.backend.store import Database

__all__ = ["BackendState", "create_app"]


def create_app(
    db_url: str,
    *,
    clock: Clock = system_clock,
    before_commit: BeforeCommit | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    access_token_ttl: timedelta = DEFAULT_TTL,
) -> FastAPI:
    access = AccessPolicy.generate(access_token_ttl)  # refuses a non-positive lifetime before opening the db
    db = Database(db_url)
    state = BackendState(db=db, clock=clock, guard=KeyGuard(), before_commit=before_commit, access=access)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            db.dispose()

    app = FastAPI(
        title="Seller Desk tracking backend",
        version=__version__,
        description="The server of record desktops sync with: change feed, mutations, carrier scans.",
        lifespan=lifespan,
    )
    app.state.backend = state
    app.include_router(auth.router)
    app.include_router(router)
    app.include_router(imports.router)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes, streamed=frozenset({imports.IMPORTS_PATH}))
    _drop_default_422(app)
    return app


def _drop_default_422(app: FastAPI) -> None:
    """FastAPI documents a 422 validation error on every route; this API answers those with 400."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                response = operation.get("responses", {}).get("422", {})
                ref = str(
                    response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
                )
                if ref.endswith("/HTTPValidationError"):
                    del operation["responses"]["422"]
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
