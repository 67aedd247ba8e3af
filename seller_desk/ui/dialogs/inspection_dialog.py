"""Record inspection: per returned line, its condition grade, disposition, a note and photos.

The lines are read before the dialog opens (a background read), so the dialog itself only collects
what the bench saw. Choosing a grade preselects the disposition it usually leads to
(``domain.policies.inspection``) until the seller picks a disposition by hand; from then on the choice
is theirs. Photos are picked from files (images only) and copied into the store when the inspection is
recorded, not here: cancelling the dialog leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from seller_desk.domain.enums import ConditionGrade, Disposition
from seller_desk.domain.policies.inspection import default_disposition
from seller_desk.store.evidence import IMAGE_SUFFIXES
from seller_desk.workers.returns_actions import InspectionEntry, InspectionSubject, SubjectLine

MAX_PHOTOS = 20  # the wire's bound per line
IMAGE_FILTER = "Images (" + " ".join(f"*{s}" for s in IMAGE_SUFFIXES) + ")"


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


class LineForm(QGroupBox):
    """The inputs for one returned line."""

    def __init__(self, line: SubjectLine, parent: QWidget | None = None) -> None:
        super().__init__(f"{line.sku} — {line.title}  ×{line.quantity}", parent)
        self.line = line
        self._disposition_chosen = False
        self.setAccessibleName(f"Line {line.sku}")

        self.condition = QComboBox(self)
        self.condition.setAccessibleName(f"Condition of {line.sku}")
        self.condition.setToolTip("What you see when you open the parcel, best to worst")
        for grade in ConditionGrade:
            self.condition.addItem(_label(grade.value), grade)
        # No grade until the bench picks one: a preset "New" would restock a unit nobody looked at.
        self.condition.setPlaceholderText("Choose the condition…")
        self.condition.setCurrentIndex(-1)
        self.disposition = QComboBox(self)
        self.disposition.setAccessibleName(f"Disposition of {line.sku}")
        self.disposition.setToolTip(
            "What happens to the unit; preselected from the condition, change it freely"
        )
        for disposition in Disposition:
            self.disposition.addItem(_label(disposition.value), disposition)
        self.disposition.setPlaceholderText("(follows the condition)")
        self.disposition.setCurrentIndex(-1)
        self.note = QLineEdit(self)
        self.note.setAccessibleName(f"Note on {line.sku}")
        self.note.setToolTip("Anything the next person should know (at most 2,000 characters)")
        self.note.setMaxLength(2000)
        self.note.setPlaceholderText("e.g. outer box crushed, item intact")
        self.photos = QListWidget(self)
        self.photos.setAccessibleName(f"Photos of {line.sku}")
        self.photos.setToolTip("Photos attached as evidence; they are copied into Seller Desk's data folder")
        self.photos.setMaximumHeight(self.photos.fontMetrics().height() * 3 + 10)
        self.add_button = QPushButton("Add photos…", self)
        self.add_button.setAccessibleName(f"Add photos of {line.sku}")
        self.add_button.setToolTip("Attach image files (PNG, JPEG, …) as evidence")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setAccessibleName(f"Remove the selected photo of {line.sku}")
        self.remove_button.setToolTip("Detach the selected photo")

        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photos, 1)
        photo_row.addLayout(buttons)
        form = QFormLayout(self)
        form.addRow("Condition:", self.condition)
        form.addRow("Disposition:", self.disposition)
        form.addRow("Note:", self.note)
        form.addRow("Photos:", photo_row)

        self.condition.currentIndexChanged.connect(self._on_condition)
        self.disposition.activated.connect(self._on_disposition_chosen)
        self.add_button.clicked.connect(self._choose_photos)
        self.remove_button.clicked.connect(self._remove_photo)
        self._on_condition()

    def set_condition(self, grade: ConditionGrade) -> None:
        self.condition.setCurrentIndex(self.condition.findData(grade))

    def set_disposition(self, disposition: Disposition) -> None:
        self.disposition.setCurrentIndex(self.disposition.findData(disposition))
        self._disposition_chosen = True

    def add_photos(self, paths: list[str]) -> None:
        shown = {self.photos.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.photos.count())}
        for path in paths:
            if path in shown or self.photos.count() >= MAX_PHOTOS:
                continue
            self.photos.addItem(Path(path).name)
            item = self.photos.item(self.photos.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            shown.add(path)

    def is_graded(self) -> bool:
        return self.condition.currentIndex() >= 0 and self.disposition.currentIndex() >= 0

    def entry(self) -> InspectionEntry:
        return InspectionEntry(
            return_line_id=self.line.return_line_id,
            sku=self.line.sku,
            condition=ConditionGrade(self.condition.currentData()),
            disposition=Disposition(self.disposition.currentData()),
            note=self.note.text(),
            photos=tuple(
                str(self.photos.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.photos.count())
            ),
        )

    def _on_condition(self) -> None:
        if self.condition.currentIndex() >= 0 and not self._disposition_chosen:
            suggested = default_disposition(ConditionGrade(self.condition.currentData()))
            self.disposition.setCurrentIndex(self.disposition.findData(suggested))

    def _on_disposition_chosen(self, _index: int) -> None:
        self._disposition_chosen = True

    def _choose_photos(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Attach photos", "", IMAGE_FILTER)
        self.add_photos(paths)

    def _remove_photo(self) -> None:
        for item in self.photos.selectedItems():
            self.photos.takeItem(self.photos.row(item))


class InspectionDialog(QDialog):
    """Open with ``open()``; on ``accepted`` read ``entries()``."""

    def __init__(self, subject: InspectionSubject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subject = subject
        self.setWindowTitle(f"Record inspection — {subject.rma}")
        self.setAccessibleName("Record inspection")
        heading = QLabel(
            f"<b>{subject.rma}</b> — {len(subject.lines)} line{'' if len(subject.lines) == 1 else 's'} "
            "to grade. The inspection is queued to sync and can be undone until it is sent.",
            self,
        )
        heading.setWordWrap(True)
        self.forms = [LineForm(line, self) for line in subject.lines]
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        for form in self.forms:
            column.addWidget(form)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Record inspection")
        ok.setAccessibleName("Record inspection")
        ok.setToolTip("Queue this inspection to sync")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setToolTip("Close without recording anything")
        cancel.setAccessibleName("Cancel")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.record_button = ok
        for form in self.forms:
            form.condition.currentIndexChanged.connect(self._refresh_ok)
            form.disposition.currentIndexChanged.connect(self._refresh_ok)
        self._refresh_ok()
        self.resize(560, min(110 + 200 * len(self.forms), 640))

    def _refresh_ok(self) -> None:
        """Recording waits until every line has a grade (and so a disposition)."""
        missing = [form.line.sku for form in self.forms if not form.is_graded()]
        self.record_button.setEnabled(not missing)
        self.record_button.setToolTip(
            "Queue this inspection to sync"
            if not missing
            else f"Choose the condition of {', '.join(missing)}"
        )

    def entries(self) -> list[InspectionEntry]:
        return [form.entry() for form in self.forms]
