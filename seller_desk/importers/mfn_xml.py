"""The seller-fulfilled returns report as XML (``GET_XML_RETURNS_DATA_BY_RETURN_DATE``): one
``Message/return_details`` per RMA with one or more ``item_details`` (AMAZON.md §1), streamed through
expat so a large file is never held whole, with line numbers for every error.

Each ``item_details`` becomes one record carrying its RMA's fields. The same field readers as the flat
file apply, so the two formats of one report agree. Lines are decoded like every report
(``text_lines``) and handed to expat as text, which makes a file's encoding declaration moot.
A file that stops being well-formed keeps the records before the break; the rest is one error at
the line where expat stopped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from xml.parsers import expat

from seller_desk.importers.mfn_flat import MfnFlatRows
from seller_desk.importers.records import ReturnItem, RowError
from seller_desk.importers.tabular import Header

# XML element → the flat file's field name, so one row builder serves both formats.
RETURN_FIELDS = {
    "order_id": "order_id", "order_date": "order_date", "amazon_rma_id": "rma",
    "merchant_rma_id": "merchant_rma", "return_request_date": "requested_at",
    "return_request_status": "status", "a_to_z_claim": "a_to_z", "label_to_be_paid_by": "label_paid_by",
    "order_amount": "order_amount", "order_quantity": "order_quantity", "tracking_id": "tracking",
    "return_carrier": "carrier", "currency_code": "currency", "label_cost": "label_cost",
    "label_type": "label_type", "return_delivery_date": "delivered_at",
}  # fmt: skip
ITEM_FIELDS = {
    "item_name": "title", "asin": "asin", "return_reason_code": "reason", "merchant_sku": "sku",
    "in_policy": "in_policy", "return_quantity": "quantity", "resolution": "resolution",
    "refund_amount": "refunded", "category": "category",
}  # fmt: skip
_NAMES = {**{v: k for k, v in RETURN_FIELDS.items()}, **{v: k for k, v in ITEM_FIELDS.items()}}
HEADER = Header(positions={}, names=_NAMES, width=0)


class _Collector:
    """expat callbacks gathering one ``return_details`` at a time."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.done: list[tuple[int, dict[str, str], list[tuple[int, dict[str, str]]]]] = []
        self._details: dict[str, str] | None = None
        self._items: list[tuple[int, dict[str, str]]] = []
        self._item: dict[str, str] | None = None
        self._start = 0
        self._text: list[str] = []

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        self._text = []
        if name == "return_details":
            self._details, self._items, self._start = {}, [], self.parser.CurrentLineNumber
        elif name == "item_details" and self._details is not None:
            self._item = {}
            self._items.append((self.parser.CurrentLineNumber, self._item))

    def end(self, name: str) -> None:
        value = "".join(self._text)
        if name == "return_details" and self._details is not None:
            self.done.append((self._start, self._details, self._items))
            self._details, self._item = None, None
        elif name == "item_details":
            self._item = None
        elif self._item is not None and name in ITEM_FIELDS:
            self._item[ITEM_FIELDS[name]] = value
        elif self._details is not None and name in RETURN_FIELDS:
            self._details[RETURN_FIELDS[name]] = value
        self._text = []

    def chars(self, data: str) -> None:
        self._text.append(data)


class MfnXmlRows(MfnFlatRows):
    """Items of one MFN XML report as records or row errors (line = the item's line)."""

    def __init__(self) -> None:
        super().__init__()
        self.header = HEADER

    def rows(self, lines: Iterable[tuple[int, str]]) -> Iterator[tuple[ReturnItem | None, list[RowError]]]:
        parser = expat.ParserCreate()
        collector = _Collector(parser)
        parser.StartElementHandler = collector.start
        parser.EndElementHandler = collector.end
        parser.CharacterDataHandler = collector.chars
        last = 0
        try:
            for number, text in lines:
                last = number
                parser.Parse(text + "\n", False)
                yield from self._drain(collector)
            parser.Parse("", True)
        except expat.ExpatError as exc:
            yield from self._drain(collector)
            yield (
                None,
                [RowError(exc.lineno or last, None, f"not well-formed XML: {expat.ErrorString(exc.code)}")],
            )
            return
        yield from self._drain(collector)

    def _drain(self, collector: _Collector) -> Iterator[tuple[ReturnItem | None, list[RowError]]]:
        for start, details, items in collector.done:
            if not items:
                yield None, [RowError(start, "item_details", "the return lists no item_details")]
            for line, item in items:
                errors: list[RowError] = []
                yield self.checked(self.item(line, {**details, **item}, errors), errors), errors
        collector.done.clear()
