"""Two residents on their phones and the last seat of the exhibition's slot: one books it, the
other joins the waitlist, the first cancels, and the second is promoted."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.events import EXHIBITION_SLUG
from forums.models import Booking, BookingStatus, EventSession

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _book(page, url: str, session: EventSession, link: str, name: str, phone: str) -> None:
    """Open the exhibition's page and the slot's link, and fill the form for one person."""
    page.goto(url + f"/events/{EXHIBITION_SLUG}/")
    starts = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
    page.get_by_role("link", name=f"{link} {starts}").click()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("人数").select_option("1")


def test_the_last_seat_the_waitlist_and_the_promotion_on_phones(
    live_server, browser, browser_context_args, page, demo_street, csp_violations
):
    last_seat = (
        EventSession.objects.filter(event__slug=EXHIBITION_SLUG)
        .order_by("starts_at")
        .filter(capacity=40, seats_taken=39)
        .first()
    )
    first = page
    first.set_viewport_size(PHONE)

    _book(first, live_server.url, last_seat, "预约", "林晓梅", "13700001234")
    _fits(first)
    first.get_by_role("button", name="预约", exact=True).click()
    expect(first.get_by_role("heading", level=1)).to_have_text("预约成功")
    code = first.locator("#booking-code").inner_text()
    expect(first.get_by_text("137****1234")).to_be_visible()
    expect(first.get_by_role("link", name="加入日历（.ics）")).to_be_visible()
    _fits(first)

    second_context = browser.new_context(**browser_context_args, viewport=PHONE)
    second = second_context.new_page()
    _book(second, live_server.url, last_seat, "登记候补", "陈建华", "13700005678")
    expect(second.get_by_role("heading", level=1)).to_have_text("登记候补")
    second.get_by_role("button", name="登记候补").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("候补中")
    expect(second.get_by_text("候补第 1 位")).to_be_visible()
    waiting_code = second.locator("#booking-code").inner_text()
    _fits(second)

    first.get_by_role("link", name="取消预约").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("取消这笔预约？")
    first.get_by_label("手机号码").fill("137 0000 1234")
    first.get_by_role("button", name="确认取消").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("预约已取消")

    second.goto(live_server.url + "/events/bookings/")
    second.get_by_label("预约码").fill(waiting_code.lower())
    second.get_by_label("手机号码").fill("13700005678")
    second.get_by_role("button", name="查询").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("预约成功")
    _fits(second)

    last_seat.refresh_from_db()
    assert Booking.objects.get(code=code).status == BookingStatus.CANCELLED
    assert Booking.objects.get(code=waiting_code).status == BookingStatus.CONFIRMED
    assert last_seat.seats_taken == last_seat.capacity
    assert csp_violations == []
    second_context.close()
