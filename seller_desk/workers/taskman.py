"""Where background work runs, and how its results get back to the GUI thread (ARCHITECTURE.md ex. 1).

Two executors, as in Anki's task manager:

- ``Lane.DB``: ONE thread for the local store. SQLite serializes writers anyway; one thread means
  reads queue behind writes in submission order, no two tasks fight over the write lock, and a
  page the user scrolled to is read after — never racing — the filter change before it.
- ``Lane.IO``: a few threads for the network and files, which wait rather than compute.

Widgets may only be touched on the GUI thread, so results come back through ``run_on_main``: a
queued signal to this object, which lives on the GUI thread. Starting work from any other thread is a
bug (a worker spawning workers loses ordering and hides errors), so it raises at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:
    from seller_desk.store.uow import Store

log = logging.getLogger(__name__)
T = TypeVar("T")
Closure = Callable[[], None]


class Lane(Enum):
    DB = "db"
    IO = "io"


class WrongThreadError(RuntimeError):
    """Background work was started, or the GUI touched, from a thread other than the GUI thread."""


class TaskManager(QObject):
    """The app's executors plus ``run_on_main``. One per app; ``install`` makes it ``current()``."""

    _closure_posted = Signal(object)
    op_failed = Signal(str)  # an operation failed and nobody registered a failure callback

    _current: ClassVar[TaskManager | None] = None

    def __init__(self, store: Store | None, *, io_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._main_thread = threading.get_ident()
        self._closed = False
        self._executors = {
            Lane.DB: ThreadPoolExecutor(max_workers=1, thread_name_prefix="seller-desk-db"),
            Lane.IO: ThreadPoolExecutor(max_workers=io_threads, thread_name_prefix="seller-desk-io"),
        }
        self._closure_posted.connect(self._run_closure, Qt.ConnectionType.QueuedConnection)

    @classmethod
    def install(cls, store: Store | None, **kwargs: Any) -> TaskManager:
        """Create the task manager ``Op`` uses by default. Call on the GUI thread after QApplication."""
        if cls._current is not None and not cls._current._closed:
            raise RuntimeError("a TaskManager is already installed; shut it down first")
        cls._current = cls(store, **kwargs)
        return cls._current

    @classmethod
    def is_installed(cls) -> bool:
        """Whether ``current()`` would answer: false once the app (or a test) has shut it down."""
        return cls._current is not None and not cls._current._closed

    @classmethod
    def current(cls) -> TaskManager:
        if cls._current is None or cls._current._closed:
            raise RuntimeError("no TaskManager installed (app.py installs one before building windows)")
        return cls._current

    @property
    def closed(self) -> bool:
        return self._closed

    def on_main_thread(self) -> bool:
        return threading.get_ident() == self._main_thread

    def require_main_thread(self, what: str) -> None:
        if not self.on_main_thread():
            raise WrongThreadError(
                f"{what} from thread {threading.current_thread().name!r}; only the GUI thread may do "
                "that (hand the work back with run_on_main)"
            )

    def run_on_main(self, closure: Closure) -> None:
        """Run ``closure`` on the GUI thread, soon. Safe to call from any thread."""
        if not self._closed:
            self._closure_posted.emit(closure)

    def submit(self, fn: Callable[[], T], lane: Lane = Lane.DB) -> Future[T]:
        """Run ``fn`` on ``lane``; the caller gets the future (``Op`` wraps this for callbacks)."""
        self.require_main_thread("background work was started")
        if self._closed:
            raise RuntimeError("the task manager is shut down; no new background work")
        return self._executors[lane].submit(fn)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop accepting work, drop queued tasks, wait for running ones. Called on app quit."""
        if self._closed:
            return
        self._closed = True
        for executor in self._executors.values():
            executor.shutdown(wait=wait, cancel_futures=True)
        if TaskManager._current is self:
            TaskManager._current = None

    def _run_closure(self, closure: Closure) -> None:
        if self._closed:
            log.debug("dropped a result that arrived after shutdown")
            return
        closure()
