"""The painted progress line: what it says in words, what it paints, and that it scales with the font."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from pytestqt.qtbot import QtBot

from seller_desk.domain.tracking_progress import Milestone
from seller_desk.ui.views.tracking_progress import SIDE_COLOR, TrackingProgressLine


def test_it_says_where_the_parcel_is(qtbot: QtBot) -> None:
    line = TrackingProgressLine()
    qtbot.addWidget(line)
    assert line.accessibleDescription() == "Not yet with the carrier"
    line.set_progress(Milestone.IN_TRANSIT, "Exception")
    assert line.accessibleDescription() == "In transit (2 of 4); Exception"
    assert line.toolTip() == line.accessibleDescription()


def test_the_side_state_paints_red_and_reached_milestones_in_the_highlight(qtbot: QtBot) -> None:
    line = TrackingProgressLine()
    qtbot.addWidget(line)
    line.resize(420, line.sizeHint().height())
    line.set_progress(Milestone.IN_TRANSIT, "Lost")
    image = line.grab().toImage()
    colors = {image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height() // 3)}
    assert QColor(SIDE_COLOR).rgb() in colors
    assert line.palette().color(line.palette().ColorRole.Highlight).rgb() in colors


def test_sizes_follow_the_font(qtbot: QtBot) -> None:
    small, large = TrackingProgressLine(), TrackingProgressLine()
    qtbot.addWidget(small)
    qtbot.addWidget(large)
    font = QFont(small.font())
    font.setPointSizeF(font.pointSizeF() * 2.5)  # a 4K screen at 250 % scaling reads like this
    large.setFont(font)
    assert large.sizeHint().height() > 2 * small.sizeHint().height()
    assert large.sizeHint().width() > 2 * small.sizeHint().width()
