"""A deterministic simulation of two desktops, one backend and a hostile network (SYNC.md "Faults").

A hypothesis state machine interleaves the seller's acts on two desktops (some on the same refund
request from both), sync steps, crashes (the engine dropped at a named point inside push or pull and
restarted on the same SQLite file), network faults, marketplace events and server-side expiries, on a
fake clock. After every step it checks the exactly-once promise:

- the server applied no mutation twice and approved no refund request twice; upstream executed each
  request at most once; refunded ≤ charged on every order line and component;
- a desktop never believes a mutation applied that the server did not apply, never shows as failed
  (conflict, rejected) one the server applied, and never loses one the server applied: it is still
  there, acknowledged/settled or still waiting for its answer;
- an acknowledged mutation stays acknowledged (or settled) forever.
Liveness, at the end of every run: once faults stop and a few sync rounds pass, every outbox is empty
of queued and sending rows, local optimistic rows are gone, and each desktop's mirrors show the server's
refund request states and every acknowledged decision.

Fault cases (SYNC.md numbering) exercised here: 1 (crash after the local commit / after claiming,
before the POST), 2 (server commits, response lost), 3 (slow server: timeout, then 409 in_progress,
then replay), 4 (duplicated and reordered POSTs), 5 (two desktops decide the same request), 6 (customer
cancel, auto-refund, A-to-z claim while a decision waits), 9 (crash between applying a page and saving
the cursor), 10 (expired cursor: rebuild), 11 (idempotency keys pruned, then replays), 12 (a refused
mutation among others), 13 (the GUI holds the write lock past the busy timeout while the worker
syncs: the round ends with "database is locked", nothing raises, both sides' commits survive), 14 (a
crash right after an act is recorded), 15 (token expires mid-queue).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import Engine, event

from seller_desk.domain.errors import DomainError
from seller_desk.store import push_queue
from seller_desk.store.meta import device_id
from seller_desk.store.migrate import open_store
from seller_desk.store.outbox import MutationRefused, record_mutation, undo_mutation
from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine
from tests.sync.conftest import fresh_store, make_engine
from tests.sync.fakes import FakeBackend, FakeNetwork
from tests.sync.helpers import approval, decide, record, rejection, scalar, sql, statuses

SHM = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
TEMPLATE_DIR = Path(tempfile.mkdtemp(prefix="sync-sim-template-", dir=SHM))
REQUESTS = (100, 101, 200, 300, 400)
KILL_POINTS = ("push.claimed", "push.sent", "push.answered", "pull.applied", "pull.committed")
LOCK_POINTS = ("push.claimed", "push.sent", "pull.committed")  # between the engine's transactions
SIM_BUSY_TIMEOUT_MS = 20  # the app waits 10 s; here the GUI's lock outlasts a short wait at once
DONE = ("acknowledged", "settled")
FAILED = ("conflict", "rejected")
PUSH_PATHS: Counter[str] = Counter()  # requests of each push path over every run of the machine


class SimulatedCrash(BaseException):
    """kill -9 at a named point: no ``except Exception`` sees it; open transactions roll back."""


class Desk:
    """One desktop: its SQLite file survives crashes; its engine and client do not."""

    def __init__(self, name: str, directory: Path, network: FakeNetwork, clock: FakeClock) -> None:
        self.name, self.network, self.clock = name, network, clock
        self.armed: str | None = None
        self.busy_at: str | None = None
        self.crashes = 0
        self.locked_rounds = 0
        self.gui_acts: list[str] = []
        self._gui_txn: contextlib.ExitStack | None = None
        self.store: Store = fresh_store(directory, f"{name}.sqlite3", base=TEMPLATE_DIR)
        self.path = self.store.path
        _short_busy_timeout(self.store.engine)
        self.gui = open_store(self.path)  # the GUI's own connections to the same file
        self.engine = self._engine()

    def _kill(self, point: str) -> None:
        if self.armed == point:
            self.armed = None
            raise SimulatedCrash(point)
        if self.busy_at == point:
            self.busy_at = None
            self._gui_takes_the_write_lock()

    def _gui_takes_the_write_lock(self) -> None:
        """Fault 13: the GUI opens its write transaction (an act recorded, not yet committed) between
        two of the engine's transactions; the engine's next write waits out its busy timeout."""
        self._gui_txn = contextlib.ExitStack()
        session = self._gui_txn.enter_context(self.gui.writing())
        act = record_mutation(session, "note", "order:2", {"text": "from the bench"}, None, "seller",
                              device_id(session), now=self.clock.now())  # fmt: skip
        session.flush()
        self.gui_acts.append(act.id)

    def _gui_dies_with_the_process(self, crash: SimulatedCrash) -> None:
        """kill -9 takes the GUI's open transaction with it: its act was never committed (the seller
        never saw it recorded), so it rolls back and is not expected to survive."""
        if self._gui_txn is not None:
            self._gui_txn.__exit__(type(crash), crash, None)
            self._gui_txn = None
            self.gui_acts.pop()

    def _gui_commits(self) -> None:
        if self._gui_txn is not None:
            self._gui_txn.close()
            self._gui_txn = None

    def _engine(self) -> SyncEngine:
        return make_engine(
            self.store, self.network, self.clock, page_limit=6, kill=self._kill, seed=len(self.name)
        )

    def restart(self) -> None:
        self.crashes += 1
        self.engine.client.close()
        self.store.close()
        self.store = open_store(self.path)
        _short_busy_timeout(self.store.engine)
        self.engine = self._engine()

    def sync(self, *, force: bool = False) -> None:
        """One round of the worker's loop (``run_round``: an error ends the round, never the worker)."""
        try:
            summary = self.engine.run_round(force=force)
            if summary is None:
                assert self._gui_txn is not None, self.engine.status().last_error  # only a lock fails it
                assert "locked" in str(self.engine.status().last_error)
                self.locked_rounds += 1
        except SimulatedCrash as crash:
            self._gui_dies_with_the_process(crash)
            self.restart()
        finally:
            self._gui_commits()

    def close(self) -> None:
        self._gui_commits()
        self.engine.client.close()
        self.store.close()
        self.gui.close()


def _short_busy_timeout(engine: Engine) -> None:
    """Every connection the engine hands out waits ``SIM_BUSY_TIMEOUT_MS`` for a lock, not 10 s."""

    @event.listens_for(engine, "checkout")
    def _short(dbapi_connection: object, _record: object, _proxy: object) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SIM_BUSY_TIMEOUT_MS}")  # type: ignore[attr-defined]


class SyncSimulation(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="sync-sim-", dir=SHM))
        self.clock = FakeClock()
        self.backend = FakeBackend(self.clock)
        self.backend.seed()
        self.network = FakeNetwork(self.backend)
        self.desks = [Desk(name, self.dir, self.network, self.clock) for name in ("a", "b")]
        for desk in self.desks:
            desk.sync()
        self.origin: dict[str, Desk] = {}
        self.acknowledged: dict[str, set[str]] = {desk.name: set() for desk in self.desks}

    # -- the seller ------------------------------------------------------------------------------------
    def _decide(self, desk: Desk, request_id: int, approve: bool, amount: int) -> None:
        line = request_id // 100 * 10 + 1
        payload = approval(line, amount, self.clock.now()) if approve else rejection(self.clock.now())
        with contextlib.suppress(MutationRefused, DomainError):  # refused locally: nothing was written
            self.origin[decide(desk.store, request_id, payload, self.clock.now())] = desk

    @rule(d=st.integers(0, 1), request_id=st.sampled_from(REQUESTS), approve=st.booleans(),
          amount=st.sampled_from([100, 600, 1000]))  # fmt: skip
    def decide(self, d: int, request_id: int, approve: bool, amount: int) -> None:
        self._decide(self.desks[d], request_id, approve, amount)

    @rule(request_id=st.sampled_from(REQUESTS), amount=st.sampled_from([100, 600]))
    def both_desks_approve(self, request_id: int, amount: int) -> None:
        """Fault 5: two desktops approve the same request while apart."""
        for desk in self.desks:
            self._decide(desk, request_id, True, amount)

    @rule(d=st.integers(0, 1), return_id=st.integers(1, 4))
    def receive(self, d: int, return_id: int) -> None:
        desk, payload = self.desks[d], {"received_at": self.clock.now().isoformat()}
        with contextlib.suppress(MutationRefused):
            mutation_id = record(
                desk.store, "return_received", f"return:{return_id}", payload, self.clock.now()
            )
            self.origin[mutation_id] = desk

    @rule(
        d=st.integers(0, 1),
        about=st.sampled_from(["order:1", "return:2", "refund_request:300"]),
        text=st.sampled_from(["checked", "poison"]),
    )
    def note(self, d: int, about: str, text: str) -> None:
        """A note; "poison" is refused by the backend with 400 every time (fault 12)."""
        desk = self.desks[d]
        self.origin[record(desk.store, "note", about, {"text": text}, self.clock.now())] = desk

    @rule(d=st.integers(0, 1), pick=st.integers(0, 7))
    def undo(self, d: int, pick: int) -> None:
        """Undo one queued act: allowed only while it never left the desktop."""
        desk = self.desks[d]
        queued = sql(desk.store, "SELECT id FROM mutations WHERE status = 'queued' ORDER BY created_at, id")
        if queued:
            mutation_id = queued[pick % len(queued)][0]
            with contextlib.suppress(MutationRefused), desk.store.writing() as session:
                undo_mutation(session, mutation_id, user="seller", device_id=None)
                del self.origin[mutation_id]

    # -- sync, crashes, the network -------------------------------------------------------------------
    @rule(d=st.integers(0, 1), wait=st.sampled_from([0, 2, 30, 400]), force=st.booleans(),
          faults=st.lists(st.sampled_from(FakeNetwork.FAULTS), max_size=2))  # fmt: skip
    def sync(self, d: int, wait: int, force: bool, faults: list[str]) -> None:
        """Faults 2 (drop_response), 3 (slow), 4 (duplicate, stale, hold), drops, 5xx and 429 hit the
        next requests of this sync."""
        self.clock.advance(wait)
        self.network.inject(*faults)
        self.desks[d].sync(force=force)
        self.network.faults.clear()

    @rule(
        d=st.integers(0, 1),
        lost=st.lists(st.sampled_from(["drop_response", "slow", "hold"]), min_size=1, max_size=3),
    )
    def sync_losing_answers(self, d: int, lost: list[str]) -> None:
        """Faults 2, 3 and 4 at their worst: the server acts, the desktop never hears of it."""
        self.network.inject(*lost)
        self.desks[d].sync(force=True)
        self.network.faults.clear()

    @rule(d=st.integers(0, 1), point=st.sampled_from(KILL_POINTS))
    def arm_crash(self, d: int, point: str) -> None:
        """Faults 1 and 9: the next sync of this desk is killed at ``point``."""
        self.desks[d].armed = point

    @rule(d=st.integers(0, 1), point=st.sampled_from(LOCK_POINTS))
    def gui_writes_during_sync(self, d: int, point: str) -> None:
        """Fault 13: during the next sync of this desk the GUI holds the write lock at ``point`` (its act
        commits when the round ends). The round may end early; nothing raises; no commit is lost."""
        desk = self.desks[d]
        desk.busy_at = point
        before = len(desk.gui_acts)
        desk.sync(force=True)
        desk.busy_at = None
        for mutation_id in desk.gui_acts[before:]:
            assert statuses(desk.store).get(mutation_id) == "queued", "the GUI's act was lost"
            self.origin[mutation_id] = desk

    @rule(d=st.integers(0, 1))
    def crash_now(self, d: int) -> None:
        """Fault 14 (in-process): killed right after the last act was committed."""
        self.desks[d].restart()

    @rule(down=st.booleans())
    def network_down(self, down: bool) -> None:
        self.network.down = down

    # -- the server ------------------------------------------------------------------------------------
    @rule(request_id=st.sampled_from(REQUESTS), event=st.sampled_from(["cancel", "auto_refund", "claim"]))
    def marketplace(self, request_id: int, event: str) -> None:
        """Fault 6: the customer cancels, the marketplace refunds by itself, an A-to-z claim opens."""
        {"cancel": self.backend.customer_cancel, "auto_refund": self.backend.auto_refund,
         "claim": self.backend.open_claim}[event](request_id)  # fmt: skip

    @rule(event=st.sampled_from(["relay", "slow_work_finishes", "late_copies_arrive", "token_expires",
                                 "cursor_expires", "keys_pruned", "batch_endpoint_toggles"]))  # fmt: skip
    def server(self, event: str) -> None:
        """The relay executes approvals; late network copies arrive (fault 4); the token expires (fault
        15); every cursor expires (fault 10); idempotency keys are pruned (fault 11); the backend is
        swapped for one without (or again with) the batch endpoint: desks fall back to single POSTs."""
        {"relay": self.backend.relay_tick, "slow_work_finishes": self.backend.finish_slow,
         "late_copies_arrive": self.network.deliver_later, "token_expires": self.backend.rotate_token,
         "cursor_expires": self.backend.compact, "keys_pruned": self.backend.prune_keys,
         "batch_endpoint_toggles": self._toggle_batch_endpoint}[event]()  # fmt: skip

    def _toggle_batch_endpoint(self) -> None:
        self.backend.batch_endpoint = not self.backend.batch_endpoint

    # -- invariants ------------------------------------------------------------------------------------
    @invariant()
    def server_applies_each_act_once_and_refunds_within_charges(self) -> None:
        backend = self.backend
        assert all(n == 1 for n in backend.applications.values()), backend.applications
        assert all(n <= 1 for n in backend.approvals.values()), backend.approvals
        approvals = Counter(d["refund_request_id"] for d in backend.rows.get("decisions", {}).values()
                            if d["kind"] == "approve")  # fmt: skip
        assert all(n <= 1 for n in approvals.values()), approvals
        upstream = Counter(request_id for request_id, _m, _a in backend.upstream)
        assert all(n <= 1 for n in upstream.values()), backend.upstream
        for line_id in backend.rows["order_lines"]:
            for component in ("principal", "shipping", "tax"):
                assert backend.paid(line_id, component) <= backend.charged(line_id, component)

    @invariant()
    def desks_agree_with_the_server(self) -> None:
        for desk in self.desks:
            seen = statuses(desk.store)
            for mutation_id, status in seen.items():
                if status in DONE:
                    assert mutation_id in self.backend.applied, f"{desk.name} thinks {mutation_id} applied"
                    self.acknowledged[desk.name].add(mutation_id)
                if status in FAILED:
                    assert mutation_id not in self.backend.applied, (
                        f"{mutation_id} applied yet shown {status}"
                    )
            for mutation_id in self.acknowledged[desk.name]:
                assert seen.get(mutation_id) in DONE, f"{desk.name} lost acknowledged {mutation_id}"
        for mutation_id in self.backend.applied:
            desk = self.origin.get(mutation_id)
            assert desk is not None, f"the server applied {mutation_id}, which its desktop undid"
            assert statuses(desk.store).get(mutation_id) in (*DONE, "queued", "sending"), mutation_id

    # -- liveness --------------------------------------------------------------------------------------
    def teardown(self) -> None:
        try:
            self._drain_and_check()
            PUSH_PATHS["batch"] += self.backend.batches
            PUSH_PATHS["single"] += self.backend.requests.count(("POST", "/v1/mutations"))
        finally:
            for desk in self.desks:
                desk.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _drain_and_check(self) -> None:
        self.network.clear()
        self.backend.finish_slow()
        self.network.deliver_later()
        for desk in self.desks:
            desk.armed = None
        for _ in range(4):
            self.clock.advance(900)
            for desk in self.desks:
                desk.sync()
        self.desks_agree_with_the_server()
        for desk in self.desks:
            with desk.store.reading() as session:
                counts = push_queue.counts(session)
            assert counts["queued"] == 0 and counts["sending"] == 0, (desk.name, counts)
            states = dict(sql(desk.store, "SELECT id, state FROM refund_requests"))
            assert states == {r: self.backend.state_of(r) for r in self.backend.request_ids()}, desk.name
            for table in ("decisions", "inspections", "notes"):
                assert scalar(desk.store, f"SELECT count(*) FROM {table} WHERE id < 0") == 0, (
                    desk.name,
                    table,
                )
            assert scalar(desk.store, "SELECT count(*) FROM mutations WHERE local_effect IS NOT NULL AND "
                                      "status IN ('acknowledged', 'settled')") == 0  # fmt: skip
            unsettled = (
                "SELECT count(*) FROM mutations WHERE status = 'acknowledged' AND kind != 'refund_decision'"
            )
            assert scalar(desk.store, unsettled) == 0, desk.name
            for mutation_id, status in statuses(desk.store).items():
                kind = scalar(desk.store, "SELECT kind FROM mutations WHERE id = :m", m=mutation_id)
                if status in DONE and kind == "refund_decision":
                    shown = scalar(
                        desk.store, "SELECT count(*) FROM decisions WHERE mutation_id = :m", m=mutation_id
                    )
                    assert shown == 1, f"{desk.name}: acknowledged decision {mutation_id} not shown"


@pytest.mark.parametrize("point", LOCK_POINTS)
def test_the_gui_holding_the_write_lock_ends_a_round_without_losing_a_commit(point: str) -> None:
    """Fault 13 on purpose at each point the machine may draw: the round ends with "database is locked"
    (not an exception out of the worker), then the queue drains with every act applied exactly once."""
    machine = SyncSimulation()
    try:
        desk = machine.desks[0]
        machine.decide(0, 100, True, 600)
        machine.note(0, "order:1", "checked")
        machine.gui_writes_during_sync(0, point)
        assert desk.locked_rounds == 1 and len(desk.gui_acts) == 1
        machine.desks_agree_with_the_server()
    finally:
        machine.teardown()  # drains, then checks liveness and agreement
    assert all(machine.backend.applications[m] == 1 for m in machine.origin), machine.backend.applications
    assert set(machine.origin) <= set(machine.backend.applied)


SyncSimulation.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=35,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSyncSimulation = SyncSimulation.TestCase


def test_the_simulation_exercised_the_batch_and_the_single_push_paths() -> None:
    """Runs after the machine (file order): both the batch endpoint and the fallback carried pushes."""
    assert PUSH_PATHS["batch"] > 0 and PUSH_PATHS["single"] > 0, PUSH_PATHS


def teardown_module() -> None:
    shutil.rmtree(TEMPLATE_DIR, ignore_errors=True)
