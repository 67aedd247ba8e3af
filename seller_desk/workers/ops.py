"""Operation objects: one piece of background work and what to do on the GUI thread when it ends.

``Op(parent, fn).success(cb).failure(cb).run_in_background()`` (Anki's ``QueryOp``/``CollectionOp``,
Picard's result-or-error callbacks, napari's generator workers), with these promises:

- ``fn(ctx)`` runs on a worker thread and opens what it needs there (``ctx.connection()``,
  ``ctx.unit_of_work()``), closed when it returns: nothing database-bound crosses threads.
- Callbacks run on the GUI thread. An exception is logged with its traceback in the worker, then
  handed to the failure callback (or, if there is none, announced by ``TaskManager.op_failed``).
- If ``parent`` is destroyed before the result arrives, the work is cancelled if it has not started
  and its callbacks are dropped: nothing is ever called on a deleted widget.
- If ``fn`` returns a generator, each value it yields is progress (delivered latest-first, never
  flooding the event queue), its return value is the result, and ``cancel()`` stops it at the next
  ``yield`` (its ``finally`` blocks run). A plain ``fn`` may poll ``ctx.cancelled``.
- Once ``cancel()`` was called, success is never reported; ``cancelled`` callbacks run instead.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable, Generator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from seller_desk.workers.taskman import Lane, TaskManager

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from seller_desk.store.uow import Store, UnitOfWork

log = logging.getLogger(__name__)
T = TypeVar("T")


class OpCancelled(Exception):
    """Raised inside ``fn`` by ``ctx.check_cancelled()`` to stop early."""


class Progress(NamedTuple):
    """A conventional progress value for generator ops to yield (any value is passed through)."""

    done: int
    total: int | None = None
    label: str = ""


class OpContext:
    """What ``fn`` gets on the worker thread: the store, lazily opened resources, cancellation."""

    def __init__(self, store: Store | None, cancel_event: threading.Event) -> None:
        self._store = store
        self._cancel = cancel_event
        self._connection: Connection | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("this task manager has no store")
        return self._store

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise OpCancelled

    def connection(self) -> Connection:
        """A read connection of this op's own, closed when ``fn`` returns."""
        if self._connection is None:
            self._connection = self.store.engine.connect()
        return self._connection

    def unit_of_work(self, *, write: bool = False) -> UnitOfWork:
        """A unit of work for this op (``with ctx.unit_of_work(write=True) as uow: ...``)."""
        return self.store.unit_of_work(write=write)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class Op(Generic[T]):
    """Background work with GUI-thread callbacks. Build it, chain callbacks, ``run_in_background()``."""

    def __init__(
        self,
        parent: QObject | None,
        fn: Callable[[OpContext], T] | Callable[[OpContext], Generator[Any, None, T]],
        *,
        lane: Lane = Lane.DB,
        tasks: TaskManager | None = None,
    ) -> None:
        self._parent = parent
        self._fn = fn
        self._lane = lane
        self._tasks = tasks
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[BaseException], None]] = []
        self._on_progress: list[Callable[[Any], None]] = []
        self._on_cancelled: list[Callable[[], None]] = []
        self._cancel = threading.Event()
        self._future: Future[tuple[str, Any]] | None = None
        self._progress_lock = threading.Lock()
        self._progress_value: Any = None
        self._progress_posted = False
        self._finished = False

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success.append(callback)
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        self._on_failure.append(callback)
        return self

    def progress(self, callback: Callable[[Any], None]) -> Op[T]:
        self._on_progress.append(callback)
        return self

    def cancelled(self, callback: Callable[[], None]) -> Op[T]:
        self._on_cancelled.append(callback)
        return self

    @property
    def finished(self) -> bool:
        return self._finished

    def run_in_background(self) -> Op[T]:
        """Queue the work; must be called on the GUI thread (else ``WrongThreadError``)."""
        if self._future is not None:
            raise RuntimeError("an Op runs once; build a new one")
        tasks = self._tasks or TaskManager.current()
        self._tasks = tasks
        if self._parent is not None:
            self._parent.destroyed.connect(self._on_parent_destroyed)
        self._future = tasks.submit(self._execute, self._lane)
        self._future.add_done_callback(lambda future: tasks.run_on_main(lambda: self._finish(future)))
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it is dropped if it has not started. Callable from any thread."""
        self._cancel.set()
        if self._future is not None:
            self._future.cancel()

    # --- worker thread ---------------------------------------------------------------------------

    def _execute(self) -> tuple[str, Any]:
        if self._cancel.is_set():
            return ("cancelled", None)
        assert self._tasks is not None
        ctx = OpContext(self._tasks.store, self._cancel)
        try:
            result = self._fn(ctx)
            if inspect.isgenerator(result):
                result = self._drive(result)
            return ("ok", result)
        except OpCancelled:
            return ("cancelled", None)
        except BaseException as exc:
            log.exception("background operation %s failed", getattr(self._fn, "__qualname__", self._fn))
            return ("error", exc)
        finally:
            ctx.close()

    def _drive(self, generator: Generator[Any, None, T]) -> T:
        try:
            while True:
                if self._cancel.is_set():
                    generator.close()
                    raise OpCancelled
                self._post_progress(next(generator))
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    def _post_progress(self, value: Any) -> None:
        with self._progress_lock:
            self._progress_value = value
            if self._progress_posted:
                return
            self._progress_posted = True
        assert self._tasks is not None
        self._tasks.run_on_main(self._deliver_progress)

    # --- GUI thread ------------------------------------------------------------------------------

    def _deliver_progress(self) -> None:
        with self._progress_lock:
            value = self._progress_value
            self._progress_posted = False
        if self._finished or self._cancel.is_set() or not self._parent_alive():
            return
        for callback in self._on_progress:
            callback(value)

    def _on_parent_destroyed(self) -> None:
        self._parent = _DEAD
        self.cancel()

    def _parent_alive(self) -> bool:
        return self._parent is None or (self._parent is not _DEAD and shiboken6.isValid(self._parent))

    def _finish(self, future: Future[tuple[str, Any]]) -> None:
        self._finished = True
        if not self._parent_alive():
            log.debug("dropped the result of %s: its parent was destroyed", self._fn)
            return
        if self._parent is not None:
            self._parent.destroyed.disconnect(self._on_parent_destroyed)
        kind, value = ("cancelled", None) if future.cancelled() else future.result()
        if kind == "ok" and self._cancel.is_set():
            kind = "cancelled"
        if kind == "ok":
            for success in self._on_success:
                success(value)
        elif kind == "error":
            for failure in self._on_failure:
                failure(value)
            if not self._on_failure:
                assert self._tasks is not None
                self._tasks.op_failed.emit(f"{type(value).__name__}: {value}")
        else:
            for on_cancelled in self._on_cancelled:
                on_cancelled()


_DEAD: Any = object()  # the parent's stand-in once Qt has destroyed it
