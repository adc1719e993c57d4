"""The guard every browser test runs under: it catches a CSP violation, a console error and an
uncaught exception, fails the test for them, and lets through only the console errors a test
names."""

import pytest

from tests.e2e.conftest import BrowserErrors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _plant(page, html: str) -> None:
    page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", html
    )


def test_an_inline_script_blocked_by_the_csp_is_caught(live_server, page, browser_errors):
    page.goto(live_server.url + "/")
    # A script element made by the page's own code still obeys the CSP: no inline script runs.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.planted = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.planted") is None
    assert any("script-src" in text for text in browser_errors.csp)
    assert any("securitypolicyviolation" in text for text in browser_errors.csp)
    browser_errors.forget()


def test_an_inline_style_attribute_blocked_by_the_csp_is_caught(live_server, page, browser_errors):
    page.goto(live_server.url + "/")
    _plant(page, '<p style="color: red">planted</p>')
    page.wait_for_timeout(200)
    assert any("style-src" in text for text in browser_errors.csp)
    browser_errors.forget()


def test_a_console_error_and_an_uncaught_exception_are_caught(live_server, page, browser_errors):
    page.goto(live_server.url + "/")
    page.evaluate("console.error('planted console error')")
    page.evaluate("setTimeout(() => { throw new Error('planted exception'); })")
    page.wait_for_timeout(200)
    assert any("planted console error" in text for text in browser_errors.console)
    assert any("planted exception" in text for text in browser_errors.page_errors)
    browser_errors.forget()


def test_a_second_context_opened_by_the_test_is_watched_too(
    live_server, browser, browser_context_args, page, browser_errors
):
    other = browser.new_context(**browser_context_args)
    other_page = other.new_page()
    other_page.goto(live_server.url + "/")
    other_page.evaluate("console.error('planted in the second window')")
    other.close()
    assert any("planted in the second window" in text for text in browser_errors.console)
    browser_errors.forget()


@pytest.mark.allow_console_errors("Failed to load resource")
def test_a_named_console_error_is_allowed_but_no_other(live_server, page, browser_errors):
    assert page.goto(live_server.url + "/no-such-page/").status == 404
    page.evaluate("console.error('not named by the marker')")
    page.wait_for_timeout(200)
    assert not any("Failed to load resource" in text for text in browser_errors.seen())
    assert [text for text in browser_errors.seen() if "not named by the marker" in text] == [
        browser_errors.seen()[0]
    ]
    assert len(browser_errors.seen()) == 1
    browser_errors.forget()


def test_the_guard_fails_a_test_that_saw_any_of_them():
    errors = BrowserErrors()
    errors.csp.append("script-src blocked inline")
    with pytest.raises(pytest.fail.Exception, match="script-src blocked inline"):
        errors.check()
    errors.forget()
    errors.check()
