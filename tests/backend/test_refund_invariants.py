"""A hypothesis state machine over the mutation service on SQLite: whatever the seller's desktops and
the marketplace do, in any order, with retries and replays,

* refunded (+ approved, unsettled) never exceeds charged, per order line and component;
* a refund request never has two approvals, two approve decisions or two ledger entries, and an
  approved request has exactly one of each;
* a mutation is applied at most once, and a replay (same key, or a new key after pruning) gets the
  first answer back.

Upstream events include marketplace auto-refunds of any line and component and the relay's walk
(submitted, completed or failed, failed back to approved for a retry); the last test checks the runs
reached each of them. Each example is a new seller in one shared database (tenancy isolates them), on
a fake clock; the runs are derandomized, so every run checks the same examples.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import func, select

from seller_desk.backend.ingest import ingest_order, ingest_refund_request, ingesting, set_refund_state
from seller_desk.backend.mutations import Answer, KeyGuard, process_mutation
from seller_desk.backend.mutations.money import order_money
from seller_desk.backend.store import Database, sqlite_url, upgrade
from seller_desk.backend.store.models import (
    Decision,
    IdempotencyKey,
    LedgerEntry,
    MutationRecord,
    OrderLine,
    RefundApproval,
    RefundPayment,
    RefundRequest,
)
from seller_desk.backend.store.models import Order as OrderRow
from seller_desk.backend.tenancy import Principal, authenticate, create_device_token
from seller_desk.domain.entities import Order
from seller_desk.domain.entities import OrderLine as DomainLine
from seller_desk.domain.enums import Channel, ChargeComponent, DecisionKind, RefundSource, RefundState
from seller_desk.domain.errors import IllegalTransition
from seller_desk.domain.money import Money
from seller_desk.domain.return_entities import RefundRequest as DomainRequest
from seller_desk.wire import MutationIn
from tests.backend.shop import T0

COMPONENTS = [
    ChargeComponent.PRINCIPAL,
    ChargeComponent.SHIPPING,
    ChargeComponent.TAX,
    ChargeComponent.PROMOTION,
]
EVENTS = {
    "cancel": RefundState.CANCELLED,
    "auto_refund": RefundState.AUTO_REFUNDED,
    "submit": RefundState.SUBMITTED,
    "complete": RefundState.COMPLETED,
    "fail": RefundState.FAILED,
    "retry": RefundState.APPROVED,
}

_DB: Database | None = None
RELAY = {RefundState.APPROVED: "submit", RefundState.SUBMITTED: "complete", RefundState.FAILED: "retry"}
MOVES: Counter[str] = Counter()  # upstream events that took effect, over every run of the machine


@pytest.fixture(scope="module")
def service_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    global _DB
    path: Path = tmp_path_factory.mktemp("invariants") / "backend.sqlite3"
    db = Database(sqlite_url(path))
    upgrade(db)
    _DB = db
    try:
        yield db
    finally:
        _DB = None
        db.dispose()


class RefundMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert _DB is not None
        self.db = _DB
        self.now = T0
        self.guard = KeyGuard()
        self.sent: list[tuple[str, dict[str, Any], Answer]] = []
        self.requests: list[int] = []

    # -- set-up --------------------------------------------------------------------------------------
    @initialize(
        charges=st.lists(st.lists(st.integers(500, 5000), min_size=4, max_size=4), min_size=1, max_size=2)
    )
    def open_shop(self, charges: list[list[int]]) -> None:
        with self.db.writing() as session:
            issued = create_device_token(session, f"hyp-{uuid.uuid4().hex}", "desk", self.now)
            principal = authenticate(session, issued.token)
        assert principal is not None
        self.principal: Principal = principal
        self.order_id = f"H-{uuid.uuid4().hex[:12]}"
        lines = tuple(
            DomainLine(f"L{i}", f"SKU{i}", f"B{i}", f"Item {i}", 1,
                       {c: Money(v, "USD") for c, v in zip(COMPONENTS, amounts, strict=True)})
            for i, amounts in enumerate(charges)
        )  # fmt: skip
        order = Order(self.order_id, "US", Channel.MFN, T0, "USD", lines)
        with ingesting(self.db, self.principal.seller_id, self.now) as writer:
            keys = ingest_order(writer, order)
        self.line_ids = list(keys.line_ids.values())
        for _ in range(2):
            self.new_request()

    # -- the seller's desktops -------------------------------------------------------------------------
    def _send(self, body: dict[str, Any], key: str | None = None) -> Answer:
        key = key or str(uuid.uuid4())
        self.now += timedelta(seconds=1)
        answer = process_mutation(
            self.db, self.principal, key, MutationIn.model_validate(body), self.now, guard=self.guard
        )
        self.sent.append((key, body, answer))
        return answer

    def _decision(self, request: int, payload: dict[str, Any]) -> dict[str, Any]:
        payload = {"currency": "USD", "decided_at": self.now.isoformat(), **payload}
        return {
            "mutation_id": str(uuid.uuid4()),
            "kind": "refund_decision",
            "target": f"refund_request:{request}",
            "payload": payload,
            "device_id": "desk",
        }

    def _pending(self) -> list[int]:
        with self.db.reading() as session:
            rows = session.execute(
                select(RefundRequest.id).where(
                    RefundRequest.seller_id == self.principal.seller_id,
                    RefundRequest.state == RefundState.PENDING,
                )
            )
            return sorted(rows.scalars())

    @rule(data=st.data(), fee=st.sampled_from([0] * 7 + [2500]))  # a fee needs a return: refused here
    def approve(self, data: st.DataObject, fee: int) -> None:
        prefer_pending = data.draw(st.integers(0, 3)) > 0  # mostly a fresh decision, sometimes a late one
        if prefer_pending and not self._pending():
            self.new_request()
        request = data.draw(st.sampled_from(self._pending() if prefer_pending else self.requests))
        part = st.tuples(st.sampled_from(self.line_ids), st.sampled_from(COMPONENTS), st.integers(0, 1500))
        parts = data.draw(st.lists(part, min_size=1, max_size=4, unique_by=lambda p: (p[0], p[1])))
        components = [
            {"order_line_id": line, "component": c.value, "amount_minor": a} for line, c, a in parts
        ]
        payload = {
            "decision": "approve",
            "components": components,
            "restocking_fee_bp": fee,
            "evidence": ["p"],
        }
        answer = self._send(self._decision(request, payload))
        assert answer.status in (201, 400, 409), answer
        if answer.status == 409:
            assert answer.body["reason"] in {
                "decided_elsewhere", "customer_cancelled", "auto_refunded", "over_refund",
            }  # fmt: skip

    @rule(data=st.data())
    def reject(self, data: st.DataObject) -> None:
        request = data.draw(st.sampled_from(self.requests))
        answer = self._send(self._decision(request, {"decision": "reject", "reason": "no"}))
        assert answer.status in (201, 409), answer

    @precondition(lambda self: bool(self.sent))
    @rule(data=st.data(), new_key=st.booleans())
    def replay(self, data: st.DataObject, new_key: bool) -> None:
        key, body, first = data.draw(st.sampled_from(self.sent))
        if first.status == 409 and first.body.get("error") == "in_progress":
            return
        if new_key:  # as after the key was pruned: the mutation id still finds the first answer
            with self.db.writing() as session:
                session.execute(
                    IdempotencyKey.__table__.delete().where(
                        IdempotencyKey.seller_id == self.principal.seller_id
                    )
                )
        again = self._send(body, None if new_key else key)
        assert again.body == first.body
        assert again.status == (200 if first.status == 201 else first.status)

    # -- the marketplace and the relay ---------------------------------------------------------------
    @rule()
    def new_request(self) -> None:
        code = "L0"
        request = DomainRequest(
            request_id=f"RR-{uuid.uuid4().hex}", order_id=self.order_id, state=RefundState.PENDING,
            source=RefundSource.CUSTOMER, reason="x", currency="USD",
            requested={code: {ChargeComponent.PRINCIPAL: Money(100, "USD")}}, created_at=self.now,
        )  # fmt: skip
        with ingesting(self.db, self.principal.seller_id, self.now) as writer:
            self.requests.append(ingest_refund_request(writer, request))

    @rule(data=st.data(), event=st.sampled_from(sorted(EVENTS)), claim=st.booleans())
    def upstream(self, data: st.DataObject, event: str, claim: bool) -> None:
        request = data.draw(st.sampled_from(self.requests))
        state = EVENTS[event]
        paid = None
        if state is RefundState.AUTO_REFUNDED:
            line, component = (
                data.draw(st.sampled_from(self.line_ids)),
                data.draw(st.sampled_from(COMPONENTS)),
            )
            paid = self._what_the_marketplace_can_refund(line, component)
        try:
            with ingesting(self.db, self.principal.seller_id, self.now) as writer:
                set_refund_state(writer, request, state, a_to_z_claim=claim or None, marketplace_refund=paid)
            MOVES[event] += 1
        except IllegalTransition:
            pass  # the lifecycle refused it; the transaction rolled back

    @rule(data=st.data(), fails=st.booleans())
    def relay_walks(self, data: st.DataObject, fails: bool) -> None:
        """The relay moves an approved request one step on — submitted, then completed or failed — and a
        failed one back to approved for a retry (drawn among the requests where the step is legal: a
        random event on a random request almost never reaches a retry)."""
        moving = self._moving()
        if moving:
            self._relay_step(*data.draw(st.sampled_from(moving)), fails=fails)

    def _moving(self) -> list[tuple[int, RefundState]]:
        with self.db.reading() as session:
            rows = session.execute(
                select(RefundRequest.id, RefundRequest.state).where(
                    RefundRequest.seller_id == self.principal.seller_id, RefundRequest.state.in_(list(RELAY))
                )
            ).all()
        return sorted((int(r[0]), r[1]) for r in rows)

    def _relay_step(self, request: int, state: RefundState, *, fails: bool) -> None:
        event = "fail" if fails and state is RefundState.SUBMITTED else RELAY[state]
        with ingesting(self.db, self.principal.seller_id, self.now) as writer:
            set_refund_state(writer, request, EVENTS[event])
        MOVES[event] += 1

    def teardown(self) -> None:
        """The relay finishes what was approved — submitted, failed once, retried, submitted again,
        completed — with the invariants checked after every tick."""
        if not hasattr(self, "principal"):
            return
        for tick in range(5):
            for request, state in self._moving():
                self._relay_step(request, state, fails=tick == 1)
            self.refunded_never_exceeds_charged()
            self.at_most_one_approval_per_request()

    def _what_the_marketplace_can_refund(
        self, line_id: int, component: ChargeComponent
    ) -> dict[int, dict[ChargeComponent, int]]:
        """Half of what is left of one line's component (the marketplace keeps within the charge too)."""
        with self.db.reading() as session:
            order_pk = session.execute(
                select(OrderRow.id).where(
                    OrderRow.seller_id == self.principal.seller_id, OrderRow.order_id == self.order_id
                )
            ).scalar_one()
            money = order_money(session, order_pk, "USD")
        line = str(line_id)
        charged = money.charged[line][component].amount_minor
        used = sum(
            m.get(line, {}).get(component, Money(0, "USD")).amount_minor
            for m in (money.refunded, money.approved_unsettled)
        )
        left = charged - used
        return {line_id: {component: left // 2}} if left > 1 else {}

    # -- what must always hold -----------------------------------------------------------------------
    @invariant()
    def refunded_never_exceeds_charged(self) -> None:
        if not hasattr(self, "principal"):
            return
        with self.db.reading() as session:
            charged = {
                row.id: row
                for row in session.execute(
                    select(OrderLine).where(OrderLine.seller_id == self.principal.seller_id)
                ).scalars()
            }
            paid: dict[tuple[int, ChargeComponent], int] = defaultdict(int)
            for payment in session.execute(
                select(RefundPayment).where(RefundPayment.seller_id == self.principal.seller_id)
            ).scalars():
                assert payment.amount_minor > 0
                paid[(payment.order_line_id, payment.component)] += payment.amount_minor
        for (line_id, component), amount in paid.items():
            assert amount <= getattr(charged[line_id], f"{component.value}_minor"), (
                line_id,
                component,
                amount,
            )

    @invariant()
    def at_most_one_approval_per_request(self) -> None:
        if not hasattr(self, "principal"):
            return
        sid = self.principal.seller_id
        with self.db.reading() as session:

            def per_request(column: Any, *where: Any) -> dict[int, int]:
                rows = session.execute(select(column, func.count()).where(*where).group_by(column)).all()
                return {int(r[0]): int(r[1]) for r in rows}

            approvals = per_request(RefundApproval.refund_request_id, RefundApproval.seller_id == sid)
            decisions = per_request(
                Decision.refund_request_id, Decision.seller_id == sid, Decision.kind == DecisionKind.APPROVE
            )
            ledger = per_request(LedgerEntry.refund_request_id, LedgerEntry.seller_id == sid)
            states = {
                row.id: row.state
                for row in session.execute(
                    select(RefundRequest.id, RefundRequest.state).where(RefundRequest.seller_id == sid)
                )
            }
            per_mutation = (
                session.execute(
                    select(func.count())
                    .select_from(Decision)
                    .where(Decision.seller_id == sid)
                    .group_by(Decision.mutation_id)
                )
                .scalars()
                .all()
            )
            recorded = session.execute(
                select(func.count()).select_from(MutationRecord).where(MutationRecord.seller_id == sid)
            ).scalar_one()
        assert approvals == decisions == ledger
        assert all(n == 1 for n in approvals.values())
        for request, state in states.items():
            if state in (
                RefundState.APPROVED,
                RefundState.SUBMITTED,
                RefundState.COMPLETED,
                RefundState.FAILED,
            ):
                assert approvals.get(request) == 1, (request, state)
        assert all(n == 1 for n in per_mutation)
        assert recorded == len(
            {body["mutation_id"] for _, body, a in self.sent if a.body.get("error") != "in_progress"}
        )


RefundMachine.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.usefixtures("service_db")
class TestRefundInvariants(RefundMachine.TestCase):  # type: ignore[name-defined,misc]
    pass


def test_the_machine_met_every_upstream_event() -> None:
    """Runs after the machine (file order): auto-refunds, completions, failures and retries took effect."""
    for event in ("auto_refund", "cancel", "submit", "complete", "fail", "retry"):
        assert MOVES[event] > 0, (event, str(dict(MOVES)))
