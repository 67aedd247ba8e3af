"""Inspection photos kept with the store: copied into ``<data dir>/evidence/<return id>/``.

A photo picked from the Downloads folder is gone next week; the inspection must still show it (and a
restocking fee of 20 % or more needs it as evidence, DOMAIN.md). So each picked file is copied beside
the database, named by the SHA-256 of its content: picking the same photo twice stores it once, and a
name can never point at different bytes. Only images are taken, checked by their first bytes (an
extension can lie), and each at most ``MAX_PHOTO_BYTES``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

EVIDENCE_DIRNAME = "evidence"
MAX_PHOTO_BYTES = 40 * 1024 * 1024
_CHUNK = 1024 * 1024
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic")


class EvidenceRefused(ValueError):
    """A picked file cannot be kept as evidence; the message names the file and why."""


def image_kind(head: bytes) -> str | None:
    """The image format these leading bytes announce (and the suffix to store it under), else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tif"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "heic"
    return None


def evidence_dir(data_dir: Path, return_id: int) -> Path:
    return data_dir / EVIDENCE_DIRNAME / str(int(return_id))


def keep_photo(data_dir: Path, return_id: int, source: Path) -> Path:
    """Copy one image into the return's evidence folder (once per content); return the kept path."""
    try:
        size = source.stat().st_size
        with source.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise EvidenceRefused(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    kind = image_kind(head)
    if kind is None:
        raise EvidenceRefused(f"{source.name}: not an image (PNG, JPEG, GIF, WebP, BMP, TIFF or HEIC)")
    if size > MAX_PHOTO_BYTES:
        raise EvidenceRefused(
            f"{source.name}: {size / 1024 / 1024:.0f} MB is over the {MAX_PHOTO_BYTES // 1024 // 1024} MB "
            "limit for one photo"
        )
    digest = hashlib.sha256()
    with source.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    folder = evidence_dir(data_dir, return_id)
    target = folder / f"{digest.hexdigest()[:40]}.{kind}"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)  # never a half-written photo under its final name
    finally:
        partial.unlink(missing_ok=True)
    return target


def keep_photos(data_dir: Path, return_id: int, sources: Iterable[str | Path]) -> list[str]:
    """``keep_photo`` for each source, in order, without duplicates; the kept paths as strings."""
    kept: list[str] = []
    for source in sources:
        path = str(keep_photo(data_dir, return_id, Path(source)))
        if path not in kept:
            kept.append(path)
    return kept
