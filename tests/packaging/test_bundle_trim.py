"""What the bundle leaves out: unused Qt plugins, libraries and data go; what a desktop needs stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.packaging import bundle_trim
from seller_desk.packaging.bundle_report import largest_parts, report, size_bytes

PLUGINS = "PySide6/Qt/plugins"


@pytest.mark.parametrize(
    "destination",
    [
        f"{PLUGINS}/platforms/libqxcb.so", f"{PLUGINS}/platforms/libqwayland.so",
        f"{PLUGINS}/platforms/libqoffscreen.so", f"{PLUGINS}/imageformats/libqsvg.so",
        f"{PLUGINS}/imageformats/libqjpeg.so", f"{PLUGINS}/platformthemes/libqgtk3.so",
        f"{PLUGINS}/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Svg.so.6", "PySide6/Qt/lib/libicudata.so.73",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", "matplotlib/mpl-data/fonts/ttf/cmr10.ttf",
        "matplotlib/mpl-data/matplotlibrc", "resources/icons/seller-desk.svg",
        f"{PLUGINS}/networkinformation/libqnetworkmanager.so",  # the sync worker's online/offline signal
        "holidays/locale/en_GB/LC_MESSAGES/GB.mo", "holidays/locale/de/LC_MESSAGES/DE.mo",
    ],
)  # fmt: skip
def test_what_the_app_loads_stays(destination: str) -> None:
    assert not bundle_trim.is_unused(destination)


@pytest.mark.parametrize(
    "destination",
    [
        f"{PLUGINS}/platforms/libqeglfs.so", f"{PLUGINS}/platforms/libqvnc.so",
        f"{PLUGINS}/imageformats/libqpdf.so", f"{PLUGINS}/imageformats/libqtiff.so",
        f"{PLUGINS}/qmltooling/libqmldbg_debugger.so", f"{PLUGINS}/sqldrivers/libqsqlite.so",
        "PySide6/Qt/lib/libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/translations/qtbase_de.qm", "matplotlib/mpl-data/sample_data/goog.npz",
        "matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf", "matplotlib/mpl-data/fonts/afm/phvr8a.afm",
        "holidays/locale/en_US/LC_MESSAGES/AF.mo",
    ],
)  # fmt: skip
def test_what_the_app_never_loads_goes(destination: str) -> None:
    assert bundle_trim.is_unused(destination)


def test_a_toc_keeps_its_entries_shape_and_order() -> None:
    toc = [("a/x.so", "/src/a/x.so", "BINARY"), (f"{PLUGINS}/platforms/libqvnc.so", "/src/vnc", "BINARY"),
           ("b/y.so", "/src/b/y.so", "BINARY")]  # fmt: skip
    assert bundle_trim.without_unused_qt(toc) == [toc[0], toc[2]]


def test_modules_left_out_include_their_submodules_but_not_lookalikes() -> None:
    assert bundle_trim.left_out("seller_desk.bench.frozen")
    assert bundle_trim.left_out("seller_desk.backend.amazon.clients")
    assert not bundle_trim.left_out("seller_desk.backend.api.imports")
    assert not bundle_trim.left_out("seller_desk.backend.amazonish")


def test_only_numpy_keeps_its_symbols(tmp_path: Path) -> None:
    libraries = (
        "_internal/libpython3.11.so.1.0",
        "_internal/PySide6/Qt/lib/libQt6Core.so.6",
        "_internal/numpy.libs/libscipy_openblas64_.so",
        "_internal/numpy/_core/_umath.so",
    )
    for relative in libraries:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x7fELF")
    (tmp_path / "_internal/libpython3.so").symlink_to(tmp_path / "_internal/libpython3.11.so.1.0")
    stripped = {p.relative_to(tmp_path).as_posix() for p in bundle_trim.strippable(tmp_path)}
    assert stripped == {"_internal/libpython3.11.so.1.0", "_internal/PySide6/Qt/lib/libQt6Core.so.6"}


def test_the_report_names_the_heaviest_parts(tmp_path: Path) -> None:
    inner = tmp_path / "_internal"
    for relative, size in (("PySide6/Qt/lib/libQt6Gui.so.6", 3000), ("PySide6/QtCore.abi3.so", 500),
                           ("numpy.libs/openblas.so", 2000), ("libpython3.11.so.1.0", 1000)):  # fmt: skip
        (inner / relative).parent.mkdir(parents=True, exist_ok=True)
        (inner / relative).write_bytes(b"x" * size)
    expected = [
        ("PySide6/Qt/lib", 3000),
        ("numpy.libs", 2000),
        ("libpython3.11.so.1.0", 1000),
        ("PySide6 (bindings)", 500),
    ]
    assert largest_parts(tmp_path) == expected
    assert size_bytes(tmp_path) == 6500
    assert report(tmp_path).splitlines()[1].strip().endswith("PySide6/Qt/lib")
