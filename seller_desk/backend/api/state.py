"""What the app holds between requests (``app.state.backend``), and the dependency that reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from seller_desk.backend.access_tokens import AccessPolicy
from seller_desk.backend.clock import Clock
from seller_desk.backend.mutations import KeyGuard
from seller_desk.backend.mutations.service import BeforeCommit
from seller_desk.backend.store import Database


@dataclass
class BackendState:
    db: Database
    clock: Clock
    guard: KeyGuard
    before_commit: BeforeCommit | None = None
    access: AccessPolicy = field(default_factory=AccessPolicy.generate)


def backend_state(request: Request) -> BackendState:
    state = request.app.state.backend
    assert isinstance(state, BackendState)
    return state
