"""SYNC.md's faults with real processes: ``backend serve`` on a SQLite file, desktops syncing in
subprocesses on their own SQLite files, SIGKILLed and restarted, through a loopback TCP proxy that
loses, delays, duplicates and replays requests or goes dark.

One backend serves the module (access tokens live 2 s, so every scenario also crosses token
refreshes); each test has its own seller and its own proxy. Faults 7 and 8 (the relay) are the backend's.
After every scenario: one more ``sync --once`` per desk must drain it, then ``check_invariants``.
"""

from __future__ import annotations

import json
import random
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text

from seller_desk.backend.ingest import set_refund_state
from seller_desk.backend.store import sqlite_url
from seller_desk.backend.store.models import LedgerEntry, MutationRecord
from seller_desk.domain.enums import RefundState
from tests.backend.live import LiveBackend
from tests.backend.shop import Seeded, Shop
from tests.sync.real.proxy import FaultProxy
from tests.sync.real.world import Desk, backend_counts, check_invariants, desk_counts

MUTATIONS = "POST /v1/mutations"
DELIVERED = ("acknowledged", "settled")  # settled: a later pull showed the backend's row


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    base = tmp_path_factory.mktemp("real-faults")
    url = sqlite_url(base / "backend.sqlite3")
    server = LiveBackend.start("sqlite", url, base / "server.log", extra_args=("--access-token-ttl", "2"))
    yield server
    server.stop()


@pytest.fixture
def proxy(live: LiveBackend) -> Iterator[FaultProxy]:
    made = FaultProxy(int(urlsplit(live.base_url).port or 0))
    yield made
    made.close()


@pytest.fixture
def shop(live: LiveBackend, proxy: FaultProxy) -> Iterator[Shop]:
    opened = Shop.open(live.db, live.base_url)
    yield opened
    opened.close()


def desk(name: str, shop: Shop, proxy: FaultProxy, tmp_path: Path, template_dir: Path) -> Desk:
    return Desk.connect(tmp_path / name, proxy.url, shop.token, template_dir)


def approve(at: Desk, seeded: Seeded, amount: int = 2000) -> str:
    return at.approve(seeded.request_id, seeded.line_ids["L1"], amount)


def records(live: LiveBackend, mutation_id: str) -> int:
    with live.db.reading() as session:
        query = select(func.count()).where(MutationRecord.mutation_id == mutation_id)
        return int(session.execute(query).scalar_one())


def unauthorized_posts(live: LiveBackend) -> int:
    log = live.log_path.read_text(errors="replace")
    return sum(log.count(f'"POST {path} HTTP/1.1" 401') for path in ("/v1/mutations", "/v1/mutations/batch"))


def test_kills_at_every_step_and_an_expiring_token_lose_and_double_nothing(
    live: LiveBackend, proxy: FaultProxy, shop: Shop, tmp_path: Path, template_dir: Path
) -> None:
    seeded = [shop.seed() for _ in range(6)]
    a = desk("a", shop, proxy, tmp_path, template_dir)
    # Fault 9: killed inside a page's transaction (before its cursor is saved), then after a commit.
    a.run_driver("sync", "--page-limit", "4", "--kill-at", "pull.applied:2", killed=True)
    a.run_driver("sync", "--page-limit", "4", "--kill-at", "pull.committed:3", killed=True)
    a.run_driver("sync", "--page-limit", "4")
    assert desk_counts(a) == backend_counts(live.db, shop.seller_id)
    decided = [approve(a, s) for s in seeded[:5]]

    # Fault 14: the plug is pulled right after "Approve" returned; the act is on disk, queued.
    recorder = a.driver("record", "--request", str(seeded[5].request_id),
                        "--line", str(seeded[5].line_ids["L1"]), "--amount", "2000")  # fmt: skip
    assert recorder.stdout is not None
    decided.append(recorder.stdout.readline().strip())
    recorder.send_signal(signal.SIGKILL)
    assert recorder.wait(timeout=10) == -9 and a.statuses()[decided[-1]] == "queued"

    # Fault 1: killed after the claim was committed, before the POST; then after the answers came back.
    # The six targets are distinct, so one batch claims them all, and one transaction records them all.
    a.run_driver("sync", "--kill-at", "push.claimed:1", killed=True)
    assert sorted(a.statuses().values()) == ["sending"] * 6
    assert sum(records(live, m) for m in decided) == 0
    a.run_driver("sync", "--kill-at", "push.answered:2", killed=True)
    assert sum(records(live, m) for m in decided) == 6  # all answered, the batch's record rolled back
    assert sorted(a.statuses().values()) == ["sending"] * 6  # start-up requeues them, same keys

    # Fault 15: a slow desk; the 2 s access token expires mid-queue, is refreshed, and nothing drops.
    refused_before = unauthorized_posts(live)
    # One act per batch request, so the queue takes longer than the token lives.
    rounds = a.run_driver("sync", "--linger", "0.5", "--push-batch", "1")
    assert rounds[-1]["acknowledged"] == 6 and rounds[-1]["rejected"] == 0 and rounds[-1]["pending"] == 0
    assert rounds[-1]["exchanges"] >= 2
    assert unauthorized_posts(live) > refused_before  # a POST met the expired token and was resent

    # Random kills of the real CLI, mid-push where they land there (answers slowed down a little).
    notes = [a.note(f"order:{s.order_pk}", "called the buyer") for s in seeded]
    proxy.rule = lambda line: "delay:0.15" if line.startswith(MUTATIONS) else "forward"
    rng = random.Random(1515)
    for _ in range(3):
        syncing = a.cli_process("sync")
        time.sleep(rng.uniform(0.7, 1.5))
        syncing.send_signal(signal.SIGKILL)
        assert syncing.wait(timeout=10) == -9
    proxy.rule = lambda _line: "forward"
    a.drain()
    assert set(a.statuses().values()) <= set(DELIVERED)
    assert all(records(live, m) == 1 for m in decided + notes)
    check_invariants(live.db, shop.seller_id, [a])


def test_lost_slow_duplicated_reordered_and_offline_requests(
    live: LiveBackend, proxy: FaultProxy, shop: Shop, tmp_path: Path, template_dir: Path
) -> None:
    seeded = [shop.seed() for _ in range(4)]
    b = desk("b", shop, proxy, tmp_path, template_dir)
    b.run_driver("sync")
    # Fault 2: every answer to a POST is lost after the server committed it.
    lost = [approve(b, seeded[0]), approve(b, seeded[1]), b.note(f"order:{seeded[0].order_pk}", "lost")]
    proxy.rule = lambda line: "drop" if line.startswith(MUTATIONS) else "forward"
    b.run_driver("sync")
    assert [records(live, m) for m in lost] == [1, 1, 1]
    assert set(b.statuses().values()) == {"queued"}

    # Fault 4: each POST reaches the backend twice at once; then all of them again, shuffled.
    duplicated = [approve(b, seeded[2]), b.note(f"order:{seeded[1].order_pk}", "twice")]
    proxy.rule = lambda line: "duplicate" if line.startswith(MUTATIONS) else "forward"
    b.run_driver("sync", "--concurrency", "3", "--rounds", "4", "--pause", "1.2", "--until-drained")
    # One batch request carries both acts (the desk sends a claimed batch at once).
    assert proxy.seen["duplicate"] >= 1 and set(b.statuses().values()) <= set(DELIVERED)
    replays = list(proxy.captured)
    random.Random(4).shuffle(replays)
    device_auth = f"Authorization: Bearer {shop.token}".encode()
    for raw in replays:  # stale duplicates arriving late, out of order, long after their answers
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = [
            device_auth if ln.lower().startswith(b"authorization:") else ln for ln in head.split(b"\r\n")
        ]
        answer = proxy.send_upstream(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        assert answer is not None and answer.startswith(b"HTTP/1.1 200 "), answer
    assert all(records(live, m) == 1 for m in lost + duplicated)

    # Fault 3: a slow backend (its database held by another writer); the client gives up after 0.5 s,
    # its retries meet 409 in_progress, then the stored answer replays. Nothing runs twice.
    slow = approve(b, seeded[3])
    proxy.rule = lambda _line: "forward"
    released = threading.Event()

    def hold_the_database() -> None:
        with live.db.writing() as session:
            session.execute(text("UPDATE sellers SET name = name WHERE id = :id"), {"id": shop.seller_id})
            released.wait(10)

    holder = threading.Thread(target=hold_the_database)
    holder.start()
    driver = b.driver("sync", "--timeout", "0.5", "--rounds", "20", "--pause", "0.3", "--until-drained")
    assert driver.stdout is not None
    seen = []
    for line in driver.stdout:  # the database is released once a retry was told "in progress"
        seen.append(json.loads(line)["error"] or "")
        if "being processed" in seen[-1]:
            released.set()
    released.set()
    holder.join()
    assert driver.wait(timeout=60) == 0
    assert "timed out" in seen[0] and any("being processed" in error for error in seen), seen
    assert b.statuses()[slow] in DELIVERED and records(live, slow) == 1
    # ...and a slow network: the first answer arrives after the client gave up; the retry replays it.
    late = b.note(f"order:{seeded[3].order_pk}", "late")
    delayed: list[str] = []

    def delay_the_first_answer(line: str) -> str:
        if line.startswith(MUTATIONS) and not delayed:
            delayed.append(line)
            return "delay:1.0"
        return "forward"

    proxy.rule = delay_the_first_answer
    rounds = b.run_driver("sync", "--timeout", "0.5", "--rounds", "6", "--pause", "0.3", "--until-drained")
    assert "timed out" in (rounds[0]["error"] or "") and rounds[-1]["pending"] == 0, rounds
    assert b.statuses()[late] in DELIVERED and records(live, late) == 1
    proxy.rule = lambda _line: "forward"

    # Offline: connections refused; sync says so and keeps the new act queued; back online, it drains.
    proxy.dark()
    offline = b.note(f"order:{seeded[2].order_pk}", "offline")
    refused = b.cli("sync", "--once")
    assert refused.returncode == 1 and "unreachable" in refused.stderr
    assert b.statuses()[offline] == "queued"
    proxy.light()
    b.drain()
    check_invariants(live.db, shop.seller_id, [b])


def test_two_desks_upstream_changes_a_poisoned_act_and_compaction(
    live: LiveBackend, proxy: FaultProxy, shop: Shop, tmp_path: Path, template_dir: Path
) -> None:
    both, cancelled, later = shop.seed(), shop.seed(), shop.seed()
    a, b = (desk(name, shop, proxy, tmp_path, template_dir) for name in ("a", "b"))
    for process in [a.driver("sync"), b.driver("sync")]:
        assert process.wait(timeout=60) == 0
    # Fault 5: both desks approve the same request while apart. Fault 6: the customer cancels a
    # request upstream while A's approval of it waits in the queue.
    a_both, b_both, a_cancelled = approve(a, both), approve(b, both), approve(a, cancelled)
    with shop.writer() as writer:
        set_refund_state(writer, cancelled.request_id, RefundState.CANCELLED)
    for process in [a.driver("sync"), b.driver("sync")]:
        assert process.wait(timeout=60) == 0
    outcomes = sorted([a.statuses()[a_both], b.statuses()[b_both]])
    assert outcomes in (["acknowledged", "conflict"], ["conflict", "settled"])
    query = "SELECT mutation_id, reason FROM conflicts"
    reasons = dict(a.sql(query) + b.sql(query))
    assert reasons[a_cancelled] == "customer_cancelled" and "decided_elsewhere" in reasons.values()
    with live.db.reading() as session:
        ledger = select(LedgerEntry.refund_request_id).where(LedgerEntry.seller_id == shop.seller_id)
        assert sorted(session.execute(ledger).scalars()) == [
            both.request_id
        ]  # one refund upstream; none for the cancelled

    # Fault 12: one act that cannot be built, one the backend refuses for good; the others flow.
    good = a.note(f"order:{both.order_pk}", "fine")
    poisoned = a.note(f"order:{both.order_pk}", "about to be corrupted")
    foreign = a.note(f"order:{both.order_pk}", "about to point elsewhere")
    a.write("UPDATE mutations SET payload = '{\"text\": ' WHERE id = :id", id=poisoned)
    a.write("UPDATE mutations SET target = 'order:999999999' WHERE id = :id", id=foreign)
    approved = approve(a, later)
    # Fault 11 (and 10): answers lost; the keys are pruned and the change log compacted before the
    # desk comes back: its replay finds the permanent record, its pull meets 410 and rebuilds.
    proxy.rule = lambda line: "drop" if line.startswith(MUTATIONS) else "forward"
    a.run_driver("sync")
    assert [records(live, m) for m in (good, poisoned, foreign, approved)] == [1, 0, 1, 1]
    shop.seed()  # newer changes, so the compaction horizon passes the desks' cursors
    time.sleep(1.02 - time.time() % 1.0)  # the log keeps epoch seconds: "older than now" needs a tick
    compacted = a.cli("backend", "compact", "--db", live.db_url, "--keep-days", "0", "--json")
    assert compacted.returncode == 0 and '"keys_pruned":0' not in compacted.stdout, compacted
    proxy.rule = lambda _line: "forward"
    outbox_before = a.sql("SELECT mutation_id, idempotency_key FROM outbox ORDER BY seq")
    assert a.drain()["rebuilt"] is True
    assert a.sql("SELECT mutation_id, idempotency_key FROM outbox ORDER BY seq") == outbox_before
    statuses = a.statuses()
    assert [statuses[m] in DELIVERED for m in (good, poisoned, foreign, approved)] == [
        True,
        False,
        False,
        True,
    ]
    assert statuses[poisoned] == statuses[foreign] == "rejected"
    assert all(records(live, m) == 1 for m in (good, foreign, approved))
    b.drain()
    assert desk_counts(a) == desk_counts(b) == backend_counts(live.db, shop.seller_id)
    check_invariants(live.db, shop.seller_id, [a, b])


def test_a_second_process_writing_the_desk_file_while_it_syncs(
    live: LiveBackend, proxy: FaultProxy, shop: Shop, tmp_path: Path, template_dir: Path
) -> None:
    """Fault 13: the GUI (here a process recording acts in a tight loop) and the sync worker write
    the same SQLite file at once: no commit is lost and neither side fails."""
    seeded = shop.seed()
    d = desk("d", shop, proxy, tmp_path, template_dir)
    d.run_driver("sync")
    stop = tmp_path / "stop-syncing"
    syncing = d.driver("sync", "--rounds", "1000", "--pause", "0.05", "--stop-file", str(stop))
    assert syncing.stdout is not None
    first_round = syncing.stdout.readline()  # the sync is running; now the "GUI" starts writing
    writer = d.driver("write-loop", "--target", f"order:{seeded.order_pk}", "--count", "40")
    written, writer_err = writer.communicate(timeout=60)
    stop.touch()
    synced, sync_err = syncing.communicate(timeout=60)
    synced = first_round + synced
    assert writer.returncode == 0, writer_err
    assert syncing.returncode == 0, sync_err
    assert "Traceback" not in writer_err + sync_err
    lines = [line.split() for line in written.splitlines()]
    ids, times = [line[0] for line in lines[:-1]], [float(line[1]) for line in lines]
    assert lines[-1][0] == "done" and len(ids) == 40 and set(ids) <= set(d.statuses())
    rounds = [json.loads(line) for line in synced.splitlines()]
    # The sync process ran rounds from before the writer's first commit until after its last.
    assert rounds[0]["at"] < times[0] and rounds[-1]["at"] > times[-1], (times, rounds)
    assert sum(r["acknowledged"] for r in rounds) > 0
    d.drain()
    assert all(d.statuses()[m] in DELIVERED and records(live, m) == 1 for m in ids)
    check_invariants(live.db, shop.seller_id, [d])
