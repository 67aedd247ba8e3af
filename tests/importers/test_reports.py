"""The three report formats read from files with real files' quirks: detection, header aliases, blanks
written as one space, short rows, encodings, CRLF, XML with several items, and every bad row named."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.domain.enums import Channel, ConditionGrade, Disposition, Resolution, ReturnStatus
from seller_desk.importers import ReportFormat, ReturnItem, RowError, open_report
from tests.fixtures.report_texts import FBA_HEADER, MFN_HEADER, fba_text, mfn_row, mfn_text, write


def read(path: Path) -> tuple[ReportFormat | None, list[ReturnItem], list[RowError]]:
    items: list[ReturnItem] = []
    errors: list[RowError] = []
    with open_report(path) as report:
        for item, errs in report:
            errors.extend(errs)
            if item is not None:
                items.append(item)
        if report.refused is not None and report.refused not in errors:
            errors.append(report.refused)
        return report.format, items, errors


def test_mfn_flat_row_reads_every_field(tmp_path: Path) -> None:
    fmt, items, errors = read(write(tmp_path / "r.txt", mfn_text(mfn_row())))
    assert (fmt, errors) == (ReportFormat.MFN_FLAT, [])
    (item,) = items
    assert (item.line, item.channel, item.rma, item.order_id, item.sku, item.quantity) == (
        2, Channel.MFN, "DQxyTest1RRMA", "111-0000001-0000001", "LAMP-1", 1)  # fmt: skip
    assert (item.status, item.resolution, item.reason_raw) == (
        ReturnStatus.AUTHORIZED, Resolution.STANDARD_REFUND, "CR-DEFECTIVE")  # fmt: skip
    assert (item.currency, item.order_amount_minor, item.label_cost_minor) == ("USD", 3999, 510)
    assert (item.tracking_number, item.carrier, item.delivered_at, item.refunded_minor) == (
        "1ZTEST00000000001", "UPS", None, None)  # fmt: skip


def test_header_aliases_case_and_column_order_do_not_matter(tmp_path: Path) -> None:
    header = "\t".join(("merchant sku", "ORDER ID", "seller rma id", "return request date", "return reason",
                        "return quantity", "a-to-z claim"))  # fmt: skip
    row = "LAMP-1\t111-0000001-0000001\tMY-RMA-1\t09-Jul-2025\tAMZ-PG-BAD-DESC\t2\tY"
    fmt, items, errors = read(write(tmp_path / "r.txt", mfn_text(row, header=header, newline="\n")))
    assert (fmt, errors) == (ReportFormat.MFN_FLAT, [])
    assert (items[0].rma, items[0].quantity, items[0].a_to_z_claim) == ("MY-RMA-1", 2, True)


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("cp1252", False),
                                               ("latin-1", False)])  # fmt: skip
def test_encodings_are_detected_line_by_line(tmp_path: Path, encoding: str, bom: bool) -> None:
    text = mfn_text(
        mfn_row(**{"Item Name": "Café lamp — brass"} if encoding != "latin-1" else {"Item Name": "Café lamp"})
    )
    _fmt, items, errors = read(write(tmp_path / "r.txt", text, encoding, bom))
    assert errors == []
    assert items[0].title in ("Café lamp — brass", "Café lamp")


def test_delivery_date_and_returnless_refunds_set_the_status(tmp_path: Path) -> None:
    rows = (mfn_row(**{"Amazon RMA ID": "A", "Return delivery date": "14-Jul-2025"}),
            mfn_row(**{"Amazon RMA ID": "B", "Resolution": "ReturnlessRefund"}),
            mfn_row(**{"Amazon RMA ID": "C", "Return request status": "Completed"}))  # fmt: skip
    _fmt, items, _errors = read(write(tmp_path / "r.txt", mfn_text(*rows)))
    assert [i.status for i in items] == [ReturnStatus.DELIVERED, ReturnStatus.RETURNLESS, ReturnStatus.CLOSED]


def test_every_problem_of_every_bad_row_is_named_with_line_and_column(tmp_path: Path) -> None:
    rows = (
        mfn_row(),
        mfn_row(**{"Return request date": "31-Foo-2025", "Return quantity": "0", "Label cost": "x"}),
        mfn_row(**{"Amazon RMA ID": " ", "Currency code": "US$"}),
        mfn_row() + "\textra\tfields\tbeyond\tthe\theader\t1\t2\t3\t4\t5\t6\t7",
    )
    _fmt, items, errors = read(write(tmp_path / "r.txt", mfn_text(*rows)))
    assert [i.line for i in items] == [2]
    found = {(e.line, e.column) for e in errors}
    assert {(3, "Return request date"), (3, "Return quantity"), (3, "Label cost")} <= found
    assert {(4, "Amazon RMA ID"), (4, "Currency code")} <= found
    assert any(e.line == 5 and "fields" in e.message for e in errors)


def test_a_header_without_required_columns_refuses_the_file(tmp_path: Path) -> None:
    header = MFN_HEADER.replace("Merchant SKU", "Something")
    fmt, items, errors = read(write(tmp_path / "r.txt", mfn_text(mfn_row(), header=header)))
    assert fmt is ReportFormat.MFN_FLAT and items == []
    assert errors[0].line == 1 and "Merchant SKU" in errors[0].message


def test_unknown_files_are_refused_with_what_they_start_with(tmp_path: Path) -> None:
    fmt, _items, errors = read(write(tmp_path / "x.csv", "sku,qty\nA,1\n"))
    assert fmt is None and "sku,qty" in errors[0].message
    fmt, _items, errors = read(write(tmp_path / "empty.txt", "\n\n"))
    assert fmt is None and "empty" in errors[0].message


def test_fba_report_with_both_date_styles_and_the_order_id_alias(tmp_path: Path) -> None:
    header = FBA_HEADER.replace("order-id", "amazon-order-id")
    rows = (
        ("2025-06-05T15:31:40+00:00", "114-0000000-0000001", "MUG-1", "B0MUG", "X0MUG", "Mug", "1", "LEX1",
         "CUSTOMER_DAMAGED", "NOT_COMPATIBLE", "Unit returned to inventory", "LPNTEST0001", ""),
        ("05-Jun-2025", "114-0000000-0000002", "MUG-1", "B0MUG", "X0MUG", "Mug", "2", "LEX1", "SELLABLE",
         "SOMETHING_NEW", "Pending repackaging", " ", "too small"),
        ("05-Jun-2025", "114-0000000-0000003", "MUG-1", "B0MUG", "X0MUG", "Mug", "1", "LEX1", "MELTED",
         "DEFECTIVE", "Reimbursed", "LPNTEST0003", ""),
    )  # fmt: skip
    fmt, items, errors = read(write(tmp_path / "fba.txt", fba_text(*rows, header=header)))
    assert fmt is ReportFormat.FBA
    assert [i.rma for i in items] == ["FBA-LPNTEST0001", "FBA-114-0000000-0000002-MUG-1-20250605"]
    first, second = items
    assert (first.status, first.condition, first.disposition) == (
        ReturnStatus.CLOSED, ConditionGrade.DAMAGED, Disposition.LIQUIDATE)  # fmt: skip
    assert (second.status, second.quantity, second.reason_raw, second.customer_comment) == (
        ReturnStatus.INSPECTED, 2, "SOMETHING_NEW", "too small")  # fmt: skip
    assert [(e.line, e.column) for e in errors] == [(4, "detailed-disposition")]


XML = """<?xml version="1.0" encoding="ISO-8859-1"?>
<AmazonEnvelope>
  <Header><DocumentVersion>1.00</DocumentVersion></Header>
  <MessageType>Returns-Report</MessageType>
  <Message>
    <return_details>
      <item_details>
        <item_name>Caf\u00e9 lamp</item_name><asin>B0X1</asin>
        <return_reason_code>AMZ-PG-APP-TOO-SMALL</return_reason_code>
        <merchant_sku>JKT-S</merchant_sku><in_policy>Y</in_policy><return_quantity>1</return_quantity>
        <resolution>StandardRefund</resolution><category>Apparel</category><refund_amount>59.9</refund_amount>
      </item_details>
      <item_details>
        <item_name>Belt</item_name><merchant_sku>BELT-1</merchant_sku><return_quantity>2</return_quantity>
        <return_reason_code>CR-UNWANTED_ITEM</return_reason_code><refund_amount>x</refund_amount>
      </item_details>
      <order_id>408-0000000-0000001</order_id><order_date>2020-11-03T17:08:47Z</order_date>
      <amazon_rma_id>XMLRMA1</amazon_rma_id><return_request_date>2020-11-12T12:44:17Z</return_request_date>
      <return_request_status>Approved</return_request_status><a_to_z_claim>false</a_to_z_claim>
      <is_prime>N</is_prime>
      <label_details><currency_code>EUR</currency_code><label_cost>0.0</label_cost>
        <label_type>AmazonUnPaidLabel</label_type></label_details>
      <label_to_be_paid_by>Customer</label_to_be_paid_by><order_amount>59.9</order_amount>
      <order_quantity>1</order_quantity>
    </return_details>
  </Message>
</AmazonEnvelope>
"""


def test_mfn_xml_reads_each_item_with_its_returns_fields(tmp_path: Path) -> None:
    fmt, items, errors = read(write(tmp_path / "r.xml", XML, "latin-1"))
    assert fmt is ReportFormat.MFN_XML
    (item,) = items
    assert (item.rma, item.sku, item.title, item.currency, item.refunded_minor, item.order_amount_minor) == (
        "XMLRMA1", "JKT-S", "Café lamp", "EUR", 5990, 5990)  # fmt: skip
    assert item.line == 7 and item.a_to_z_claim is False and item.category == "Apparel"
    assert [(e.line, e.column) for e in errors] == [(13, "refund_amount")]


def test_broken_xml_keeps_what_came_before_and_names_the_line(tmp_path: Path) -> None:
    broken = XML.replace("</AmazonEnvelope>", "<Message><return_details><order_id>1</oops>")
    _fmt, items, errors = read(write(tmp_path / "r.xml", broken))
    assert [i.rma for i in items] == ["XMLRMA1"]
    broken_line = broken.splitlines().index(next(x for x in broken.splitlines() if "</oops>" in x)) + 1
    assert errors[-1].line == broken_line and "well-formed" in errors[-1].message


def test_identifiers_longer_than_their_column_are_row_errors_titles_are_cut(tmp_path: Path) -> None:
    rows = (mfn_row(**{"Merchant SKU": "S" * 41}),
            mfn_row(**{"Amazon RMA ID": "B", "Item Name": "Lamp " * 100}),
            mfn_row(**{"Amazon RMA ID": "C", "Tracking ID": "9" * 65}))  # fmt: skip
    _fmt, items, errors = read(write(tmp_path / "r.txt", mfn_text(*rows)))
    assert [(e.line, e.column) for e in errors] == [(2, "Merchant SKU"), (4, "Tracking ID")]
    assert "longer than 40 characters (41)" in errors[0].message
    (item,) = items
    assert item.title is not None and len(item.title) == 300 and item.title.endswith("…")
