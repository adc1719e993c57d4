"""The liaison of the law-enforcement team sees the unread count, opens the inbox and follows
an item to its case; the inbox and its preferences meet WCAG 2.1 AA."""

import re

import pytest
from playwright.sync_api import expect

from inbox.models import Kind, Notification
from residents.models import User
from tests.e2e.axe import axe_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chengguan_follows_an_inbox_item_to_the_case_on_a_phone(
    live_server, page, demo_street, csp_violations
):
    page.set_viewport_size({"width": 390, "height": 844})
    chengguan = User.objects.get(username="chengguan")
    unread = Notification.objects.filter(recipient=chengguan, read_at__isnull=True).count()
    assert unread >= 3

    page.goto(f"{live_server.url}/accounts/login/?next=/cases/")
    page.locator("#id_username").fill("chengguan")
    page.locator("#id_password").fill("demo-pass-2026")
    page.locator("main form button[type=submit]").click()
    # On the phone the unread count shows on the menu button, and the inbox link is in the menu.
    menu = page.locator("header .site-menu__button")
    expect(menu).to_contain_text(str(unread))
    menu.click()
    inbox_link = page.locator("header a.inbox-link")
    expect(inbox_link).to_contain_text(str(unread))

    inbox_link.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/inbox/")
    assert axe_run(page)["violations"] == []

    item = Notification.objects.filter(
        recipient=chengguan, kind=Kind.CASE_PARTY_ADDED, read_at__isnull=True
    ).first()
    number = item.params["number"]
    page.locator(f"main a[href='{item.get_absolute_url()}']").click()
    expect(page).to_have_url(re.compile(rf"/cases/{number}/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(inbox_link).to_contain_text(str(unread - 1))
    item.refresh_from_db()
    assert item.read_at is not None

    page.goto(f"{live_server.url}/inbox/preferences/")
    assert axe_run(page)["violations"] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations == []
