"""The feed processing report: what Amazon did with each message of a feed (AMAZON.md §3).

``ProcessingSummary`` counts the messages; each problem is a ``Result`` naming its ``MessageID`` with
``ResultCode`` Error or Warning. A message with an Error was not applied; a Warning was applied with
a remark. A report that cannot be read raises ``UnreadableReport``: the caller must then treat the
feed's effect as unknown, never as success.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field


class UnreadableReport(ValueError):
    """Not a processing report we can trust."""


@dataclass(frozen=True, slots=True)
class MessageResult:
    message_id: int
    code: str  # "Error" | "Warning"
    message_code: str
    description: str


@dataclass(frozen=True, slots=True)
class ProcessingReport:
    processed: int
    successful: int
    with_error: int
    with_warning: int
    results: tuple[MessageResult, ...] = field(default=())

    def errors_for(self, message_id: int) -> list[MessageResult]:
        return [r for r in self.results if r.message_id == message_id and r.code == "Error"]


_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_processing_report(data: bytes | str) -> ProcessingReport:
    """Bytes as downloaded, or text already decoded (its XML declaration then no longer applies)."""
    if isinstance(data, str):
        data = _DECLARATION.sub("", data, count=1)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UnreadableReport(f"the processing report is not well-formed XML: {exc}") from None
    summary = root.find(".//ProcessingSummary")
    if summary is None:
        raise UnreadableReport("the processing report has no ProcessingSummary")
    try:
        names = ("MessagesProcessed", "MessagesSuccessful", "MessagesWithError", "MessagesWithWarning")
        counts = [int(summary.findtext(name) or "0") for name in names]
        results = tuple(
            MessageResult(
                message_id=int(node.findtext("MessageID") or "0"),
                code=(node.findtext("ResultCode") or "").strip(),
                message_code=(node.findtext("ResultMessageCode") or "").strip(),
                description=(node.findtext("ResultDescription") or "").strip(),
            )
            for node in root.iter("Result")
        )
    except ValueError as exc:
        raise UnreadableReport(f"the processing report has a count that is not a number: {exc}") from None
    processed, successful, with_error, with_warning = counts
    return ProcessingReport(processed, successful, with_error, with_warning, results)
