"""``seller-desk backend …`` as a script or an operator runs it (design/CLI.md)."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from seller_desk.backend.mutations import KeyGuard, process_mutation
from seller_desk.backend.store import Database, sqlite_url
from seller_desk.backend.store.models import Device
from seller_desk.backend.tenancy import authenticate, hash_token
from seller_desk.wire import MutationIn
from tests.backend.live import ROOT, LiveBackend
from tests.backend.shop import Shop, approval, now
from tests.sync.http_backend import make_ca_and_server_cert


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SELLER_DESK_HOME": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "seller_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_token_create_prints_the_token_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    result = cli("backend", "token", "create", "--seller", "acme", "--device", "bench", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert len(token) >= 43 and "\n" not in token
    assert "cannot be shown again" in result.stderr
    db_file = tmp_path / "backend.sqlite3"
    assert token.encode() not in db_file.read_bytes()
    db = Database(sqlite_url(db_file))
    try:
        with db.reading() as session:
            assert session.execute(select(Device.token_hash)).scalar_one() == hash_token(token)
            principal = authenticate(session, token)
        assert principal is not None and principal.seller_name == "acme"
    finally:
        db.dispose()
    second = cli("backend", "token", "create", "--seller", "acme", "--device", "till", data_dir=tmp_path)
    assert second.stdout.strip() != token


def test_ledger_json_lists_upstream_executions(tmp_path: Path) -> None:
    db_file = tmp_path / "b.sqlite3"
    assert cli("backend", "ledger", "--db", str(db_file), "--json", data_dir=tmp_path).stdout.strip() == "[]"
    db = Database(sqlite_url(db_file))
    try:
        shop = Shop.open(db, "http://unused")
        seeded = shop.seed()
        body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 1234)])
        with db.reading() as session:
            principal = authenticate(session, shop.token)
        assert principal is not None
        answer = process_mutation(
            db, principal, "k", MutationIn.model_validate(body), now(), guard=KeyGuard()
        )
        assert answer.status == 201
        shop.close()
    finally:
        db.dispose()
    result = cli("backend", "ledger", "--db", sqlite_url(db_file), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    [entry] = json.loads(result.stdout)
    assert entry["refund_id"] == seeded.request_id
    assert entry["mutation_id"] == body["mutation_id"]
    assert entry["amount"] == {"amount": "12.34", "currency": "USD"}
    assert entry["state"] == "pending"
    assert entry["executed_at"] is None
    assert entry["upstream_ref"] == "sd-" + uuid.UUID(body["mutation_id"]).hex
    text = cli("backend", "ledger", "--db", str(db_file), data_dir=tmp_path)
    assert "$12.34" in text.stdout and "pending" in text.stdout


def test_compact_reports_what_it_removed(backend: LiveBackend, tmp_path: Path) -> None:
    result = cli(
        "backend", "compact", "--db", backend.db_url, "--keep-days", "30", "--json", data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"sellers", "changes_removed", "keys_pruned"}
    assert report["changes_removed"] == 0  # nothing in the live database is 30 days old


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("backend",), 2, "serve"),
        (("backend", "compact"), 2, "--keep-days"),
        (("backend", "compact", "--keep-days", "-1"), 2, "negative"),
        (("backend", "serve", "--port", "70000"), 2, "port"),
        (("backend", "serve", "--tls-cert", "c.pem"), 1, "both --tls-cert and --tls-key"),
        (("backend", "ledger", "--db", "mysql://x@y/z"), 1, "unsupported database"),
        (("backend", "token", "create", "--seller", " ", "--device", "d"), 1, "a seller needs a name"),
    ],
)
def test_mistakes_exit_with_the_documented_codes(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = cli(*args, data_dir=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_serve_speaks_https_with_a_certificate(tmp_path: Path) -> None:
    ca_file, _ = make_ca_and_server_cert(tmp_path)  # a private CA and a certificate for 127.0.0.1
    cert = key = tmp_path / "server.pem"  # the certificate followed by its key
    url = sqlite_url(tmp_path / "tls.sqlite3")
    live = LiveBackend.start(
        "sqlite", url, tmp_path / "server.log", extra_args=("--tls-cert", str(cert), "--tls-key", str(key))
    )
    try:
        assert live.base_url.startswith("https://")
        trusted = ssl.create_default_context(cafile=str(ca_file))
        response = httpx.get(f"{live.base_url}/v1/changes", verify=trusted, timeout=10)
        assert response.status_code == 401  # TLS verified against our certificate; the API answered
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{live.base_url}/v1/changes", timeout=10)  # an untrusted certificate is refused
    finally:
        live.stop()
