"""POST /v1/imports: a report file streamed to the backend, imported for the caller's seller only, and
handed to every desktop through the change feed; bad rows named, strict writes nothing, no 500s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from seller_desk.backend.store.models import OrderLine, Return, ReturnLine
from seller_desk.bench.report_files import write_fba, write_mfn_flat
from tests.backend.shop import Shop
from tests.fixtures.report_texts import mfn_row, mfn_text, write

N = 1_500  # rows of ~800 bytes: a 1.2 MB file


def _post(shop: Shop, path: Path, **params: Any) -> httpx.Response:
    return shop.client.post("/v1/imports", params={"name": path.name, **params}, content=path.read_bytes(),
                            headers={"Content-Type": "application/octet-stream"}, timeout=120)  # fmt: skip


def _count(shop: Shop, model: Any) -> int:
    with shop.db.reading() as session:
        return int(
            session.execute(
                select(func.count()).select_from(model).where(model.seller_id == shop.seller_id)
            ).scalar_one()
        )


def test_a_report_over_the_api_body_cap_imports_and_reaches_the_feed(shop: Shop, tmp_path: Path) -> None:
    rows = [mfn_row(**{"Amazon RMA ID": f"R{i:05d}", "Order ID": f"111-{i:07d}-0000001",
                       "Tracking ID": f"1Z{i:016d}", "Item Name": "Lamp " * 150})
            for i in range(N)]  # fmt: skip
    path = write(tmp_path / "returns.txt", mfn_text(*rows))
    assert path.stat().st_size > 1024 * 1024  # more than the JSON endpoints accept
    response = _post(shop, path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["file"], body["format"], body["rows"], body["imported"], body["errors"]) == (
        "returns.txt", "mfn_flat", N, N, [])  # fmt: skip
    assert _count(shop, Return) == N
    with shop.db.reading() as session:  # the 750-character item name was cut to the column's 300
        assert session.execute(select(func.max(func.length(OrderLine.title)))).scalar_one() == 300
    changes, _cursor = shop.pull_all(limit=5_000)
    rmas = {c["data"]["rma"] for c in changes if c["entity"] == "return" and c["data"]}
    assert len(rmas) == N

    again = _post(shop, path).json()
    assert (again["imported"], again["updated"], again["skipped"]) == (0, 0, N)
    assert _count(shop, Return) == N


def test_bad_rows_are_named_and_strict_writes_nothing(shop: Shop, tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.txt", mfn_text(mfn_row(), mfn_row(**{"Amazon RMA ID": "R2", "Order date": "soon"}))
    )
    strict = _post(shop, path, strict="true").json()
    assert (strict["committed"], strict["imported"]) == (False, 0)
    assert [(e["line"], e["column"]) for e in strict["errors"]] == [(3, "Order date")]
    assert _count(shop, Return) == 0
    lenient = _post(shop, path).json()
    assert (lenient["committed"], lenient["imported"], len(lenient["errors"])) == (True, 1, 1)
    assert _count(shop, ReturnLine) == 1


def test_fba_reports_import_and_each_seller_sees_only_its_own(
    shop: Shop, other_shop: Shop, tmp_path: Path
) -> None:
    response = _post(shop, write_fba(tmp_path / "fba.txt", 50), marketplace="UK")
    assert response.status_code == 200, response.text
    assert response.json()["imported"] == 50
    assert _count(shop, Return) == 50
    assert _count(other_shop, Return) == 0
    changes, _ = other_shop.pull_all()
    assert not [c for c in changes if c["entity"] == "return"]


def test_bad_input_is_a_400_naming_it_never_a_500(shop: Shop, tmp_path: Path) -> None:
    not_a_report = write(tmp_path / "x.csv", "sku,qty\nA,1\n")
    response = _post(shop, not_a_report)
    assert response.status_code == 400
    assert response.json()["field"] == "body" and "x.csv" in response.json()["message"]
    empty = write(tmp_path / "empty.txt", "")
    assert _post(shop, empty).status_code == 400
    response = _post(shop, write_mfn_flat(tmp_path / "m.txt", 3), marketplace="XX")
    assert response.status_code == 400 and response.json()["field"] == "marketplace"
    binary = tmp_path / "b.bin"
    binary.write_bytes(bytes(range(256)) * 50)
    assert _post(shop, binary).status_code == 400


def test_an_unauthenticated_upload_is_refused(shop: Shop, tmp_path: Path) -> None:
    path = write_mfn_flat(tmp_path / "m.txt", 3)
    response = httpx.post(f"{shop.base_url}/v1/imports", content=path.read_bytes(), timeout=30)
    assert response.status_code == 401
    assert _count(shop, Return) == 0


def test_a_connected_desktop_sends_its_import_to_the_backend_and_pulls_the_rows(
    shop: Shop, tmp_path: Path
) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "seller_desk", *args, "--data-dir", str(tmp_path / "desk")]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)

    (tmp_path / "token").write_text(shop.token + "\n")
    connected = cli("connect", "--backend", shop.base_url, "--token-file", str(tmp_path / "token"))
    assert connected.returncode == 0, connected.stderr
    path = write_mfn_flat(tmp_path / "mfn.txt", 30)
    result = cli("import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    (summary,) = json.loads(result.stdout)["files"]
    assert (summary["file"], summary["imported"], summary["committed"]) == (str(path), 30, True)
    assert _count(shop, Return) == 30
    status = json.loads(cli("status", "--json").stdout)
    assert status["returns"] == 0  # not written locally: the desktop is a replica
    synced = cli("sync", "--once")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(cli("status", "--json").stdout)["returns"] == 30
