"""Large-text mode in Chromium: switched on by keyboard, kept from page to page, accessible.
Every page with large text at 320 to 640 pixels wide: tests/e2e/test_accessibility.py."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import violations as _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SWITCH = ".text-size-switch button"
ROOT_FONT_SIZE = "parseFloat(getComputedStyle(document.documentElement).fontSize)"


def _tab_to(page, selector: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} cannot be reached by keyboard")


def test_resident_turns_on_large_text_by_keyboard_and_it_stays_on(
    live_server, page, demo_street, csp_violations
):
    page.goto(live_server.url + "/")
    normal = page.evaluate(ROOT_FONT_SIZE)
    expect(page.locator(SWITCH)).to_have_attribute("aria-pressed", "false")

    _tab_to(page, SWITCH)
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + "/")
    expect(page.locator("html")).to_have_class("large-text")
    expect(page.locator(SWITCH)).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(ROOT_FONT_SIZE) >= normal * 1.2

    page.get_by_role("navigation").get_by_role("link", name="居民区").first.click()
    page.wait_for_url("**/areas/")
    expect(page.locator("html")).to_have_class("large-text")
    assert page.evaluate(ROOT_FONT_SIZE) >= normal * 1.2

    _tab_to(page, SWITCH)
    page.keyboard.press("Space")
    page.wait_for_url("**/areas/")
    expect(page.locator("html")).not_to_have_class("large-text")
    assert page.evaluate(ROOT_FONT_SIZE) == normal
    assert csp_violations == []


def _large_text(page, live_server) -> None:
    page.context.add_cookies([{"name": "large_text", "value": "on", "url": live_server.url}])


def test_large_text_pages_meet_wcag_21_aa(live_server, page, demo_street):
    _large_text(page, live_server)
    found = []
    for path in ("/", "/areas/", "/areas/laosan/", "/forums/", "/events/", "/wishes/"):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_class("large-text")
        found += [f"{path}: {v}" for v in _violations(page)]
    assert found == []
