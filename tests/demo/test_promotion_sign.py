"""Promotions are magnitudes in the seeded store, so an approval in full takes the discount back; a store
seeded before migration 0013 (negative promotions) comes out of the upgrade identical to a fresh seed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import text

from seller_desk.domain.enums import ChargeComponent
from seller_desk.domain.refund_review import asked_total, full_approval, preview
from seller_desk.store.migrate import open_store
from seller_desk.store.refund_facts import load_many_review_facts

from .support import dump

PENDING_WITH_PROMOTION = """
SELECT r.id, r.requested_minor FROM refund_requests r WHERE r.state = 'pending' AND EXISTS (
  SELECT 1 FROM refund_request_lines l WHERE l.refund_request_id = r.id AND l.component = 'promotion')
AND NOT EXISTS (SELECT 1 FROM refund_payments p JOIN order_lines ol ON ol.id = p.order_line_id
                WHERE ol.order_pk = r.order_pk)"""


def test_full_approval_takes_the_promotion_back(big: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "copy.sqlite3"
    shutil.copy(big[0], path)
    store = open_store(path)
    try:
        with store.reading() as session:
            asked = dict(session.execute(text(PENDING_WITH_PROMOTION)).all())
            facts = load_many_review_facts(session, list(asked))
    finally:
        store.close()
    assert len(asked) >= 5, "the 20,000-return seed should hold pending requests with a promotion"
    for request_id, requested_minor in asked.items():
        draft = full_approval(facts[request_id])
        promotion = [
            m for comps in draft.amounts.values() for c, m in comps.items() if c is ChargeComponent.PROMOTION
        ]
        assert promotion and all(m.is_positive for m in promotion), request_id
        assert asked_total(facts[request_id]).amount_minor == requested_minor, request_id
        adjustment = preview(facts[request_id], draft)
        assert adjustment is not None and adjustment.net.amount_minor == requested_minor, request_id


def test_migration_0013_turns_old_negative_promotions_into_magnitudes(
    big: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(big[0], path)
    fresh = dump(path)
    con = sqlite3.connect(path)
    try:  # how a store seeded before 0013 looked: the same history with negative promotions
        con.execute("UPDATE order_lines SET promotion_minor = -promotion_minor")
        for table in ("refund_request_lines", "refund_payments"):
            con.execute(f"UPDATE {table} SET amount_minor = -amount_minor WHERE component = 'promotion'")
        con.execute("UPDATE alembic_version SET version_num = '0012'")
        con.commit()
        assert con.execute("SELECT count(*) FROM order_lines WHERE promotion_minor < 0").fetchone()[0] > 0
    finally:
        con.close()
    assert dump(path) != fresh
    open_store(path).close()
    assert dump(path) == fresh
