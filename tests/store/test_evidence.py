"""Inspection photos copied into the store's evidence folder, named by their content."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from seller_desk.store.evidence import MAX_PHOTO_BYTES, EvidenceRefused, image_kind, keep_photo, keep_photos

JPEG = b"\xff\xd8\xff\xe0" + b"\x10JFIF" + bytes(range(200))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 100


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PNG[:16], "png"),
        (JPEG[:16], "jpg"),
        (b"GIF89a" + b"\x00" * 10, "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\x00\x00\x00\x18ftypheic", "heic"),
        (b"%PDF-1.7\n", None),
        (b"", None),
    ],
)
def test_image_kind_reads_the_first_bytes(head: bytes, kind: str | None) -> None:
    assert image_kind(head) == kind


def test_a_photo_is_kept_once_under_its_content_hash(tmp_path: Path) -> None:
    data = tmp_path / "data"
    a = tmp_path / "a.jpeg"
    a.write_bytes(JPEG)
    b = tmp_path / "same bytes, other name.JPG"
    b.write_bytes(JPEG)
    kept = keep_photos(data, 42, [a, b, a])
    digest = hashlib.sha256(JPEG).hexdigest()[:40]
    assert kept == [str(data / "evidence" / "42" / f"{digest}.jpg")]
    assert sorted(p.name for p in (data / "evidence" / "42").iterdir()) == [f"{digest}.jpg"]  # no .part left


def test_an_extension_that_lies_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("just text")
    with pytest.raises(EvidenceRefused, match=r"photo\.jpg: not an image"):
        keep_photo(tmp_path / "data", 1, fake)


def test_a_missing_file_is_refused_by_path(tmp_path: Path) -> None:
    with pytest.raises(EvidenceRefused, match=r"gone\.png: cannot be read"):
        keep_photo(tmp_path / "data", 1, tmp_path / "gone.png")


def test_a_huge_photo_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as f:
        f.write(PNG)
        f.truncate(MAX_PHOTO_BYTES + 1)  # sparse: no 40 MB written
    with pytest.raises(EvidenceRefused, match=r"big\.png: 40 MB is over the 40 MB limit"):
        keep_photo(tmp_path / "data", 1, big)
