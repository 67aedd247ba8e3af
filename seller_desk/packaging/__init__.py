"""What the PyInstaller build (``build.spec``) needs to decide and report; no Qt, no app imports, so
the spec can load it before PyInstaller analyses anything."""
