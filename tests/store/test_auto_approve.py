"""Auto-approve rules in the store: kept, replayed over history with known answers, applied once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from seller_desk.domain.auto_approve import AutoApproveRule
from seller_desk.domain.enums import RefundSource
from seller_desk.domain.money import Money
from seller_desk.paths import DB_FILENAME
from seller_desk.store.auto_approve import apply_rules, delete_rule, list_rules, replay, save_rule
from seller_desk.store.migrate import open_store
from seller_desk.store.models import Decision
from seller_desk.store.uow import Store
from tests.fixtures.refund_review_data import NOW, REQ_DONE, REQ_FULL, REQ_SAME_ORDER, add_review_requests

ANY_USD = AutoApproveRule("Any USD", Money(10_000, "USD"), require_received=False, in_policy_only=False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / DB_FILENAME)
    add_review_requests(opened)
    yield opened
    opened.close()


def test_rules_are_kept_updated_and_deleted(store: Store) -> None:
    with store.writing() as s:
        saved = save_rule(s, ANY_USD, now=NOW)
        save_rule(
            s, AutoApproveRule("EUR", Money(500, "EUR"), sources=frozenset({RefundSource.RETURN})), now=NOW
        )
    with store.writing() as s:
        save_rule(s, AutoApproveRule("Any USD", Money(2_000, "USD"), enabled=True, id=saved.id), now=NOW)
        rules = {r.name: r for r in list_rules(s)}
    assert rules["Any USD"].max_amount == Money(2_000, "USD") and rules["Any USD"].enabled
    assert rules["EUR"].sources == frozenset({RefundSource.RETURN}) and not rules["EUR"].enabled
    with store.writing() as s:
        delete_rule(s, saved.id or 0)
        assert [r.name for r in list_rules(s)] == ["EUR"]


def test_replay_counts_what_it_would_have_approved_against_what_happened(store: Store) -> None:
    with store.reading() as s:
        result = replay(s, ANY_USD, 6, now=NOW)
        narrow = replay(s, AutoApproveRule("Small", Money(2_500, "USD")), 6, now=NOW)
        old = replay(s, ANY_USD, 1, now=NOW + timedelta(days=60))
    assert (result.looked_at, result.count, result.money) == (4, 3, Money(8_200 + 2_500 + 160, "USD"))
    assert result.by_outcome == {
        "still pending": (2, Money(10_700, "USD")),
        "approved": (1, Money(160, "USD")),
    }
    assert result.why_not == {"an A-to-z claim is open": 1}  # REQ_EUR
    assert narrow.count == 0 and narrow.why_not["no return to receive"] == 2  # REQ_SAME_ORDER, REQ_DONE
    assert old.looked_at == 0


def test_apply_approves_the_matching_pending_requests_once(store: Store) -> None:
    small = AutoApproveRule(
        "Small", Money(3_000, "USD"), require_received=False, in_policy_only=False, enabled=True
    )
    with store.writing() as s:
        save_rule(s, small, now=NOW)
        save_rule(s, AutoApproveRule("Claims too?", Money(5_000, "EUR"), require_received=False,
                                     in_policy_only=False, enabled=True), now=NOW)  # fmt: skip
        assert apply_rules(s, now=NOW) == {"Small": 1}
    with store.writing() as s:
        assert apply_rules(s, now=NOW) == {}  # nothing new: REQ_SAME_ORDER is decided, REQ_EUR is A-to-z
    with store.reading() as s:
        decided = s.execute(select(Decision.refund_request_id, Decision.decided_by)).all()
    assert decided == [(REQ_SAME_ORDER, "auto-approve: Small")]
    assert REQ_FULL not in {r for r, _ in decided} and REQ_DONE not in {r for r, _ in decided}
