"""The row a mutation is about: found within the caller's seller only, locked, and shown on conflict.

A target of another seller and a target that does not exist get the same answer, ``403 forbidden``
with ``field="target"``, and the same message: telling them apart would tell one seller which ids
another seller has. Nothing is written for either except the stored answer under the caller's own
idempotency key (so a retry gets the same 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import RowMapping

from seller_desk.backend.errors import forbidden
from seller_desk.backend.feed.entities import SPECS
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.store.types import MAX_ID
from seller_desk.backend.tenancy import Principal
from seller_desk.wire import MutationIn

# target kind (wire) -> mirrored entity
TARGET_ENTITIES = {"refund_request": "refund_request", "return": "return", "order": "order"}


@dataclass(frozen=True, slots=True)
class MutationContext:
    """Everything a kind's handler needs: the writer (session, seller, now), who, and what."""

    writer: FeedWriter
    principal: Principal
    mutation: MutationIn

    @property
    def now(self) -> datetime:
        return self.writer.now

    @property
    def mutation_id(self) -> str:
        return str(self.mutation.mutation_id)


def load_target(writer: FeedWriter, mutation: MutationIn) -> RowMapping:
    """This seller's target row, locked for update; ``403`` when it is not one of theirs."""
    entity = TARGET_ENTITIES[mutation.target_kind]
    row = None
    if mutation.target_id <= MAX_ID:
        row = writer.find(entity, {"id": mutation.target_id})
    if row is None:
        raise forbidden(f"target {mutation.target} is not one of this seller's records", field="target")
    return row


def snapshot(entity: str, row: RowMapping) -> dict[str, Any]:
    """The row as the change feed shows it: what a 409 carries as ``server_snapshot``."""
    return SPECS[entity].data(row)
