"""The change feed: every write of a mirrored row, in one order, as desktops pull it.

``writer.FeedWriter`` is the only way the backend writes a mirrored row: it bumps ``server_version``,
writes the row and appends the change with the full row in the same transaction. ``reader`` serves
pages of it behind opaque cursors (``cursor``), and ``compaction`` trims what no cursor needs.
"""
