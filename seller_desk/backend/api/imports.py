"""``POST /v1/imports``: a returns report file, streamed to disk, imported for the caller's seller.

The body is the file's bytes as downloaded from Seller Central (any of the three formats; the
importers detect it), ``name`` the file name for messages. It bypasses the API's 1 MiB body cap
(``limits.BodySizeLimit``) and is streamed to a temporary file instead, up to ``MAX_IMPORT_BYTES``,
so a 100 MB report never sits in the server's memory; parsing and writing run in a worker thread.
The answer is the summary ``seller-desk import --json`` prints for one file: row errors are part of a
``200`` answer (the valid rows were imported), a file that is no returns report is a ``400`` naming it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from seller_desk.backend.api.auth import current_principal
from seller_desk.backend.api.state import BackendState, backend_state
from seller_desk.backend.errors import ApiError, bad_request
from seller_desk.backend.report_imports import import_report_file
from seller_desk.backend.tenancy import Principal
from seller_desk.domain.errors import UnknownMarketplace
from seller_desk.domain.marketplaces import marketplace as find_marketplace
from seller_desk.wire import ErrorBody, ErrorCode

IMPORTS_PATH = "/v1/imports"
MAX_IMPORT_BYTES = 512 * 1024 * 1024

router = APIRouter(prefix="/v1")


_BODY = {
    "requestBody": {
        "required": True,
        "description": "the report file's bytes as downloaded (MFN flat, MFN XML or FBA; detected)",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}
_ANSWERS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "not a returns report, or a bad parameter, named in `field`"},
    401: {"model": ErrorBody, "description": "unauthorized"},
    413: {"model": ErrorBody, "description": "larger than MAX_IMPORT_BYTES"},
}


@router.post(
    "/imports",
    summary="Import an Amazon returns report (MFN flat, MFN XML or FBA)",
    openapi_extra=_BODY,
    responses=_ANSWERS,
)
async def post_import(
    request: Request,
    state: Annotated[BackendState, Depends(backend_state)],
    principal: Annotated[Principal, Depends(current_principal)],
    name: Annotated[str, Query(min_length=1, max_length=255)] = "report",
    strict: bool = False,
    marketplace: Annotated[str, Query(max_length=8)] = "US",
) -> dict[str, Any]:
    try:
        market = find_marketplace(marketplace).code
    except UnknownMarketplace as exc:
        raise bad_request(str(exc), "marketplace") from None
    with tempfile.TemporaryDirectory(prefix="seller-desk-import-") as folder:
        path = Path(folder) / "report"
        size = 0
        with path.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_IMPORT_BYTES:
                    too_big = f"a report file may be at most {MAX_IMPORT_BYTES} bytes"
                    raise ApiError(
                        413, ErrorBody(error=ErrorCode.PAYLOAD_TOO_LARGE, message=too_big, field="body")
                    )
                out.write(chunk)
        summary = await run_in_threadpool(
            import_report_file, state.db, principal.seller_id, state.clock, path, name, strict=strict,
            marketplace=market,
        )  # fmt: skip
    if summary["format"] is None:
        raise bad_request(f"{name}: {summary['errors'][0]['message']}", "body")
    return summary
