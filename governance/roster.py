"""The roster spreadsheet the street's organisations and posts are imported from: its columns,
the empty template to fill in, and reading an uploaded XLSX or CSV file into rows of text.

One row holds one post: the organisation's columns, then who holds which post from when. A row
with the person's columns empty registers the organisation alone. Headers may be written in
Chinese or English; values of kind and post title may be the label shown on the pages or the
code below."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    required: bool
    help: Promise


COLUMNS = [
    Column(
        "organization",
        gettext_lazy("organisation"),
        True,
        gettext_lazy("The organisation's full name, unique in the street."),
    ),
    Column(
        "kind",
        gettext_lazy("kind"),
        False,
        gettext_lazy("Needed for a new organisation: one of the kinds listed below."),
    ),
    Column(
        "area",
        gettext_lazy("residential area"),
        False,
        gettext_lazy(
            "The area's name or short name; empty only for a partner unit serving the street."
        ),
    ),
    Column(
        "compound",
        gettext_lazy("compound"),
        False,
        gettext_lazy("For an owners' committee or a property company: the compound it serves."),
    ),
    Column(
        "term_start",
        gettext_lazy("term or contract start"),
        False,
        gettext_lazy("A date such as 2024-05-01; owners' committees and property companies."),
    ),
    Column(
        "term_end",
        gettext_lazy("term or contract end"),
        False,
        gettext_lazy("A date after the start."),
    ),
    Column(
        "person",
        gettext_lazy("person's name"),
        False,
        gettext_lazy(
            "Who holds the post; a person not yet on record is added to the organisation's area."
        ),
    ),
    Column(
        "title",
        gettext_lazy("post"),
        False,
        gettext_lazy("One of the post titles listed below; needed with a person."),
    ),
    Column(
        "part_time",
        gettext_lazy("part-time"),
        False,
        gettext_lazy("Yes or no (empty means no)."),
    ),
    Column(
        "start_date",
        gettext_lazy("start date"),
        False,
        gettext_lazy("The post's first day; needed with a person."),
    ),
    Column(
        "end_date",
        gettext_lazy("end date"),
        False,
        gettext_lazy("The post's last day; empty while the post is held."),
    ),
]
KEYS = [column.key for column in COLUMNS]
MAX_ROWS = 5000
TRUE_WORDS = {"yes", "y", "true", "1", "是", "兼职", "√"}
FALSE_WORDS = {"", "no", "n", "false", "0", "否", "专职"}


@dataclass
class RosterRow:
    number: int  # the row's number in the spreadsheet, the header being row 1
    values: dict[str, Any]


def column_label(key: str) -> str:
    return str(next(column.label for column in COLUMNS if column.key == key))


def header() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def _header_names() -> dict[str, str]:
    """Each way a column's header may be written: its key, its English and its local label."""
    names: dict[str, str] = {}
    for column in COLUMNS:
        names[column.key] = column.key
        names[str(column.label).strip().lower()] = column.key
        with translation.override("en"):
            names[str(column.label).strip().lower()] = column.key
        with translation.override("zh-hans"):
            names[str(column.label).strip().lower()] = column.key
    return names


def _cells_to_rows(lines) -> list[RosterRow]:
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        raise ValidationError(_("The file is empty."), code="empty_file")
    names = _header_names()
    keys = [names.get(str(cell or "").strip().lower()) for cell in first]
    missing = [column_label(c.key) for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s."),
            code="missing_columns",
            params={"columns": ", ".join(missing)},
        )
    rows = []
    for number, cells in enumerate(lines, start=2):
        values = dict.fromkeys(KEYS)
        for key, cell in zip(keys, cells, strict=False):
            if key is not None:
                values[key] = cell.strip() if isinstance(cell, str) else cell
        if all(value in (None, "") for value in values.values()):
            continue
        rows.append(RosterRow(number, values))
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                ngettext(
                    "A roster may hold at most %(count)s row: split the file.",
                    "A roster may hold at most %(count)s rows: split the file.",
                    MAX_ROWS,
                ),
                code="too_many_rows",
                params={"count": MAX_ROWS},
            )
    return rows


def csv_text(data: bytes) -> str:
    # Excel in Chinese saves CSV as GB18030 unless asked for UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030."), code="unreadable_file")


def read_roster(file: IO[bytes], name: str) -> list[RosterRow]:
    """The rows of an XLSX (first sheet) or CSV roster, empty rows left out."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "csv":
        return _cells_to_rows(csv.reader(io.StringIO(csv_text(file.read()))))
    if suffix == "xlsx":
        try:
            workbook = load_workbook(file, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
            raise ValidationError(
                _("The file cannot be read as an Excel workbook."), code="unreadable_file"
            ) from None
        try:
            return _cells_to_rows(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    raise ValidationError(_("Upload an .xlsx or .csv file."), code="unknown_format")


def parse_date(value: Any) -> datetime.date | None:
    """A date cell, or text such as 2024-05-01, 2024/5/1 or 2024.5.1; empty is None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        year, month, day = (int(part) for part in text.split(" ")[0].split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date such as 2024-05-01."),
            code="invalid_date",
            params={"value": value},
        ) from None


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in TRUE_WORDS or text == _("yes").lower():
        return True
    if text in FALSE_WORDS or text == _("no").lower():
        return False
    raise ValidationError(
        _("“%(value)s” is neither yes nor no."), code="invalid_yes_no", params={"value": value}
    )


def text(value: Any) -> str:
    """A cell as text; a number typed in a text column (a year, a flat) loses no digit."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
