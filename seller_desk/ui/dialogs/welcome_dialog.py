"""The first-run welcome: three ways into an empty Seller Desk, and a quiet Skip.

A seller who starts the app for the first time sees an empty Returns list and no hint of where returns
come from. The welcome names the three sources — the demo's simulated shop, the team's backend, the
seller's own Amazon reports — each as one large button with a sentence saying what happens next, so
the first click already leads somewhere. Choosing only records the choice (``choice``); what follows
(the demo starting, the import dialog opening) is ``ui/first_run.py``'s, after the welcome closes. The
one exception is the backend: its address and token are typed and checked here (``BackendForm``), so
a refused token can be corrected before the window opens.

Keyboard: the three buttons and Skip are in tab order with Alt+letter mnemonics; Escape skips on the
first page and goes back on the backend page.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from seller_desk.resources import resource_path
from seller_desk.ui.dialogs.backend_form import BackendForm

if TYPE_CHECKING:
    from seller_desk.sync.connect import Connected

ICON_SIZE = 72
# Each way in drawn as a card: the styles draw a command link's frame only under the mouse, which leaves
# three lines of text that do not look like something to click.
CHOICE_STYLE = """
QCommandLinkButton { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
QCommandLinkButton:hover { border-color: palette(highlight); }
QCommandLinkButton:focus { border: 2px solid palette(highlight); }
QCommandLinkButton:pressed { background: palette(alternate-base); }
"""
TAGLINE = (
    "Returns, refunds, return-reason trends and restock planning for your marketplace shop, "
    "in one window that keeps working offline."
)


class WelcomeChoice(Enum):
    DEMO = "demo"  # start as ``seller-desk --demo`` would
    CONNECT = "connect"  # a backend was checked and saved (``WelcomeDialog.connected``)
    IMPORT = "import"  # open the window, then the import of Amazon reports
    SKIP = "skip"  # Skip, Escape or the window closed: work offline with the empty store


class WelcomeDialog(QDialog):
    """``exec()`` it, then read ``choice`` (and ``connected`` after CONNECT)."""

    def __init__(self, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Seller Desk")
        self.setAccessibleName("Welcome to Seller Desk")
        self.setWindowIcon(QIcon(str(resource_path("icons", "seller-desk.svg"))))
        self.choice = WelcomeChoice.SKIP
        self.connected: Connected | None = None
        self.demo_button = _choice_button(
            "&Try the demo",
            "Opens a sample shop with simulated returns and refunds, kept apart from your own data.",
            self,
        )
        self.connect_button = _choice_button(
            "&Connect to a team backend",
            "Enter the address and device token your team gave you; returns and refunds then sync.",
            self,
        )
        self.import_button = _choice_button(
            "&Import Amazon reports and work offline",
            "Choose returns reports downloaded from Seller Central; everything stays on this computer.",
            self,
        )
        self.skip_button = QPushButton("&Skip for now", self)
        self.skip_button.setFlat(True)
        self.skip_button.setAutoDefault(False)
        self.skip_button.setAccessibleName("Skip")
        self.skip_button.setToolTip("Start with an empty store; File → Import Amazon reports… is there later")
        self.choices = self._choices_page()
        self.backend_form = BackendForm(config_dir, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.choices)
        self.pages.addWidget(self.backend_form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.addWidget(self.pages)
        self.demo_button.clicked.connect(lambda: self._choose(WelcomeChoice.DEMO))
        self.import_button.clicked.connect(lambda: self._choose(WelcomeChoice.IMPORT))
        self.connect_button.clicked.connect(self.show_backend_form)
        self.skip_button.clicked.connect(self.reject)
        self.backend_form.back_requested.connect(self.show_choices)
        self.backend_form.connected.connect(self._on_connected)
        self.resize(680, self.sizeHint().height())
        self.demo_button.setFocus()

    def _choices_page(self) -> QWidget:
        page = QWidget(self)
        icon = QLabel(page)
        icon.setPixmap(self.windowIcon().pixmap(QSize(ICON_SIZE, ICON_SIZE)))
        icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        icon.setAccessibleName("Seller Desk")
        title = QLabel("<h1 style='margin:0'>Welcome to Seller Desk</h1>", page)
        title.setAccessibleName("Welcome to Seller Desk")
        tagline = QLabel(TAGLINE, page)
        tagline.setWordWrap(True)
        tagline.setAccessibleName("What Seller Desk does")
        heading = QVBoxLayout()
        heading.setSpacing(6)
        heading.addWidget(title)
        heading.addWidget(tagline)
        top = QHBoxLayout()
        top.setSpacing(18)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)
        question = QLabel("<b>How would you like to start?</b>", page)
        skip_row = QHBoxLayout()
        skip_row.addStretch(1)
        skip_row.addWidget(self.skip_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addSpacing(18)
        layout.addWidget(question)
        layout.addSpacing(4)
        for button in (self.demo_button, self.connect_button, self.import_button):
            button.setStyleSheet(CHOICE_STYLE)
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addLayout(skip_row)
        return page

    def show_backend_form(self) -> None:
        self.pages.setCurrentWidget(self.backend_form)
        self.backend_form.url.setFocus()

    def show_choices(self) -> None:
        self.pages.setCurrentWidget(self.choices)
        self.connect_button.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape on the backend page goes back to the three ways in; elsewhere it skips, as usual."""
        on_form = self.pages.currentWidget() is self.backend_form
        if event.key() == Qt.Key.Key_Escape and on_form and not self.backend_form.checking:
            self.show_choices()
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        """However the welcome closes, a check still under way is dropped and saves nothing."""
        self.backend_form.cancel()
        super().done(result)

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        self.accept()

    def _on_connected(self, connected: Connected) -> None:
        self.connected = connected
        self._choose(WelcomeChoice.CONNECT)


def _choice_button(title: str, description: str, parent: QWidget) -> QCommandLinkButton:
    """One large way in: a title to scan and one sentence of what happens when it is chosen."""
    button = QCommandLinkButton(title, description, parent)
    button.setAccessibleName(title.replace("&", ""))
    button.setAccessibleDescription(description)
    return button
