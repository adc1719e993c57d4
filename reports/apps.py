from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The dashboard, the monthly report and its workbook, and how fast each area works: figures
    read from every domain app below, which none of them reads back. No models of its own."""

    name = "reports"
