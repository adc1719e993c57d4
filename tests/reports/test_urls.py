"""The reports keep the addresses they had in governance, and none of them is taken for another
app's page (governance's cases/<number>/ would take cases/efficiency/ were it included first)."""

import pytest
from django.urls import resolve, reverse


@pytest.mark.parametrize(
    ("path", "name", "args"),
    [
        ("/dashboard/", "reports:dashboard", []),
        ("/dashboard/report/2026-04/", "reports:dashboard_report", [2026, 4]),
        ("/dashboard/report/2026-04.xlsx", "reports:dashboard_report_xlsx", [2026, 4]),
        ("/cases/efficiency/", "reports:case_efficiency", []),
    ],
)
def test_each_report_answers_at_its_address(path, name, args):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name


def test_a_case_number_is_still_a_case_of_governance():
    assert resolve("/cases/LJZ-2026-0001/").view_name == "governance:case_detail"
