"""Fuzzing the readers: whatever bytes a file holds, reading it never raises, and every row that is
not a record comes back with at least one error naming its line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_desk.importers import open_report
from tests.fixtures.report_texts import FBA_HEADER, MFN_HEADER, mfn_row, mfn_text
from tests.importers.test_reports import XML

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cell = st.one_of(
    st.sampled_from(["", " ", "Y", "N", "0", "-1", "1.5", "12,34", "31-Foo-2025", "2025-13-45", "CR-",
                     "AMZ-PG-X", "1e9", "NaN", "９", "²", "\x00", "Approved", "USD", "10-Jul-2025"]),
    st.text(alphabet=st.characters(blacklist_characters="\t\r\n"), max_size=12),
)  # fmt: skip


def _check(data: bytes) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report"
        path.write_bytes(data)
        records = errors = 0
        with open_report(path) as report:
            for item, row_errors in report:
                assert item is not None or row_errors, "a row was dropped without an error"
                for error in row_errors:
                    assert error.line >= 1 and error.message
                records += item is not None
                errors += len(row_errors)
        return records, errors


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_read_without_raising(data: bytes) -> None:
    _check(data)


@FUZZ
@given(
    st.lists(st.lists(cell, min_size=0, max_size=34), max_size=8), st.sampled_from([MFN_HEADER, FBA_HEADER])
)
def test_rows_of_junk_under_a_real_header_become_records_or_named_errors(
    rows: list[list[str]], header: str
) -> None:
    text = header + "\r\n" + "".join("\t".join(r) + "\r\n" for r in rows)
    for encoding in ("utf-8", "cp1252"):
        _check(text.encode(encoding, errors="replace"))


@FUZZ
@given(st.dictionaries(st.sampled_from(MFN_HEADER.split("\t")[:26]), cell, max_size=6))
def test_one_field_broken_at_a_time_in_a_good_row(overrides: dict[str, str]) -> None:
    records, errors = _check(mfn_text(mfn_row(**overrides)).encode("utf-8", errors="replace"))
    assert records + errors >= 1


@FUZZ
@given(st.integers(min_value=0, max_value=len(XML)), st.text(max_size=8))
def test_xml_cut_or_spliced_anywhere_reads_without_raising(at: int, junk: str) -> None:
    _check((XML[:at] + junk + XML[at:]).encode("utf-8", errors="replace"))
    _check(XML[:at].encode())


JUNK = ["", " ", "0", "-1", "1.5", "12,34", "31-Foo-2025", "2025-13-45", "1e9", "NaN", "９", "²", "\x00",
        "x" * 300]  # fmt: skip


def test_every_junk_value_in_every_column_of_each_format() -> None:
    """Deterministic sweep beside the random one: each column of a good row, each junk value."""
    for column in MFN_HEADER.split("\t")[:26]:
        for junk in JUNK:
            records, errors = _check(mfn_text(mfn_row(**{column: junk})).encode())
            assert records + errors >= 1, (column, junk)
    good = ["2025-06-05T15:31:40+00:00", "114-1", "MUG-1", "B0", "X0", "Mug", "1", "LEX1", "SELLABLE",
            "DEFECTIVE", "Reimbursed", "LPN1", ""]  # fmt: skip
    for index in range(len(good)):
        for junk in JUNK:
            row = [*good[:index], junk, *good[index + 1 :]]
            _check((FBA_HEADER + "\n" + "\t".join(row) + "\n").encode())
