"""The optimistic local effect of a seller's act, and how it survives pulls, undo and conflicts.

A decision made offline must show at once, and a pull must never erase it while it waits to be sent.
Two kinds of effect, each chosen so that a pull cannot lose it:

* **Local rows** (a decision, inspection lines, a note) are inserted into their mirror table with a
  *negative* id. The backend's ids are positive, so a pull's upserts and deletes can never hit them.
  They are removed ("retired") once the backend's own row for the same ``mutation_id`` has been pulled
  (or, for a backend that does not echo it, once a drained pull has caught the target up).
* **Overlaid fields** (a return's ``received_at`` / ``inspected_at`` and its status) are written into the
  mirrored row itself, so every list and filter sees them without knowing about mutations. A pull
  overwrites the row with the server's values, so after every page — in the page's own transaction —
  the live effects on the rows it touched are *replayed* in outbox order (Replicache's rebase). Each
  replay first saves the row's server values as ``before``: undo and conflicts restore those.
  Overlays only move a row forward (a timestamp only where it is NULL, a status only from an earlier
  state of the main line), so a server that already moved further wins.

The effect is kept as JSON in ``mutations.local_effect``; NULL means nothing local is left to keep.
Every function here works inside the caller's transaction and never commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, func, or_, select, text, update

from seller_desk.domain.enums import MutationKind, MutationStatus
from seller_desk.store.models import Base, Mutation, OutboxEntry, RefundRequest

LOCAL_ROW_TABLES = ("decisions", "inspections", "notes")
# Table holding each kind of mutation target; every one of them carries ``server_version``.
TARGET_TABLES = {"refund_request": "refund_requests", "return": "returns", "order": "orders"}
_TERMINAL_REFUND_STATES = ("completed", "rejected", "cancelled", "auto_refunded")

Effect = dict[str, Any]  # {"rows": [[table, id], ...], "fields": [FieldEffect, ...]}
FieldEffect = dict[str, Any]  # {"table", "id", "if_null": {col: v}, "status": [to, [from...]], "before"}


def empty_effect() -> Effect:
    return {"rows": [], "fields": []}


def next_local_id(conn: Connection, table: str) -> int:
    """The next negative id of ``table``: local rows count down from -1 and never meet the server's."""
    tbl = Base.metadata.tables[table]
    lowest = conn.execute(select(func.min(tbl.c.id))).scalar()
    return min(int(lowest or 0), 0) - 1


def field_effect(
    table: str, row_id: int, if_null: Mapping[str, Any], status: tuple[str, Iterable[str]]
) -> FieldEffect:
    return {
        "table": table,
        "id": row_id,
        "if_null": dict(if_null),
        "status": [status[0], sorted(status[1])],
        "before": {},
    }


def _columns(fe: FieldEffect) -> list[str]:
    cols = [*fe["if_null"], "status"]
    table = Base.metadata.tables[fe["table"]]  # KeyError for a tampered effect: never build SQL from it
    for col in cols:
        if col not in table.c:
            raise ValueError(f"local effect names unknown column {fe['table']}.{col}")
    return cols


def _read(conn: Connection, fe: FieldEffect) -> dict[str, Any] | None:
    cols = _columns(fe)
    row = conn.execute(
        text(f"SELECT {', '.join(cols)} FROM {fe['table']} WHERE id = :id"), {"id": fe["id"]}
    ).one_or_none()
    return None if row is None else dict(zip(cols, row, strict=True))


def apply_field(conn: Connection, fe: FieldEffect) -> None:
    """Save the row's current values as ``before``, then overlay the effect (forward moves only)."""
    current = _read(conn, fe)
    if current is None:  # the row is not mirrored (yet): replayed when a pull brings it
        return
    fe["before"] = current
    sets = [f"{col} = COALESCE({col}, :v_{col})" for col in fe["if_null"]]
    to, from_states = fe["status"]
    sets.append("status = CASE WHEN status IN :from_states THEN :to ELSE status END")
    stmt = text(f"UPDATE {fe['table']} SET {', '.join(sets)} WHERE id = :id").bindparams(
        bindparam("from_states", expanding=True)
    )
    params = {f"v_{col}": value for col, value in fe["if_null"].items()}
    conn.execute(stmt, {**params, "to": to, "from_states": list(from_states), "id": fe["id"]})


def _restore(conn: Connection, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    if not values:
        return
    cols = list(values)
    if any(col not in Base.metadata.tables[table].c for col in cols):
        raise ValueError(f"local effect names unknown columns of {table}: {cols}")
    sets = ", ".join(f"{col} = :{col}" for col in cols)
    conn.execute(text(f"UPDATE {table} SET {sets} WHERE id = :_id"), {**values, "_id": row_id})


def _live(conn: Connection) -> list[tuple[str, str, str, MutationStatus, int | None, Effect]]:
    """(id, kind, target, status, server_version, effect) of each mutation with an effect, outbox order."""
    rows = conn.execute(
        select(
            Mutation.id,
            Mutation.kind,
            Mutation.target,
            Mutation.status,
            Mutation.server_version,
            Mutation.local_effect,
        )
        .join(OutboxEntry, OutboxEntry.mutation_id == Mutation.id)
        .where(Mutation.local_effect.is_not(None))
        .order_by(OutboxEntry.seq)
    ).all()
    return [(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "{}")) for r in rows]


def _save(conn: Connection, mutation_id: str, effect: Effect | None) -> None:
    value = None if effect is None or (not effect["rows"] and not effect["fields"]) else json.dumps(effect)
    conn.execute(update(Mutation).where(Mutation.id == mutation_id).values(local_effect=value))


def _delete_rows(conn: Connection, effect: Effect) -> None:
    for table, row_id in effect["rows"]:
        if table not in LOCAL_ROW_TABLES or row_id >= 0:
            raise ValueError(f"local effect names a row that is not local: {table} {row_id}")
        tbl = Base.metadata.tables[table]
        conn.execute(delete(tbl).where(tbl.c.id == row_id))
    effect["rows"] = []


def _replay_rows(
    conn: Connection,
    live: list[tuple[str, str, str, MutationStatus, int | None, Effect]],
    keys: set[tuple[str, int]],
    base: dict[tuple[str, int], dict[str, Any]] | None,
) -> None:
    """Restore ``base`` on ``keys`` (if given), then re-apply every live field effect on them in order."""
    for key, values in (base or {}).items():
        _restore(conn, key[0], key[1], values)
    for mutation_id, _kind, _target, _status, _version, effect in live:
        touched = False
        for fe in effect["fields"]:
            if (fe["table"], int(fe["id"])) in keys:
                apply_field(conn, fe)
                touched = True
        if touched:
            _save(conn, mutation_id, effect)


def revert(conn: Connection, mutation_id: str) -> None:
    """Take one mutation's effect back (undo, conflict, rejection), keeping the others' on the same rows.

    Local rows are deleted. Overlaid rows go back to their server values — the ``before`` saved by the
    earliest live effect on each row — and the other live effects on them are replayed on top.
    """
    live = _live(conn)
    mine = next((entry for entry in live if entry[0] == mutation_id), None)
    if mine is None:
        return
    effect = mine[5]
    _delete_rows(conn, effect)
    keys = {(fe["table"], int(fe["id"])) for fe in effect["fields"]}
    base: dict[tuple[str, int], dict[str, Any]] = {key: {} for key in keys}
    for _mid, _k, _t, _s, _v, other in live:  # earliest effect's ``before`` wins per column
        for fe in other["fields"]:
            key = (fe["table"], int(fe["id"]))
            if key in base:
                for col, value in fe["before"].items():
                    base[key].setdefault(col, value)
    _save(conn, mutation_id, None)
    others = [entry for entry in live if entry[0] != mutation_id]
    _replay_rows(conn, others, keys, base)


def _target_version(conn: Connection, target: str) -> int | None:
    kind, _, raw_id = target.partition(":")
    table = Base.metadata.tables.get(TARGET_TABLES.get(kind, ""))
    if table is None:
        return None
    value = conn.execute(select(table.c.server_version).where(table.c.id == int(raw_id))).scalar()
    return None if value is None else int(value)


def _server_row_exists(conn: Connection, mutation_id: str, effect: Effect) -> bool:
    for table in {t for t, _ in effect["rows"]}:
        tbl = Base.metadata.tables[table]
        found = conn.execute(
            select(tbl.c.id).where(tbl.c.mutation_id == mutation_id, tbl.c.id > 0).limit(1)
        ).first()
        if found is not None:
            return True
    return False


# Exactly what ``_live``, ``settle_acts`` and ``settle_decisions`` look for; when nothing matches, all
# three are no-ops.
_ANY_TO_REPLAY_OR_SETTLE = select(
    exists().where(or_(Mutation.local_effect.is_not(None), Mutation.status == MutationStatus.ACKNOWLEDGED))
)


def after_pull(conn: Connection, touched: Mapping[str, set[int]], *, drained: bool) -> None:
    """Run in the pull page's transaction, after its rows were written: keep, replay or retire effects.

    ``touched`` names the mirror tables the page upserted (with the ids, for ``returns``). An
    acknowledged mutation whose target row has caught up with the ``server_version`` the backend
    answered is retired: its overlay is now the server's own value, and its local rows go once the
    server's rows are there (same ``mutation_id``) or the feed is drained. Settled: acknowledged
    decisions on a request that reached a final state, and other acknowledged acts once retired.
    """
    if not conn.execute(_ANY_TO_REPLAY_OR_SETTLE).scalar():
        return  # the usual case, and per page of a re-pull: skip the three queries below
    live = _live(conn)
    remaining = []
    for entry in live:
        mutation_id, _kind, target, status, version, effect = entry
        caught_up = (
            status in (MutationStatus.ACKNOWLEDGED, MutationStatus.SETTLED)
            and version is not None
            and (_target_version(conn, target) or 0) >= version
        )
        server_rows_came = any(t in touched for t, _ in effect["rows"]) and _server_row_exists(
            conn, mutation_id, effect
        )
        # A decision's server row and its payments are one server transaction that a page boundary can
        # split: the local row keeps the approval counted (prechecks.promised_beyond_payments) until
        # the pull is drained, so "refundable now" never offers its money twice in between.
        wait_for_drain = any(table == "decisions" for table, _ in effect["rows"])
        if effect["rows"] and (
            (server_rows_came and (drained or not wait_for_drain)) or (caught_up and drained)
        ):
            _delete_rows(conn, effect)
        if caught_up:
            effect["fields"] = []
        _save(conn, mutation_id, effect)
        if effect["fields"]:
            remaining.append(entry)
    keys = {
        (fe["table"], int(fe["id"]))
        for *_, effect in remaining
        for fe in effect["fields"]
        if int(fe["id"]) in touched.get(fe["table"], ())
    }
    if keys:
        _replay_rows(conn, remaining, keys, None)
    settle_acts(conn)
    settle_decisions(conn)


def settle_acts(conn: Connection) -> None:
    """Receipts, inspections and notes are settled once acknowledged, their effect retired, and their
    target mirrored at (or past) the version the backend answered."""
    waiting = conn.execute(
        select(Mutation.id, Mutation.target, Mutation.server_version).where(
            Mutation.kind != MutationKind.REFUND_DECISION,
            Mutation.status == MutationStatus.ACKNOWLEDGED,
            Mutation.local_effect.is_(None),
        )
    ).all()
    done = [
        mutation_id
        for mutation_id, target, version in waiting
        if version is not None and (_target_version(conn, target) or 0) >= version
    ]
    if done:
        _set_status(conn, done, MutationStatus.SETTLED)


def _set_status(conn: Connection, ids: list[str], status: MutationStatus) -> None:
    conn.execute(update(Mutation).where(Mutation.id.in_(ids)).values(status=status))


def settle_decisions(conn: Connection) -> None:
    """Acknowledged decisions whose request reached a final state are settled; their effect retires."""
    acknowledged = conn.execute(
        select(Mutation.id, Mutation.target, Mutation.local_effect).where(
            Mutation.kind == MutationKind.REFUND_DECISION, Mutation.status == MutationStatus.ACKNOWLEDGED
        )
    ).all()
    if not acknowledged:
        return
    by_request: dict[int, list[tuple[str, str | None]]] = {}
    for mutation_id, target, effect_json in acknowledged:
        by_request.setdefault(int(target.partition(":")[2]), []).append((mutation_id, effect_json))
    final = (
        conn.execute(
            select(RefundRequest.id).where(
                RefundRequest.id.in_(list(by_request)), RefundRequest.state.in_(_TERMINAL_REFUND_STATES)
            )
        )
        .scalars()
        .all()
    )
    done = [entry for request_id in final for entry in by_request[request_id]]
    for mutation_id, effect_json in done:
        if effect_json is not None:
            _delete_rows(conn, json.loads(effect_json))
            _save(conn, mutation_id, None)
    if done:
        _set_status(conn, [mutation_id for mutation_id, _ in done], MutationStatus.SETTLED)
