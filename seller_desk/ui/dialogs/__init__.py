"""Dialogs the screens open: small forms that collect the details of one act."""
