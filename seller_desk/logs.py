"""The app's log file: rotated in the platform's log dir, secrets redacted, readable from the app.

A seller who reports "it said sync failed yesterday" needs yesterday's log, so the desktop app writes
INFO and above to ``seller-desk.log`` in ``AppPaths.log_dir`` (``--data-dir``/``SELLER_DESK_HOME``
move it with everything else), rotated at 1 MB with five old files kept: a few weeks of normal use,
never more than 6 MB. Warnings still go to stderr for whoever started the app from a terminal.

Nothing secret may reach a file a seller attaches to a support request: a filter on the handler
replaces bearer tokens, device tokens and Amazon credentials by ``[redacted]``, whatever logged them.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "seller-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s [%(threadName)s] %(name)s: %(message)s"

_SECRETS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),  # Authorization headers
    re.compile(
        r"(?i)((?:token|secret|password|refresh_token|client_secret)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]{6,}"
    ),
    re.compile(r"()Atzr\|[A-Za-z0-9_\-|.]+"),  # a Login with Amazon refresh token
    re.compile(r"()amzn1\.oa2-cs\.v1\.[A-Za-z0-9]+"),  # an LWA client secret
)


def redact(text: str) -> str:
    """``text`` with every secret it carries replaced by ``[redacted]`` (what precedes a secret stays,
    so a reader still sees *that* a token was sent)."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: f"{m.group(1)}[redacted]", text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites each record's final message before any handler formats it into the file."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info:  # another handler may have formatted it already: redact what it made too
            record.exc_text = redact(record.exc_text or logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure_file_log(log_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send this process's log records at ``level`` and above to the rotated file in ``log_dir``;
    returns the file's path. Calling it again (a second window, a test) adds no second handler."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    for other in root.handlers:  # stderr keeps showing only what it showed before: warnings and worse
        if (
            other is not handler
            and not isinstance(other, logging.FileHandler)
            and other.level < logging.WARNING
        ):
            other.setLevel(logging.WARNING)
    return path


def stop_file_log(path: Path) -> None:
    """Remove and close the handler ``configure_file_log`` added for ``path`` (the app is closing)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            root.removeHandler(handler)
            handler.close()


def recent_lines(log_dir: Path, limit: int = 2_000) -> list[str]:
    """The last ``limit`` lines of the log, reaching into the previous file when the current one is
    short (just rotated). Reads a file at a time, keeping only ``limit`` lines in memory."""
    files = [log_dir / f"{LOG_FILE}.1", log_dir / LOG_FILE]
    kept: deque[str] = deque(maxlen=limit)
    for path in files:
        try:
            with path.open(encoding="utf-8", errors="replace") as lines:
                kept.extend(line.rstrip("\n") for line in lines)
        except FileNotFoundError:
            continue
    return list(kept)
