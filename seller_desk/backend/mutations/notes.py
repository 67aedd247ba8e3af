"""``note``: free text on a return, an order or a refund request.

A note changes nothing about its target (so it never conflicts and ignores ``base_version``); it is
a row of its own, mirrored to every desktop of the seller. The outcome's ``server_version`` is the
target's, as for every kind: the version of the row the mutation names.
"""

from __future__ import annotations

from sqlalchemy.engine import RowMapping

from seller_desk.backend.mutations.targets import MutationContext
from seller_desk.wire import MutationOutcome, NotePayload


def apply_note(ctx: MutationContext, target: RowMapping) -> MutationOutcome:
    payload = NotePayload.model_validate(ctx.mutation.payload)
    note = ctx.writer.insert(
        "note",
        {
            "target_kind": ctx.mutation.target_kind,
            "target_id": str(ctx.mutation.target_id),
            "text": payload.text,
            "author": payload.author,
            "created_at": ctx.now,
            "mutation_id": ctx.mutation_id,
        },
    )
    return MutationOutcome(
        mutation_id=ctx.mutation.mutation_id,
        target=ctx.mutation.target,
        server_version=int(target["server_version"]),
        result={"note_id": note["id"]},
    )
