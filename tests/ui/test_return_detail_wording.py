"""The detail pane's words for stored values, and its sections' HTML for what a seller must not misread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from seller_desk.ui.views.return_detail_wording import (
    eta_text,
    history_label,
    refund_label,
    sync_label,
    tracking_label,
)

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)


def test_eta_says_who_estimated_it() -> None:
    soon = NOW + timedelta(days=2)
    assert eta_text(soon, "carrier", status="in_transit", now=NOW).endswith("— estimated by the carrier")
    assert eta_text(soon, "history", status="in_transit", now=NOW).endswith(
        "— estimated from this carrier's history"
    )
    assert eta_text(soon, None, status="in_transit", now=NOW).endswith("source of the estimate unknown")


def test_a_past_eta_says_how_late_and_a_finished_parcel_has_none() -> None:
    late = eta_text(NOW - timedelta(days=3, hours=1), "carrier", status="in_transit", now=NOW)
    assert late.startswith("Was expected") and "3 days ago" in late
    assert eta_text(None, None, status="in_transit", now=NOW) == "No arrival estimate yet"
    for status in ("delivered", "received", "lost", "expired"):
        assert eta_text(NOW, "carrier", status=status, now=NOW) == ""


def test_known_words_read_as_labels_and_unknown_ones_stay_visible() -> None:
    assert tracking_label("out_for_delivery") == "Out for delivery"
    assert tracking_label("held_at_customs") == "Held at customs"
    assert refund_label("auto_refunded") == "Refunded by the marketplace"
    assert sync_label("queued") == "waiting to sync" and sync_label(None) == "synced"
    assert sync_label("conflict").startswith("conflict")
    assert history_label("return_received.queued") == "Receipt recorded"
    assert history_label("inspection_recorded.undone") == "Inspection undone"
    assert history_label("sync.run") == "Sync run"
