"""The portal by keyboard alone, in Chromium: a skip link first, a visible focus indicator on every
stop, and forms that can be filled in and sent without a mouse."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forums.models import Booking
from governance.models import Case
from tests.e2e.test_accessibility import PASSWORD, ROUTES, start_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the focused element looks like: its outline and box shadow, and whether they stand out
# at 3:1 (WCAG 1.4.11) from the background around the element.
FOCUS_STYLE = """el => {
    const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
        const lin = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const contrast = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    let around = [255, 255, 255];
    for (let e = el.parentElement; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || c[3] > 0) { around = c.slice(0, 3); break; }
    }
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return {
        what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' +
              (el.textContent || el.name || '').trim().slice(0, 30),
        look: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | '),
        outlineContrast: outline ? contrast(rgb(s.outlineColor), around) : 0,
        shadow: s.boxShadow !== 'none',
        onScreen: (r => r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
                   r.left < innerWidth)(el.getBoundingClientRect()),
    };
}"""


def _focused(page) -> dict:
    return page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")


def _indicator_problems(page, stop: dict) -> list[str]:
    """The focused element must be on screen and look different from when it is not focused,
    by an outline that contrasts 3:1 with its surroundings or by a box shadow."""
    page.evaluate("window.__focused = document.activeElement; document.activeElement.blur()")
    unfocused = page.evaluate(f"({FOCUS_STYLE})(window.__focused)")
    page.evaluate("window.__focused.focus()")
    problems = []
    if not stop["onScreen"]:
        problems.append("not on screen")
    if stop["look"] == unfocused["look"]:
        problems.append(f"looks the same focused and not ({stop['look']})")
    elif stop["outlineContrast"] < 3 and not stop["shadow"]:
        problems.append(f"focus outline contrast {stop['outlineContrast']:.1f}:1 ({stop['look']})")
    return [f"{stop['what']}: {problem}" for problem in problems]


def _tab_through(page, limit: int = 200) -> list[str]:
    """Tab from the top of the page to its end; what is wrong with the focus at each stop."""
    found = []
    for stops in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            return found
        if stops and page.evaluate("document.activeElement.matches('.skip-link')"):
            return found  # round the page once
        found += _indicator_problems(page, _focused(page))
    raise AssertionError(f"the focus did not come round the page in {limit} stops")


def _skip_to_main(page) -> None:
    """The skip link is the first stop, shows on screen, and takes the focus to the content."""
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def _tab_to(page, selector: str, limit: int = 80) -> list[str]:
    """Tab forward to ``selector``; what is wrong with the focus on the way."""
    found = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        found += _indicator_problems(page, _focused(page))
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return found
    raise AssertionError(f"{selector} cannot be reached by keyboard")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_page_by_keyboard_skip_link_first_and_every_stop_visibly_focused(
    live_server, page, demo_street, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")
    _skip_to_main(page)
    page.keyboard.press("Shift+Tab")  # back to the skip link, to go round from the top
    assert _tab_through(page) == []


def test_case_page_by_keyboard_every_stop_visibly_focused(live_server, page, demo_street):
    """The busiest staff page: the case's forms, on tinted panels, all show where the focus is."""
    start_session(page, live_server, "laosan", {})
    page.goto(live_server.url + ROUTES["governance:case_detail"].url())
    _skip_to_main(page)
    page.keyboard.press("Shift+Tab")
    assert _tab_through(page, limit=400) == []


def test_a_resident_books_a_place_by_keyboard_alone(live_server, page, demo_street):
    url = ROUTES["forums:session_book"].url()
    page.goto(live_server.url + url)
    _skip_to_main(page)
    found = _tab_to(page, "#id_name")
    page.keyboard.type("Wang Ayi")
    found += _tab_to(page, "#id_phone")
    page.keyboard.type("13900004321")
    found += _tab_to(page, "#id_party_size")
    page.keyboard.press("ArrowDown")  # two people
    found += _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator(".error-summary, .field__error").all_inner_texts() == []
    page.wait_for_url(re.compile(r"/events/bookings/[^/]+/(#main)?$"))
    assert found == []
    booking = Booking.objects.get(name="Wang Ayi")
    assert booking.party_size == 2
    expect(page.locator("main h1")).to_be_visible()


def test_a_secretary_logs_a_case_by_keyboard_alone(live_server, page, demo_street):
    page.goto(live_server.url + reverse("login"))
    expect(page.locator("#id_username")).to_be_focused()  # the login form's own autofocus
    page.keyboard.type("laosan")
    found = _indicator_problems(page, _focused(page))
    found += _tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # lands on its work

    page.goto(live_server.url + reverse("governance:case_create"))
    _skip_to_main(page)
    found += _tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    found += _tab_to(page, "#id_title")
    page.keyboard.type("Blocked fire lane at building 5")
    found += _tab_to(page, "#id_description")
    page.keyboard.type("Bicycles stacked across the fire lane.")
    found += _tab_to(page, "#id_compound")
    page.keyboard.press("ArrowDown")
    found += _tab_to(page, "#id_channel")
    page.keyboard.press("ArrowDown")
    found += _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if page.locator("#id_not_a_duplicate").count():  # the demo may hold a case like it
        expect(page.locator(".error-summary")).to_be_focused()
        found += _tab_to(page, "#id_not_a_duplicate")
        page.keyboard.press("Space")  # "a new problem, not one of the cases above"
        found += _tab_to(page, "main form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    assert page.locator(".error-summary, .field__error").all_inner_texts() == []
    page.wait_for_url(re.compile(r"/cases/LJZ-[^/]+/(#main)?$"))
    assert found == []
    case = Case.objects.get(title="Blocked fire lane at building 5")
    assert case.area.slug == "laosan"


def test_the_focus_check_finds_an_element_without_a_focus_indicator(live_server, page, demo_street):
    """The focus check can fail: with outlines switched off on the page, each stop is reported."""
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const sheet = new CSSStyleSheet();
            sheet.replaceSync('*:focus, *:focus-visible { outline: none !important; }');
            document.adoptedStyleSheets = [sheet];
        }"""
    )
    found = _tab_through(page)
    assert any("looks the same focused and not" in problem for problem in found)
