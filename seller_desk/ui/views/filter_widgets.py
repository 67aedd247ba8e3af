"""Pieces both filter bars (Returns, Shipments) are made of: the row of quick filters with their live
counts, and a menu whose first entry means "any"."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QToolButton, QWidget

Q = TypeVar("Q", bound=Hashable)


def menu_combo(parent: QWidget, name: str, first: str, tip: str) -> QComboBox:
    """A filter menu: ``first`` (data None) means "any"; it sizes itself to its longest entry."""
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.addItem(first, None)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class QuickFilterRow(Generic[Q]):
    """One exclusive button for "all" and one per quick filter, each label followed by its count.

    "…" holds a count's place until it arrives, so the row does not shift when it does. ``buttons``
    maps each quick filter (None for "all") to its button; ``group.buttonToggled`` says when it changed.
    """

    def __init__(
        self,
        parent: QWidget,
        quick_filters: tuple[Q, ...],
        labels: Mapping[Q, str],
        tips: Mapping[Q, str],
        *,
        all_label: str,
        all_tip: str,
        counted: str,
    ) -> None:
        self._labels, self._counted = labels, counted
        self.group = QButtonGroup(parent)
        self.buttons: dict[Q | None, QToolButton] = {}
        self.layout = QHBoxLayout()
        self.layout.setSpacing(4)
        for quick in (None, *quick_filters):
            button = QToolButton(parent)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setText(all_label if quick is None else f"{labels[quick]}  …")
            button.setToolTip(all_tip if quick is None else tips[quick])
            button.setAccessibleName("Quick filter: " + (all_label if quick is None else labels[quick]))
            self.group.addButton(button)
            self.buttons[quick] = button
            self.layout.addWidget(button)
        self.layout.addStretch(1)
        self.buttons[None].setChecked(True)

    def current(self) -> Q | None:
        checked = self.group.checkedButton()
        return next((q for q, b in self.buttons.items() if b is checked), None)

    def select(self, quick: Q | None) -> None:
        self.buttons[quick].setChecked(True)

    def set_counts(self, counts: Mapping[Q, int]) -> None:
        for quick, count in counts.items():
            button = self.buttons[quick]
            button.setText(f"{self._labels[quick]}  {count:,}")
            button.setAccessibleName(f"Quick filter: {self._labels[quick]}, {count:,} {self._counted}")
