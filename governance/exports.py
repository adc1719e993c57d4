"""Files for spreadsheets, CSV and XLSX, written row by row so that a long export never sits in
memory whole: CSV is streamed line by line and read by Excel as UTF-8; XLSX goes through
openpyxl's write-only workbook into a temporary file that is then streamed. No cell runs as a
formula."""

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell starting with one of these runs as a formula when a spreadsheet opens the file.
FORMULA_STARTS = ("=", "+", "-", "@")
# XML 1.0 has no room for these control characters; openpyxl refuses a cell that holds one.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file-like object whose write() hands the line back, so that the CSV can be streamed."""

    def write(self, value: str) -> str:
        return value


def plain(value: Any) -> Any:
    """A cell as text a person reads: local times to the minute, dates in ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The header and each row as a CSV line; the first starts with the BOM Excel looks for."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_safe(plain(cell)) for cell in row])


def csv_response(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, filename: str):
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(sheet, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        # Excel knows no time zones: the local time, as the pages show it.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | datetime.date):
        return value
    cell = WriteOnlyCell(sheet, ILLEGAL_XML.sub("", str(value)))
    cell.data_type = "s"  # text stays text, even when it starts with "="
    return cell


def xlsx_file(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, title: str = ""):
    """A workbook of one sheet, written row by row to a temporary file (rewound for reading)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_XML.sub("", title)[:31] or None)
    bold = Font(bold=True)
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, str(text))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(file)
    file.seek(0)
    return file


def xlsx_response(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], *, filename: str, title: str = ""
) -> FileResponse:
    return FileResponse(
        xlsx_file(header, rows, title=title),
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type=XLSX_TYPE,
    )


def export_response(fmt: str, header: list[Any], rows: Iterable[Iterable[Any]], *, filename: str):
    """The rows as the file the user asked for: ``csv`` or ``xlsx``."""
    if fmt == "xlsx":
        return xlsx_response(header, rows, filename=filename, title=filename)
    return csv_response(header, rows, filename=filename)
