"""Chinese dates as the portal writes them everywhere: ISO (2026-12-09), as the English pages.

Django's own Chinese formats (2026年12月9日, 2026/12/09) would differ from the dates the
templates write explicitly.
"""

from lujiazui.formats.en.formats import (  # noqa: F401 - one set of formats for both languages
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)
