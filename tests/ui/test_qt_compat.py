"""The guard against the Qt binding's singleton reference leak keeps long sessions alive."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PySide6.QtCore import QObject, Signal

from seller_desk.ui.qt_compat import leaking_singletons


class _Emitter(QObject):
    fired = Signal()


def test_many_void_calls_and_emits_leave_none_and_true_far_from_zero() -> None:
    """conftest guarded this run; a leaky binding must have been padded."""
    emitter = _Emitter()
    for _ in range(50_000):
        emitter.setObjectName("x")
        emitter.fired.emit()
    for singleton in leaking_singletons():
        assert sys.getrefcount(singleton) > 1 << 39


def test_a_process_with_the_guard_survives_what_would_kill_it() -> None:
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QObject, Signal
        from seller_desk.ui.qt_compat import protect_singleton_refcounts

        class Emitter(QObject):
            fired = Signal()

        padded = protect_singleton_refcounts()
        emitter = Emitter()
        for _ in range(300_000):  # far more than None's or True's count in an unguarded process
            emitter.setObjectName("x")
            emitter.fired.emit()
        print("alive", padded)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("alive")
