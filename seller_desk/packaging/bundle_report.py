"""What a built bundle weighs, and what dominates it: printed by every build, measured by the
``frozen_startup`` benchmark, so a grown bundle is noticed with its cause."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

# Groups by the first folder under the bundle's internal directory that names a package.
TOP_GROUPS = 12


def size_bytes(bundle: Path) -> int:
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())


def largest_parts(bundle: Path, top: int = TOP_GROUPS) -> list[tuple[str, int]]:
    """(part, bytes) for the heaviest parts: a package folder, or a shared library at the top level."""
    inner = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    sizes: Counter[str] = Counter()
    for path in inner.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        relative = path.relative_to(inner)
        key = relative.parts[0]
        if key == "PySide6":  # Qt/lib vs Qt/plugins vs the bindings
            qt = len(relative.parts) > 3 and relative.parts[1] == "Qt"
            key = "/".join(relative.parts[:3]) if qt else "PySide6 (bindings)"
        sizes[key] += path.stat().st_size
    return sizes.most_common(top)


def report(bundle: Path) -> str:
    lines = [f"{bundle}: {size_bytes(bundle) / 2**20:.1f} MB"]
    lines += [f"  {size / 2**20:7.1f} MB  {name}" for name, size in largest_parts(bundle)]
    return "\n".join(lines)
