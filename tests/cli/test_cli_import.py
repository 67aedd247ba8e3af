"""``seller-desk import FILE... [--strict] [--json]`` as a script runs it (CLI.md): a real process, a real
store file, the promised JSON shape, and an exit status a script can trust."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from seller_desk.bench.report_files import write_fba, write_mfn_flat
from seller_desk.paths import DB_FILENAME
from tests.cli.test_cli_contract import run_cli, run_in_process
from tests.fixtures.report_texts import mfn_row, mfn_text, write


def test_json_lists_each_file_with_its_counts_and_errors(tmp_path: Path) -> None:
    good = write_mfn_flat(tmp_path / "mfn.txt", 40)
    fba = write_fba(tmp_path / "fba.txt", 10)
    bad = write(
        tmp_path / "bad.txt", mfn_text(mfn_row(), mfn_row(**{"Amazon RMA ID": "R2", "Order date": "soon"}))
    )
    data = tmp_path / "data"
    result = run_cli("import", str(good), str(fba), str(bad), "--data-dir", str(data), "--json")
    assert result.returncode == 1, result.stderr  # one row was rejected
    files = json.loads(result.stdout)["files"]
    assert [(f["file"], f["format"], f["rows"], f["imported"]) for f in files] == [
        (str(good), "mfn_flat", 40, 40), (str(fba), "fba", 10, 10), (str(bad), "mfn_flat", 2, 1)]  # fmt: skip
    for f in files:
        assert {"file", "format", "rows", "imported", "updated", "skipped", "errors"} <= set(f)
    assert files[2]["errors"] == [{"line": 3, "column": "Order date", "message": "not a date: 'soon' "
                                   "(expected DD-Mon-YYYY, DD-MM-YYYY or ISO-8601)"}]  # fmt: skip
    with sqlite3.connect(data / DB_FILENAME) as conn:
        assert conn.execute("SELECT count(*) FROM returns").fetchone()[0] == 51

    again = run_cli("import", str(good), "--data-dir", str(data), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["files"][0]["skipped"] == 40


def test_strict_imports_nothing_from_a_file_with_a_bad_row_and_says_so(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.txt", mfn_text(mfn_row(), mfn_row(**{"Return quantity": "-2"})))
    result = run_cli("import", str(bad), "--strict", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    assert "0 new" in result.stdout and "1 rejected" in result.stdout
    assert "nothing from this file was saved" in result.stderr
    assert f"{bad}:3: Return quantity:" in result.stderr


def test_a_missing_file_is_a_user_error_naming_it(tmp_path: Path) -> None:
    result = run_cli("import", str(tmp_path / "nope.txt"), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    assert "nope.txt: no such file" in result.stderr


def test_import_loads_no_qt_pandas_or_matplotlib(tmp_path: Path) -> None:
    path = write_mfn_flat(tmp_path / "mfn.txt", 5)
    result = run_in_process("import", str(path), "--json", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr
