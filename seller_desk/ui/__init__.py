"""Qt user interface: main window, views, item models, dialogs. Runs on the GUI thread only."""
