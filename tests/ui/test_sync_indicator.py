"""The status-bar indicator's words for each state the sync worker reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from seller_desk.sync.pull import PullProgress
from seller_desk.ui.sync.indicator import SyncIndicator
from seller_desk.workers.sync_worker import SyncMode, SyncSnapshot

URL = "http://127.0.0.1:8765"


def shown(qtbot: QtBot, state: SyncSnapshot) -> SyncIndicator:
    indicator = SyncIndicator()
    qtbot.addWidget(indicator)
    indicator.show_state(state)
    return indicator


def test_a_long_pull_shows_its_progress_instead_of_the_age(qtbot: QtBot) -> None:
    state = SyncSnapshot(SyncMode.ONLINE, URL, pending=2, pulling=PullProgress(4, 4_000, True), syncing=True)
    assert shown(qtbot, state).text() == "● Online  ·  fetching 4,000 changes…  ·  2 pending"


def test_an_error_is_flagged_and_its_text_is_in_the_tooltip(qtbot: QtBot) -> None:
    last = datetime.now(UTC) - timedelta(minutes=5)
    state = SyncSnapshot(SyncMode.OFFLINE, URL, last_sync_at=last, last_error="connection refused")
    indicator = shown(qtbot, state)
    assert indicator.text() == "● Offline  ·  synced 5 min ago  ·  ⚠ error"
    assert "Last error: connection refused" in indicator.toolTip() and URL in indicator.toolTip()


def test_a_refused_token_and_local_only_read_plainly(qtbot: QtBot) -> None:
    refused = shown(
        qtbot, SyncSnapshot(SyncMode.UNAUTHORIZED, URL, conflicts=1, rejected=2, last_error="401")
    )
    assert refused.text().startswith("● Token refused") and "1 conflict  ·  2 rejected" in refused.text()
    local = shown(qtbot, SyncSnapshot(SyncMode.LOCAL_ONLY, pending=1))
    assert local.text() == "○ Local only  ·  1 pending"
    assert "Not connected" in local.toolTip()
