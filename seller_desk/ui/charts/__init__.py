"""Qt widgets that show matplotlib figures (imported only by the screens that chart)."""
