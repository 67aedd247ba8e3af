"""No sequence of the seller's decisions and the server's refund events makes the desktop refund more
than was charged (issue 5, item 8; DOMAIN.md "Refundable now").

A hypothesis state machine drives one desktop — a real SQLite store, pushes and pulls through the real
sync code over the in-process ``RefundWorld`` server — through the seller's decisions: approvals in
full (``store.refund_bulk.approve_in_full``), partial by quantity and component
(``domain.refund_review.partial_approval`` + ``store.refund_review.record_decision``), rejections, undos,
and amounts typed in uncapped (``record_mutation``, which must refuse an excess itself). Interleaved
are server events that reach it only by pulls: a refund settled, another desktop's approval (also aimed
at a line this desktop has an approval of waiting), a marketplace auto-refund, a failed submission
going back to ``approved``, a customer cancelling, new requests; pulls may also stop after a page or two.

Checked after every step, per order line and charge component, with the desktop's figures read from
its own tables (mirrored ``refund_payments`` = the server's refunded + approved-unsettled; this
desktop's pending approvals = its local decision rows whose mutation is queued, sending or
acknowledged):

* the server's part the desktop shows never exceeds the charge;
* server + local pending never exceeds the charge by more than the payments from *outside* this
  desktop (another desktop, the marketplace) that it pulled after its latest pending approval on that
  line and component was recorded — money it could not have known of when the seller clicked; after a
  full sync (push, then a drained pull) no local approval is pending and it never exceeds, full stop;
* an approval (by any path) is accepted exactly when it is within refundable now (charge − server −
  local pending) on every line and component, the request is pending and undecided here, and the net
  is a credit — so every approval it accepted was within the cap at that moment;
* after a drained pull the desktop's mirrored payments equal the server's.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from seller_desk.domain.enums import ChargeComponent, DecisionKind
from seller_desk.domain.errors import DomainError
from seller_desk.domain.policies.review_checks import policy_checks
from seller_desk.domain.refund_review import DecisionDraft, ReviewFacts, partial_approval, rejection
from seller_desk.store.outbox import MutationRefused, undo_mutation
from seller_desk.store.refund_bulk import approve_in_full
from seller_desk.store.refund_review import load_review_facts, record_decision
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.pull import Puller
from seller_desk.sync.push import TokenRefresh
from tests.sync.conftest import fresh_store, make_engine
from tests.sync.fakes import FakeNetwork
from tests.sync.helpers import decide, scalar, sql
from tests.sync.refund_world import COMPONENTS, LINES, RefundWorld

SHM = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
TEMPLATE_DIR = Path(tempfile.mkdtemp(prefix="refund-caps-template-", dir=SHM))
PENDING = ("queued", "sending", "acknowledged")
ALL_LINES = [line for lines in LINES.values() for line in lines]
Key = tuple[int, str]
STATS: dict[str, int] = defaultdict(int)  # what the runs exercised, checked by the last test


class RefundCaps(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="refund-caps-", dir=SHM))
        self.clock = FakeClock()
        self.world = RefundWorld(self.clock)
        self.world.seed_shop()
        self.network = FakeNetwork(self.world)
        self.store = fresh_store(self.dir, base=TEMPLATE_DIR)
        self.engine = make_engine(self.store, self.network, self.clock, page_limit=4)
        refresh = TokenRefresh(self.engine.client, lambda: self.world.token)
        self.puller = Puller(self.store, self.engine.client, clock=self.clock, refresh=refresh, limit=4)
        self.recorded_at: dict[str, int] = {}  # mutation id -> order in which it was recorded
        self.seen: dict[str, frozenset[int]] = {}  # mutation id -> payments mirrored when it was recorded
        assert self.puller.pull_until_drained().drained

    # -- what the desktop shows ---------------------------------------------------------------------------
    def charged(self) -> dict[Key, int]:
        cols = ", ".join(f"{c}_minor" for c in COMPONENTS)
        return {
            (int(row[0]), comp): int(row[1 + i])
            for row in sql(self.store, f"SELECT id, {cols} FROM order_lines")
            for i, comp in enumerate(COMPONENTS)
        }

    def server_part(self) -> dict[Key, int]:
        rows = sql(self.store, "SELECT order_line_id, component, sum(amount_minor) FROM refund_payments "
                               "GROUP BY order_line_id, component")  # fmt: skip
        return {(int(line), str(comp)): int(total) for line, comp, total in rows}

    def local_pending(self) -> dict[Key, list[tuple[str, int]]]:
        """(mutation id, amount) of this desktop's approvals on their way, per line and component: each
        beyond what its own request's mirrored payments already show (an acknowledged approval is kept
        until the pull drains, and its payments may arrive first: it counts once, never twice)."""
        waiting = "('queued', 'sending', 'acknowledged')"
        rows = sql(self.store, "SELECT m.id, d.refund_request_id, d.components FROM decisions d "
                               "JOIN mutations m ON m.id = d.mutation_id WHERE d.id < 0 "
                               f"AND d.kind = 'approve' AND m.status IN {waiting}")  # fmt: skip
        paid = {(int(r), int(line), str(comp)): int(total) for r, line, comp, total in sql(
            self.store, "SELECT refund_request_id, order_line_id, component, sum(amount_minor) "
                        "FROM refund_payments GROUP BY 1, 2, 3")}  # fmt: skip
        found: dict[Key, list[tuple[str, int]]] = defaultdict(list)
        for mutation_id, request_id, components in rows:
            for item in json.loads(components):
                key = (int(item["order_line_id"]), item["component"])
                beyond = int(item["amount_minor"]) - paid.get((int(request_id), *key), 0)
                if beyond > 0:
                    found[key].append((mutation_id, beyond))
        return found

    def refundable(self) -> dict[Key, int]:
        server, local = self.server_part(), self.local_pending()
        return {
            key: charge - server.get(key, 0) - sum(a for _m, a in local.get(key, []))
            for key, charge in self.charged().items()
        }

    def requests(self) -> list[int]:
        return [int(r[0]) for r in sql(self.store, "SELECT id FROM refund_requests ORDER BY id")]

    # -- the seller -----------------------------------------------------------------------------------------
    def _decide(self, request_id: int, components: list[dict[str, Any]]) -> None:
        """Record an approval (or, without components, a rejection) and check the answer against the cap."""
        now = self.clock.now()
        payload: dict[str, Any] = {"currency": "USD", "decided_at": now.isoformat()}
        if components:
            payload.update(decision="approve", components=components)
        else:
            payload.update(decision="reject", reason="outside the return window")
        expected, why = self._should_accept(request_id, components)
        refusal = None
        try:
            mutation_id = decide(self.store, request_id, payload, now)
        except (MutationRefused, DomainError) as exc:
            refusal = str(exc)
        if refusal is not None:
            assert not expected, f"refused {components} on request {request_id}: {refusal}"
            STATS["refused"] += 1
            return
        assert expected, f"accepted {components} on request {request_id}, but {why}"
        self._accepted(mutation_id, self._mirrored_payments(), "accepted_approvals")

    def _should_accept(self, request_id: int, components: list[dict[str, Any]]) -> tuple[bool, str]:
        state = scalar(self.store, "SELECT state FROM refund_requests WHERE id = :r", r=request_id)
        if state != "pending":
            return False, f"the request is {state}"
        waiting = scalar(self.store, "SELECT count(*) FROM mutations WHERE target = :t AND status IN "
                                     "('queued', 'sending', 'acknowledged')",
                         t=f"refund_request:{request_id}")  # fmt: skip
        if waiting:
            return False, "this desktop already decided it"
        left = self.refundable()
        for item in components:
            key = (item["order_line_id"], item["component"])
            if item["amount_minor"] > left[key]:
                return False, f"{key} asks {item['amount_minor']} with {left[key]} refundable"
        net = sum(
            -i["amount_minor"] if i["component"] == "promotion" else i["amount_minor"] for i in components
        )
        if components and net <= 0:
            return False, f"the net {net} is no credit"
        return True, ""

    def _order_lines(self, request_id: int) -> list[int]:
        return sorted(LINES[self.world.order_of(request_id)])

    @rule(pick=st.integers(0, 50))
    def approve_as_asked(self, pick: int) -> None:
        """Amounts typed in: everything the request asks for, uncapped (the store must refuse an excess)."""
        requests = self.requests()
        request_id = requests[pick % len(requests)]
        rows = sql(self.store, "SELECT order_line_id, component, amount_minor FROM refund_request_lines "
                               "WHERE refund_request_id = :r ORDER BY id", r=request_id)  # fmt: skip
        components = [{"order_line_id": int(line), "component": comp, "amount_minor": int(amount)}
                      for line, comp, amount in rows]  # fmt: skip
        self._decide(request_id, components)

    @rule(pick=st.integers(0, 50), data=st.data())
    def approve_typed_amounts(self, pick: int, data: st.DataObject) -> None:
        """Amounts typed in: chosen components of chosen lines, some units' worth each, uncapped."""
        requests = self.requests()
        request_id = requests[pick % len(requests)]
        lines = self._order_lines(request_id)
        part = st.tuples(st.sampled_from(lines), st.sampled_from(COMPONENTS), st.integers(1, 3))
        parts = data.draw(st.lists(part, min_size=1, max_size=4, unique_by=lambda p: (p[0], p[1])))
        components = []
        for line, comp, units in parts:
            quantity, *charges = LINES[self.world.order_of(request_id)][line]
            amount = charges[COMPONENTS.index(comp)] * min(units, quantity) // quantity
            if amount > 0:
                components.append({"order_line_id": line, "component": comp, "amount_minor": amount})
        if components:
            self._decide(request_id, components)

    @rule(pick=st.integers(0, 50))
    def reject(self, pick: int) -> None:
        requests = self.requests()
        self._review(requests[pick % len(requests)], lambda facts: rejection(facts, "outside the window"))

    # The review API the app's dialogs use (store.refund_review, store.refund_bulk): drafts capped at
    # refundable now, recorded with the policy checks shown.
    @rule(pick=st.integers(0, 50))
    def approve_in_full(self, pick: int) -> None:
        """The bulk action on one request: everything asked, or nothing when less than that is refundable
        now (the bulk action leaves such a request to be decided alone)."""
        requests = self.requests()
        request_id = requests[pick % len(requests)]
        asked = sql(self.store, "SELECT order_line_id, component, amount_minor FROM refund_request_lines "
                                "WHERE refund_request_id = :r", r=request_id)  # fmt: skip
        expected = [{"order_line_id": int(line), "component": comp, "amount_minor": int(amount)}
                    for line, comp, amount in asked]  # fmt: skip
        may, why = self._should_accept(request_id, expected)
        before = self._mirrored_payments()
        with self.store.writing() as session:
            summary = approve_in_full(session, [request_id], user="seller", now=self.clock.now())
        assert (summary.approved_ids == (request_id,)) == may, (summary, why)
        if may:
            target = f"refund_request:{request_id}"
            query = "SELECT id, payload FROM mutations WHERE target = :t ORDER BY queue_seq DESC LIMIT 1"
            mutation_id, payload = sql(self.store, query, t=target)[0]
            assert sorted(json.loads(payload)["components"], key=_by_line) == sorted(expected, key=_by_line)
            self._accepted(mutation_id, before, "accepted_in_full")

    @rule(pick=st.integers(0, 50), data=st.data())
    def approve_units(self, pick: int, data: st.DataObject) -> None:
        """Partial by quantity and component: some units of some lines, for chosen components."""
        requests = self.requests()
        request_id = requests[pick % len(requests)]
        lines = LINES[self.world.order_of(request_id)]
        units = data.draw(st.dictionaries(st.sampled_from(sorted(lines)), st.integers(1, 3), min_size=1))
        quantities = {line: min(n, lines[line][0]) for line, n in units.items()}
        components = data.draw(st.sets(st.sampled_from(sorted(ChargeComponent)), min_size=1, max_size=3))
        self._review(request_id, lambda facts: partial_approval(facts, quantities, components))

    def _review(self, request_id: int, make_draft: Callable[[ReviewFacts], DecisionDraft]) -> None:
        """Draft with the review API and record it; accepted exactly when ``_should_accept`` says so."""
        now = self.clock.now()
        with self.store.reading() as session:
            facts = load_review_facts(session, request_id)
        draft = make_draft(facts)
        if draft.kind == DecisionKind.APPROVE and not draft.amounts:
            return  # nothing left to refund: the dialog offers no Approve (test_refund_caps_pages.py)
        components = [
            {"order_line_id": line, "component": comp.value, "amount_minor": amount.amount_minor}
            for line, comps in draft.amounts.items()
            for comp, amount in comps.items()
        ]
        expected, why = self._should_accept(request_id, components)
        before = self._mirrored_payments()
        refusal = None
        try:
            with self.store.writing() as session:
                checks = policy_checks(facts, draft, now)
                mutation_id = record_decision(session, draft, user="seller", checks=checks, now=now).id
        except (MutationRefused, DomainError) as exc:
            refusal = str(exc)
        if refusal is not None:
            assert not expected, f"refused {components} on request {request_id}: {refusal}"
            STATS["refused"] += 1
            return
        assert expected, f"accepted {components} on request {request_id}, but {why}"
        self._accepted(mutation_id, before, "accepted_reviewed" if components else "accepted_rejections")

    def _accepted(self, mutation_id: str, payments_before: dict[int, int], what: str) -> None:
        self.recorded_at[mutation_id] = len(self.recorded_at)
        self.seen[mutation_id] = frozenset(payments_before)
        STATS[what] += 1
        self.the_review_screen_shows_these_figures()

    @rule(pick=st.integers(0, 50))
    def undo(self, pick: int) -> None:
        queued = sql(self.store, "SELECT id FROM mutations WHERE status = 'queued' ORDER BY queue_seq")
        if queued:
            with contextlib.suppress(MutationRefused), self.store.writing() as session:
                undo_mutation(session, queued[pick % len(queued)][0], user="seller", device_id=None)
                STATS["undone"] += 1

    # -- sync ---------------------------------------------------------------------------------------------
    @rule()
    def sync(self) -> None:
        """Push every queued act, then pull until drained: nothing local is left pending, and the
        desktop's refunded + approved equals the server's and stays within every charge."""
        summary = self.engine.sync_once(force=True)
        assert summary.ok and summary.pull.drained, summary
        STATS["conflicts"] += summary.push.conflicts
        STATS["acknowledged"] += summary.push.acknowledged
        assert not self.local_pending(), self.local_pending()
        self._mirror_is_the_server()
        self.the_review_screen_shows_these_figures()

    @rule()
    def pull(self) -> None:
        """The server's events arrive while this desktop's acts wait in the outbox."""
        assert self.puller.pull_until_drained().drained
        self._mirror_is_the_server()
        self.the_review_screen_shows_these_figures()

    @rule(pages=st.integers(1, 2))
    def pull_cut_short(self, pages: int) -> None:
        """A pull that stops after a page or two (the app quit): a half-applied server transaction."""
        self.puller.pull_until_drained(max_pages=pages)
        self.the_review_screen_shows_these_figures()

    def _mirror_is_the_server(self) -> None:
        assert {k: v for k, v in self.server_part().items() if v} == {
            k: v for k, v in self.world.server_paid().items() if v
        }

    # -- the server ---------------------------------------------------------------------------------------
    @rule(pick=st.integers(0, 50), data=st.data())
    def another_desktop_decides(self, pick: int, data: st.DataObject) -> None:
        request_id = self.world.request_ids()[pick % len(self.world.request_ids())]
        part = st.fixed_dictionaries({"order_line_id": st.sampled_from(self._order_lines(request_id)),
                                      "component": st.sampled_from(COMPONENTS[:3]),
                                      "amount_minor": st.integers(1, 2500)})  # fmt: skip
        components = data.draw(
            st.lists(part, max_size=3, unique_by=lambda p: (p["order_line_id"], p["component"]))
        )
        if self.world.other_desktop_decides(request_id, components) == 201:
            STATS["other_desktop"] += 1

    @rule(pick=st.integers(0, 50))
    def another_desktop_races(self, pick: int) -> None:
        """SYNC.md fault 5 aimed at the cap: while this desktop's approval of some line and component
        waits in its outbox, another desktop approves all that is left of it on the server, and this
        desktop pulls that before it pushes."""
        local = sorted(self.local_pending())
        if not local:
            return
        line, component = local[pick % len(local)]
        order = next(o for o, lines in LINES.items() if line in lines)
        pending = [r for r in self.world.request_ids()
                   if self.world.state_of(r) == "pending" and self.world.order_of(r) == order]  # fmt: skip
        left = self.world.left(line, component)
        if pending and left > 0:
            amount = [{"order_line_id": line, "component": component, "amount_minor": left}]
            if self.world.other_desktop_decides(pending[pick % len(pending)], amount) == 201:
                STATS["other_desktop"] += 1
            self.pull()

    @rule(pick=st.integers(0, 50), data=st.data())
    def marketplace_refunds(self, pick: int, data: st.DataObject) -> None:
        request_id = self.world.request_ids()[pick % len(self.world.request_ids())]
        part = st.tuples(st.sampled_from(self._order_lines(request_id)), st.sampled_from(COMPONENTS[:3]),
                         st.integers(1, 2500))  # fmt: skip
        if self.world.marketplace_refunds(request_id, data.draw(st.lists(part, max_size=3))):
            STATS["auto_refunded"] += 1

    @rule(salt=st.integers(0, 2))
    def relay(self, salt: int) -> None:
        """One tick of the relay: every approved request is submitted, every submitted one completes or
        (one in three, by id and ``salt``) fails, every failed one goes back to approved for a retry."""
        for request_id in self.world.request_ids():
            state = self.world.state_of(request_id)
            fails = (request_id + salt) % 3 == 0
            outcome = {
                "approved": "submit",
                "submitted": "fail" if fails else "complete",
                "failed": "retry",
            }.get(state)
            if outcome is not None:
                assert self.world.relay_moves(request_id, outcome)
                STATS[outcome] += 1

    @rule(pick=st.integers(0, 50))
    def customer_cancels(self, pick: int) -> None:
        self.world.customer_cancel(self.world.request_ids()[pick % len(self.world.request_ids())])

    @precondition(lambda self: self.world.next_request < 112)
    @rule(order=st.sampled_from(sorted(LINES)))
    def new_request(self, order: int) -> None:
        self.world.new_request(order)

    # -- the caps -----------------------------------------------------------------------------------------
    @invariant()
    def never_more_than_charged(self) -> None:
        charged, server, local = self.charged(), self.server_part(), self.local_pending()
        for (line, comp), paid in self.world.server_paid().items():
            assert paid <= self.world.charged(line, comp), ("the server", line, comp, paid)
        for key, charge in charged.items():
            assert server.get(key, 0) <= charge, ("mirrored", key, server.get(key), charge)
            shown = server.get(key, 0) + sum(a for _m, a in local.get(key, []))
            if shown > charge:  # only by what reached the server from outside after the last approval
                latest = max(local[key], key=lambda entry: self.recorded_at[entry[0]])[0]
                foreign, seen = self.world.foreign_payments, self.seen[latest]
                unseen = sum(amount for payment, amount in self._mirrored_payments(key).items()
                             if payment in foreign and payment not in seen)  # fmt: skip
                assert shown - charge <= unseen, f"{key}: shows {shown} refunded or pending of {charge}"
                STATS["races_shown"] += 1

    def the_review_screen_shows_these_figures(self) -> None:
        """``load_review_facts`` (what the review dialog and the queue show) agrees with the figures the
        caps are checked on: refunded + pending per line and component, and refundable now. Checked
        after each pull and each recorded act (every step would double the run time)."""
        server, local, left = self.server_part(), self.local_pending(), self.refundable()
        first_of_order = dict(
            sql(self.store, "SELECT order_pk, min(id) FROM refund_requests GROUP BY order_pk")
        )
        with self.store.reading() as session:
            for request_id in first_of_order.values():
                for line in load_review_facts(session, int(request_id)).lines:
                    for comp in COMPONENTS:
                        key = (line.order_line_id, comp)
                        parts = (
                            line.refunded.get(ChargeComponent(comp)),
                            line.pending.get(ChargeComponent(comp)),
                        )
                        shown = sum(m.amount_minor for m in parts if m)
                        assert shown == server.get(key, 0) + sum(a for _m, a in local.get(key, [])), key
                        refundable = line.refundable.get(ChargeComponent(comp))
                        assert (refundable.amount_minor if refundable else 0) == max(0, left[key]), key

    def _mirrored_payments(self, key: Key | None = None) -> dict[int, int]:
        where = "" if key is None else " WHERE order_line_id = :l AND component = :c"
        rows = sql(self.store, f"SELECT id, amount_minor FROM refund_payments{where}",
                   **({} if key is None else {"l": key[0], "c": key[1]}))  # fmt: skip
        return {int(r[0]): int(r[1]) for r in rows}

    def teardown(self) -> None:
        """Liveness: the queue drains and the relay finishes what was approved (a failed request is
        retried, and fails again one time in three); the caps hold after each tick and pull."""
        try:
            self.sync()
            for salt in (0, 1, 2):
                self.relay(salt)
                self.pull()
                self.never_more_than_charged()
        finally:
            self.engine.client.close()
            self.store.close()
            shutil.rmtree(self.dir, ignore_errors=True)


RefundCaps.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestRefundCaps = RefundCaps.TestCase


def _by_line(item: dict[str, Any]) -> tuple[int, str]:
    return (int(item["order_line_id"]), str(item["component"]))


def test_the_machine_reached_every_kind_of_event() -> None:
    """Runs after the machine (file order): a property that never met a race or a retry proves little."""
    for what in ("accepted_approvals", "accepted_in_full", "accepted_reviewed", "refused", "acknowledged",
                 "conflicts", "other_desktop", "auto_refunded", "complete", "fail", "retry", "undone",
                 "races_shown"):  # fmt: skip
        assert STATS[what] > 0, (what, str(sorted(STATS.items())))


def teardown_module() -> None:
    shutil.rmtree(TEMPLATE_DIR, ignore_errors=True)
