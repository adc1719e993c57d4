"""CSV files for spreadsheets: streamed line by line, read by Excel as UTF-8, no cell run as a
formula."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

# A cell starting with one of these runs as a formula when a spreadsheet opens the file.
FORMULA_STARTS = ("=", "+", "-", "@")


class _Echo:
    """A file-like object whose write() hands the line back, so that the CSV can be streamed."""

    def write(self, value: str) -> str:
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
        yield writer.writerow([csv_safe(cell) for cell in row])
