"""A resident on a phone reads the forum, opens a practice and searches for 钢瓶."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_resident_reads_the_forum_opens_a_practice_and_searches_on_a_phone(
    live_server, page, demo_street, csp_violations
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="论坛").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("论坛")
    expect(page.get_by_role("link", name="陆家嘴街道“家门口”服务体系", exact=False)).to_have_count(
        1
    )
    expect(page.get_by_text("2021", exact=False)).to_have_count(0)  # the draft stays hidden
    _fits(page)

    page.get_by_role("link", name="书记论坛", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("书记论坛")
    speeches = page.locator("article.speech")
    expect(speeches).to_have_count(6)
    expect(speeches.nth(1)).to_contain_text("赵子正")
    expect(speeches.nth(1).get_by_role("heading")).to_contain_text("多元协同参与")
    expect(page.get_by_role("heading", name="闭幕讲话")).to_be_visible()
    expect(page.locator(".preview-banner")).to_have_count(0)
    _fits(page)

    page.get_by_role("link", name="经验做法").first.click()
    page.get_by_role("link", name="钢瓶", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("钢瓶")
    expect(page.get_by_role("heading", name="来源")).to_be_visible()
    _fits(page)

    search = page.get_by_role("search").first.get_by_role("searchbox")
    search.fill("钢瓶")
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    results = page.locator(".search-results > li")
    expect(results.first).to_be_visible()
    expect(page.locator(".search-results mark").first).to_have_text("钢瓶")
    _fits(page)
    assert csp_violations == []


def test_a_forum_prints_as_a_clean_summary(live_server, page, demo_street):
    page.goto(live_server.url + "/forums/secretary-forum-1-3-n/")
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".breadcrumbs", ".site-search"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("article.speech")).to_have_count(6)
    expect(page.locator("article.speech").first).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
