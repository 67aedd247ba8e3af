"""The raw words the demo writes (reason codes, carrier events) mean what the domain says they mean."""

from __future__ import annotations

import re
import sqlite3

import pytest

from seller_desk.demo import reasons, tracking
from seller_desk.domain.enums import CanonicalReason, TrackingStatus

_FBA_CODE = re.compile(r"^[A-Z]+(_[A-Z]+)*$")
_SOURCES = {"aftership": "aftership", "shipping_v2": "shipping_v2", "milestone": "tracking_milestone"}


def test_every_canonical_reason_has_raw_codes_and_unknown_codes_are_not_among_them() -> None:
    assert set(reasons.RAW_CODES) == set(CanonicalReason)
    assert all(reasons.RAW_CODES[r] for r in CanonicalReason)
    known = {code for code, _ in reasons.known_codes()}
    assert not known & set(reasons.UNKNOWN_CODES)
    for code in known:
        assert code.startswith(("CR-", "AMZ-PG-")) or _FBA_CODE.match(code), code


def test_raw_codes_fit_the_channel(db: sqlite3.Connection) -> None:
    mfn_shaped = "(reason_raw LIKE 'CR-%' OR reason_raw LIKE 'AMZ-PG-%')"
    assert (
        db.execute(f"SELECT count(*) FROM returns WHERE channel = 'FBA' AND {mfn_shaped}").fetchone()[0] == 0
    )
    assert (
        db.execute(f"SELECT count(*) FROM returns WHERE channel = 'MFN' AND NOT {mfn_shaped}").fetchone()[0]
        == 0
    )


def test_stored_reason_agrees_with_the_code_table(db: sqlite3.Connection) -> None:
    table = dict(reasons.known_codes())
    for raw, reason, _count in db.execute("SELECT reason_raw, reason, count(*) FROM returns GROUP BY 1, 2"):
        if raw in reasons.UNKNOWN_CODES:
            assert reason is None, raw
        else:
            assert reason == table[raw].value, raw
    unknown, total = db.execute("SELECT sum(reason IS NULL), count(*) FROM returns").fetchone()
    assert 0.001 <= unknown / total <= 0.006


def test_tracking_rows_use_the_vocabulary_table(db: sqlite3.Connection) -> None:
    pairs = {(raw, status) for v in tracking._EVENTS.values() for raw, status, _ in v.values()}
    stored = set(db.execute("SELECT DISTINCT raw_code, status FROM tracking_events"))
    assert stored <= {(raw, status.value) for raw, status in pairs}
    assert {s for _, s in stored} >= {
        "info_received",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "exception",
    }
    assert {s.value for s in TrackingStatus} >= {s for _, s in stored}


def test_reason_codes_map_as_the_domain_maps_them() -> None:
    domain = pytest.importorskip("seller_desk.domain.reasons")
    for code, reason in reasons.known_codes():
        mapped = domain.map_reason(code)
        assert mapped.known, code
        assert mapped.canonical == reason, code
    for code in reasons.UNKNOWN_CODES:
        assert not domain.map_reason(code).known, code


def test_tracking_codes_normalize_as_the_domain_normalizes_them() -> None:
    domain = pytest.importorskip("seller_desk.domain.tracking")
    for vocabulary, events in tracking._EVENTS.items():
        for raw, status, _ in events.values():
            assert domain.normalize_tracking_code(raw, _SOURCES[vocabulary]) == status, raw
