"""Operation objects: callbacks on the GUI thread, errors, progress, cancellation, dead parents."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Generator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from seller_desk.workers import Lane, Op, OpContext, Progress, TaskManager, WrongThreadError

MAIN = threading.get_ident()


def test_success_runs_fn_in_a_worker_and_the_callback_on_the_main_thread(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    seen: dict[str, int] = {}

    def work(ctx: OpContext) -> int:
        seen["fn"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    op = Op(None, work).success(done).run_in_background()
    qtbot.waitUntil(lambda: op.finished, timeout=5000)
    assert seen["fn"] != MAIN
    assert seen["callback"] == MAIN
    assert seen["value"] == 42


def test_failure_gets_the_exception_on_the_main_thread_and_the_worker_logs_the_traceback(
    qtbot: QtBot, tasks: TaskManager, caplog: pytest.LogCaptureFixture
) -> None:
    caught: list[tuple[BaseException, int]] = []

    def work(ctx: OpContext) -> None:
        raise ValueError("no such RMA")

    def success(_: None) -> None:
        raise AssertionError("success after a failure")

    with caplog.at_level(logging.ERROR, logger="seller_desk.workers.ops"):
        op = Op(None, work).success(success).failure(lambda e: caught.append((e, threading.get_ident())))
        op.run_in_background()
        qtbot.waitUntil(lambda: op.finished, timeout=5000)
    assert isinstance(caught[0][0], ValueError)
    assert caught[0][1] == MAIN
    assert "no such RMA" in caplog.text
    assert "Traceback" in caplog.text


def test_a_failure_nobody_handles_is_announced(
    qtbot: QtBot, tasks: TaskManager, caplog: pytest.LogCaptureFixture
) -> None:
    def work(ctx: OpContext) -> None:
        raise OSError("disk full")

    with caplog.at_level(logging.CRITICAL), qtbot.waitSignal(tasks.op_failed, timeout=5000) as blocker:
        Op(None, work).run_in_background()
    assert blocker.args == ["OSError: disk full"]


def test_progressive_op_reports_progress_and_stops_at_the_next_yield_when_cancelled(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    steps: list[int] = []
    cleaned_up = threading.Event()
    events: list[str] = []

    def work(ctx: OpContext) -> Generator[Progress, None, str]:
        try:
            for i in range(1000):
                steps.append(i)
                time.sleep(0.005)
                yield Progress(i, 1000, "importing")
        finally:
            cleaned_up.set()
        return "all done"

    op: Op[str] = Op(None, work, lane=Lane.IO)
    op.success(lambda _: events.append("success")).cancelled(lambda: events.append("cancelled"))
    op.progress(lambda p: events.append(f"progress {p.done}") if not events else None)
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(events), timeout=5000)
    op.cancel()
    qtbot.waitUntil(lambda: op.finished, timeout=5000)
    assert cleaned_up.is_set()
    assert events[0].startswith("progress")
    assert events[-1] == "cancelled"
    assert "success" not in events
    assert len(steps) < 1000


def test_progressive_op_returns_its_value(qtbot: QtBot, tasks: TaskManager) -> None:
    progress: list[Progress] = []

    def work(ctx: OpContext) -> Generator[Progress, None, int]:
        for i in range(3):
            yield Progress(i + 1, 3)
        return 3

    results: list[int] = []
    op = Op(None, work).progress(progress.append).success(results.append).run_in_background()
    qtbot.waitUntil(lambda: op.finished, timeout=5000)
    assert results == [3]
    assert progress  # latest-first coalescing may skip some, never the order
    assert [p.done for p in progress] == sorted(p.done for p in progress)


def test_callbacks_are_dropped_when_the_parent_is_destroyed_first(qtbot: QtBot, tasks: TaskManager) -> None:
    release = threading.Event()
    called: list[str] = []
    parent = QObject()

    def work(ctx: OpContext) -> str:
        release.wait(5)
        return "late"

    op = Op(parent, work).success(called.append).failure(lambda e: called.append(repr(e)))
    op.run_in_background()
    shiboken6.delete(parent)
    release.set()
    qtbot.waitUntil(lambda: op.finished, timeout=5000)
    qtbot.wait(20)
    assert called == []


def test_queued_work_of_a_destroyed_parent_never_starts(qtbot: QtBot, tasks: TaskManager) -> None:
    gate = threading.Event()
    started: list[str] = []
    blocker = Op(None, lambda ctx: gate.wait(5)).run_in_background()
    parent = QObject()
    op = Op(parent, lambda ctx: started.append("ran")).run_in_background()
    shiboken6.delete(parent)
    gate.set()
    qtbot.waitUntil(lambda: blocker.finished and op.finished, timeout=5000)
    assert started == []


def test_starting_work_off_the_main_thread_fails_loudly(qtbot: QtBot, tasks: TaskManager) -> None:
    errors: list[BaseException] = []

    def from_a_thread() -> None:
        try:
            Op(None, lambda ctx: None).run_in_background()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=from_a_thread)
    thread.start()
    thread.join()
    assert len(errors) == 1
    assert isinstance(errors[0], WrongThreadError)
    assert "GUI thread" in str(errors[0])


def test_database_work_runs_on_one_thread_in_submission_order(qtbot: QtBot, tasks: TaskManager) -> None:
    order: list[tuple[int, int]] = []
    ops = [
        Op(None, lambda ctx, i=i: order.append((i, threading.get_ident()))).run_in_background()
        for i in range(20)
    ]
    qtbot.waitUntil(lambda: all(op.finished for op in ops), timeout=5000)
    assert [i for i, _ in order] == list(range(20))
    assert len({ident for _, ident in order}) == 1


def test_each_op_opens_and_closes_its_own_connection(qtbot: QtBot, tasks: TaskManager) -> None:
    assert tasks.store is not None
    results: list[int] = []
    op = Op(None, lambda ctx: ctx.connection().exec_driver_sql("SELECT count(*) FROM returns").scalar_one())
    op.success(results.append).run_in_background()
    qtbot.waitUntil(lambda: op.finished, timeout=5000)
    assert results == [0]
    assert tasks.store.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_shutdown_waits_for_running_work_and_refuses_new_work(qtbot: QtBot, store: object) -> None:
    manager = TaskManager.install(None)
    finished = threading.Event()

    def slow(ctx: OpContext) -> None:
        time.sleep(0.2)
        finished.set()

    Op(None, slow).run_in_background()
    time.sleep(0.05)
    manager.shutdown(wait=True)
    assert finished.is_set()
    with pytest.raises(RuntimeError, match="no TaskManager installed"):
        Op(None, lambda ctx: None).run_in_background()
