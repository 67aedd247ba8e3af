"""``gui_pull_stall`` on a small feed: the JSON object keeps the bench contract, the pull really ran
through the GUI's sync worker (every row landed), and the baseline was measured in the same run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seller_desk.bench.gui_pull_stall import PAGE, build_pages, measure

FIELDS = {"name", "value", "unit", "baseline", "ratio", "target", "target_on", "ok", "detail"}


def test_pages_follow_the_protocol_and_chain_their_cursors() -> None:
    pages = [json.loads(p) for p in build_pages(2_500, page=1_000)]
    assert [len(p["changes"]) for p in pages] == [1_000, 1_000, 500]
    assert [p["has_more"] for p in pages] == [True, True, False]
    assert [p["next_cursor"] for p in pages] == ["1", "2", "3"]
    assert pages[2]["changes"][-1]["seq"] == 2_500


@pytest.mark.slow
def test_small_pull_reports_a_stall_against_an_idle_baseline(tmp_path: Path) -> None:
    (result,) = measure(tmp_path, changes=2_000)
    doc = result.to_json()
    assert doc.keys() >= FIELDS
    assert doc["name"] == "gui_pull_stall" and doc["unit"] == "ms" and doc["target"] == 100.0
    assert doc["value"] >= 0 and doc["baseline"] > 0
    assert doc["ratio"] == pytest.approx(doc["value"] / doc["baseline"], rel=0.01)
    assert isinstance(doc["ok"], bool)
    assert doc["detail"]["changes"] == 2_000 and doc["detail"]["pages"] == -(-2_000 // PAGE)
    assert doc["detail"]["samples"] > 0
    json.dumps(doc)  # one JSON line, as the CLI prints it
