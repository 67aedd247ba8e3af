"""``render_screenshot``: a real PNG of the expected size that shows something, for every view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from seller_desk.app import render_screenshot


def _distinct_colours(image: QImage, step: int = 7) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    )


@pytest.mark.parametrize("view", ["returns", "refunds"])
def test_screenshot_is_a_non_blank_png_of_the_requested_size(
    qapp: QApplication, small_data_dir: Path, tmp_path: Path, view: str
) -> None:
    out = tmp_path / f"{view}.png"
    assert render_screenshot(view=view, out=out, size=(1366, 768), data_dir=small_data_dir) == 0
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1366, 768)
    assert _distinct_colours(image) > (20 if view == "returns" else 3)


def test_screenshot_of_an_unopenable_store_fails_with_a_message(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "seller-desk.sqlite3").write_bytes(b"not a database at all")
    assert render_screenshot(view="returns", out=tmp_path / "x.png", size=(800, 600), data_dir=tmp_path) == 1
    assert "seller-desk.sqlite3" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()
