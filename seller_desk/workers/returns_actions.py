"""The Returns screen's acts as ``Op`` functions (``fn(ctx)``): receive, inspect, note, undo.

Each act is its own write transaction (``store.writing()``, BEGIN IMMEDIATE) holding the mutation, its
outbox row, its local effect and its audit row — ``record_mutation`` does the four at once. Receiving
several returns is one transaction *per return*, so one refused return never takes the others back,
and the seller is told which ones were refused and why. Copying inspection photos is file work and
runs on the I/O lane (``keep_evidence``) before the database act, so the DB thread never waits on disk
copies of big images.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from seller_desk.domain.enums import ConditionGrade, Disposition, MutationKind, MutationStatus
from seller_desk.store.evidence import EvidenceRefused, keep_photos
from seller_desk.workers.ops import OpContext

if TYPE_CHECKING:
    from seller_desk.store.receiving import Received

# The store's ORM models, the outbox and the wire models (~0.2 s of imports) load with the first act,
# on the worker thread, not with the window: the Returns screen builds this module's widgets at start-up.

T = TypeVar("T")

__all__ = [
    "Act",
    "InspectionEntry",
    "InspectionSubject",
    "ReceiveSummary",
    "Refused",
    "SubjectLine",
    "add_note",
    "current_user",
    "keep_evidence",
    "load_inspection_subject",
    "receive_key",
    "receive_returns",
    "record_inspection",
    "refusal_as_value",
    "undo_act",
    "undo_blocker",
]


@dataclass(frozen=True, slots=True)
class Act:
    """One act of this session as the seller sees it; its mutations are undone together."""

    label: str
    mutation_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceiveSummary:
    received: list[tuple[int, str, str]] = field(default_factory=list)  # (return id, RMA, mutation id)
    refused: list[str] = field(default_factory=list)  # one sentence per refused return

    def text(self) -> str:
        """ "7 received, 2 refused: …" — the refusals named, so the seller can act on them."""
        said = f"{len(self.received)} received"
        if self.refused:
            said += f", {len(self.refused)} refused: " + "; ".join(self.refused)
        return said


@dataclass(frozen=True, slots=True)
class SubjectLine:
    return_line_id: int | None
    sku: str
    title: str
    quantity: int


@dataclass(frozen=True, slots=True)
class InspectionSubject:
    """A return as the inspection form needs it: its RMA, its status and the lines to grade."""

    return_id: int
    rma: str
    status: str
    lines: tuple[SubjectLine, ...]


@dataclass(frozen=True, slots=True)
class InspectionEntry:
    """What the bench recorded for one line; ``photos`` are picked files, then kept copies."""

    return_line_id: int | None
    sku: str
    condition: ConditionGrade
    disposition: Disposition
    note: str = ""
    photos: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Refused:
    """An act the rules refused: an expected answer for the seller, not a fault to log with a traceback."""

    message: str

    def __str__(self) -> str:
        return self.message


def refusal_as_value(fn: Callable[[OpContext], T]) -> Callable[[OpContext], T | Refused]:
    """Wrap an Op function so a refusal comes back as ``Refused`` (Ops log raised errors as faults)."""

    def run(ctx: OpContext) -> T | Refused:
        from seller_desk.store.outbox import MutationRefused

        try:
            return fn(ctx)
        except (MutationRefused, EvidenceRefused) as exc:  # ReceiveRefused is a MutationRefused
            return Refused(str(exc))

    return run


def current_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return None


def receive_key(ctx: OpContext, key: str, user: str | None) -> Received:
    """One scan at the bench; raises ``ReceiveRefused`` (nothing written) saying why not."""
    from seller_desk.store.receiving import receive_by_key

    with ctx.store.writing() as session:
        return receive_by_key(session, key, user=user)


def receive_returns(ctx: OpContext, return_ids: Sequence[int], user: str | None) -> ReceiveSummary:
    """Mark each selected return received, one transaction each; refusals are collected, not raised."""
    from sqlalchemy import select

    from seller_desk.store.meta import device_id
    from seller_desk.store.models import Return
    from seller_desk.store.outbox import MutationRefused, record_mutation
    from seller_desk.wire import ReturnReceivedPayload

    summary = ReceiveSummary()
    for return_id in return_ids:
        ctx.check_cancelled()
        now = datetime.now(UTC)
        try:
            with ctx.store.writing() as session:
                rma = session.scalar(select(Return.rma).where(Return.id == return_id)) or str(return_id)
                payload = ReturnReceivedPayload(received_at=now, received_by=user)
                mutation = record_mutation(
                    session, MutationKind.RETURN_RECEIVED, f"return:{return_id}", payload, None, user,
                    device_id(session), now=now,
                )  # fmt: skip
                summary.received.append((return_id, rma, mutation.id))
        except MutationRefused as exc:
            summary.refused.append(str(exc))
    return summary


def load_inspection_subject(ctx: OpContext, return_id: int) -> InspectionSubject:
    """The return's lines with their titles; a return mirrored without lines is its own one line.

    The prechecks run first, so a return not yet received is refused (with their words) before the
    seller fills in a form that could not be recorded."""
    from sqlalchemy import select

    from seller_desk.store.models import Return, ReturnLine, Sku
    from seller_desk.store.outbox import MutationRefused
    from seller_desk.store.prechecks import check_return

    with ctx.store.reading() as session:
        check_return(session.connection(), return_id, for_kind=MutationKind.INSPECTION_RECORDED)
        head = session.execute(
            select(Return.rma, Return.status, Return.sku, Return.quantity, Sku.title)
            .outerjoin(Sku, Sku.sku == Return.sku)
            .where(Return.id == return_id)
        ).one_or_none()
        if head is None:
            raise MutationRefused(f"return {return_id} is not in the local store; sync, then try again")
        rows = session.execute(
            select(ReturnLine.id, ReturnLine.sku, Sku.title, ReturnLine.quantity)
            .outerjoin(Sku, Sku.sku == ReturnLine.sku)
            .where(ReturnLine.return_id == return_id)
            .order_by(ReturnLine.id)
        ).all()
    rma, status, sku, quantity, title = head
    lines = tuple(SubjectLine(r[0], r[1], r[2] or r[1], int(r[3])) for r in rows) or (
        SubjectLine(None, sku, title or sku, int(quantity)),
    )
    return InspectionSubject(return_id, rma, str(status), lines)


def keep_evidence(
    ctx: OpContext, return_id: int, entries: Sequence[InspectionEntry]
) -> list[InspectionEntry]:
    """Copy each line's picked photos into the store's evidence folder (I/O lane); raises
    ``EvidenceRefused`` naming a file that is not an image or cannot be read."""
    data_dir = ctx.store.path.parent
    return [replace(e, photos=tuple(keep_photos(data_dir, return_id, e.photos))) for e in entries]


def record_inspection(
    ctx: OpContext, return_id: int, entries: Sequence[InspectionEntry], user: str | None
) -> Act:
    """Queue the inspection of the return's lines; refused (by the prechecks) until it is received."""
    from sqlalchemy import select

    from seller_desk.store.meta import device_id
    from seller_desk.store.models import Return
    from seller_desk.store.outbox import record_mutation

    now = datetime.now(UTC)
    payload = {  # a dict, not the model: record_mutation validates it and refuses with where and why
        "lines": [
            {
                "return_line_id": e.return_line_id,
                "sku": e.sku,
                "condition": ConditionGrade(e.condition).value,
                "disposition": Disposition(e.disposition).value,
                "note": e.note.strip() or None,
                "photos": list(e.photos),
            }
            for e in entries
        ],
        "inspected_at": now.isoformat(),
        "inspected_by": user,
    }
    with ctx.store.writing() as session:
        rma = session.scalar(select(Return.rma).where(Return.id == return_id)) or str(return_id)
        mutation = record_mutation(
            session, MutationKind.INSPECTION_RECORDED, f"return:{return_id}", payload, None, user,
            device_id(session), now=now,
        )  # fmt: skip
    return Act(f"inspection of {rma}", (mutation.id,))


def add_note(ctx: OpContext, return_id: int, text: str, user: str | None) -> Act:
    from sqlalchemy import select

    from seller_desk.store.meta import device_id
    from seller_desk.store.models import Return
    from seller_desk.store.outbox import MutationRefused, record_mutation

    if not text.strip():
        raise MutationRefused("the note is empty; write something first")
    now = datetime.now(UTC)
    payload = {"text": text.strip(), "author": user}  # a dict: record_mutation says what is wrong with it
    with ctx.store.writing() as session:
        rma = session.scalar(select(Return.rma).where(Return.id == return_id)) or str(return_id)
        mutation = record_mutation(
            session, MutationKind.NOTE, f"return:{return_id}", payload, None, user, device_id(session),
            now=now,
        )  # fmt: skip
    return Act(f"note on {rma}", (mutation.id,))


def undo_act(ctx: OpContext, act: Act, user: str | None) -> Act:
    """Take the act back whole, in one transaction: if any of its mutations has left, none is undone."""
    from seller_desk.store.meta import device_id
    from seller_desk.store.outbox import undo_mutation

    with ctx.store.writing() as session:
        device = device_id(session)
        for mutation_id in act.mutation_ids:
            undo_mutation(session, mutation_id, user=user, device_id=device)
    return act


def undo_blocker(ctx: OpContext, act: Act) -> str | None:
    """Why ``act`` can no longer be undone (one of its mutations was sent), or None while it can."""
    from sqlalchemy import select

    from seller_desk.store.models import Mutation, OutboxEntry

    with ctx.store.reading() as session:
        rows = session.execute(
            select(Mutation.id, Mutation.status, OutboxEntry.attempts)
            .outerjoin(OutboxEntry, OutboxEntry.mutation_id == Mutation.id)
            .where(Mutation.id.in_(act.mutation_ids))
        ).all()
    if len(rows) < len(act.mutation_ids):
        return f"the {act.label} is no longer queued here"
    for _id, status, attempts in rows:
        if status != MutationStatus.QUEUED:
            return f"the {act.label} was already sent ({MutationStatus(status).value})"
        if attempts:
            return f"the {act.label} was already sent once and may have reached the backend"
    return None
