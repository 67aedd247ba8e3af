"""Two defects the refund-cap properties led to, fixed; these keep them fixed.

1. An approval the backend acknowledged must stay counted while a pull brings its rows page by page.

One server transaction writes the decision row and then its ``refund_payments``; a page boundary can
fall between them (the feed pages by count, not by transaction), and the GUI can record an act between
two pages of the worker's pull. ``local_effects.after_pull`` retires the desktop's local decision row
as soon as the server's decision row arrives — before the payments do — so for the rest of that pull
the approval counts nowhere and "refundable now" offers its money a second time. The backend still
refuses the second approval (409 ``over_refund``: no money moves twice), but the desktop accepted an
approval over the cap it is meant to enforce at the click.

2. An approval of nothing (``partial_approval`` caps at refundable now, so on a line refunded in full
   it drafts no amounts) reaches ``record_decision``, which lets pydantic's ``ValidationError`` out
   instead of refusing it with the store's ``MutationRefused`` naming the request.

The fix for 1: a decision's local row is retired only once the pull is drained, and an approval on
its way counts as the larger of its local amounts and its request's mirrored payments
(``prechecks.promised_beyond_payments``), so it is counted once, before, during and after the pull.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.domain.enums import ChargeComponent
from seller_desk.domain.errors import DomainError
from seller_desk.domain.refund_review import partial_approval
from seller_desk.store.outbox import MutationRefused
from seller_desk.store.refund_review import load_review_facts, record_decision
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.pull import Puller
from seller_desk.sync.push import TokenRefresh
from tests.sync.conftest import fresh_store, make_engine
from tests.sync.fakes import FakeNetwork
from tests.sync.helpers import approval, decide, scalar
from tests.sync.refund_world import RefundWorld


def test_a_pull_split_between_a_decision_and_its_payments_keeps_the_approval_counted(
    tmp_path: Path, template_dir: Path
) -> None:
    clock = FakeClock()
    world = RefundWorld(clock)
    world.seed_shop()
    network = FakeNetwork(world)
    store = fresh_store(tmp_path, base=template_dir)
    engine = make_engine(store, network, clock, page_limit=1)
    puller = Puller(store, engine.client, clock=clock, refresh=TokenRefresh(engine.client, None), limit=1)
    try:
        assert puller.pull_until_drained().drained
        first = decide(store, 100, approval(12, 1500, clock.now()), clock.now())  # all of line 12's principal
        network.inject("forward", "drop_request")  # the push goes through, the pull after it does not
        assert engine.sync_once(force=True).push.acknowledged == 1
        puller.pull_until_drained(max_pages=1)  # the page with the server's decision row, not its payment
        assert scalar(store, "SELECT count(*) FROM decisions WHERE mutation_id = :m AND id > 0", m=first) == 1
        assert scalar(store, "SELECT count(*) FROM refund_payments") == 0
        with pytest.raises((MutationRefused, DomainError)):  # nothing of line 12's principal is left
            decide(store, 101, approval(12, 1500, clock.now()), clock.now())
    finally:
        engine.client.close()
        store.close()


def test_an_approval_of_nothing_is_refused_with_a_clear_error(tmp_path: Path, template_dir: Path) -> None:
    """``partial_approval`` caps at refundable now, so on a line already refunded in full it drafts an
    approval of nothing; recording it must refuse it as the store refuses everything else
    (``MutationRefused`` / ``PolicyViolation``, naming the request), not raise pydantic's error."""
    clock = FakeClock()
    world = RefundWorld(clock)
    world.seed_shop()
    store = fresh_store(tmp_path, base=template_dir)
    engine = make_engine(store, FakeNetwork(world), clock)
    try:
        assert world.other_desktop_decides(100, [{"order_line_id": 12, "component": "principal",
                                                  "amount_minor": 1500}]) == 201  # fmt: skip
        assert engine.sync_once(force=True).pull.drained
        with store.writing() as session:
            facts = load_review_facts(session, 101)
            draft = partial_approval(facts, {12: 1}, {ChargeComponent.PRINCIPAL})
            assert not draft.amounts
            with pytest.raises((MutationRefused, DomainError), match="101"):
                record_decision(session, draft, user="seller", checks=[], now=clock.now())
    finally:
        engine.client.close()
        store.close()
