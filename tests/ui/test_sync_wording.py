"""How sync facts read: money with its currency, targets, conflict reasons, snapshots and ages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from seller_desk.ui.sync import wording as w


def test_an_approval_reads_as_its_total_in_its_currency() -> None:
    payload = {"decision": "approve", "currency": "GBP",
               "components": [{"amount_minor": 1999}, {"amount_minor": 500}]}  # fmt: skip
    assert w.act_summary("refund_decision", payload) == "Approve £24.99"
    assert w.act_summary("refund_decision", {"decision": "reject", "reason": "late"}) == "Reject — late"


def test_a_long_note_is_cut_with_an_ellipsis() -> None:
    text = w.act_summary("note", {"text": "word " * 40})
    assert text.startswith("“word word") and text.endswith("…”") and len(text) <= w.NOTE_CHARS + 3


def test_targets_reasons_and_events_in_plain_words() -> None:
    assert w.target_label("refund_request:12") == "Refund request 12"
    assert w.reason_label("auto_refunded") == "The marketplace refunded it already"
    assert w.reason_label("brand_new_reason") == "Brand new reason"
    assert w.event_label("note.rejected") == ("Note", "Rejected by the backend")


def test_a_snapshot_summary_formats_money_and_version() -> None:
    snap = {
        "id": 3,
        "state": "auto_refunded",
        "currency": "USD",
        "requested_minor": 123456,
        "server_version": 7,
    }
    assert w.snapshot_summary(snap) == "now auto refunded, requested $1,234.56, version 7"
    assert w.snapshot_summary(None) == "No server copy was sent"


def test_ages_read_like_a_person_says_them() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    at = now.timestamp()
    assert w.age(None) == "never"
    assert w.age(now - timedelta(seconds=20), at) == "just now"
    assert w.age(now - timedelta(minutes=2, seconds=5), at) == "2 min ago"
    assert w.age(now - timedelta(hours=3), at) == "3 h ago"
    assert w.age(now - timedelta(days=1, hours=1), at) == "1 day ago"


def test_a_sync_round_reads_as_what_it_moved() -> None:
    assert w.run_summary({"pulled": 1234, "sent": 0}) == "Pulled 1,234 changes"
    assert w.run_summary({"pulled": 0, "sent": 3, "acknowledged": 2, "conflicts": 1}) == (
        "Sent 3 (2 accepted, 1 in conflict)"
    )
    assert (
        w.run_summary({"pulled": 1, "sent": 1, "acknowledged": 1}) == "Pulled 1 change · sent 1 (1 accepted)"
    )
