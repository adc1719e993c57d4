"""One journey per role through the demo street, on a phone and on a desktop: a resident, an
area secretary, a partner-unit liaison and the street office. Each step is taken as a person
would take it (links, labels, buttons), each page's answer is checked, and the database is
checked at the end. The guard in conftest.py fails any of them that logs a console error or
breaks the Content-Security-Policy."""

import csv
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from forums.models import Booking, BookingStatus, EventSession, Forum, PublicationStatus
from governance.models import Case, CaseStatus, Category, PartyRole, Satisfaction
from residents.models import Compound
from wishes.models import Wish, WishStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
WINDOWS = [
    pytest.param(
        PHONE,
        marks=pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, has_touch=True),
        id="phone",
    ),
    pytest.param(DESKTOP, marks=pytest.mark.browser_context_args(viewport=DESKTOP), id="desktop"),
]
LAW_ENFORCEMENT = "陆家嘴街道城管执法中队"


def _press(window, locator) -> None:
    """A tap on the phone, a click on the desktop."""
    if window is PHONE:
        locator.tap()
    else:
        locator.click()


def _fits(page, window) -> None:
    """Nothing wider than the window: no sideways scrolling on the phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= window["width"]


def _menu(page, window) -> None:
    """On the phone the navigation, language, large text and login are behind the menu button."""
    if window is PHONE and page.locator("details.site-menu[open]").count() == 0:
        menu = page.locator(".site-menu__button")
        expect(menu).to_contain_text("菜单")
        _press(window, menu)
        expect(page.locator("details.site-menu")).to_have_attribute("open", "")


def _nav(page, window, name: str) -> None:
    _menu(page, window)
    _press(window, page.get_by_role("navigation", name="主导航").get_by_role("link", name=name))


def _says(page, text: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


def _log_in(page, window, username: str) -> None:
    _menu(page, window)
    _press(window, page.locator(".site-header").get_by_role("link", name="登录"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo-pass-2026")
    _press(window, page.get_by_role("main").get_by_role("button", name="登录"))
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # landed on the login's work
    _menu(page, window)
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def _log_out(page, window) -> None:
    _menu(page, window)
    _press(window, page.get_by_role("button", name="退出登录"))
    expect(page.get_by_role("button", name="退出登录")).to_have_count(0)  # the next page is here
    _menu(page, window)
    expect(page.locator(".site-header").get_by_role("link", name="登录")).to_be_visible()


@pytest.mark.parametrize("window", WINDOWS)
def test_a_resident_reads_a_forum_searches_books_and_cancels_and_sees_the_wish_wall(
    live_server, page, demo_street, window
):
    session = EventSession.objects.filter(event__slug="laosan-safe-gas-talk").earliest("starts_at")
    seats_before = session.seats_taken
    page.goto(live_server.url + "/")

    # A forum: the published one is listed, the draft is not.
    _nav(page, window, "论坛")
    expect(page.get_by_role("heading", level=1)).to_have_text("论坛")
    expect(page.get_by_role("link", name="书记论坛（第二期）", exact=False)).to_have_count(0)
    _press(window, page.get_by_role("link", name="结伴同行书记论坛", exact=False))
    expect(page.get_by_role("heading", level=1)).to_contain_text("书记论坛")
    speeches = page.locator("article.speech")
    expect(speeches).to_have_count(6)
    expect(speeches.nth(1)).to_contain_text("赵子正")
    expect(speeches.nth(1).get_by_role("heading")).to_contain_text("多元协同参与")
    expect(page.locator(".preview-banner")).to_have_count(0)
    expect(page.get_by_role("heading", name="闭幕讲话")).to_be_visible()
    _fits(page, window)

    # A practice, then a search from the header.
    _nav(page, window, "经验做法")
    _press(window, page.get_by_role("link", name="钢瓶", exact=False).first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("钢瓶")
    expect(page.get_by_role("heading", name="来源")).to_be_visible()
    if window is PHONE:  # the header's search button opens the search page
        _press(window, page.locator(".site-header").get_by_role("link", name="搜索"))
        search = page.get_by_role("main").get_by_role("searchbox")
    else:
        search = page.get_by_role("searchbox", name="站内搜索")
    search.fill("钢瓶")
    search.press("Enter")
    expect(page.locator(".search-results > li").first).to_be_visible()
    expect(page.locator(".search-results mark").first).to_have_text("钢瓶")
    _fits(page, window)

    # A seat for two at 崂三's gas-safety talk, then cancelled.
    _nav(page, window, "活动预约")
    _press(window, page.get_by_role("link", name="安全用气进楼组", exact=False))
    starts = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
    _press(window, page.get_by_role("link", name=f"预约 {starts}"))
    page.get_by_label("姓名").fill("王秀英")
    page.get_by_label("手机号码").fill("13900002468")
    page.get_by_label("人数").select_option("2")
    _fits(page, window)
    _press(window, page.get_by_role("button", name="预约", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("预约成功")
    expect(page.get_by_text("139****2468")).to_be_visible()
    code = page.locator("#booking-code").inner_text()
    session.refresh_from_db()
    assert session.seats_taken == seats_before + 2
    _press(window, page.get_by_role("link", name="取消预约"))
    expect(page.get_by_role("heading", level=1)).to_have_text("取消这笔预约？")
    page.get_by_label("手机号码").fill("139 0000 2468")
    _press(window, page.get_by_role("button", name="确认取消"))
    expect(page.get_by_role("heading", level=1)).to_have_text("预约已取消")
    _fits(page, window)

    # The wish wall, and one wish on it.
    _nav(page, window, "微心愿")
    expect(page.get_by_role("heading", level=1)).to_have_text("微心愿")
    wish = Wish.objects.public().get(title="一台大字按键的老人手机")
    card = page.locator("article.wish-card").filter(has_text=wish.title)
    expect(card).to_contain_text("正在征集")  # a resident's words, not the workflow's
    _press(window, card.get_by_role("link", name=wish.title, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(wish.title)
    _fits(page, window)

    session.refresh_from_db()
    assert Booking.objects.get(code=code).status == BookingStatus.CANCELLED
    assert session.seats_taken == seats_before


@pytest.mark.parametrize("window", WINDOWS)
def test_an_area_secretary_logs_coordinates_resolves_follows_up_and_records_a_wish(
    live_server, page, demo_street, window
):
    title = "崂山三村5号楼底层违法搭建"
    page.goto(live_server.url + "/")
    _log_in(page, window, "laosan")

    # Log the case.
    _nav(page, window, "治理案件")
    expect(page.get_by_role("heading", level=1)).to_have_text("治理案件")
    _press(window, page.get_by_role("link", name="登记案件"))
    page.get_by_label("类别").select_option(label="违法建筑")
    page.get_by_label("标题").fill(title)
    page.get_by_label("简介").fill("5号楼底层住户在公共通道搭建雨棚，影响通行。")
    page.get_by_label("小区").select_option(label="崂山三村")
    page.get_by_label("来源渠道").select_option(label="巡查发现")
    _fits(page, window)
    compound = Compound.objects.get(area__slug="laosan", name="崂山三村")
    duplicates = Case.objects.possible_duplicates(
        category=Category.objects.get(name="违法建筑"), compound=compound, area=compound.area
    ).exists()
    _press(window, page.get_by_role("main").get_by_role("button", name="登记案件"))
    if duplicates:
        # Open cases of the kind in the compound are shown first; this one is new.
        expect(page.get_by_role("region", name="可能重复的案件")).to_be_visible()
        page.get_by_label("这是新问题，不属于上述任何案件").check()
        _press(window, page.get_by_role("main").get_by_role("button", name="登记案件"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    case = Case.objects.get(title=title)
    _says(page, f"案件{case.number}已登记。")
    expect(page.locator(".case-row__meta .status")).to_have_text("新登记")

    # Coordinate: the law-enforcement team leads, the residents' committee assists.
    _press(window, page.get_by_text("设置参与方"))
    page.get_by_label("牵头方").select_option(label=LAW_ENFORCEMENT)
    page.get_by_label("崂三居民区居民委员会").check()
    _press(window, page.get_by_role("button", name="保存参与方"))
    _says(page, "参与方已保存。")
    parties = page.get_by_role("region", name="参与方")
    expect(parties).to_contain_text(f"牵头方：{LAW_ENFORCEMENT}")

    # Accept, work on it, resolve it with a note.
    for status in ("已受理", "处置中"):
        _press(window, page.get_by_role("button", name=f"标记为{status}"))
        _says(page, f"案件状态已变为“{status}”。")
        expect(page.locator(".case-row__meta .status")).to_have_text(status)
    resolve = page.locator("form.transition").filter(
        has=page.get_by_role("button", name="标记为已解决")
    )
    resolve.get_by_label("备注").fill("雨棚已拆除，通道恢复。")
    _press(window, resolve.get_by_role("button", name="标记为已解决"))
    _says(page, "案件状态已变为“已解决”。")
    expect(page.locator(".timeline").first).to_contain_text("雨棚已拆除，通道恢复。")

    # The follow-up call to the resident.
    follow_up = page.get_by_role("region", name="回访居民")
    follow_up.get_by_label("满意", exact=True).check()
    follow_up.get_by_label("意见").fill("居民对处置速度表示满意。")
    _press(window, follow_up.get_by_role("button", name="记录回访"))
    _says(page, "回访已记录。")
    expect(page.get_by_text("满意：居民对处置速度表示满意。")).to_be_visible()
    _fits(page, window)

    # A wish heard at the door, recorded and put on the wall.
    _nav(page, window, "微心愿")
    _press(window, page.get_by_role("link", name="办理微心愿"))
    _press(window, page.get_by_role("link", name="登记微心愿"))
    page.get_by_label("类别").select_option(label="助行器具")
    page.get_by_label("公开标题").fill("一副结实的助行拐杖")
    page.get_by_label("公开内容").fill("独居老人腿脚不便，原来的拐杖已经开裂，希望换一副结实的。")
    page.get_by_label("期望完成日期").fill(
        (timezone.localdate() + timezone.timedelta(days=20)).isoformat()
    )
    page.get_by_label("居民姓名（不公开）").fill("张阿婆")
    page.get_by_label("居民电话（不公开）").fill("13600001357")
    _fits(page, window)
    _press(window, page.get_by_role("button", name="保存"))
    _says(page, "微心愿已登记。发布后将显示在心愿墙上。")
    expect(page.get_by_role("heading", level=1)).to_have_text("一副结实的助行拐杖")
    _press(window, page.get_by_role("button", name="发布到心愿墙"))
    _says(page, "微心愿已发布到心愿墙。")
    _press(window, page.get_by_role("link", name="公开页面"))
    expect(page.get_by_role("heading", level=1)).to_have_text("一副结实的助行拐杖")
    expect(page.get_by_text("张阿婆")).to_have_count(0)
    _fits(page, window)

    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert case.parties.get(role=PartyRole.LEAD).organization.name == LAW_ENFORCEMENT
    assert case.follow_ups.get().satisfaction == Satisfaction.SATISFIED
    wish = Wish.objects.get(title="一副结实的助行拐杖")
    assert (wish.area.slug, wish.status, wish.recorded_by.username) == (
        "laosan",
        WishStatus.PUBLISHED,
        "laosan",
    )


@pytest.mark.parametrize("window", WINDOWS)
def test_a_partner_unit_liaison_claims_a_wish_and_adds_an_update_to_a_case(
    live_server, page, demo_street, window
):
    page.goto(live_server.url + "/")
    _log_in(page, window, "chengguan")

    # The wishes the team may claim, one of them claimed.
    _nav(page, window, "微心愿")
    _press(window, page.get_by_role("link", name="办理微心愿"))
    expect(page.get_by_role("heading", level=1)).to_have_text("待认领的微心愿")
    waiting = page.get_by_role("region", name="等待认领的已发布微心愿")
    title = waiting.get_by_role("listitem").first.get_by_role("link").inner_text()
    _press(window, waiting.get_by_role("link", name=title))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_label("共建单位")).to_have_value(
        str(Wish.objects.get(title=title).area.street.organizations.get(name=LAW_ENFORCEMENT).pk)
    )
    page.get_by_label("认领人联系电话（不公开）").fill("13800000701")
    _fits(page, window)
    _press(window, page.get_by_role("button", name="认领微心愿"))
    _says(page, "认领成功，谢谢！")
    expect(page.locator(".case-row__meta .status")).to_have_text("已认领")
    _press(window, page.get_by_role("navigation", name="面包屑导航").get_by_role("link"))
    expect(page.get_by_role("region", name="本单位已认领")).to_contain_text(title)

    # An update on a case the team works on.
    _nav(page, window, "治理案件")
    _press(window, page.get_by_role("link", name=re.compile("^处置中")))
    row = page.locator(".case-row").first
    number = row.locator(".case-number").inner_text()
    _press(window, row.get_by_role("link"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    _press(window, page.get_by_text("添加进展"))
    page.get_by_label("办理方").select_option(label=LAW_ENFORCEMENT)
    page.get_by_label("所做工作").fill("执法队员已到现场，责令当事人三日内自行整改。")
    _fits(page, window)
    _press(window, page.get_by_role("button", name="提交进展"))
    _says(page, "进展已添加。")
    expect(page.locator(".timeline").first).to_contain_text("责令当事人三日内自行整改")

    wish = Wish.objects.get(title=title)
    assert wish.status == WishStatus.CLAIMED
    assert wish.claimed_by_organization.name == LAW_ENFORCEMENT
    assert wish.claimed_by_user.username == "chengguan"
    case = Case.objects.get(number=number)
    assert case.status == CaseStatus.IN_PROGRESS
    update = case.updates.get(text="执法队员已到现场，责令当事人三日内自行整改。")
    assert (update.author.username, update.party.name) == ("chengguan", LAW_ENFORCEMENT)


def _confirm_speech(page, window, speaker: str) -> None:
    """A speaker logs in, finds the forum among the unpublished ones and confirms the text."""
    _log_in(page, window, speaker)
    _nav(page, window, "论坛")
    _press(window, page.get_by_role("link", name="书记论坛（第二期）", exact=False))
    page.get_by_label("内容无误，予以确认").check()
    _press(window, page.get_by_role("button", name="提交答复"))
    _says(page, "谢谢！您的答复已发送至街道办事处。")
    _log_out(page, window)


@pytest.mark.parametrize("window", WINDOWS)
def test_the_street_office_publishes_a_forum_reads_the_dashboard_and_exports(
    live_server, page, demo_street, window
):
    page.goto(live_server.url + "/")
    _log_in(page, window, "admin")

    # The draft forum goes for review; its two speakers confirm; it is approved and published.
    _nav(page, window, "论坛")
    _press(window, page.get_by_role("link", name="书记论坛（第二期）", exact=False))
    workflow = page.get_by_role("region", name="发布管理")
    expect(workflow).to_contain_text("状态：草稿。")
    _press(window, workflow.get_by_role("button", name="提交审阅"))
    _says(page, "状态已变为“审阅中”。")
    forum_url = page.url
    _log_out(page, window)
    for speaker in ("shixin", "dongyi"):
        _confirm_speech(page, window, speaker)
    _log_in(page, window, "admin")
    page.goto(forum_url)
    _press(window, page.get_by_role("button", name="审定通过"))
    _says(page, "状态已变为“已审定”。")
    _press(window, page.get_by_role("button", name="向居民发布"))
    _says(page, "状态已变为“已发布”。")
    expect(page.get_by_role("region", name="发布管理")).to_contain_text("状态：已发布。")

    # The dashboard, from 崂三's overdue figure to its cases, and the list as CSV.
    _nav(page, window, "数据看板")
    expect(page.get_by_role("heading", level=1)).to_have_text("数据看板")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    _fits(page, window)
    overdue = Case.objects.filter(area__slug="laosan").overdue()
    _press(window, page.locator("#overdue-laosan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("治理案件")
    expect(page.locator(".case-row")).to_have_count(overdue.count())
    with page.expect_download() as csv_download:
        _press(window, page.get_by_role("link", name="下载这些案件（CSV）"))
    rows = list(csv.reader(io.StringIO(csv_download.value.path().read_text("utf-8-sig"))))
    assert len(rows) == overdue.count() + 1
    assert {row[0] for row in rows[1:]} == {case.number for case in overdue}

    # This month's report as a workbook.
    _nav(page, window, "数据看板")
    with page.expect_download() as xlsx_download:
        _press(window, page.get_by_role("link", name="本月月度报告（XLSX）"))
    month = timezone.localdate()
    assert xlsx_download.value.suggested_filename == f"report-{month:%Y-%m}-street.xlsx"
    book = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    areas = [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "崂三居民区" in areas

    forum = Forum.objects.get(slug="draft-forum-2021")
    assert forum.status == PublicationStatus.PUBLISHED
    assert forum.published_at is not None
