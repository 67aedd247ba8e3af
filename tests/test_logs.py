"""The log file: rotation, secrets redacted whatever logged them, one handler however often configured,
and the recent lines read across a rotation."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from seller_desk import logs


@pytest.fixture
def root() -> Iterator[logging.Logger]:
    """The root logger, restored afterwards (handlers, level) so other tests see it unchanged."""
    logger = logging.getLogger()
    handlers, level = list(logger.handlers), logger.level
    yield logger
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.mark.parametrize(
    ("secret", "kept"),
    [
        ("Authorization: Bearer sd_abc123DEF456ghi789", "Bearer "),
        ('{"token": "sd_live_0123456789abcdef"}', '"token": "'),
        ("refresh_token=Atzr|IwEBIExampleExampleExample", "refresh_token="),
        ("client secret amzn1.oa2-cs.v1.0123456789abcdef", "client secret "),
        ("password: hunter2hunter2", "password: "),
    ],
)
def test_secrets_are_redacted_and_their_context_kept(secret: str, kept: str) -> None:
    cleaned = logs.redact(f"before {secret} after")
    assert "[redacted]" in cleaned and kept in cleaned and cleaned.endswith(" after")
    for fragment in ("abc123DEF456", "0123456789abcdef", "IwEBIExample", "hunter2"):
        assert fragment not in cleaned


def test_ordinary_text_is_left_alone() -> None:
    text = "pulled 5,000 changes from https://desk.example/v1/changes?cursor=123 in 0.4 s"
    assert logs.redact(text) == text


def test_the_file_gets_info_redacted_and_stderr_keeps_warnings(root: logging.Logger, tmp_path: Path) -> None:
    logging.basicConfig(level=logging.WARNING)
    path = logs.configure_file_log(tmp_path / "logs")
    assert logs.configure_file_log(tmp_path / "logs") == path  # idempotent
    files = [h for h in root.handlers if isinstance(h, RotatingFileHandler)]
    assert len(files) == 1
    log = logging.getLogger("seller_desk.test")
    log.info("sync used token=%s", "sd_secret_value_123")
    try:
        raise ValueError("Bearer sd_in_an_exception_0001")
    except ValueError:
        log.exception("it failed")
    for handler in root.handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "sync used token=[redacted]" in text
    assert "it failed" in text and "ValueError: Bearer [redacted]" in text
    assert "sd_secret_value_123" not in text and "sd_in_an_exception_0001" not in text
    consoles = [h for h in root.handlers if not isinstance(h, logging.FileHandler)]
    assert consoles and all(h.level >= logging.WARNING for h in consoles)


def test_the_file_rotates_and_recent_lines_reach_into_the_previous_one(
    root: logging.Logger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    log_dir = tmp_path / "logs"
    logs.configure_file_log(log_dir)
    log = logging.getLogger("seller_desk.rotation")
    for n in range(200):
        log.info("line %03d %s", n, "x" * 40)
    assert (log_dir / "seller-desk.log.1").exists()
    assert len(list(log_dir.glob("seller-desk.log*"))) <= 1 + logs.BACKUPS
    recent = logs.recent_lines(log_dir, 30)
    assert len(recent) == 30
    assert recent[-1].endswith("line 199 " + "x" * 40)
    numbers = [int(line.split("line ")[1][:3]) for line in recent]
    assert numbers == list(range(170, 200))  # in order, across the rotation


def test_recent_lines_of_no_log_is_empty(tmp_path: Path) -> None:
    assert logs.recent_lines(tmp_path) == []
