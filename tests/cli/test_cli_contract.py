"""The command-line contract of CLI.md: exit codes, --json output, --data-dir and SELLER_DESK_HOME.

These run the real entry point in a subprocess, as a script or cron job would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from seller_desk import __version__


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "seller_desk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        check=False,
    )


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"seller-desk {__version__}"


def test_usage_error_exits_2() -> None:
    result = run_cli("seed", "--returns", "many")
    assert result.returncode == 2
    assert "not a whole number" in result.stderr


def test_status_json_on_a_fresh_store(tmp_path: Path) -> None:
    result = run_cli("status", "--json", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "returns": 0,
        "refund_requests": {},
        "pending_mutations": 0,
        "conflicts": 0,
        "last_sync_at": None,
        "rejected_mutations": 0,
        "backend": None,
        "last_sync_error": None,
    }
    assert (tmp_path / "seller-desk.sqlite3").exists()


def test_seller_desk_home_is_honoured_and_data_dir_wins(tmp_path: Path) -> None:
    home, explicit = tmp_path / "home", tmp_path / "explicit"
    assert run_cli("status", env={"SELLER_DESK_HOME": str(home)}).returncode == 0
    assert (home / "seller-desk.sqlite3").exists()
    assert run_cli("status", "--data-dir", str(explicit), env={"SELLER_DESK_HOME": str(home)}).returncode == 0
    assert (explicit / "seller-desk.sqlite3").exists()


def test_corrupt_store_is_a_user_error_naming_the_file(tmp_path: Path) -> None:
    db = tmp_path / "seller-desk.sqlite3"
    db.write_text("garbage\n" * 100)
    result = run_cli("status", "--json", "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert str(db) in result.stderr
    assert result.stdout == ""
    assert db.read_text() == "garbage\n" * 100


def run_in_process(*argv: str) -> subprocess.CompletedProcess[str]:
    """``main(argv)`` in a fresh interpreter that reports on stderr which heavy modules it loaded."""
    code = (
        f"import sys; from seller_desk.cli import main; rc = main({list(argv)!r}); "
        "bad = [m for m in ('PySide6', 'pandas', 'matplotlib') if m in sys.modules]; "
        "print('HEAVY', bad, file=sys.stderr); sys.exit(rc)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_headless_commands_import_no_qt(tmp_path: Path) -> None:
    result = run_in_process("status", "--json", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr
