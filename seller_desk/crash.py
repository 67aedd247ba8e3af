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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from seller_desk import __version__
from seller_desk.logs import configure_file_log, recent_lines, redact, stop_file_log

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


def install(log_dir: Path, notify: Notify | None = None) -> Callable[[], None]:
    """Route unhandled exceptions of every thread to a report (then ``notify(report)``), and fatal
    signals to ``faults.log``. ``notify`` may be called from any thread. Returns the function that puts
    back what was there before (the app calls it on the way out; tests run the app in-process)."""
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

    saved = sys.excepthook, threading.excepthook, faulthandler.is_enabled()
    sys.excepthook = on_exception
    threading.excepthook = on_thread_exception
    opened = _open_fault_log(log_dir) if _fault_file is None else None

    def restore() -> None:
        global _fault_file
        sys.excepthook, threading.excepthook = saved[0], saved[1]
        if opened is not None and _fault_file is opened:
            if saved[2]:
                faulthandler.enable(sys.__stderr__)
            else:
                faulthandler.disable()
            opened.close()
            _fault_file = None

    return restore


def _open_fault_log(log_dir: Path) -> IO[str]:
    global _fault_file
    log_dir.mkdir(parents=True, exist_ok=True)
    faults = log_dir / FAULTS_LOG
    if faults.exists() and faults.stat().st_size > FAULTS_LOG_MAX_BYTES:  # one line a launch adds up
        faults.replace(faults.with_name(FAULTS_LOG + ".1"))
    _fault_file = faults.open("a", encoding="utf-8")
    _fault_file.write(f"--- Seller Desk {__version__} started {datetime.now(UTC).isoformat()} ---\n")
    _fault_file.flush()
    faulthandler.enable(_fault_file, all_threads=True)
    return _fault_file


@dataclass
class Recording:
    """The app's log file and crash handler while it runs; ``notices`` get each crash report's path
    (the window adds its notice once it exists; a failure before that is reported on disk only)."""

    notices: list[Notify] = field(default_factory=list)
    _undo: list[Callable[[], None]] = field(default_factory=list)

    def notify(self, report: Path) -> None:
        for notice in self.notices:
            notice(report)

    def stop(self) -> None:
        while self._undo:
            self._undo.pop()()


def record_failures(log_dir: Path) -> Recording:
    """Start the log file and the crash handler for the app's run; an unwritable log dir is a warning
    on stderr, never a reason not to start."""
    recording = Recording()
    try:
        path = configure_file_log(log_dir)
    except OSError as exc:
        log.warning("not logging to a file in %s: %s", log_dir, exc)
        return recording
    recording._undo.append(lambda: stop_file_log(path))
    recording._undo.append(install(log_dir, recording.notify))
    bundle = " (bundle)" if getattr(sys, "frozen", False) else ""
    log.info("Seller Desk %s starting%s; logs in %s", __version__, bundle, log_dir)
    return recording
