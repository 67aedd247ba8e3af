"""Crash reports: what they hold, that every thread's unhandled error makes one and reaches the window,
and that a fatal signal still leaves the Python stacks in faults.log."""

from __future__ import annotations

import faulthandler
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from seller_desk import __version__, crash


@pytest.fixture
def hooks() -> Iterator[None]:
    """Restore the interpreter's hooks: ``crash.install`` replaces them for the whole process."""
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved
    if crash._fault_file is not None:  # faulthandler back to stderr, as pytest had it
        faulthandler.enable(sys.__stderr__)
        crash._fault_file.close()
        crash._fault_file = None


def test_a_report_holds_version_place_traceback_and_recent_log(tmp_path: Path) -> None:
    (tmp_path / "seller-desk.log").write_text(
        "2026-11-22 10:00:00 INFO x: synced 12 changes\n", encoding="utf-8"
    )
    try:
        raise KeyError("token=sd_do_not_leak_123")
    except KeyError as exc:
        path = crash.write_report(tmp_path, exc, "thread sync-worker")
    text = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path / "crashes"
    assert text.startswith(f"Seller Desk {__version__} crash report, ")
    assert "Where: thread sync-worker" in text
    assert "KeyError" in text and "test_crash.py" in text
    assert "sd_do_not_leak_123" not in text and "[redacted]" in text
    assert text.rstrip().endswith("synced 12 changes")
    again = crash.write_report(tmp_path, ValueError("second"), "here")
    assert again != path and path.exists()  # never overwritten


def test_unhandled_errors_of_any_thread_are_reported_and_notified(hooks: None, tmp_path: Path) -> None:
    notified: list[Path] = []
    crash.install(tmp_path, notified.append)

    def worker() -> None:
        raise RuntimeError("lost in a worker")

    thread = threading.Thread(target=worker, name="io-worker-3")
    thread.start()
    thread.join()
    try:
        raise LookupError("in a Qt slot")
    except LookupError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert len(notified) == 2
    first, second = (p.read_text(encoding="utf-8") for p in notified)
    assert "Where: thread io-worker-3" in first and "RuntimeError: lost in a worker" in first
    assert "Where: thread MainThread" in second and "LookupError: in a Qt slot" in second


def test_a_segfault_leaves_every_threads_stack_in_faults_log(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import faulthandler
        from pathlib import Path
        from seller_desk import crash
        crash.install(Path({str(tmp_path)!r}))
        def deep_in_native_code():
            faulthandler._sigsegv()
        deep_in_native_code()
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode < 0  # killed by the signal, as a native crash is
    faults = (tmp_path / "faults.log").read_text(encoding="utf-8")
    assert f"Seller Desk {__version__} started" in faults
    assert "Segmentation fault" in faults
    assert "deep_in_native_code" in faults


def test_recording_starts_the_log_and_handler_and_stop_puts_everything_back(
    hooks: None, tmp_path: Path
) -> None:
    import logging

    before = (
        sys.excepthook,
        threading.excepthook,
        faulthandler.is_enabled(),
        list(logging.getLogger().handlers),
    )
    recording = crash.record_failures(tmp_path)
    assert sys.excepthook is not before[0] and crash._fault_file is not None
    seen: list[Path] = []
    recording.notices.append(seen.append)
    try:
        raise OSError("disk on fire")
    except OSError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert len(seen) == 1 and seen[0].parent == tmp_path / "crashes"
    recording.stop()
    recording.stop()  # twice is harmless (the demo restart stops early)
    assert (sys.excepthook, threading.excepthook, faulthandler.is_enabled()) == before[:3]
    assert logging.getLogger().handlers == before[3]
    assert crash._fault_file is None
    log = (tmp_path / "seller-desk.log").read_text(encoding="utf-8")
    assert "starting; logs in" in log and "unhandled OSError" in log
