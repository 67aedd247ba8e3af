"""SYNC.md faults 7 and 8 as a seeded hypothesis state machine over the in-process relay.

Approvals arrive over the real API; the marketplace (its real file) fails, loses answers and times
out at random while faults are on; the relay is killed at its named points and a new one resumes;
the marketplace ends some requests itself (cancellation, A-to-z claim). After every step: no ledger
entry has more than one refund upstream, a cancelled one has none, an executed one exactly one, and
upstream holds no refund the ledger does not know. Liveness at the end: once faults stop, a few relay
rounds execute or cancel every entry, each executed entry with exactly one upstream refund.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from seller_desk.backend.errors import IngestError
from seller_desk.backend.ingest import set_refund_state
from seller_desk.backend.relay import RelaySettings
from seller_desk.backend.upstream import FaultPlan
from seller_desk.domain.enums import RefundState
from seller_desk.domain.errors import DomainError
from tests.backend.relay_support import Crash, approve, ledger, marketplace, relay_for
from tests.backend.shop import Shop

PATIENT = RelaySettings(max_attempts=1000, backoff_base_s=0.0, backoff_cap_s=0.0, poll_interval_s=0.0)
KILL_POINTS = ("after_claim", "after_submit")
MAX_APPROVALS = 4


def test_the_relay_executes_each_approval_once_through_random_faults(shop: Shop, tmp_path: Path) -> None:
    class RelayFaults(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.folder = tmp_path / uuid.uuid4().hex
            self.folder.mkdir()
            self.first_entry = max((e["id"] for e in ledger(shop.db, shop.seller_id)), default=0)
            self.requests: list[int] = []
            self.fault_seed = 0

        # --- what happens ---------------------------------------------------------------------------
        @precondition(lambda self: len(self.requests) < MAX_APPROVALS)
        @rule()
        def a_desktop_approves(self) -> None:
            self.requests.append(approve(shop, amount=1000))

        @precondition(lambda self: bool(self.requests))
        @rule(data=st.data(), ending=st.sampled_from(["cancelled", "claim"]))
        def the_marketplace_ends_a_request(self, data: st.DataObject, ending: str) -> None:
            request_id = data.draw(st.sampled_from(self.requests))
            try:
                with shop.writer() as writer:
                    if ending == "claim":
                        set_refund_state(writer, request_id, a_to_z_claim=True)
                    else:
                        set_refund_state(writer, request_id, RefundState.CANCELLED)
            except (IngestError, DomainError):
                pass  # already paid or ended: upstream refuses, as the simulator's apply_event does

        @rule(faulty=st.booleans())
        def the_relay_runs(self, faulty: bool) -> None:
            relay_for(shop, self._upstream(faulty), settings=PATIENT).run_once()

        @rule(point=st.sampled_from(KILL_POINTS), faulty=st.booleans())
        def the_backend_dies_mid_attempt(self, point: str, faulty: bool) -> None:
            def die(at: str, _entry: int) -> None:
                if at == point:
                    raise Crash(at)

            with contextlib.suppress(Crash):  # SIGKILL: the next relay is a new process with no memory
                relay_for(shop, self._upstream(faulty), settings=PATIENT, pause=die).run_once()

        def _upstream(self, faulty: bool) -> Any:
            self.fault_seed += 1
            plan = (
                FaultPlan(fail=0.3, lost=0.3, timeout=0.2, report_fail=0.2, seed=self.fault_seed)
                if faulty else None
            )  # fmt: skip
            return marketplace(self.folder, plan)

        # --- what must hold --------------------------------------------------------------------------
        def _entries(self) -> list[dict[str, Any]]:
            return [e for e in ledger(shop.db, shop.seller_id) if e["id"] > self.first_entry]

        def _upstream_refs(self) -> list[str]:
            return [
                r.upstream_ref for r in marketplace(self.folder).all_refunds() if r.seller == shop.seller_name
            ]

        @invariant()
        def nothing_is_refunded_twice_or_without_a_ledger_entry(self) -> None:
            refs = self._upstream_refs()
            entries = self._entries()
            assert len(refs) == len(set(refs)), f"a refund executed twice upstream: {sorted(refs)}"
            assert set(refs) <= {e["upstream_ref"] for e in entries}
            for entry in entries:
                count = refs.count(entry["upstream_ref"])
                if entry["state"] == "executed":
                    assert count == 1, entry
                if entry["state"] == "cancelled":
                    assert count == 0, entry

        def teardown(self) -> None:
            relay = relay_for(shop, marketplace(self.folder), settings=PATIENT)
            for _ in range(10):
                if all(e["state"] in ("executed", "cancelled") for e in self._entries()):
                    break
                relay.run_once()
            entries = self._entries()
            assert all(e["state"] in ("executed", "cancelled") for e in entries), entries
            refs = self._upstream_refs()
            assert sorted(refs) == sorted(e["upstream_ref"] for e in entries if e["state"] == "executed")

    run_state_machine_as_test(
        RelayFaults,
        settings=settings(
            max_examples=15, stateful_step_count=12, deadline=None, derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )  # fmt: skip
