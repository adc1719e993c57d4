"""A resident and an area secretary on a 360-pixel phone with large text on, one-handed: the
resident books the exhibition and cancels, searches 钢瓶 and reads the gas-safety talk, and finds
legal advice open this week; the secretary logs a case, misses a field, follows the error summary
to it and sends the case. Every page on the way fits the window."""

import pytest
from playwright.sync_api import expect

from demo.events import EXHIBITION_SLUG
from forums.models import Booking, BookingStatus, Event
from governance.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
PHONE_CONTEXT = pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, has_touch=True)


def _large_text(page, live_server) -> None:
    page.context.add_cookies([{"name": "large_text", "value": "on", "url": live_server.url}])


def _fits(page) -> None:
    """Large text is on, nothing is wider than the phone, and the header leaves room."""
    expect(page.locator("html")).to_have_class("large-text")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".site-header").bounding_box()["height"] <= PHONE["height"] / 3


def _within_reach(locator) -> None:
    """A button wholly on screen from left to right, and thumb-sized."""
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 44


def _menu(page, link: str) -> None:
    page.locator(".site-menu__button").tap()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=link).tap()


@PHONE_CONTEXT
def test_a_resident_books_and_cancels_searches_and_finds_legal_advice_on_a_phone(
    live_server, page, demo_street
):
    _large_text(page, live_server)
    page.goto(live_server.url + "/")
    _fits(page)

    # The exhibition: one card a session, its 预约 button full width and on screen.
    _menu(page, "活动预约")
    page.get_by_role("link", name="四史", exact=False).first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("四史")
    book = page.locator(".session-card a.button", has_text="预约").first
    book.scroll_into_view_if_needed()
    _within_reach(book)
    _fits(page)
    book.tap()
    page.locator("#id_name").fill("王阿姨")
    page.locator("#id_phone").fill("13900001234")
    page.get_by_role("main").get_by_role("button", name="预约").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("预约成功")
    _fits(page)

    # Cancelling looks unlike adding to the calendar, and asks first.
    calendar = page.get_by_role("link", name="加入日历", exact=False)
    cancel = page.get_by_role("link", name="取消预约")
    assert calendar.get_attribute("class") != cancel.get_attribute("class")
    cancel.tap()
    page.locator("#id_phone").fill("13900001234")  # the number booked with, asked again
    confirm = page.locator("main button.button--danger")
    _within_reach(confirm)
    _fits(page)
    confirm.tap()
    expect(page.locator(".messages")).to_be_visible()
    booking = Booking.objects.filter(session__event__slug=EXHIBITION_SLUG).latest("pk")
    assert booking.status == BookingStatus.CANCELLED

    # 钢瓶 from the header's search button finds the gas-safety talk, an event.
    page.locator(".site-header").get_by_role("link", name="搜索").tap()
    search = page.get_by_role("main").get_by_role("searchbox")
    search.fill("钢瓶")
    search.press("Enter")
    talk = Event.objects.get(slug="laosan-safe-gas-talk")
    result = page.locator(".search-results > li", has_text=talk.title)
    expect(result).to_be_visible()
    _fits(page)
    result.get_by_role("link").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(talk.title)
    _fits(page)

    # Legal advice open this week, through the filters.
    _menu(page, "家门口服务")
    page.locator("summary", has_text="筛选").tap()
    page.get_by_label("类别").select_option(value="legal")
    page.get_by_label("时间", exact=False).select_option(value="week")
    page.get_by_role("main").get_by_role("button", name="筛选").tap()
    expect(page.locator(".card-list > li").first).to_be_visible()
    _fits(page)


@PHONE_CONTEXT
def test_a_secretary_follows_the_error_summary_to_the_missing_field_on_a_phone(
    live_server, page, demo_street
):
    _large_text(page, live_server)
    page.goto(live_server.url + "/")
    page.locator(".site-menu__button").tap()
    page.locator(".site-header").get_by_role("link", name="登录").tap()
    page.get_by_label("用户名").fill("laosan")
    page.get_by_label("密码").fill("demo-pass-2026")
    page.get_by_role("main").get_by_role("button", name="登录").tap()
    page.wait_for_url("**/inbox/")  # a secretary with unread items lands on the inbox
    _fits(page)

    _menu(page, "治理案件")
    page.get_by_role("link", name="登记案件").tap()
    page.get_by_label("标题").fill("3 号楼楼道堆物")
    page.get_by_label("简介").fill("3 号楼二楼到四楼楼道堆放纸箱和旧家具，影响通行。")
    page.get_by_role("main").get_by_role("button", name="登记案件").tap()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    _fits(page)
    summary.get_by_role("link", name="请选择类别").tap()
    category = page.locator("#id_category")
    expect(category).to_be_focused()
    expect(category).to_have_attribute("aria-invalid", "true")
    assert category.bounding_box()["y"] >= 0  # scrolled into view

    category.select_option(label="楼道堆物")
    page.get_by_label("来源渠道", exact=False).select_option(index=1)
    page.get_by_role("main").get_by_role("button", name="登记案件").tap()
    if page.locator(".duplicates").count():  # similar open cases: say this one is new
        page.locator(".duplicates input[type=checkbox]").check()
        page.get_by_role("main").get_by_role("button", name="登记案件").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 号楼楼道堆物")
    _fits(page)
    assert Case.objects.filter(title="3 号楼楼道堆物", area__slug="laosan").exists()
