"""Pieces both filter bars (Returns, Shipments) are made of: the row of quick filters with their live
counts, a menu whose first entry means "any", and a period menu with its two dates."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QButtonGroup, QComboBox, QDateEdit, QHBoxLayout, QToolButton, QWidget

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


class PeriodPicker:
    """A period menu — presets of the last N local days, the last entry "between dates…" — and the two
    date edits that entry shows. ``bounds()`` turns the choice into a UTC range: whole local days, the
    end day included (so the upper bound is the next day's local midnight, exclusive)."""

    def __init__(
        self,
        parent: QWidget,
        periods: tuple[tuple[str, int | None], ...],
        *,
        name: str,
        tip: str,
        edit_names: tuple[str, str],
        span_days: int,
    ) -> None:
        self.menu = menu_combo(parent, name, periods[0][0], tip)
        self.menu.clear()
        for label, days in periods:
            self.menu.addItem(label, days)
        self.custom_index = len(periods) - 1
        self.date_from, self.date_to = QDateEdit(parent), QDateEdit(parent)
        for edit, edit_name in zip((self.date_from, self.date_to), edit_names, strict=True):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(edit_name)
            edit.setDate(QDate.currentDate())
            edit.hide()
        self.date_from.setDate(QDate.currentDate().addDays(-span_days))

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        days = self.menu.currentData()
        if days is None:
            return None, None
        if days > 0:
            today = datetime.combine(datetime.now().date(), time()).astimezone()
            return (today - timedelta(days=days)).astimezone(UTC), None
        start = datetime.combine(_day(self.date_from.date()), time()).astimezone()
        end = datetime.combine(_day(self.date_to.date()) + timedelta(days=1), time()).astimezone()
        return start.astimezone(UTC), end.astimezone(UTC)

    def show_dates(self) -> None:
        """The date edits show only for "between dates…"."""
        custom = self.menu.currentIndex() == self.custom_index
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)


def _day(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
