"""What happened to one refund request, newest first: decisions (this desktop's and the team's, with
the note to the customer), and this desktop's audit (queued, undone, the policy checks shown).

This is the "who decided what, when, on which device, and which checks were shown" of the Refunds
screen's detail pane. Decisions come from the mirror (the backend's, with every device's) plus this
desktop's local ones; the checks shown live in the local audit, keyed by the decision's mutation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from seller_desk.domain.money import Money
from seller_desk.store.models import AuditEntry, Decision, Mutation


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    at: datetime
    kind: str
    amount: Money
    restocking_fee_bp: int
    reason: str | None
    customer_message: str | None
    decided_by: str | None
    device_id: str | None
    sync_state: str  # the local mutation's status, or "server" (decided on another desktop or settled)
    checks: tuple[tuple[str, bool, str], ...]  # (name, ok, detail) shown when it was decided here


@dataclass(frozen=True, slots=True)
class AuditLine:
    at: datetime
    user: str | None
    device: str | None
    what: str


def request_history(session: Session, request_id: int) -> tuple[list[DecisionEntry], list[AuditLine]]:
    target = f"refund_request:{request_id}"
    checks: dict[str, tuple[tuple[str, bool, str], ...]] = {}
    audit: list[AuditLine] = []
    for at, user, device, what, detail in session.execute(
        select(AuditEntry.at, AuditEntry.user, AuditEntry.device, AuditEntry.what, AuditEntry.detail)
        .where(AuditEntry.target == target)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ):
        if what.endswith("checks_shown"):
            data = json.loads(detail or "{}")
            checks[str(data.get("mutation_id"))] = tuple(
                (str(c["name"]), bool(c["ok"]), str(c["detail"])) for c in data.get("checks", [])
            )
        else:
            audit.append(AuditLine(at, user, device, what))
    decisions: list[DecisionEntry] = []
    for row, status in session.execute(
        select(Decision, Mutation.status)
        .outerjoin(Mutation, Mutation.id == Decision.mutation_id)
        .where(Decision.refund_request_id == request_id)
        .order_by(Decision.decided_at.desc(), Decision.id)
    ):
        decisions.append(
            DecisionEntry(
                at=row.decided_at,
                kind=str(row.kind),
                amount=Money(row.amount_minor, row.currency),
                restocking_fee_bp=row.restocking_fee_bp,
                reason=row.reason,
                customer_message=row.customer_message,
                decided_by=row.decided_by,
                device_id=row.device_id,
                sync_state="server" if status is None else str(status),
                checks=checks.get(str(row.mutation_id), ()),
            )
        )
    return decisions, audit
