"""Work-arounds for defects of the Qt binding this app runs on, each detected, never assumed.

shiboken6/PySide6 6.12.0 (its abi3 wheel) hands back ``None`` from void methods, and ``True`` from
``Signal.emit``/``disconnect``, without taking a reference. On Python 3.11, where those singletons
are still reference-counted, every ``label.setText(...)`` or ``signal.emit(...)`` lowers their count
by one; after some thousands of calls (a minute of scrolling) the interpreter dies with "Fatal
Python error: none_dealloc" (or "bool_dealloc"). PySide6 6.11.3 does not do this, and on Python
≥ 3.12 the singletons are immortal.

The cure is a binding without the defect (``PySide6-Essentials != 6.12.0``, or Python ≥ 3.12). Until
then ``protect_singleton_refcounts`` detects the leak with a few harmless calls and, only for the
singletons that leak, raises the reference count by 2**40 so it cannot reach zero in any session.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

log = logging.getLogger(__name__)
PROBE_CALLS = 64
PADDING = 1 << 40


def leaking_singletons() -> list[Any]:
    """The singletons (None, True, False) whose reference count Qt calls lower: [] on a sound binding."""
    if sys.version_info >= (3, 12):
        return []  # immortal singletons: their counts never move
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        fired = Signal()

    probe = _Probe()
    singletons = (None, True, False)
    before = [sys.getrefcount(s) for s in singletons]
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")  # void
        probe.fired.emit()  # bool
    leaking = [
        s for s, b in zip(singletons, before, strict=True) if sys.getrefcount(s) <= b - PROBE_CALLS // 2
    ]
    if True in leaking and False not in leaking:
        leaking.append(False)  # the same bool return path; emit just happens to answer True
    return leaking


def protect_singleton_refcounts() -> list[Any]:
    """Pad the reference counts the binding leaks (if any); returns the singletons it padded."""
    padded = []
    for singleton in leaking_singletons():
        before = sys.getrefcount(singleton)
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt: PyObject's first field
        refcount.value += PADDING
        if sys.getrefcount(singleton) != before + PADDING:  # not the layout expected: undo, say so
            refcount.value -= PADDING
            log.error(
                "could not guard %r against the Qt binding's reference leak; the app may crash", singleton
            )
            continue
        padded.append(singleton)
    if padded:
        log.info("Qt binding leaks references to %s (PySide6 6.12.0 on Python 3.11): guarded", padded)
    return padded
