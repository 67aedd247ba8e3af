"""Message tones come from resources/style/tones.qss, in colours lifted to read on the dark theme."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from seller_desk.ui import tones


def test_every_tone_in_the_file_resolves_to_real_colours(qtbot: QtBot) -> None:
    assert set(tones.tones()) == {"error", "ok", "refused", "banner"}
    for tone in tones.tones():
        style = tones.style_of(tone)
        assert "@" not in style and "#" in style, (tone, style)


def test_an_error_reads_dark_red_on_light_and_lifted_on_dark(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tones, "current_is_dark", lambda: False)
    monkeypatch.setattr("seller_desk.ui.theme.current_is_dark", lambda: False)
    assert tones.style_of("error") == "color: #b0201a;"
    monkeypatch.setattr(tones, "current_is_dark", lambda: True)
    monkeypatch.setattr("seller_desk.ui.theme.current_is_dark", lambda: True)
    lifted = tones.style_of("error")
    assert lifted != "color: #b0201a;" and lifted.startswith("color: #")
    assert "background: #4a2020" in tones.style_of("banner")  # a dark panel, not a pale pink one


def test_a_widget_takes_a_tone_and_gives_it_back(qtbot: QtBot) -> None:
    label = QLabel("Not approved")
    qtbot.addWidget(label)
    tones.set_tone(label, "refused")
    assert "font-weight: 600" in label.styleSheet()
    tones.set_tone(label, None)
    assert label.styleSheet() == ""
    with pytest.raises(KeyError, match="no tone 'warning'"):
        tones.set_tone(label, "warning")
