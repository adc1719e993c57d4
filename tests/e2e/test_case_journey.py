"""On a phone: a case logged with its parties, reported on by the liaison, then resolved."""

import pytest
from playwright.sync_api import expect

from governance.models import Case, CaseStatus, PartyRole

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username, next_path="/cases/"):
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo-pass-2026")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header form[action$='/logout/'] button")).to_be_visible()


def log_out(page):
    page.locator("header form[action$='/logout/'] button").click()
    expect(page.locator("header a[href^='/accounts/login/']")).to_be_visible()


def test_case_from_logging_to_resolution_on_a_phone(live_server, page, demo_street, csp_violations):
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url

    log_in(page, base, "laosan", "/cases/new/")
    page.locator("#id_category").select_option(label="违法建筑")
    page.locator("#id_title").fill("崂山三村5号楼底层违法搭建")
    page.locator("#id_description").fill("5号楼底层住户在公共通道搭建雨棚，影响通行。")
    page.locator("#id_compound").select_option(label="崂山三村")
    page.locator("#id_channel").select_option("patrol")
    page.locator("main form button[type=submit]").click()
    if page.locator("#id_not_a_duplicate").is_visible():
        page.locator("#id_not_a_duplicate").check()
        page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("崂山三村5号楼底层违法搭建")
    case = Case.objects.get(title="崂山三村5号楼底层违法搭建")
    assert page.url.endswith(case.get_absolute_url())

    page.locator("details:has(form[action$='/parties/']) > summary").click()
    page.locator("#id_lead").select_option(label="陆家嘴街道城管执法中队")
    page.get_by_label("崂三居民区居民委员会").check()
    page.locator("form[action$='/parties/'] button[type=submit]").click()
    page.locator("form.transition:has(input[value='accepted']) button").click()
    expect(page.locator(".case-row__meta .status--accepted")).to_be_visible()
    log_out(page)

    log_in(page, base, "chengguan", case.get_absolute_url())
    page.locator("details:has(form[action$='/updates/']) > summary").click()
    page.locator("#id_text").fill("执法队员已到现场，责令当事人三日内自行拆除。")
    page.locator("form[action$='/updates/'] button[type=submit]").click()
    expect(page.locator(".timeline").first).to_contain_text("责令当事人三日内自行拆除")
    log_out(page)

    log_in(page, base, "laosan", case.get_absolute_url())
    page.locator("form.transition:has(input[value='in_progress']) button").click()
    expect(page.locator(".case-row__meta .status--in_progress")).to_be_visible()
    page.locator("form.transition:has(input[value='resolved']) textarea").fill(
        "雨棚已拆除，通道恢复。"
    )
    page.locator("form.transition:has(input[value='resolved']) button").click()
    expect(page.locator(".case-row__meta .status--resolved")).to_be_visible()

    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert case.parties.get(role=PartyRole.LEAD).organization.name == "陆家嘴街道城管执法中队"
    assert case.updates.filter(author__username="chengguan", party__isnull=False).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations == []
