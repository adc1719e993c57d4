"""Chinese dates as the portal writes them everywhere: ISO (2026-12-09), as the English pages.

Django's own Chinese formats (2026年12月9日, 2026/12/09) would differ from the dates the
templates write explicitly.
"""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"
