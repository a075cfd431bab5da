"""The one CSV writer: every CSV the portal serves is made here, for Excel with Swedish settings.

- UTF-8 with a byte order mark: without it Swedish Excel reads the file as Windows-1252 and
  å, ä and ö break.
- `;` between columns, because Swedish Excel uses `,` as the decimal separator; CRLF line ends.
- A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
  formula (CSV injection: a place titled `=HYPERLINK(...)` could send the list elsewhere). As
  OWASP advises, such a cell gets a leading `'`, and every text cell is quoted. Numbers stay
  numbers, so -1 is still -1.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

DELIMITER = ";"
BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a spreadsheet may safely read it: a number, or a text that is no formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(
    *, filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A CSV file to download, with the header line first and one line per row."""
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )
    response.write(BYTE_ORDER_MARK)
    # QUOTE_NONNUMERIC quotes every text cell and leaves the numbers bare.
    writer = csv.writer(
        response, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC
    )
    writer.writerow([csv_cell(value) for value in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response
