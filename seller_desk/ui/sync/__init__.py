"""Sync in the GUI: the status-bar indicator, the Sync screen and its table models."""
