"""A resident and a secretary in real headless Chromium against the live demo street."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_resident_visits_laosan_switches_to_english_and_the_secretary_logs_in(
    live_server, page, demo_street, csp_violations
):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("陆家嘴街道")

    page.get_by_role("link", name="崂三居民区").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("崂三居民区")
    diagram = page.locator(".diagram")
    expect(diagram).to_be_visible()
    expect(diagram.get_by_role("link", name="崂三居民区党总支")).to_be_visible()
    expect(diagram.get_by_role("link", name="崂山三村业主委员会")).to_be_visible()
    expect(diagram.locator(".badge--cross").first).to_be_visible()
    expect(diagram.locator(".badge--term-expiring")).to_have_count(1)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="The 1+3+N structure")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("崂三居民区")

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("laosan")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("崂三居民区")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text("赵子正", exact=True).first).to_be_visible()
    expect(page.get_by_role("link", name="People and contacts of this area")).to_be_visible()
    assert csp_violations == []


def test_keyboard_user_reaches_the_skip_link_first(live_server, page, demo_street):
    page.goto(live_server.url + "/areas/laosan/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳至主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/areas/", "/areas/laosan/", "/accounts/login/"])
def test_pages_fit_a_375_pixel_phone(live_server, page, demo_street, path):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 375
