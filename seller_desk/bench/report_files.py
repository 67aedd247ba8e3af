"""Returns report files written the way Seller Central writes them, for benchmarks and tests.

Made up from a seeded random generator (never copied from anyone's data): the 32-column MFN flat
file with its quirks (a single space for an empty field, rows cut short after the refund columns,
CRLF line ends, optionally cp1252 text), the MFN XML report and the FBA customer returns report.
Row ``i`` always describes the same return, so two files with overlapping ranges overlap exactly.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

MFN_HEADER = (
    "Order ID\tOrder date\tReturn request date\tReturn request status\tAmazon RMA ID\tMerchant RMA ID\t"
    "Label type\tLabel cost\tCurrency code\tReturn carrier\tTracking ID\tLabel to be paid by\tA-to-Z Claim\t"
    "Is prime\tASIN\tMerchant SKU\tItem Name\tReturn quantity\tReturn Reason\tIn policy\tReturn type\t"
    "Resolution\tInvoice number\tReturn delivery date\tOrder Amount\tOrder quantity\tSafeT Action reason\t"
    "SafeT claim id\tSafeT claim state\tSafeT claim creation time\tSafeT claim reimbursement amount\t"
    "Refunded Amount"
)
FBA_HEADER = (
    "return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\t"
    "detailed-disposition\treason\tstatus\tlicense-plate-number\tcustomer-comments"
)
REASONS = ("CR-DEFECTIVE", "CR-UNWANTED_ITEM", "CR-SWITCHEROO", "AMZ-PG-BAD-DESC", "AMZ-PG-APP-TOO-SMALL",
           "CR-NOT_COMPATIBLE", "CR-DAMAGED_BY_CARRIER", "CR-FOUND_BETTER_PRICE")  # fmt: skip
TITLES = ("Desk lamp, brass", "Café table — oak", "Rain jacket, size M", "Wireless mouse", "Tea kettle 1.7 l")
DISPOSITIONS = ("SELLABLE", "CUSTOMER_DAMAGED", "DEFECTIVE", "CARRIER_DAMAGED", "SELLABLE", "SELLABLE")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
START = datetime(2025, 1, 1, tzinfo=UTC)


def _day(when: datetime) -> str:
    return f"{when.day:02d}-{MONTHS[when.month - 1]}-{when.year}"


def mfn_row(i: int) -> list[str]:
    """Row ``i`` of an MFN flat file (32 fields, trailing SafeT and refund fields possibly cut)."""
    rng = random.Random(i)
    ordered = START + timedelta(days=i % 300, seconds=rng.randrange(86_400))
    requested = ordered + timedelta(days=rng.randrange(1, 25))
    delivered = requested + timedelta(days=rng.randrange(2, 9)) if rng.random() < 0.5 else None
    qty = rng.choice((1, 1, 1, 2))
    amount = rng.randrange(500, 20_000)
    sku = f"SKU-{i % 997:04d}"
    row = [
        f"{100 + i % 900:03d}-{i:07d}-{rng.randrange(10**7):07d}", _day(ordered), _day(requested),
        rng.choice(("Approved", "Approved", "Completed", "Rejected")), f"R{i:09d}RMA", " ",
        "AmazonPrePaidLabel", f"{rng.randrange(300, 900) / 100:.2f}", "USD", rng.choice(("UPS", "USPS")),
        f"1Z{i:016d}", rng.choice(("Seller", "Customer")), rng.choice("NNNY"), rng.choice("YN"),
        f"B0{i % 997:08d}", sku, rng.choice(TITLES), str(qty), rng.choice(REASONS), rng.choice("YYYN"),
        "C-Returns", rng.choice(("StandardRefund", "RefundAtFirstScan")), " ",
        _day(delivered) if delivered else " ", f"{amount * qty / 100:.2f}", str(qty),
    ]  # fmt: skip
    if rng.random() < 0.7:  # the rest: SafeT fields empty, sometimes a refund; else the row stops here
        row += [" ", " ", " ", " ", " ", f"{amount * qty / 100:.2f}" if rng.random() < 0.4 else " "]
    return row


def write_mfn_flat(
    path: Path, rows: int, *, first: int = 0, encoding: str = "utf-8", bom: bool = False
) -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        if bom:
            out.write("\ufeff")
        out.write(MFN_HEADER + "\r\n")
        for i in range(first, first + rows):
            out.write("\t".join(mfn_row(i)) + "\r\n")
    return path


def write_mfn_xml(path: Path, rows: int, *, first: int = 0) -> Path:
    """The same returns as ``write_mfn_flat`` as the XML report (ISO-8601 dates, one item each)."""
    from xml.sax.saxutils import escape

    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope>\n<Header><DocumentVersion>1.00'
                  "</DocumentVersion></Header>\n<MessageType>Returns-Report</MessageType>\n")  # fmt: skip
        for i in range(first, first + rows):
            r = mfn_row(i)
            requested = datetime.strptime(r[2], "%d-%b-%Y").replace(tzinfo=UTC)
            out.write(
                "<Message><return_details>\n"
                f"<item_details><item_name>{escape(r[16])}</item_name><asin>{r[14]}</asin>"
                f"<return_reason_code>{r[18]}</return_reason_code><merchant_sku>{r[15]}</merchant_sku>"
                f"<in_policy>{r[19]}</in_policy><return_quantity>{r[17]}</return_quantity>"
                f"<resolution>{r[21]}</resolution></item_details>\n"
                f"<order_id>{r[0]}</order_id><amazon_rma_id>{r[4]}</amazon_rma_id>"
                f"<return_request_date>{requested:%Y-%m-%dT%H:%M:%SZ}</return_request_date>"
                f"<return_request_status>{r[3]}</return_request_status>"
                f"<a_to_z_claim>{'true' if r[12] == 'Y' else 'false'}</a_to_z_claim>"
                f"<is_prime>{r[13]}</is_prime>"
                f"<label_details><tracking_id>{r[10]}</tracking_id><return_carrier>{r[9]}</return_carrier>"
                f"<currency_code>USD</currency_code><label_cost>{r[7]}</label_cost>"
                f"<label_type>{r[6]}</label_type></label_details>"
                f"<label_to_be_paid_by>{r[11]}</label_to_be_paid_by><order_amount>{r[24]}</order_amount>"
                f"<order_quantity>{r[25]}</order_quantity>\n</return_details></Message>\n"
            )
        out.write("</AmazonEnvelope>\n")
    return path


def write_fba(path: Path, rows: int, *, first: int = 0) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(FBA_HEADER + "\n")
        for i in range(first, first + rows):
            rng = random.Random(-i - 1)
            when = START + timedelta(days=i % 300, seconds=rng.randrange(86_400))
            reason = rng.choice(REASONS).removeprefix("CR-")
            out.write("\t".join((
                when.isoformat(), f"{200 + i % 700:03d}-{i:07d}-0000000", f"SKU-{i % 997:04d}",
                f"B0{i % 997:08d}",
                f"X00{i % 997:07d}", rng.choice(TITLES), "1", "LEX1", rng.choice(DISPOSITIONS), reason,
                rng.choice(("Unit returned to inventory", "Pending repackaging")), f"LPN{i:010d}",
                rng.choice(("", "too small", "stopped working after a week")),
            )) + "\n")  # fmt: skip
    return path
