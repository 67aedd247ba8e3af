"""Amazon returns report readers: MFN flat file, MFN XML and FBA customer returns (AMAZON.md §1).

Pure Python over the domain: a file becomes ``ReturnItem`` records and ``RowError``s naming line,
column and reason. Writing the records is the store's job (desktop) or the backend's ingest (team).
"""

from seller_desk.importers.reader import Report, detect, open_report
from seller_desk.importers.records import ReportFormat, ReturnItem, RowError

__all__ = ["Report", "ReportFormat", "ReturnItem", "RowError", "detect", "open_report"]
