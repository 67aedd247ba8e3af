"""What happens when the app fails: a crash report on disk, and nothing the seller did is lost.

Every decision, receipt and note is committed to the store (with its outbox row, in one transaction)
before the app says it is queued, so a crash can only lose an act still in flight, never one the
seller saw confirmed; ``tests/e2e/test_crash_safety.py`` kills the app mid-write to hold us to it.
This module makes the failure itself visible and reportable:

- an unhandled exception on any thread (a Qt slot, a worker, the main loop) writes a report to
  ``<log dir>/crashes/`` — version, platform, thread, the traceback and the last log lines — logs it,
  and tells the window (``notify``) so it can say where the report is. The app keeps running: Qt would
  otherwise print the traceback to a console the seller never sees and carry on silently;
- a fatal signal (a segfault in a native library) cannot run Python code, so ``faulthandler`` writes
  the Python stacks of every thread to ``<log dir>/faults.log`` before the process dies.
"""

from __future__ import annotations

import faulthandler
import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from seller_desk import __version__
from seller_desk.logs import recent_lines, redact

log = logging.getLogger(__name__)
CRASH_DIR = "crashes"
FAULTS_LOG = "faults.log"
FAULTS_LOG_MAX_BYTES = 1_000_000
LOG_LINES_IN_REPORT = 60

Notify = Callable[[Path], None]
_fault_file: IO[str] | None = None  # kept open: faulthandler writes to its descriptor from a signal


def write_report(log_dir: Path, error: BaseException, where: str) -> Path:
    """Write one crash report and return its path (a new file each time, never overwritten)."""
    folder = log_dir / CRASH_DIR
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    path = folder / f"crash-{now:%Y%m%dT%H%M%S}-{now.microsecond:06d}.txt"
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    text = "\n".join([
        f"Seller Desk {__version__} crash report, {now.isoformat(timespec='seconds')}",
        f"Where: {where}",
        f"Python {platform.python_version()} on {platform.platform()}"
        f"{' (bundle)' if getattr(sys, 'frozen', False) else ''}",
        "",
        redact(trace),
        f"Last {LOG_LINES_IN_REPORT} log lines:",
        *recent_lines(log_dir, LOG_LINES_IN_REPORT),
        "",
    ])  # fmt: skip
    path.write_text(text, encoding="utf-8")
    return path


def install(log_dir: Path, notify: Notify | None = None) -> None:
    """Route unhandled exceptions of every thread to a report (then ``notify(report)``), and fatal
    signals to ``faults.log``. ``notify`` may be called from any thread."""
    global _fault_file

    def report(error: BaseException, where: str) -> None:
        try:
            path = write_report(log_dir, error, where)
        except OSError as exc:  # the disk is full or gone: say so where it can still be seen
            print(f"seller-desk: could not write a crash report ({exc})", file=sys.stderr)
            traceback.print_exception(type(error), error, error.__traceback__)
            return
        log.critical("unhandled %s in %s; report written to %s", type(error).__name__, where, path)
        if notify is not None:
            notify(path)

    def on_exception(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        report(error.with_traceback(tb), f"thread {threading.current_thread().name}")

    def on_thread_exception(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            name = args.thread.name if args.thread is not None else "unknown"
            report(args.exc_value.with_traceback(args.exc_traceback), f"thread {name}")

    sys.excepthook = on_exception
    threading.excepthook = on_thread_exception
    log_dir.mkdir(parents=True, exist_ok=True)
    if _fault_file is None:
        faults = log_dir / FAULTS_LOG
        if faults.exists() and faults.stat().st_size > FAULTS_LOG_MAX_BYTES:  # one line a launch adds up
            faults.replace(faults.with_name(FAULTS_LOG + ".1"))
        _fault_file = faults.open("a", encoding="utf-8")
        _fault_file.write(f"--- Seller Desk {__version__} started {datetime.now(UTC).isoformat()} ---\n")
        _fault_file.flush()
        faulthandler.enable(_fault_file, all_threads=True)
