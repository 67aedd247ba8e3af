"""Child process of test_real_x_server: the real main window on an X display, then the screen grabbed.

Run as ``python -m tests.ui.real_x_child DATA_DIR OUT.png`` with DISPLAY set and QT_QPA_PLATFORM=xcb.
It grabs the X server's root window (what the display shows), not the widget's own rendering, so a
window that never reached the server would come out blank.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from seller_desk.paths import DB_FILENAME, resolve_paths
from seller_desk.store.migrate import open_store
from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager


def main(data_dir: str, out: str) -> int:
    store = open_store(Path(data_dir) / DB_FILENAME)
    app = QApplication([sys.argv[0]])
    tasks = TaskManager.install(store)
    window = MainWindow(tasks, config_dir=resolve_paths(data_dir).config_dir)
    window.resize(1366, 768)
    window.move(0, 0)
    window.show()
    failed = QTimer(singleShot=True)
    failed.timeout.connect(lambda: app.exit(3))
    failed.start(20_000)

    def grab() -> None:
        screen = app.primaryScreen()
        ok = screen.grabWindow(0).save(out, "PNG")
        print(app.platformName(), screen.size().width(), screen.size().height(), flush=True)
        app.exit(0 if ok else 4)

    window.returns_view.ready.connect(lambda: QTimer.singleShot(500, grab))  # let the frame settle
    window.start()
    code = app.exec()
    window.stop()
    tasks.shutdown(wait=True)
    store.close()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
