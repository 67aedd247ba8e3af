"""The Returns table model: Qt's model contract, pages read off the GUI thread, generations, formatting."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

import seller_desk.workers.returns_list as returns_list
from seller_desk.store.queries.returns import ReturnFlag, ReturnRow, ReturnsFilter, ReturnsSort
from seller_desk.ui import formatting as fmt
from seller_desk.ui.models import returns_model
from seller_desk.ui.models.returns_columns import format_row
from seller_desk.ui.models.returns_model import (
    ANCHOR_EVERY,
    PAGE_ROWS,
    PLACEHOLDER,
    UNAVAILABLE,
    ReturnsTableModel,
)
from seller_desk.workers import TaskManager

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def model(qtbot: QtBot, tasks: TaskManager) -> ReturnsTableModel:
    model = ReturnsTableModel()
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.start()
    return model


def test_model_passes_qts_model_tester_with_data_loaded(
    qtbot: QtBot, qtmodeltester: ModelTester, model: ReturnsTableModel
) -> None:
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)
    assert model.row_at(0) is not None


def test_data_never_reads_the_store_on_the_gui_thread(
    qtbot: QtBot, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = threading.get_ident()
    threads: set[int] = set()

    def spy(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            threads.add(threading.get_ident())
            return fn(*args, **kwargs)

        return wrapper

    for name in ("page_returns", "count_returns", "anchor_keys"):
        monkeypatch.setattr(returns_list, name, spy(getattr(returns_list, name)))
    model = ReturnsTableModel()
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.start()
    far = model.index(2_500, 0)
    assert model.data(far, DISPLAY) == PLACEHOLDER  # answered at once, from no page
    with qtbot.waitSignal(model.dataChanged, timeout=10_000) as changed:
        pass
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), bottom.row()) == (2_400, 2_599)  # exactly the page of row 2 500
    assert (top.column(), bottom.column()) == (0, model.columnCount() - 1)
    assert model.data(far, DISPLAY) != PLACEHOLDER
    assert threads
    assert gui not in threads


def test_roles_the_model_does_not_serve_return_none_without_a_request(model: ReturnsTableModel) -> None:
    index = model.index(1_000, 0)
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(index, Qt.ItemDataRole.FontRole) is None
    assert not model.is_loading()  # nothing was asked of the database


def test_a_newer_filter_wins_even_if_an_older_one_answers_later(
    qtbot: QtBot, model: ReturnsTableModel
) -> None:
    model.set_filter(ReturnsFilter(statuses=("closed",)))
    model.set_filter(ReturnsFilter(statuses=("in_transit",)))
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)
    assert model.current_filter().statuses == ("in_transit",)
    row = model.row_at(0)
    assert row is not None
    assert row.status == "in_transit"
    statuses = {model.row_at(r).status for r in range(min(PAGE_ROWS, model.rowCount()))}  # type: ignore[union-attr]
    assert statuses == {"in_transit"}


def test_header_sort_maps_to_the_store_sort(qtbot: QtBot, model: ReturnsTableModel) -> None:
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.sort(3, Qt.SortOrder.AscendingOrder)  # SKU
    assert model.current_sort() == ReturnsSort("sku", descending=False)
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.sort(0, Qt.SortOrder.DescendingOrder)  # RMA
    assert model.current_sort() == ReturnsSort("rma", descending=True)
    rmas = [model.row_at(r).rma for r in range(50)]  # type: ignore[union-attr]
    assert rmas == sorted(rmas, reverse=True)
    model.sort(4, Qt.SortOrder.AscendingOrder)  # Title: not sortable in the store, ignored
    assert model.current_sort() == ReturnsSort("rma", descending=True)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.rowCount(QModelIndex()) == 3_000


def test_money_dates_and_labels_read_like_a_seller_expects() -> None:
    assert fmt.money(1234, "USD") == "$12.34"
    assert fmt.money(500, "GBP") == "£5.00"
    assert fmt.money(500, "EUR") == "€5.00"
    assert fmt.money(-123456, "USD") == "-$1,234.56"
    assert fmt.money(500, "JPY") == "¥500"
    assert fmt.money(999, "PLN") == "9.99 PLN"
    assert fmt.status_label("in_transit") == "In transit"
    assert fmt.reason_label("size_fit", "APPAREL_TOO_SMALL") == "Size / fit"
    assert fmt.reason_label(None, "CR-EXT-0042") == "CR-EXT-0042"  # unknown code shown as itself
    assert fmt.local_date(None) == ""


def test_a_stalled_parcel_reads_stalled() -> None:
    row = ReturnRow(
        1, "D123RMA", "111-1", "SKU-1", None, 2, None, "ODD_CODE", "in_transit", "UPS", "1Z1", 1, 2, 2599,
        "GBP", 0, int(ReturnFlag.STALLED),
    )  # fmt: skip
    cells = format_row(row)
    assert cells[7] == "Stalled"
    assert cells[6] == "ODD_CODE"
    assert cells[4] == ""
    assert cells[-3:] == ("", "£25.99", "Stalled")  # not shipped: no days in transit; the flag spelled out


def test_a_far_page_is_read_from_the_nearest_anchor_with_a_short_offset(
    qtbot: QtBot, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[tuple[object, int]] = []
    real_load_page = returns_model.load_page

    def recording_load_page(ctx: Any, **kwargs: Any) -> list[ReturnRow]:
        reads.append((kwargs["after"], kwargs["offset"]))
        return real_load_page(ctx, **kwargs)

    monkeypatch.setattr(returns_model, "load_page", recording_load_page)
    model = ReturnsTableModel()
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.start()
    qtbot.waitUntil(lambda: model._anchor_row >= 3_000 - ANCHOR_EVERY, timeout=10_000)
    model.data(model.index(2_500, 0), DISPLAY)
    qtbot.waitUntil(lambda: model.row_at(2_500) is not None, timeout=10_000)
    after, offset = reads[-1]
    assert after is not None
    assert 0 <= offset < ANCHOR_EVERY


def test_a_page_that_cannot_be_read_shows_a_dash_and_says_why(
    qtbot: QtBot, model: ReturnsTableModel, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(ctx: Any, **kwargs: Any) -> list[ReturnRow]:
        raise OSError("disk I/O error")

    monkeypatch.setattr(returns_model, "load_page", broken)
    with caplog.at_level(logging.CRITICAL), qtbot.waitSignal(model.load_failed, timeout=10_000) as failed:
        model.data(model.index(1_000, 0), DISPLAY)
    assert "disk I/O error" in failed.args[0]
    assert model.data(model.index(1_000, 0), DISPLAY) == UNAVAILABLE
    assert not model.is_loading()


def test_a_word_search_shows_its_rows_first_and_grows_to_its_count(
    qtbot: QtBot, qtmodeltester: ModelTester, tasks: TaskManager, small_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import sqlite3

    from seller_desk.paths import DB_FILENAME
    from seller_desk.store.comment_index import catch_up_batch
    from seller_desk.store.queries.returns import count_returns

    raw = sqlite3.connect(small_data_dir / DB_FILENAME, isolation_level=None)
    while catch_up_batch(raw):
        pass
    f = ReturnsFilter(search="cracked")
    total = count_returns(raw, f)
    raw.close()
    monkeypatch.setattr(returns_model, "PAGE_ROWS", 4)  # a page the matches overflow
    assert total > 4
    model = ReturnsTableModel()
    qtmodeltester.check(model)
    counts: list[int] = []
    model.count_changed.connect(counts.append)
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.start()
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.set_filter(f)
    assert model.rowCount() == 4 and model.is_loading()  # the rows are there; the count is coming
    qtbot.waitUntil(lambda: model.rowCount() == total, timeout=10_000)
    assert counts[-1] == total
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)
    assert all(model.row_at(r) is not None for r in range(4))
