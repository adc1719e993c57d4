"""The street's leadership at the dashboard: from 崂三's overdue figure to its cases, then the
month's workbook."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from governance.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_follows_laosans_overdue_figure_and_downloads_the_report(
    live_server, page, demo_street, csp_violations
):
    base = live_server.url
    page.goto(f"{base}/accounts/login/?next=/dashboard/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("demo-pass-2026")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    overdue = Case.objects.filter(area__slug="laosan").overdue()

    page.locator("#overdue-laosan").click()

    expect(page.locator(".case-row")).to_have_count(overdue.count())
    for case in overdue:
        expect(page.locator(f"a[href='{case.get_absolute_url()}']").first).to_be_visible()

    page.goto(f"{base}/dashboard/")
    with page.expect_download() as download_info:
        page.locator("a[href$='.xlsx']").first.click()
    download = download_info.value
    month = timezone.localdate()
    assert download.suggested_filename == f"report-{month:%Y-%m}-street.xlsx"
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    areas = [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "崂三居民区" in areas
    assert csp_violations == []
