"""Small helpers shared by the sync tests: recording acts and reading the desktop's state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, text

from seller_desk.store.meta import device_id
from seller_desk.store.models import Mutation
from seller_desk.store.outbox import record_mutation
from seller_desk.store.uow import Store


def approval(line_id: int, amount: int, when: datetime, component: str = "principal") -> dict[str, Any]:
    return {
        "decision": "approve",
        "currency": "USD",
        "components": [{"order_line_id": line_id, "component": component, "amount_minor": amount}],
        "decided_at": when.isoformat(),
    }


def rejection(when: datetime, reason: str = "not returned") -> dict[str, Any]:
    return {"decision": "reject", "currency": "USD", "reason": reason, "decided_at": when.isoformat()}


def record(store: Store, kind: str, target: str, payload: dict[str, Any], when: datetime) -> str:
    with store.writing() as session:
        device = device_id(session)
        mutation = record_mutation(session, kind, target, payload, None, "seller", device, now=when)
        return mutation.id


def decide(store: Store, request_id: int, payload: dict[str, Any], when: datetime) -> str:
    return record(store, "refund_decision", f"refund_request:{request_id}", payload, when)


def statuses(store: Store) -> dict[str, str]:
    with store.reading() as session:
        return {m.id: m.status.value for m in session.scalars(select(Mutation))}


def status_of(store: Store, mutation_id: str) -> str:
    return statuses(store)[mutation_id]


def sql(store: Store, query: str, **params: Any) -> list[tuple[Any, ...]]:
    with store.reading() as session:
        return [tuple(row) for row in session.execute(text(query), params)]


def scalar(store: Store, query: str, **params: Any) -> Any:
    rows = sql(store, query, **params)
    return rows[0][0] if rows else None
