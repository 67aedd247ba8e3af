"""Report imports as background work: each file in turn, progress by bytes, a cancel that rolls back.

Offline, a file goes into the local store (``store.report_import.import_steps``, one transaction per
file); connected to a backend, it is streamed there (``sync.report_upload``) and comes back with the
next pull. Progress values carry every finished file's summary so far, so whatever the seller cancels,
the dialog still shows what was done (progress is delivered latest-first: earlier values may be
skipped, never the last). A cancel stops the current file at its next batch, which rolls it back;
the files before it stay imported.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seller_desk.workers.ops import OpContext

UPLOAD_POLL_S = 0.1


@dataclass(frozen=True, slots=True)
class ImportProgress:
    file_index: int  # 0-based
    file_count: int
    name: str
    done_bytes: int
    size: int
    finished: tuple[dict[str, Any], ...]  # summaries of the files done so far
    backend: str | None  # where the files go: None for the local store


def import_files(
    paths: Sequence[Path], *, config_dir: Path, strict: bool = False, marketplace: str = "US"
) -> Callable[[OpContext], Generator[ImportProgress, None, list[dict[str, Any]]]]:
    """The op's function: ``Op(parent, import_files(paths, config_dir=...)).progress(...)``."""

    def run(ctx: OpContext) -> Generator[ImportProgress, None, list[dict[str, Any]]]:
        from seller_desk.store.report_import import import_steps
        from seller_desk.sync.connection import open_client, remembered
        from seller_desk.sync.credentials import CredentialStore

        backend = remembered(ctx.store)
        client = None
        if backend is not None:
            client = open_client(backend, CredentialStore(config_dir).load(backend.url))
        finished: list[dict[str, Any]] = []
        try:
            for index, path in enumerate(paths):
                size = path.stat().st_size
                step = ImportProgress(index, len(paths), path.name, 0, size, tuple(finished),
                                      backend.url if backend else None)  # fmt: skip
                yield step
                steps: Generator[tuple[int, int], None, Any]
                if client is None:
                    steps = import_steps(ctx.store, path, strict=strict, default_marketplace=marketplace)
                else:
                    steps = _upload_steps(client, path, strict=strict, marketplace=marketplace)
                try:
                    while True:
                        try:
                            done, _size = next(steps)
                        except StopIteration as stop:
                            value = stop.value
                            finished.append(value if isinstance(value, dict) else value.as_json())
                            break
                        yield ImportProgress(
                            index, len(paths), path.name, done, size, tuple(finished), step.backend
                        )
                finally:
                    steps.close()  # a cancel: the file's transaction rolls back, its upload stops
            yield ImportProgress(
                len(paths), len(paths), "", 0, 0, tuple(finished), step.backend if paths else None
            )
            return finished
        finally:
            if client is not None:
                client.close()

    return run


def _upload_steps(
    client: Any, path: Path, *, strict: bool, marketplace: str
) -> Generator[tuple[int, int], None, dict[str, Any]]:
    """The upload in a thread of its own, polled, so the op can report bytes sent and be cancelled."""
    from seller_desk.sync.report_upload import UploadCancelled, upload_report
    from seller_desk.sync.results import Rejected

    sent = [0, path.stat().st_size]
    answer: list[Any] = []
    stop = threading.Event()

    def send() -> None:
        try:
            answer.append(upload_report(client, path, strict=strict, marketplace=marketplace,
                                        progress=lambda done, size: sent.__setitem__(0, done),
                                        cancelled=stop.is_set))  # fmt: skip
        except UploadCancelled as exc:
            answer.append(exc)

    thread = threading.Thread(target=send, name="report-upload", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(UPLOAD_POLL_S)
            yield sent[0], sent[1]
    finally:
        stop.set()
        thread.join()
    result = answer[0]
    if isinstance(result, dict):
        return result
    message = result.message if hasattr(result, "message") else str(result)
    why = ("the backend refused it: " if isinstance(result, Rejected) else "not sent: ") + message
    return {"file": str(path), "format": None, "rows": 0, "imported": 0, "updated": 0, "skipped": 0,
            "committed": False, "errors": [{"line": 0, "column": None, "message": why}]}  # fmt: skip
