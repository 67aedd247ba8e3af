"""Pulling the change feed until it is drained, one page per transaction.

Each page is written with its ``next_cursor`` in one transaction (``store.mirror.apply_page``), so the
loop can be killed anywhere: the next run asks again from the last committed cursor and re-applies at
most one page, harmlessly. A ``410 must_refetch`` empties the mirrors and starts from scratch; the
outbox and every mutation are untouched, so pending acts still deliver afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seller_desk.store import mirror
from seller_desk.store.uow import Store
from seller_desk.sync.client import SyncClient
from seller_desk.sync.clock import Clock
from seller_desk.sync.push import KillHook, TokenRefresh, no_kill
from seller_desk.sync.results import ChangesReceived, MustRefetch, Retryable, Unauthorized

# The backend's maximum. A page is one transaction, so its size sets how often the pull pays the fixed
# costs: a request, a commit (the log frames of every B-tree page it dirtied: hot index pages rewritten
# per commit), the local-effects check. 1,000 -> 5,000 took a 1M-change pull from ~8.5-9.9 s to ~7.0 s
# (``python -m seller_desk.bench sync_pull``). The GUI never waits on it: readers see the last commit
# (WAL) and a local act waits for the write lock in a worker; ``gui_pull_stall`` pulls pages this size.
DEFAULT_PAGE_LIMIT = 5000


@dataclass(slots=True)
class PullReport:
    pages: int = 0
    changes: int = 0
    drained: bool = False
    rebuilt: int = 0
    unreachable: bool = False
    unauthorized: bool = False
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PullProgress:
    """After each committed page of a pull: changes applied so far in this pull, and whether more follow.

    The GUI shows it on long pulls (a first sync brings every row the team has); it is a plain value
    handed to a callback on the pulling thread, so the sync layer stays free of Qt.
    """

    pages: int
    changes: int
    has_more: bool


PullListener = Callable[[PullProgress], None]


def no_listener(_progress: PullProgress) -> None:
    """The default: nobody watches the pull."""


class Puller:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        clock: Clock,
        refresh: TokenRefresh,
        limit: int = DEFAULT_PAGE_LIMIT,
        kill: KillHook = no_kill,
        max_rebuilds: int = 2,
        on_page: PullListener = no_listener,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        self._store, self._client, self._clock, self._refresh = store, client, clock, refresh
        self._limit, self._kill, self._max_rebuilds = limit, kill, max_rebuilds
        self._on_page, self._stopping = on_page, stopping

    def pull_until_drained(self, max_pages: int | None = None) -> PullReport:
        report = PullReport()
        refreshed = False
        # Read once, then carried forward: after a page commits, its next_cursor *is* the stored cursor.
        cursor = mirror.read_cursor(self._store)
        while max_pages is None or report.pages < max_pages:
            token = self._client.token
            answer = self._client.get_changes(cursor, self._limit)
            match answer:
                case ChangesReceived(page=page):
                    mirror.apply_page(
                        self._store,
                        page.tables,
                        page.next_cursor,
                        self._clock.now(),
                        drained=not page.has_more,
                        before_cursor=lambda: self._kill("pull.applied"),
                    )
                    self._kill("pull.committed")
                    report.pages += 1
                    report.changes += page.count
                    self._on_page(PullProgress(report.pages, report.changes, page.has_more))
                    if not page.has_more:
                        report.drained = True
                        break
                    if self._stopping():  # the app is quitting: the next run resumes from this cursor
                        break
                    if page.count == 0 and page.next_cursor == cursor:
                        report.error = "the backend said more changes follow but sent none; stopped pulling"
                        break
                    cursor = page.next_cursor
                case MustRefetch():
                    if report.rebuilt >= self._max_rebuilds:
                        report.error = "the backend keeps answering 410 must_refetch; stopped pulling"
                        break
                    mirror.rebuild_mirrors(self._store, self._clock.now())
                    report.rebuilt += 1
                    cursor = None
                case Unauthorized(message=message):
                    if not refreshed and self._refresh(token):
                        refreshed = True
                        continue
                    report.unauthorized = True
                    report.error = f"the backend refused this device's token ({message})"
                    break
                case Retryable(message=message, unreachable=unreachable):
                    report.unreachable = unreachable
                    report.error = message
                    break
                case _:
                    report.error = f"pulling changes failed: {answer.message}"
                    break
        return report
