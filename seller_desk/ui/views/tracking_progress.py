"""A parcel's progress line: four milestones as dots on a line, painted, with a side state in red.

Painted rather than built from labels so the line, dots and captions stay aligned at any width. Every
size derives from the font's metrics, so it reads the same on a 1366×768 laptop and on a 4K screen;
captions wrap onto a second line when the pane is narrow. Colors come from the palette (the reached
part uses the highlight color), except the side state's red, which must read as "needs attention".
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from seller_desk.domain.tracking_progress import Milestone

MILESTONE_CAPTIONS = ("Label created", "In transit", "Out for delivery", "Delivered")
SIDE_COLOR = QColor(190, 40, 30)
STEPS = len(MILESTONE_CAPTIONS)


class TrackingProgressLine(QWidget):
    """``set_progress(reached, side_label)``: milestones up to ``reached`` drawn done; a ``side_label``
    (e.g. "Exception") marks the next milestone in red, as the point the parcel did not get past."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reached = Milestone.NONE
        self._side: str | None = None
        self.setAccessibleName("Tracking progress")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._describe()

    def set_progress(self, reached: Milestone, side_label: str | None = None) -> None:
        self._reached = reached
        self._side = side_label
        self._describe()
        self.update()

    def reached(self) -> Milestone:
        return self._reached

    def side_label(self) -> str | None:
        return self._side

    def description(self) -> str:
        """What the line says, in words (its accessible description and tooltip)."""
        if self._reached == Milestone.NONE:
            text = "Not yet with the carrier"
        else:
            text = f"{MILESTONE_CAPTIONS[self._reached - 1]} ({int(self._reached)} of {STEPS})"
        return f"{text}; {self._side}" if self._side else text

    def _describe(self) -> None:
        self.setAccessibleDescription(self.description())
        self.setToolTip(self.description())

    # --- geometry ------------------------------------------------------------------------------

    def _dot_radius(self) -> float:
        return max(3.0, self.fontMetrics().height() * 0.35)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(c) for c in MILESTONE_CAPTIONS)
        return QSize(STEPS * (widest + metrics.averageCharWidth() * 2), self._height())

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(STEPS * metrics.horizontalAdvance("Delivered"), self._height())

    def _height(self) -> int:
        metrics = self.fontMetrics()
        return int(self._dot_radius() * 2 + metrics.height() * 2.4 + 6)

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        done = palette.color(palette.ColorRole.Highlight)
        todo = palette.color(palette.ColorRole.Mid)
        text = palette.color(palette.ColorRole.WindowText)
        radius = self._dot_radius()
        column = self.width() / STEPS
        y = radius + 3
        centers = [column * (i + 0.5) for i in range(STEPS)]
        line_width = max(2.0, radius * 0.6)
        reached = int(self._reached)
        for i in range(STEPS - 1):  # the segment from milestone i+1 to i+2 is done once i+2 is reached
            painter.setPen(QPen(done if i + 2 <= reached else todo, line_width))
            painter.drawLine(QPointF(centers[i], y), QPointF(centers[i + 1], y))
        stuck_at = reached if reached < STEPS else STEPS - 1  # index of the milestone not reached
        for i, x in enumerate(centers):
            is_done = i + 1 <= reached
            is_side = self._side is not None and i == stuck_at
            color = SIDE_COLOR if is_side else (done if is_done else todo)
            painter.setPen(QPen(color, line_width))
            painter.setBrush(color if (is_done or is_side) else palette.color(palette.ColorRole.Base))
            painter.drawEllipse(QPointF(x, y), radius, radius)
            caption = self._side if is_side and self._side else MILESTONE_CAPTIONS[i]
            painter.setPen(SIDE_COLOR if is_side else text)
            font = painter.font()
            font.setBold(is_side or i + 1 == reached)
            painter.setFont(font)
            box = QRectF(column * i + 2, y + radius + 3, column - 4, self.height() - y - radius - 3)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            painter.drawText(box, int(flags), caption)
        painter.end()
