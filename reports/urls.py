from django.urls import path, register_converter

from reports import views


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class TwoDigitMonth(FourDigitYear):
    regex = "[0-9]{2}"

    def to_url(self, value: int) -> str:
        return f"{value:02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigitMonth, "mm")

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "dashboard/report/<yyyy:year>-<mm:month>/",
        views.monthly_report,
        name="dashboard_report",
    ),
    path(
        "dashboard/report/<yyyy:year>-<mm:month>.xlsx",
        views.monthly_report_xlsx,
        name="dashboard_report_xlsx",
    ),
    path("cases/efficiency/", views.case_efficiency, name="case_efficiency"),
]
