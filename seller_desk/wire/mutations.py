"""``POST /v1/mutations``: a seller's act, sent under an ``Idempotency-Key`` header.

``payload`` is validated against the model of its ``kind``; amounts are integer minor units (sizes,
never negative: the backend adds signs when it builds the upstream adjustment). ``target`` names the
row the act is about: ``refund_request:<id>`` for decisions, ``return:<id>`` for receipts,
inspections and notes on returns (``order:<id>`` and ``refund_request:<id>`` also take notes).
"""

from __future__ import annotations

import re
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from seller_desk.domain.enums import ChargeComponent, ConditionGrade, Disposition, MutationKind

TARGET_PATTERN = re.compile(r"^(refund_request|return|order):[1-9][0-9]{0,18}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecisionComponent(_Strict):
    order_line_id: int = Field(ge=1)
    component: ChargeComponent
    amount_minor: int = Field(ge=0, le=10**12)


class RefundDecisionPayload(_Strict):
    decision: Literal["approve", "reject"]
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    components: list[DecisionComponent] = Field(default_factory=list, max_length=200)
    restocking_fee_bp: int = Field(default=0, ge=0, le=10_000)
    evidence: list[str] = Field(default_factory=list, max_length=20)
    reason: str | None = Field(default=None, max_length=2000)
    customer_message: str | None = Field(default=None, max_length=5000)
    decided_by: str | None = Field(default=None, max_length=120)
    decided_at: AwareDatetime

    @model_validator(mode="after")
    def _shape_matches_decision(self) -> RefundDecisionPayload:
        if self.decision == "approve" and not self.components:
            raise ValueError("an approval needs at least one component to refund")
        if self.decision == "reject":
            if self.components:
                raise ValueError("a rejection refunds nothing: components must be empty")
            if not (self.reason or "").strip():
                raise ValueError("a rejection needs a reason")
        return self


class ReturnReceivedPayload(_Strict):
    received_at: AwareDatetime
    received_by: str | None = Field(default=None, max_length=120)
    scanned: str | None = Field(default=None, max_length=80, description="what was scanned at the bench")


class InspectionLine(_Strict):
    return_line_id: int | None = Field(default=None, ge=1)
    sku: str = Field(min_length=1, max_length=64)
    condition: ConditionGrade
    disposition: Disposition
    note: str | None = Field(default=None, max_length=2000)
    photos: list[str] = Field(default_factory=list, max_length=20)


class InspectionRecordedPayload(_Strict):
    lines: list[InspectionLine] = Field(min_length=1, max_length=200)
    inspected_at: AwareDatetime
    inspected_by: str | None = Field(default=None, max_length=120)


class NotePayload(_Strict):
    text: str = Field(min_length=1, max_length=5000)
    author: str | None = Field(default=None, max_length=120)


_PAYLOADS: dict[MutationKind, type[BaseModel]] = {
    MutationKind.REFUND_DECISION: RefundDecisionPayload,
    MutationKind.RETURN_RECEIVED: ReturnReceivedPayload,
    MutationKind.INSPECTION_RECORDED: InspectionRecordedPayload,
    MutationKind.NOTE: NotePayload,
}
_TARGET_KINDS: dict[MutationKind, tuple[str, ...]] = {
    MutationKind.REFUND_DECISION: ("refund_request",),
    MutationKind.RETURN_RECEIVED: ("return",),
    MutationKind.INSPECTION_RECORDED: ("return",),
    MutationKind.NOTE: ("return", "order", "refund_request"),
}


def payload_model(kind: MutationKind) -> type[BaseModel]:
    return _PAYLOADS[kind]


def _located(field: str, message: str) -> ValidationError:
    """A validation error at ``field`` of MutationIn (not at the body's root)."""
    error = PydanticCustomError("value_error", "{message}", {"message": message})
    return ValidationError.from_exception_data(
        "MutationIn", [InitErrorDetails(type=error, loc=(field,), input=None)]
    )


class MutationIn(_Strict):
    mutation_id: UUID
    kind: MutationKind
    target: str = Field(max_length=40, examples=["refund_request:42"])
    payload: dict[str, Any]
    base_version: int | None = Field(default=None, ge=0)
    device_id: str = Field(min_length=1, max_length=64)

    @model_validator(mode="after")
    def _target_and_payload_fit_kind(self) -> MutationIn:
        # Errors are raised with their real location ("target", "payload.components.0.amount_minor"):
        # a plain ValueError here would be reported at the body's root, and a nested ValidationError
        # would keep the payload model's own locations, which name no field of MutationIn.
        if not TARGET_PATTERN.match(self.target):
            raise _located("target", f"target {self.target!r} is not '<refund_request|return|order>:<id>'")
        if self.target.split(":", 1)[0] not in _TARGET_KINDS[self.kind]:
            raise _located("target", f"a {self.kind.value} mutation cannot target {self.target!r}")
        try:
            payload_model(self.kind).model_validate(self.payload)
        except ValidationError as exc:
            details = [
                InitErrorDetails(
                    type=error["type"],
                    loc=("payload", *error["loc"]),
                    input=error["input"],
                    ctx=error.get("ctx", {}),
                )
                for error in exc.errors()
            ]
            raise ValidationError.from_exception_data("MutationIn", details) from None
        return self

    def typed_payload(self) -> BaseModel:
        return payload_model(self.kind).model_validate(self.payload)

    @property
    def target_kind(self) -> str:
        return self.target.split(":", 1)[0]

    @property
    def target_id(self) -> int:
        return int(self.target.split(":", 1)[1])


class MutationOutcome(_Strict):
    """The stored response of an applied mutation (201 first time, 200 on replay)."""

    mutation_id: UUID
    status: Literal["applied"] = "applied"
    target: str
    server_version: int = Field(ge=1)
    result: dict[str, Any] = Field(default_factory=dict, description="e.g. the refund request's new state")
