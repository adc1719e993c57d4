"""The street office in the admin: its pages, a case's history among them, load in Chromium
without a console error or a Content-Security-Policy violation (the guard in conftest.py)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from governance.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_street_office_reads_the_admin_and_a_cases_history(live_server, page, demo_street):
    case = Case.objects.filter(area__slug="laosan").order_by("pk").first()
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("demo-pass-2026")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("街道管理后台")
    page.get_by_role("link", name="案件", exact=True).click()
    expect(page.get_by_role("link", name=case.number)).to_be_visible()
    page.goto(live_server.url + reverse("admin:governance_case_history", args=[case.pk]))
    expect(page.locator("#change-history")).to_be_visible()
    expect(page.locator(".paginator")).to_be_visible()
