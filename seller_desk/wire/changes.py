"""``GET /v1/changes``: the server-wide, monotonic change feed a desktop pulls.

A change carries a whole row of one mirrored entity (``data``), keyed by the backend's id, with
column names equal to the desktop mirror table's columns, so the desktop applies a page with one bulk
upsert per table and no per-entity code. Timestamps in ``data`` are epoch seconds UTC and money is
integer minor units (``*_minor``) beside a ``currency`` — exactly as stored on both sides.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Entity name -> desktop mirror table. Order matters: a page is applied parents first.
ENTITIES: dict[str, str] = {
    "sku": "skus",
    "sku_stock": "sku_stock",
    "daily_sales": "daily_sales",
    "order": "orders",
    "order_line": "order_lines",
    "shipment": "shipments",
    "tracking_event": "tracking_events",
    "return": "returns",
    "return_line": "return_lines",
    "inspection": "inspections",
    "note": "notes",
    "refund_request": "refund_requests",
    "refund_request_line": "refund_request_lines",
    "refund_payment": "refund_payments",
    "decision": "decisions",
}
EntityName = Literal[
    "sku",
    "sku_stock",
    "daily_sales",
    "order",
    "order_line",
    "shipment",
    "tracking_event",
    "return",
    "return_line",
    "inspection",
    "note",
    "refund_request",
    "refund_request_line",
    "refund_payment",
    "decision",
]


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=1, description="position in the server-wide order")
    entity: EntityName
    id: int | str = Field(description="the row's primary key (composite keys joined with '|')")
    version: int = Field(ge=1, description="the row's server_version after this change")
    op: Literal["upsert", "delete"] = "upsert"
    data: dict[str, Any] | None = Field(default=None, description="the whole row for an upsert")


class ChangesPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    changes: list[Change]
    next_cursor: str = Field(description="opaque; pass back as ?cursor= for the next page")
    has_more: bool


class EntityRows(BaseModel):
    """One entity's changes in a ``format=tabular`` page, in page order, column names sent once."""

    model_config = ConfigDict(extra="forbid")

    entity: EntityName
    columns: list[str] = Field(
        description="the mirror table's columns in order; 'server_version' last where the table has it"
    )
    seq: list[int] = Field(description="each change's position in the server-wide order")
    id: list[int | str] = Field(description="each change's row key (composite keys joined with '|')")
    rows: list[list[Any] | None] = Field(
        description="each change's row values in `columns` order (an upsert), or null (a delete)"
    )


class ChangesTable(BaseModel):
    """``GET /v1/changes?format=tabular``: the same changes as ``ChangesPage``, grouped by entity.

    A full re-pull brings millions of rows; repeating every column name in every change made the JSON
    objects form three times larger and its decoding the biggest cost of a desktop's pull. Within an
    entity the changes keep page order (the last change of a row wins); across entities the desktop
    applies parents first anyway, so the grouping loses nothing.
    """

    model_config = ConfigDict(extra="forbid")

    entities: list[EntityRows]
    next_cursor: str = Field(description="opaque; pass back as ?cursor= for the next page")
    has_more: bool


PageFormat = Literal["objects", "tabular"]
