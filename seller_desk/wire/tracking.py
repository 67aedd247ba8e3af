"""``POST /v1/tracking-events``: carrier scans from any tracking source, in one documented shape.

Give either a normalized ``status`` (TrackingStatus) or a raw ``code`` with its ``source`` (AfterShip
tag, SP-API Shipping v2 event code, SP-API tracking milestone) that the backend maps. Events are
deduplicated by (carrier, tracking_number, occurred_at, code-or-status).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from seller_desk.domain.enums import TrackingStatus


class TrackingEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(min_length=1, max_length=40)
    tracking_number: str = Field(min_length=1, max_length=64)
    occurred_at: AwareDatetime
    status: TrackingStatus | None = None
    code: str | None = Field(default=None, max_length=64)
    source: str | None = Field(default=None, description="aftership | shipping_v2 | tracking_milestone")
    location: str | None = Field(default=None, max_length=120)
    text: str | None = Field(default=None, max_length=500)
    estimated_delivery: datetime | None = None

    @model_validator(mode="after")
    def _status_or_code(self) -> TrackingEventIn:
        if self.status is None and not self.code:
            raise ValueError("give a normalized 'status' or a raw carrier 'code'")
        return self


class TrackingEventsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[TrackingEventIn] = Field(min_length=1, max_length=5000)


class TrackingIngestResult(BaseModel):
    accepted: int
    duplicates: int
    unknown_parcels: int = Field(description="events for tracking numbers the backend does not know")
    rejected: list[dict[str, str | int]] = Field(
        default_factory=list, description="[{index, field, message}] for events that could not be used"
    )
