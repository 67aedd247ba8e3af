"""The main window on a real X server (Xvfb, started here): it appears, and the screen is not blank.

Every other GUI test renders offscreen; this one proves the xcb platform plugin loads with the system
libraries present and that the window really reaches a display. ``.ci/run`` installs Xvfb and the xcb
libraries Qt needs, so CI runs it; elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.fixtures.returns_data import seeded_data_dir

XVFB = shutil.which("Xvfb")


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    if XVFB is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb); .ci/run installs it")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [XVFB, "-displayfd", str(write_fd), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    os.close(write_fd)
    with os.fdopen(read_fd) as announced:
        number = announced.readline().strip()
    if not number:
        server.kill()
        pytest.fail(f"Xvfb did not start: {server.stderr.read().decode() if server.stderr else ''}")
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def test_the_main_window_shows_on_a_real_x_display(display: str, tmp_path: Path) -> None:
    data_dir = seeded_data_dir(tmp_path / "store", 400)
    out = tmp_path / "screen.png"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "SELLER_DESK_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.real_x_child", str(data_dir), str(out)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["xcb", "1366", "768"]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}
    assert len(colours) > 20, f"the screen looks blank: {len(colours)} colours"  # text, lines, header
    background = image.pixel(1300, 700)
    inked = sum(1 for x in range(0, 1366, 5) for y in range(100, 700, 5) if image.pixel(x, y) != background)
    assert inked > 2_000  # rows of text were drawn, not just a frame
    shutil.copy(out, Path(os.environ.get("SELLER_DESK_KEEP_SCREEN", tmp_path / "kept.png")))
