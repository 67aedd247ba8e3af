"""The Restock screen's settings row: horizon, default lead time, cover target and safety stock, in days.

What the seller sets is remembered in the window's settings file (per data dir) and restored next time.
Those keys are the one place these defaults live: the Settings dialog reads and writes them through
``remembered_restock`` and ``remember_restock`` and hands a shown row its values (``set_current``).
Typing in a box re-plans once the seller pauses (a short timer), not on every keystroke; the plan is
recomputed from inputs already read, so a change shows in a fraction of a second.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from seller_desk.domain.restock import RestockSettings

SETTINGS_GROUP = "restock"
DEBOUNCE_MS = 300
FIELDS = (  # setting, label, tooltip, lowest, highest
    ("horizon_days", "Horizon", "How many days ahead to project stock", 1, 365),
    ("default_lead_time_days", "Default lead time", "Days from order to shelf for SKUs without their own",
     0, 365),
    ("cover_target_days", "Cover target", "Days of sales the stock should last after a new order arrives",
     0, 365),
    ("safety_stock_days", "Safety stock", "Extra days of sales kept against surprises", 0, 365),
)  # fmt: skip


class RestockSettingsRow(QWidget):
    """``changed`` fires with the new settings after the seller stops typing."""

    changed = Signal(object)

    def __init__(self, settings: QSettings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = settings
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        remembered = remembered_restock(settings)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QSpinBox] = {}
        for name, label, tooltip, low, high in FIELDS:
            box = QSpinBox(self)
            box.setRange(low, high)
            box.setSuffix(" days")
            box.setValue(getattr(remembered, name))
            box.setToolTip(tooltip)
            box.setAccessibleName(label)
            box.valueChanged.connect(lambda _value: self._timer.start())
            caption = QLabel(f"{label}:", self)
            caption.setBuddy(box)
            layout.addWidget(caption)
            layout.addWidget(box)
            layout.addSpacing(8)
            self.boxes[name] = box
        layout.addStretch(1)

    def current(self) -> RestockSettings:
        return RestockSettings(**{name: box.value() for name, box in self.boxes.items()})

    def set_current(self, settings: RestockSettings) -> None:
        """Show ``settings`` (chosen in the Settings dialog) and re-plan with them once, as typing does."""
        for name, box in self.boxes.items():
            box.setValue(getattr(settings, name))
        self.apply_now()

    def apply_now(self) -> None:
        """Emit a pending change at once (tests, and before an export)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    def _emit(self) -> None:
        settings = self.current()
        if self._store is not None:
            remember_restock(self._store, settings)
        self.changed.emit(settings)


def remembered_restock(store: QSettings | None) -> RestockSettings:
    """The remembered defaults; a missing, unreadable or out-of-range value is its default."""
    defaults = RestockSettings()
    if store is None:
        return defaults
    values: dict[str, int] = {}
    for name, _label, _tooltip, low, high in FIELDS:
        default = getattr(defaults, name)
        try:
            value = int(str(store.value(f"{SETTINGS_GROUP}/{name}", default)))
        except ValueError:
            value = default
        values[name] = value if low <= value <= high else default
    return RestockSettings(**values)


def remember_restock(store: QSettings, settings: RestockSettings) -> None:
    for name, *_rest in FIELDS:
        store.setValue(f"{SETTINGS_GROUP}/{name}", getattr(settings, name))
