"""``POST /v1/mutations/batch``: up to ``MAX_BATCH_ITEMS`` mutations, each under its own key, answered
item by item in one response.

Each item's ``status`` and ``body`` are exactly what ``POST /v1/mutations`` would have answered that
item alone (201 applied, 200 replay, 409 conflict or in_progress, 422 key_reused, 400, 403), so the
desktop maps them with the same code. The batch itself answers ``200`` once every item is well formed;
a malformed item refuses the whole batch (``400`` naming ``items[i]....``) and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from seller_desk.wire.mutations import MutationIn

MAX_BATCH_ITEMS = 100
KEY_PATTERN = r"^[\x21-\x7e]{1,64}$"  # printable ASCII, no space: what the Idempotency-Key header takes


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MutationBatchItem(_Strict):
    idempotency_key: str = Field(pattern=KEY_PATTERN)
    mutation: MutationIn


class MutationBatchIn(_Strict):
    # The limit is checked by the endpoint (413 naming it), not here: a validation error would be 400.
    items: list[MutationBatchItem] = Field(
        min_length=1, description=f"at most {MAX_BATCH_ITEMS} items; more is refused with 413"
    )


class MutationItemResult(_Strict):
    idempotency_key: str
    status: int = Field(description="the status POST /v1/mutations would answer for this item alone")
    body: dict[str, Any] = Field(description="its exact body: a MutationOutcome, or an ErrorBody")


class MutationBatchOut(_Strict):
    results: list[MutationItemResult] = Field(description="one per item, in item order")
