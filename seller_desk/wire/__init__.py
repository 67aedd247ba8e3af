"""The desktop ↔ backend wire protocol (design/SYNC.md), as pydantic models both sides import.

One definition keeps the two ends honest: the backend validates requests and serializes responses
with these models (so its OpenAPI schema is generated from them), and the desktop's sync client builds
requests and parses responses with the same ones. Pure data: no HTTP, no database, no Qt.
"""

from seller_desk.wire.auth import AccessTokenOut
from seller_desk.wire.batch import (
    MAX_BATCH_ITEMS,
    MutationBatchIn,
    MutationBatchItem,
    MutationBatchOut,
    MutationItemResult,
)
from seller_desk.wire.changes import ENTITIES, Change, ChangesPage, ChangesTable, EntityRows, PageFormat
from seller_desk.wire.errors import ErrorBody, ErrorCode
from seller_desk.wire.mutations import (
    DecisionComponent,
    InspectionLine,
    InspectionRecordedPayload,
    MutationIn,
    MutationOutcome,
    NotePayload,
    RefundDecisionPayload,
    ReturnReceivedPayload,
    payload_model,
)
from seller_desk.wire.tracking import TrackingEventIn, TrackingEventsIn, TrackingIngestResult

__all__ = [
    "ENTITIES",
    "MAX_BATCH_ITEMS",
    "AccessTokenOut",
    "Change",
    "ChangesPage",
    "ChangesTable",
    "DecisionComponent",
    "EntityRows",
    "ErrorBody",
    "ErrorCode",
    "InspectionLine",
    "InspectionRecordedPayload",
    "MutationBatchIn",
    "MutationBatchItem",
    "MutationBatchOut",
    "MutationIn",
    "MutationItemResult",
    "MutationOutcome",
    "NotePayload",
    "PageFormat",
    "RefundDecisionPayload",
    "ReturnReceivedPayload",
    "TrackingEventIn",
    "TrackingEventsIn",
    "TrackingIngestResult",
    "payload_model",
]
