"""The one error ingest raises for a record it cannot take (it names the record and why)."""


class IngestError(ValueError):
    pass
