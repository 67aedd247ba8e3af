"""Help → Logs… shows the log's recent lines (read off the GUI thread), filters to warnings and errors,
and an unhandled error raises one non-modal notice that says where its report is."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from seller_desk.ui.dialogs.log_dialog import serious_only
from seller_desk.ui.help_menu import HelpMenu
from seller_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")

LOG = """\
2026-11-22 10:00:00,001 INFO    [MainThread] seller_desk.app: Seller Desk 0.1.0 starting (source)
2026-11-22 10:00:05,100 WARNING [sync] seller_desk.sync: the backend did not answer; retrying in 30 s
2026-11-22 10:00:06,000 INFO    [sync] seller_desk.sync: pulled 120 changes
2026-11-22 10:00:07,000 ERROR   [io-1] seller_desk.workers: an import failed
Traceback (most recent call last):
  File "x.py", line 1, in <module>
OSError: disk full
2026-11-22 10:00:08,000 INFO    [sync] seller_desk.sync: pushed 3 decisions
"""


def test_serious_only_keeps_warnings_errors_and_their_tracebacks() -> None:
    kept = serious_only(LOG.splitlines())
    assert [line[-30:] for line in kept] == [
        line[-30:] for line in LOG.splitlines()[1:2] + LOG.splitlines()[3:7]
    ]


def test_the_log_dialog_shows_the_file_and_filters_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    (tmp_path / "seller-desk.log").write_text(LOG, encoding="utf-8")
    menu = HelpMenu(window, tmp_path)
    assert [a.text() for a in window.menuBar().actions()][-1] == "&Help"
    dialog = menu.show_logs()
    qtbot.waitUntil(lambda: "pushed 3 decisions" in dialog.text.toPlainText(), timeout=5_000)
    assert dialog.text.toPlainText().count("\n") == LOG.count("\n") - 1
    dialog.level.setCurrentIndex(1)
    shown = dialog.text.toPlainText()
    assert "retrying in 30 s" in shown and "OSError: disk full" in shown
    assert "pulled 120 changes" not in shown
    assert str(tmp_path / "seller-desk.log") in dialog.where.text()


def test_a_crash_notice_names_the_report_and_a_burst_reuses_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    notice = HelpMenu(window, tmp_path).crash_notice
    report = tmp_path / "crashes" / "crash-1.txt"
    notice.notify(report)
    qtbot.waitUntil(lambda: notice.box is not None and notice.box.isVisible(), timeout=5_000)
    box = notice.box
    assert isinstance(box, QMessageBox) and not box.isModal()
    assert str(report) in box.text() and "Your work is safe" in box.text()
    notice.notify(tmp_path / "crashes" / "crash-2.txt")
    qtbot.waitUntil(lambda: "2 errors since the app started" in box.text(), timeout=5_000)
    assert notice.box is box  # the same message, updated
    box.close()
