"""English dates as the portal writes them everywhere: ISO (2026-12-09), never 12/9 or Dec. 9.

The same as lujiazui/formats/zh_Hans: a date reads the same in both languages.
"""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"
