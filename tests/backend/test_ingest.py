"""Upstream ingest (simulator, importers, SP-API): idempotent upserts and upstream refund events."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from seller_desk.backend.ingest import (
    IngestError,
    ingest_order,
    ingest_refund_request,
    ingesting,
    set_refund_state,
)
from seller_desk.backend.mutations import KeyGuard, process_mutation
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import LedgerEntry, RefundPayment, RefundRequest
from seller_desk.backend.tenancy import Principal, authenticate, create_device_token
from seller_desk.domain.entities import Order, OrderLine
from seller_desk.domain.enums import Channel, RefundSource, RefundState
from seller_desk.domain.errors import IllegalTransition
from seller_desk.domain.money import Money
from seller_desk.domain.return_entities import RefundRequest as DomainRequest
from seller_desk.wire import MutationIn
from tests.backend.shop import SHIP, T0, P, approval, now


@pytest.fixture
def world(sqlite_db_url: str) -> Iterator[tuple[Database, Principal]]:
    db = Database(sqlite_db_url)
    with db.writing() as session:
        issued = create_device_token(session, "acme", "desk", now())
        principal = authenticate(session, issued.token)
    assert principal is not None
    try:
        yield db, principal
    finally:
        db.dispose()


def _order(order_id: str = "111-1") -> Order:
    charged = {P: Money(2000, "USD"), SHIP: Money(500, "USD")}
    return Order(
        order_id, "US", Channel.MFN, T0, "USD", (OrderLine("L1", "SKU1", "B01", "Kettle", 1, charged),)
    )


def _request(order_id: str = "111-1", currency: str = "USD", code: str = "L1") -> DomainRequest:
    return DomainRequest(
        request_id=f"RR-{uuid.uuid4().hex[:8]}", order_id=order_id, state=RefundState.PENDING,
        source=RefundSource.CUSTOMER, reason="CR-DEFECTIVE", currency=currency,
        requested={code: {P: Money(2000, currency)}}, created_at=T0,
    )  # fmt: skip


def test_ingesting_the_same_records_twice_emits_nothing_the_second_time(
    world: tuple[Database, Principal],
) -> None:
    db, principal = world
    request = _request()
    with ingesting(db, principal.seller_id, now()) as writer:
        keys = ingest_order(writer, _order())
        first_id = ingest_refund_request(writer, request)
        assert writer.appended == 4  # order, line, request, request line
    with ingesting(db, principal.seller_id, now()) as writer:
        assert ingest_order(writer, _order()) == keys
        assert ingest_refund_request(writer, request) == first_id
        assert writer.appended == 0


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (_request(order_id="nope"), "order nope is not known"),
        (_request(currency="EUR"), "is in EUR, its order in USD"),
        (_request(code="L9"), "has no line L9"),
    ],
)
def test_records_that_do_not_fit_are_refused_by_name(
    world: tuple[Database, Principal], request_: DomainRequest, message: str
) -> None:
    db, principal = world
    with ingesting(db, principal.seller_id, now()) as writer:
        ingest_order(writer, _order())
    with pytest.raises(IngestError, match=message), ingesting(db, principal.seller_id, now()) as writer:
        ingest_refund_request(writer, request_)


def _approve(db: Database, principal: Principal, request_id: int, line_id: int, amount: int) -> None:
    body = MutationIn.model_validate(approval(request_id, [(line_id, "principal", amount)]))
    answer = process_mutation(db, principal, str(uuid.uuid4()), body, now(), guard=KeyGuard())
    assert answer.status == 201, answer


def test_a_cancel_upstream_voids_unsent_payments_and_the_pending_ledger_entry(
    world: tuple[Database, Principal],
) -> None:
    db, principal = world
    with ingesting(db, principal.seller_id, now()) as writer:
        line_id = ingest_order(writer, _order()).line_ids["L1"]
        request_id = ingest_refund_request(writer, _request())
    _approve(db, principal, request_id, line_id, 1500)
    with ingesting(db, principal.seller_id, now()) as writer:
        row = set_refund_state(writer, request_id, RefundState.CANCELLED)
    assert row["state"] is RefundState.CANCELLED
    with db.reading() as session:
        assert (
            session.execute(
                select(RefundPayment).where(RefundPayment.refund_request_id == request_id)
            ).first()
            is None
        )
        entry = session.execute(
            select(LedgerEntry).where(LedgerEntry.refund_request_id == request_id)
        ).scalar_one()
    assert entry.state == "cancelled"


def test_completion_settles_payments_and_records_the_refunded_amount(
    world: tuple[Database, Principal],
) -> None:
    db, principal = world
    with ingesting(db, principal.seller_id, now()) as writer:
        line_id = ingest_order(writer, _order()).line_ids["L1"]
        request_id = ingest_refund_request(writer, _request())
    _approve(db, principal, request_id, line_id, 1500)
    with ingesting(db, principal.seller_id, now()) as writer:
        set_refund_state(writer, request_id, RefundState.SUBMITTED)
        set_refund_state(writer, request_id, RefundState.FAILED)
        set_refund_state(writer, request_id, RefundState.APPROVED)  # the relay's retry
        set_refund_state(writer, request_id, RefundState.SUBMITTED)
        done = set_refund_state(writer, request_id, RefundState.COMPLETED)
    assert done["refunded_minor"] == 1500
    with db.reading() as session:
        payment = session.execute(
            select(RefundPayment).where(RefundPayment.refund_request_id == request_id)
        ).scalar_one()
    assert payment.settled is True
    assert payment.executed_at is not None


def test_auto_refund_records_what_the_marketplace_paid(world: tuple[Database, Principal]) -> None:
    db, principal = world
    with ingesting(db, principal.seller_id, now()) as writer:
        line_id = ingest_order(writer, _order()).line_ids["L1"]
        request_id = ingest_refund_request(writer, _request())
        row = set_refund_state(
            writer, request_id, RefundState.AUTO_REFUNDED, marketplace_refund={line_id: {P: 2000}}
        )
    assert row["refunded_minor"] == 2000


@pytest.mark.parametrize("target", [RefundState.APPROVED, RefundState.COMPLETED, RefundState.SUBMITTED])
def test_illegal_upstream_moves_raise_and_change_nothing(
    world: tuple[Database, Principal], target: RefundState
) -> None:
    db, principal = world
    with ingesting(db, principal.seller_id, now()) as writer:
        ingest_order(writer, _order())
        request_id = ingest_refund_request(writer, _request())
    with pytest.raises(IllegalTransition), ingesting(db, principal.seller_id, now()) as writer:
        set_refund_state(writer, request_id, target)
    with db.reading() as session:
        state = session.execute(
            select(RefundRequest.state).where(RefundRequest.id == request_id)
        ).scalar_one()
    assert state is RefundState.PENDING
