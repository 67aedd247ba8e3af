"""The Settings dialog (Ctrl+,): the backend, how often to sync, the refund clocks' holiday calendar, when
a parcel counts as stalled, the Restock screen's defaults and the theme.

OK checks every field first and refuses the first bad one by name, with the reason, keeping the dialog
open. A number box drops what it cannot take when it loses focus, so the dialog remembers what the seller
typed there and refuses that, rather than silently keeping the old number. A changed backend is then
checked and saved in the background (``settings_backend``); only once it answered are ``settings.json``
and the Restock keys written and ``applied`` emitted for the window to act on. Cancel writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from seller_desk.domain.marketplaces import MARKETPLACES
from seller_desk.domain.restock import RestockSettings
from seller_desk.settings import (
    SLA_COUNTRIES,
    STALLED_DAYS_BOUNDS,
    SYNC_INTERVAL_BOUNDS,
    AppSettings,
    SettingsError,
    Theme,
    save_settings,
    settings_path,
)
from seller_desk.ui.dialogs.settings_backend import BackendSection
from seller_desk.ui.tones import set_tone
from seller_desk.ui.views.restock_settings import FIELDS as RESTOCK_FIELDS
from seller_desk.ui.views.restock_settings import remember_restock, remembered_restock
from seller_desk.workers.backend_connect import BackendChange, BackendRefused

LABELS = {  # AppSettings field -> the label the seller sees (refusals name the field by it)
    "sync_interval_s": "Sync every",
    "sla_country": "Holiday calendar",
    "stalled_after_days": "Stalled after",
    "theme": "Theme",
}
PER_MARKETPLACE = "Each marketplace's own country"
THEMES = ((Theme.SYSTEM, "Follow the system"), (Theme.LIGHT, "Light"), (Theme.DARK, "Dark"))
_COUNTRY_NAMES = {m.country: m.name for m in MARKETPLACES.values()}


class FieldRefused(ValueError):
    def __init__(self, label: str, reason: str, widget: QWidget | None = None) -> None:
        super().__init__(f"{label}: {reason}")
        self.widget = widget


@dataclass(frozen=True, slots=True)
class SettingsChoice:
    """What OK saved: the settings, the Restock defaults and the backend connected (None: unchanged)."""

    settings: AppSettings
    restock: RestockSettings
    backend: BackendChange | None = None


class SettingsDialog(QDialog):
    applied = Signal(object)  # SettingsChoice, after it was saved

    def __init__(
        self,
        current: AppSettings,
        config_dir: Path,
        ui_settings: QSettings | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._config_dir, self._ui_settings = config_dir, ui_settings
        self._typed: dict[QSpinBox, str] = {}  # what the seller typed that a box could not take
        self._labels: dict[QSpinBox, str] = {}
        self.backend = BackendSection(config_dir, self)
        self.sync_interval = self._box("Sync every", *SYNC_INTERVAL_BOUNDS, " s", current.sync_interval_s)
        self.sla_country = QComboBox(self)
        self.sla_country.setAccessibleName(LABELS["sla_country"])
        self.sla_country.addItem(PER_MARKETPLACE, None)
        for country in SLA_COUNTRIES:
            self.sla_country.addItem(f"{_COUNTRY_NAMES.get(country, country)} ({country})", country)
        self.sla_country.setCurrentIndex(max(0, self.sla_country.findData(current.sla_country)))
        self.sla_country.setToolTip("Whose public holidays stop the business-day refund clocks")
        self.stalled_days = self._box(
            "Stalled after", *STALLED_DAYS_BOUNDS, " days", current.stalled_after_days
        )
        self.stalled_days.setToolTip(
            "A parcel in transit with no carrier scan for this long is flagged stalled"
        )
        restock = remembered_restock(ui_settings)
        self.restock_boxes = {
            name: self._box(label, low, high, " days", getattr(restock, name), tooltip)
            for name, label, tooltip, low, high in RESTOCK_FIELDS
        }
        self.theme = QComboBox(self)
        self.theme.setAccessibleName(LABELS["theme"])
        for theme, text in THEMES:
            self.theme.addItem(text, theme.value)
        self.theme.setCurrentIndex(self.theme.findData(current.theme.value))
        self.error = QLabel("", self)
        self.error.setAccessibleName("Settings problem")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.backend.start()

    def _box(self, label: str, low: int, high: int, suffix: str, value: int, tooltip: str = "") -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setValue(value)
        box.setAccessibleName(label)
        box.setToolTip(tooltip)
        self._labels[box] = label
        edit = box.lineEdit()
        edit.textEdited.connect(lambda text, b=box: self._on_typed(b, text))
        box.valueChanged.connect(lambda _v, b=box: self._typed.pop(b, None))  # arrows, or a good number
        return box

    def _on_typed(self, box: QSpinBox, text: str) -> None:
        if box.hasAcceptableInput():
            self._typed.pop(box, None)
        else:
            self._typed[box] = text

    def _lay_out(self) -> None:
        sync = QGroupBox("Sync and clocks", self)
        sync_form = QFormLayout(sync)
        sync_form.addRow(f"{LABELS['sync_interval_s']}:", self.sync_interval)
        sync_form.addRow(f"{LABELS['sla_country']}:", self.sla_country)
        sync_form.addRow(f"{LABELS['stalled_after_days']}:", self.stalled_days)
        restock = QGroupBox("Restock defaults", self)
        restock_form = QFormLayout(restock)
        for (_name, label, *_rest), box in zip(RESTOCK_FIELDS, self.restock_boxes.values(), strict=True):
            restock_form.addRow(f"{label}:", box)
        look = QGroupBox("Appearance", self)
        look_form = QFormLayout(look)
        look_form.addRow(f"{LABELS['theme']}:", self.theme)
        columns = QHBoxLayout()
        columns.addWidget(sync)
        columns.addWidget(restock)
        layout = QVBoxLayout(self)
        layout.addWidget(self.backend)
        layout.addLayout(columns)
        layout.addWidget(look)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    # -- OK ----------------------------------------------------------------------------------------------
    def chosen(self) -> tuple[AppSettings, RestockSettings]:
        """The values shown, checked; raises ``FieldRefused`` naming the first field that is wrong."""
        for box, typed in self._typed.items():
            bounds = f"from {box.minimum()} to {box.maximum()}{box.suffix()}"
            raise FieldRefused(self._labels[box], f"{typed.strip()!r} is not a whole number {bounds}", box)
        try:
            settings = AppSettings(
                sync_interval_s=self.sync_interval.value(),
                sla_country=self.sla_country.currentData(),
                stalled_after_days=self.stalled_days.value(),
                theme=Theme(self.theme.currentData()),
            )
        except SettingsError as exc:
            raise FieldRefused(LABELS[exc.field], exc.reason) from None
        values = {name: box.value() for name, box in self.restock_boxes.items()}
        try:
            restock = RestockSettings(**values)
        except ValueError as exc:
            raise FieldRefused("Restock defaults", str(exc)) from None
        return settings, restock

    def try_accept(self) -> None:
        self.error.setText("")
        try:
            settings, restock = self.chosen()
            self.backend.pending_change()
        except FieldRefused as exc:
            self._refuse(str(exc), exc.widget)
            return
        except BackendRefused as exc:
            self._refuse(str(exc), None)
            return
        started = self.backend.connect_backend(
            lambda change: self._finish(settings, restock, change), self._backend_refused
        )
        if started:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        else:
            self._finish(settings, restock, None)

    def _backend_refused(self, refused: BackendRefused) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.error.setText(f"Nothing was saved. {refused}")

    def _finish(self, settings: AppSettings, restock: RestockSettings, change: BackendChange | None) -> None:
        try:
            save_settings(self._config_dir, settings)
        except OSError as exc:
            self._refuse(f"cannot save {settings_path(self._config_dir)}: {exc.strerror or exc}", None)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
            return
        if self._ui_settings is not None:
            remember_restock(self._ui_settings, restock)
        self.applied.emit(SettingsChoice(settings, restock, change))
        self.accept()

    def _refuse(self, message: str, widget: QWidget | None) -> None:
        self._typed.clear()  # said once; the box shows the number it kept
        self.error.setText(message)
        if widget is not None:
            widget.setFocus()

    def reject(self) -> None:
        self.backend.cancel()
        super().reject()
