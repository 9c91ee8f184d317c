"""CSV files that open safely and correctly in the spreadsheets organisers use.

Every export goes through `csv_file`, so each one is safe against formula injection and reads
well in Swedish and Finnish Excel.
"""

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from flask import Response

from conference.core.timeutil import to_local

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# (OWASP "CSV Injection"); a leading apostrophe makes the spreadsheet read it as text instead.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Semicolons, because Excel in Swedish and Finnish locales splits on them (the comma is the decimal sign).
DELIMITER = ";"
# The byte order mark is how Excel recognises UTF-8; without it å, ä and ö come out garbled.
BOM = "\ufeff"
SPREADSHEET_TIME = "%Y-%m-%d %H:%M"  # sorts as text and is read as a date in every locale


def neutralise(cell: object) -> str:
    """The cell as text a spreadsheet will show rather than evaluate."""
    text = "" if cell is None else str(cell)
    # Spreadsheets skip leading spaces before looking for a formula, so look past them too.
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def spreadsheet_time(moment: datetime | None, tz_name: str) -> str:
    """A moment as local wall-clock time in the event's timezone, or empty."""
    return to_local(moment, tz_name).strftime(SPREADSHEET_TIME) if moment else ""


def csv_file(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """The whole file: BOM, header, rows; every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER)
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return BOM + buffer.getvalue()


def csv_download(text: str, filename: str) -> Response:
    """The file as a download that no cache keeps: exports hold personal data."""
    response = Response(text.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
