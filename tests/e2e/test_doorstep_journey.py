"""A resident on a phone looks for legal advice open this week in 崂三, and the doorstep pages
meet WCAG 2.1 AA. Labels match the Chinese catalogue and the English source strings alike, so
the journey holds before and after the new strings are translated."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from demo.doorstep import LAW_FIRM
from doorstep import views
from doorstep.models import Service, Station
from tests.e2e.axe import axe_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
# A Wednesday morning whose next seven days hold no holiday: 崂三's legal advice is on Tuesdays.
WEDNESDAY_10 = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The live server's pages read the hours on a fixed clock, not on the day the tests run."""
    monkeypatch.setattr(views, "_now", lambda: WEDNESDAY_10)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _violations(page) -> list[str]:
    results = axe_run(page)
    return [
        f"{page.url} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
    ]


def test_a_resident_finds_legal_advice_open_this_week_in_laosan_on_a_phone(
    live_server, page, demo_street, csp_violations
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    page.locator(".site-menu__button").click()
    page.get_by_role("link", name=re.compile("家门口服务|Doorstep services")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("家门口服务|Doorstep services")
    )
    _fits(page)

    page.locator("summary").filter(has_text=re.compile("筛选|Filter")).click()
    page.get_by_label(re.compile("居民区|residential area", re.I)).select_option(label="崂三居民区")
    page.get_by_label(re.compile("类别|分类|category", re.I)).select_option(value="legal")
    page.get_by_label(re.compile("时间|何时|when", re.I)).select_option(value="week")
    page.get_by_role("button", name=re.compile("^(筛选|Filter)$")).click()

    results = page.locator(".card-list > li")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link", name="律师法律咨询")).to_be_visible()
    expect(results.get_by_text("崂三家门口服务站")).to_be_visible()
    _fits(page)

    results.get_by_role("link", name="律师法律咨询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("律师法律咨询")
    expect(page.get_by_role("link", name="021-5887 0301")).to_be_visible()
    _fits(page)
    page.get_by_role("link", name=LAW_FIRM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LAW_FIRM)
    _fits(page)

    page.go_back()
    page.get_by_role("link", name="崂三家门口服务站").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("崂三家门口服务站")
    expect(page.locator(".hours-week tbody tr")).to_have_count(7)
    _fits(page)
    page.get_by_role("link", name=re.compile("楼道|stairwell")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("崂三居民区")
    _fits(page)
    assert csp_violations == []


def test_doorstep_pages_meet_wcag_21_aa(live_server, page, demo_street):
    station = Station.objects.get(area__slug="laosan")
    service = Service.objects.get(station=station, title="律师法律咨询")
    found = []
    for path in (
        "/services/",
        "/services/?area=laosan&category=legal&when=week",
        station.get_absolute_url(),
        service.get_absolute_url(),
        "/areas/laosan/services/print/",
    ):
        page.goto(live_server.url + path)
        found += _violations(page)

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("demo-pass-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # lands on its work
    for path in (
        "/services/manage/",
        f"/stations/{station.pk}/edit/",
        f"/services/{service.pk}/edit/",
        "/services/new/",
    ):
        page.goto(live_server.url + path)
        found += _violations(page)
    assert found == []
