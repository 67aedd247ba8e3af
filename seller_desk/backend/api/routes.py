"""The five data endpoints of design/SYNC.md, thin: parse, authenticate, call a service, answer.

Route functions are plain ``def``: FastAPI runs them in its thread pool, and each opens its own
database session through the service it calls (a session is never shared between requests).

Authentication (``api.auth``) is a bearer token — the device's own, or an access token exchanged for
it; it resolves to the device and its seller, and every query a route makes is scoped to that seller.
A missing, unknown, revoked or expired token is ``401`` before anything else is looked at.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import JSONResponse, Response

from seller_desk.backend.api.auth import current_principal
from seller_desk.backend.api.limits import check_storable
from seller_desk.backend.api.state import BackendState, backend_state
from seller_desk.backend.errors import ApiError, not_found
from seller_desk.backend.feed.encoding import encode
from seller_desk.backend.feed.reader import DEFAULT_LIMIT, MAX_LIMIT, read_page
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.mutations import KeyedMutation, lookup_answer, process_mutation, process_mutations
from seller_desk.backend.tenancy import Principal
from seller_desk.backend.tracking import ingest_events
from seller_desk.wire import (
    MAX_BATCH_ITEMS,
    ChangesPage,
    ChangesTable,
    ErrorBody,
    ErrorCode,
    MutationBatchIn,
    MutationBatchOut,
    MutationIn,
    MutationOutcome,
    PageFormat,
    TrackingEventsIn,
    TrackingIngestResult,
)
from seller_desk.wire.batch import KEY_PATTERN

StateDep = Annotated[BackendState, Depends(backend_state)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]


router = APIRouter(prefix="/v1")

_E: dict[str, Any] = {"model": ErrorBody}
_COMMON: dict[int | str, dict[str, Any]] = {
    400: {**_E, "description": "bad input, named in `field`"},
    401: {**_E, "description": "unauthorized (missing, unknown, revoked token) or token_expired"},
    413: {**_E, "description": "body over 1 MiB"},
    503: {**_E, "description": "database busy or unreachable; retry"},
}


@router.get(
    "/changes",
    response_model=ChangesPage | ChangesTable,
    responses={**_COMMON, 410: {**_E, "description": "must_refetch: pull again without a cursor"}},
    summary="The seller's changes after a cursor, in the server-wide order",
)
def get_changes(
    state: StateDep,
    principal: PrincipalDep,
    cursor: Annotated[str | None, Query(max_length=200, description="opaque; from next_cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    page_format: Annotated[
        PageFormat,
        Query(
            alias="format",
            description="`objects` (ChangesPage, the default) or `tabular` (ChangesTable: the same "
            "changes grouped by entity, rows as arrays; several times cheaper to decode)",
        ),
    ] = "objects",
) -> Response:
    with state.db.reading() as session:
        page = read_page(session, principal.seller_id, cursor, limit)
    # Written directly (no response_model pass): the page's rows were validated when they were logged.
    return Response(encode(page, page_format), media_type="application/json")


@router.post(
    "/mutations",
    status_code=201,
    response_model=MutationOutcome,
    responses={
        **_COMMON,
        200: {"model": MutationOutcome, "description": "replay of the stored answer (same body)"},
        403: {**_E, "description": "the target is not one of this seller's records"},
        409: {**_E, "description": "in_progress (retry, same key) or conflict (see reason, server_snapshot)"},
        422: {**_E, "description": "key_reused: the same key (or mutation_id) with another body"},
    },
    summary="Apply a seller's act exactly once",
)
def post_mutation(
    state: StateDep,
    principal: PrincipalDep,
    mutation: MutationIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", pattern=KEY_PATTERN)],
) -> JSONResponse:
    check_storable(mutation)
    check_storable(mutation.typed_payload(), "payload")
    answer = process_mutation(
        state.db, principal, idempotency_key, mutation, state.clock(),
        guard=state.guard, before_commit=state.before_commit,
    )  # fmt: skip
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)


@router.post(
    "/mutations/batch",
    response_model=MutationBatchOut,
    responses={
        **_COMMON,
        413: {**_E, "description": f"body over 1 MiB, or more than {MAX_BATCH_ITEMS} items"},
    },
    summary="Apply up to 100 acts in one transaction, each exactly once, answered item by item",
    description="Each item is answered as `POST /v1/mutations` would answer it alone (its `status` "
    "and `body`); one durable commit for the whole batch, a savepoint per item. A malformed item "
    "refuses the whole batch with 400 naming `items[i]...`, and nothing is stored.",
)
def post_mutations_batch(state: StateDep, principal: PrincipalDep, batch: MutationBatchIn) -> JSONResponse:
    if len(batch.items) > MAX_BATCH_ITEMS:
        raise ApiError(
            413,
            ErrorBody(
                error=ErrorCode.PAYLOAD_TOO_LARGE,
                message=f"a batch holds at most {MAX_BATCH_ITEMS} items; this one has {len(batch.items)}",
                field="items",
            ),
        )
    for index, item in enumerate(batch.items):
        check_storable(item.idempotency_key, f"items[{index}].idempotency_key")
        check_storable(item.mutation, f"items[{index}].mutation")
        check_storable(item.mutation.typed_payload(), f"items[{index}].mutation.payload")
    items = [KeyedMutation(item.idempotency_key, item.mutation) for item in batch.items]
    answers = process_mutations(
        state.db, principal, items, state.clock(), guard=state.guard, before_commit=state.before_commit
    )
    results = [
        {"idempotency_key": item.key, "status": answer.status, "body": answer.body}
        for item, answer in zip(items, answers, strict=True)
    ]
    return JSONResponse({"results": results})


@router.get(
    "/mutations/{idempotency_key}",
    response_model=MutationOutcome,
    responses={
        **_COMMON,
        404: {**_E, "description": "nothing stored under this key"},
        409: {**_E, "description": "in_progress, or the stored conflict"},
    },
    summary="The answer stored under an idempotency key",
)
def get_mutation(
    state: StateDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[str, Path(pattern=KEY_PATTERN)],
) -> JSONResponse:
    answer = lookup_answer(state.db, principal, idempotency_key, state.clock(), guard=state.guard)
    if answer is None:
        raise not_found(f"nothing is stored under Idempotency-Key {idempotency_key!r}", "idempotency_key")
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)


@router.post(
    "/tracking-events",
    response_model=TrackingIngestResult,
    responses=_COMMON,
    summary="Carrier scans: normalized, deduplicated, applied to parcels and returns",
)
def post_tracking_events(
    state: StateDep, principal: PrincipalDep, batch: TrackingEventsIn
) -> TrackingIngestResult:
    check_storable(batch)
    with state.db.writing() as session:
        writer = FeedWriter.open(session, principal.seller_id, state.clock())
        return ingest_events(writer, batch.events)
