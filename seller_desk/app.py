"""Composition root: paths, logging, store, QApplication and the main window (filled in below)."""
