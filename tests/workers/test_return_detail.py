"""The detail read as an Op: it runs on the DB lane, and a read cancelled while queued never runs."""

from __future__ import annotations

import threading
from functools import partial

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from seller_desk.store.queries.return_detail_facts import ReturnDetail, ReturnNotFound
from seller_desk.store.uow import Store
from seller_desk.workers import Op, OpContext, TaskManager
from seller_desk.workers.return_detail import read_return_detail
from tests.fixtures.return_detail_data import DETAILED_ID, DETAILED_RMA, add_detailed_returns


def test_the_read_runs_on_the_db_thread(qtbot: QtBot, tasks: TaskManager, store: Store) -> None:
    add_detailed_returns(store)
    owner = QObject()
    got: list[ReturnDetail] = []
    threads: list[str] = []

    def read(ctx: OpContext, return_id: int) -> ReturnDetail:
        threads.append(threading.current_thread().name)
        return read_return_detail(ctx, return_id)

    op = Op(owner, partial(read, return_id=DETAILED_ID)).success(got.append)
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(got), timeout=5_000)
    assert got[0].rma == DETAILED_RMA and threads[0].startswith("seller-desk-db")


def test_a_missing_return_reaches_the_failure_callback(qtbot: QtBot, tasks: TaskManager) -> None:
    owner = QObject()
    errors: list[BaseException] = []
    Op(owner, partial(read_return_detail, return_id=5)).failure(errors.append).run_in_background()
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert isinstance(errors[0], ReturnNotFound)


def test_a_read_cancelled_in_the_queue_never_reads(qtbot: QtBot, tasks: TaskManager) -> None:
    owner = QObject()
    gate = threading.Event()
    outcomes: list[str] = []
    Op(owner, lambda _ctx: gate.wait(5)).run_in_background()  # hold the DB lane
    op = Op(owner, partial(read_return_detail, return_id=5))
    op.success(lambda _d: outcomes.append("read")).failure(lambda _e: outcomes.append("failed"))
    op.cancelled(lambda: outcomes.append("cancelled")).run_in_background()
    op.cancel()
    gate.set()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5_000)
    assert outcomes == ["cancelled"]  # return 5 does not exist: a read would have failed
