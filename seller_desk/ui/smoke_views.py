"""The window's part of ``seller-desk --smoke``: every screen built and loaded, and a chart drawn.

Screens load their modules lazily (pandas and matplotlib with the first chart, the refund models with
the Refunds screen), so a bundle missing a module, a Qt plugin or numpy's BLAS opens its window fine
and fails only when a seller opens a chart. The smoke test therefore visits every screen, waits until
each has shown its data, and checks that a chart really drew (its pixels are not one flat colour).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from seller_desk.ui.main_window import BUILT_VIEWS, MainWindow
from seller_desk.ui.views.pending_view import PendingView

VIEW_TIMEOUT_MS = 20_000
MIN_CHART_COLOURS = 8  # a drawn chart has axes, labels and bars; a blank canvas has one or two colours


class SmokeFailed(Exception):
    """A screen did not load, or a chart did not draw; the message says which."""


@dataclass(frozen=True, slots=True)
class ViewCheck:
    name: str
    seconds: float
    detail: str


def visit_every_view(window: MainWindow) -> list[ViewCheck]:
    """Select each built screen in turn and wait for its first data; raise on the first that fails."""
    checks = []
    for name in BUILT_VIEWS:
        started = time.perf_counter()
        window.select_view(name)
        _wait_until(lambda: _loaded(window))
        view = window.current_view()
        if not _loaded(window):
            raise SmokeFailed(f"the {name} screen did not load within {VIEW_TIMEOUT_MS // 1000} s "
                              f"(showing {type(view).__name__})")  # fmt: skip
        checks.append(ViewCheck(f"{name} screen", time.perf_counter() - started, type(view).__name__))
    return checks


def _loaded(window: MainWindow) -> bool:
    """The current screen is the real one (lazily built screens first show a stand-in) with its data."""
    view = window.current_view()
    return not isinstance(view, PendingView) and view.is_ready()


def _wait_until(done: Callable[[], bool]) -> None:
    """Run the event loop until ``done()`` or the timeout; screens load in workers and swap in later."""
    if done():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start(25)
    QTimer.singleShot(VIEW_TIMEOUT_MS, loop.quit)
    loop.exec()
    poll.stop()
    QApplication.processEvents()


def chart_drawn(window: MainWindow) -> ViewCheck:
    """The Trends screen's weekly chart, rendered to an image, has the colours of a real drawing; and
    numpy's linear algebra (the BLAS a careless bundle strips) answers."""
    import numpy

    started = time.perf_counter()
    product = numpy.array([[1.0, 2.0], [3.0, 4.0]]) @ numpy.array([[1.0], [1.0]])
    if product.ravel().tolist() != [3.0, 7.0]:
        raise SmokeFailed(f"numpy's matrix product is wrong: {product.ravel().tolist()}")
    window.select_view("trends")
    view = window.current_view()
    canvas = getattr(view, "weekly", None)
    if not isinstance(canvas, QWidget):
        raise SmokeFailed(f"the trends screen has no weekly chart ({type(view).__name__})")
    canvas.repaint()
    image = canvas.grab().toImage()
    colours = _colours(image)
    if colours < MIN_CHART_COLOURS:
        raise SmokeFailed(f"the weekly chart drew {colours} colours: it is blank")
    return ViewCheck("chart", time.perf_counter() - started, f"{image.width()}×{image.height()} px, "
                                                             f"{colours} colours")  # fmt: skip


def _colours(image: QImage, step: int = 4) -> int:
    """Distinct colours on a grid of every ``step``-th pixel (enough to tell a drawing from a blank)."""
    seen: set[int] = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
            if len(seen) >= 64:
                return len(seen)
    return len(seen)
