"""What the desktop bundle leaves out of Qt, Python packages and their data, and what it may strip.

PyInstaller collects every Qt plugin its PySide6 hook knows, and each plugin drags in its own Qt
libraries (the PDF image format brings Qt Pdf, the QML tooling brings Qt Qml and Qt Quick). The app
uses Qt Core, Gui, Widgets, Network and Svg (matplotlib's Qt canvas), so everything else goes. What
stays is what a seller's desktop needs: the X11 and Wayland platforms (plus offscreen and minimal for
the smoke test and screenshots), the GTK and portal themes, input methods, and the image formats our
icons and charts use. ``tests/packaging`` checks these lists against a real build.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from seller_desk.domain.marketplaces import MARKETPLACES

_UNUSED_QT = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth",
    "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtHelp", "QtHttpServer",
    "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2",
    "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
    "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets",
    "QtWebView", "QtXml", "QtDBus", "QtAxContainer",
)  # fmt: skip
EXCLUDED_MODULES = [f"PySide6.{name}" for name in _UNUSED_QT] + [
    "tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2", "IPython", "jupyter_client", "notebook",
    "pytest", "_pytest", "hypothesis", "mypy", "ruff", "schemathesis", "importlinter", "pytestqt",
    "matplotlib.tests", "numpy.tests", "pandas.tests", "sqlalchemy.testing",
    # The desktop's embedded backend (--demo) serves SQLite and never calls Amazon; a team backend on
    # PostgreSQL or with the SP-API connector runs from a Python install, not from the desktop bundle.
    "psycopg", "psycopg_binary", "psycopg_pool", "sp_api", "seller_desk.backend.amazon", "yaml", "confuse",
    # Image formats matplotlib never writes here (it saves PNG and SVG).
    "PIL._avif", "PIL._webp", "PIL._imagingtk", "PIL.ImageTk", "PIL.AvifImagePlugin", "PIL.WebPImagePlugin",
    "rich", "pygments", "markdown_it", "pydoc_data",  # pretty consoles and help pages nobody sees here
]  # fmt: skip
# Shared libraries under these folders are never stripped: numpy's bundled OpenBLAS stops working.
NEVER_STRIP = frozenset({"numpy", "numpy.libs", "scipy", "scipy.libs"})

# Plugin folders (under PySide6/Qt/plugins) the app never loads.
UNUSED_PLUGIN_DIRS = frozenset({
    "designer", "egldeviceintegrations", "printsupport", "qmllint", "qmltooling",
    "sqldrivers", "tls", "vectorimageformats", "wayland-graphics-integration-server", "renderers",
    "sceneparsers", "geometryloaders", "assetimporters", "multimedia", "position", "webview",
})  # fmt: skip
UNUSED_PLATFORMS = frozenset({"libqeglfs.so", "libqlinuxfb.so", "libqminimalegl.so", "libqvkkhrdisplay.so",
                              "libqvnc.so", "qdirect2d.dll"})  # fmt: skip
USED_IMAGE_FORMATS = frozenset({"qsvg", "qico", "qjpeg", "qgif"})  # PNG is built into Qt Gui
# Qt libraries that only the plugins above (or unused modules) load; dropped even when a hook lists them.
UNUSED_QT_LIBRARIES = ("Qt6Pdf", "Qt6Qml", "Qt6Quick", "Qt6Designer", "Qt6EglFS", "Qt6Lab", "Qt6Lottie",
                       "Qt6VirtualKeyboard", "Qt6ShaderTools", "Qt6Multimedia", "Qt6WebEngine",
                       "Qt6OpenGLWidgets", "Qt6NetworkAuth")  # fmt: skip

Entry = TypeVar("Entry", bound=tuple[str, ...])


# matplotlib's data the app's charts never read: example data, PostScript/PDF font metrics, and the
# serif, monospace and STIX fonts (charts are set in DejaVu Sans; mathtext falls back to Computer Modern).
UNUSED_MPL_DATA = (
    "sample_data", "fonts/afm", "fonts/pdfcorefonts", "fonts/ttf/STIX", "fonts/ttf/DejaVuSerif",
    "fonts/ttf/DejaVuSansMono",
)  # fmt: skip


# The holidays package ships translations of holiday names for 200 countries (4.8 MB); the business-day
# clocks need the calendars of the marketplaces' countries only (it loads its own country's file).
HOLIDAY_COUNTRIES = frozenset(m.country for m in MARKETPLACES.values())


def is_unused(destination: str) -> bool:
    """Whether a bundle entry (its path inside the bundle) is Qt or data the app never loads."""
    parts = Path(destination).parts
    name = parts[-1]
    if parts[0] == "holidays" and "locale" in parts and name.endswith(".mo"):
        return Path(name).stem not in HOLIDAY_COUNTRIES
    if "mpl-data" in parts:
        inside = "/".join(parts[parts.index("mpl-data") + 1 :])
        return inside.startswith(UNUSED_MPL_DATA)
    if parts[:3] == ("PySide6", "Qt", "translations"):
        return True  # the app speaks English; Qt's own dialogs follow it
    if "plugins" in parts:
        kind = parts[parts.index("plugins") + 1] if parts.index("plugins") + 1 < len(parts) else ""
        if kind in UNUSED_PLUGIN_DIRS:
            return True
        if kind == "platforms" and name in UNUSED_PLATFORMS:
            return True
        return kind == "imageformats" and not any(f in name for f in USED_IMAGE_FORMATS)
    return name.startswith(("libQt6", "Qt6")) and any(lib in name for lib in UNUSED_QT_LIBRARIES)


def without_unused_qt(toc: Iterable[Entry]) -> list[Entry]:
    """A PyInstaller TOC (entries of destination, source, kind) without the unused Qt parts."""
    return [entry for entry in toc if not is_unused(entry[0])]


def strippable(bundle: Path) -> Iterator[Path]:
    """The bundle's shared libraries whose debug symbols can go (libpython alone carries 18 MB of them),
    all but numpy's: stripping its bundled OpenBLAS broke the first chart (ARCHITECTURE.md), which is
    why ``seller-desk --smoke`` draws one."""
    for path in bundle.rglob("*.so*"):
        if path.is_file() and not path.is_symlink() and not NEVER_STRIP & set(path.parts):
            yield path


def left_out(module: str) -> bool:
    """Whether a Seller Desk module stays out of the bundle: the benchmarks, and what the excluded
    packages above would be needed for."""
    return module.startswith("seller_desk.bench") or any(
        module == excluded or module.startswith(excluded + ".") for excluded in EXCLUDED_MODULES
    )
